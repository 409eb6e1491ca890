"""InstanceNorm1d/2d/3d, BatchNorm3d, RMSNorm, LocalResponseNorm, AlphaDropout and
FeatureAlphaDropout: values against numpy written from PyTorch's documented formulas, running
statistics, unbatched input, parameters, reprs and errors; first and second derivatives
against central finite differences in float64 on hypothesis-drawn inputs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(0)
SELU_SAT = 1.0507009873554805 * 1.6732632423543772  # -SELU(-inf)


def numpy_instance_norm(x, w=None, b=None, eps=1e-5):
    axes = tuple(range(2, x.ndim))
    m = x.mean(axis=axes, keepdims=True)
    v = x.var(axis=axes, keepdims=True)
    y = (x - m) / np.sqrt(v + eps)
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    if w is not None:
        y = y * w.reshape(shape)
    if b is not None:
        y = y + b.reshape(shape)
    return y


# --- InstanceNorm ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "shape"),
    [(nn.InstanceNorm1d, (3, 2, 5)), (nn.InstanceNorm2d, (2, 2, 3, 4)),
     (nn.InstanceNorm3d, (2, 2, 2, 3, 2))],
)  # fmt: skip
def test_instance_norm_is_the_formula_batched_and_unbatched(cls, shape):
    x = rng.normal(size=shape) * 3 + 1
    m = cls(2, affine=True, dtype=np.float64)
    m.weight.data[...] = rng.normal(size=2)
    m.bias.data[...] = rng.normal(size=2)
    want = numpy_instance_norm(x, m.weight.data, m.bias.data)
    np.testing.assert_allclose(m(Tensor(x)).data, want, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(m(Tensor(x[0])).data, want[0], rtol=1e-12, atol=1e-13)
    m.eval()  # not tracking: the input's own statistics in eval mode too
    np.testing.assert_allclose(m(Tensor(x)).data, want, rtol=1e-12, atol=1e-13)


def test_instance_norm_defaults_parameters_and_repr():
    m = nn.InstanceNorm2d(3)
    assert m.weight is None and m.bias is None and m.running_mean is None
    assert list(m.state_dict()) == []
    assert repr(m) == (
        "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, "
        "track_running_stats=False)"
    )
    t = nn.InstanceNorm1d(4, eps=1e-3, momentum=0.2, affine=True, track_running_stats=True)
    assert list(t.state_dict()) == [
        "weight", "bias", "running_mean", "running_var", "num_batches_tracked",
    ]  # fmt: skip
    assert t.weight.data.tolist() == [1.0] * 4 and t.bias.data.tolist() == [0.0] * 4
    assert t.running_var.data.tolist() == [1.0] * 4
    assert repr(t) == (
        "InstanceNorm1d(4, eps=0.001, momentum=0.2, affine=True, bias=True, "
        "track_running_stats=True)"
    )
    assert nn.InstanceNorm1d(4, affine=True, bias=False).bias is None


def test_instance_norm_running_statistics_and_eval():
    x = rng.normal(size=(4, 3, 6)) * 2 + 0.5
    m = nn.InstanceNorm1d(3, momentum=0.3, track_running_stats=True, dtype=np.float64)
    m(Tensor(x))
    mean = x.mean(axis=2).mean(axis=0)
    var = x.var(axis=2, ddof=1).mean(axis=0)  # unbiased, per instance, then averaged
    np.testing.assert_allclose(m.running_mean.data, 0.3 * mean, rtol=1e-12)
    np.testing.assert_allclose(m.running_var.data, 0.7 + 0.3 * var, rtol=1e-12)
    assert int(m.num_batches_tracked.data) == 0  # PyTorch's InstanceNorm does not count
    m.eval()
    rm, rv = m.running_mean.data.copy(), m.running_var.data.copy()
    want = (x - rm[:, None]) / np.sqrt(rv[:, None] + 1e-5)
    np.testing.assert_allclose(m(Tensor(x)).data, want, rtol=1e-12)
    np.testing.assert_allclose(m(Tensor(x[1])).data, want[1], rtol=1e-12)
    assert (m.running_mean.data == rm).all()  # eval mode leaves them
    still = nn.InstanceNorm1d(3, momentum=None, track_running_stats=True, dtype=np.float64)
    still(Tensor(x))  # momentum None: PyTorch's InstanceNorm does not update at all
    assert still.running_mean.data.tolist() == [0.0] * 3


def test_functional_instance_norm_with_and_without_input_stats():
    x = rng.normal(size=(2, 3, 4, 2))
    w, b = rng.normal(size=3), rng.normal(size=3)
    np.testing.assert_allclose(
        F.instance_norm(Tensor(x), weight=Tensor(w), bias=Tensor(b), eps=1e-3).data,
        numpy_instance_norm(x, w, b, 1e-3),
        rtol=1e-12,
        atol=1e-13,
    )
    rm, rv = rng.normal(size=3), rng.uniform(0.5, 2, size=3)
    y = F.instance_norm(Tensor(x), Tensor(rm), Tensor(rv), use_input_stats=False)
    want = (x - rm[:, None, None]) / np.sqrt(rv[:, None, None] + 1e-5)
    np.testing.assert_allclose(y.data, want, rtol=1e-12)


def test_instance_norm_errors_and_warning():
    with pytest.raises(ValueError, match=r"InstanceNorm1d: expected 2D or 3D input"):
        nn.InstanceNorm1d(3)(Tensor(np.zeros(3)))
    with pytest.raises(ValueError, match=r"InstanceNorm2d: expected 3D or 4D input"):
        nn.InstanceNorm2d(3)(Tensor(np.zeros((3, 5))))
    with pytest.raises(ValueError, match=r"size at dim=1 to match num_features \(3\)"):
        nn.InstanceNorm1d(3, affine=True)(Tensor(np.zeros((2, 4, 5))))
    with pytest.warns(UserWarning, match="size at dim=1 does not match num_features"):
        nn.InstanceNorm1d(3)(Tensor(rng.normal(size=(2, 4, 5))))
    with pytest.raises(ValueError, match="instance_norm: expected more than 1 spatial element"):
        F.instance_norm(Tensor(np.zeros((2, 3, 1))))
    with pytest.raises(ValueError, match="InstanceNorm1d: expected more than 1 spatial"):
        nn.InstanceNorm1d(3)(Tensor(np.zeros((3, 1))))
    with pytest.raises(ValueError, match="running_mean and running_var are needed"):
        F.instance_norm(Tensor(np.zeros((2, 3, 2))), use_input_stats=False)
    with pytest.raises(ValueError, match=r"instance_norm: weight of shape \(2,\)"):
        F.instance_norm(Tensor(np.zeros((2, 3, 2))), weight=Tensor(np.ones(2)))


@settings(max_examples=15, deadline=None)
@given(
    shape=st.sampled_from([(2, 3, 4), (1, 2, 3, 2), (3, 1, 2, 2, 2)]),
    seed=st.integers(0, 2**31),
    affine=st.booleans(),
)
def test_instance_norm_derivatives_first_and_second_order(shape, seed, affine):
    r = np.random.default_rng(seed)
    x = Tensor(r.normal(size=shape) * 2, requires_grad=True)
    c = shape[1]
    w = Tensor(r.normal(size=c), requires_grad=True) if affine else None
    b = Tensor(r.normal(size=c), requires_grad=True) if affine else None
    inputs = [x, w, b] if affine else [x]

    def f(x, w=None, b=None):
        return F.instance_norm(x, weight=w, bias=b)

    assert gradcheck(f, inputs) and gradgradcheck(f, inputs)


def test_batch_norm_3d():
    x = rng.normal(size=(3, 2, 2, 3, 2)) * 2 + 1
    m = nn.BatchNorm3d(2, dtype=np.float64)
    axes = (0, 2, 3, 4)
    want = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + 1e-5)
    np.testing.assert_allclose(m(Tensor(x)).data, want, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(m.running_var.data, 0.9 + 0.1 * x.var(axis=axes, ddof=1))
    assert int(m.num_batches_tracked.data) == 1
    with pytest.raises(ValueError, match=r"BatchNorm3d\(num_features=2\): expected 5-d"):
        m(Tensor(x[0]))
    assert repr(m) == (
        "BatchNorm3d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    )


# --- RMSNorm -----------------------------------------------------------------------------


def test_rms_norm_is_the_formula():
    x = rng.normal(size=(3, 2, 4))
    m = nn.RMSNorm((2, 4), dtype=np.float64)
    m.weight.data[...] = rng.normal(size=(2, 4))
    ms = (x**2).mean(axis=(1, 2), keepdims=True)
    eps = np.finfo(np.float64).eps
    np.testing.assert_allclose(m(Tensor(x)).data, x / np.sqrt(ms + eps) * m.weight.data)
    m2 = nn.RMSNorm(4, eps=0.5, elementwise_affine=False)
    x32 = x.astype(np.float32)
    want = x32 / np.sqrt((x32**2).mean(axis=-1, keepdims=True) + 0.5)
    np.testing.assert_allclose(m2(Tensor(x32)).data, want, rtol=1e-6)
    # eps=None follows the input's dtype: float32's epsilon for a float32 input
    tiny = np.full((1, 4), 1e-4, np.float32)
    want = tiny / np.sqrt(np.float32(1e-8) + np.finfo(np.float32).eps)
    np.testing.assert_allclose(F.rms_norm(Tensor(tiny), (4,)).data, want, rtol=1e-5)


def test_rms_norm_parameters_repr_errors():
    m = nn.RMSNorm([2, 3])
    assert [n for n, _ in m.named_parameters()] == ["weight"] and m.weight.shape == (2, 3)
    assert m.weight.data.tolist() == [[1.0] * 3] * 2
    assert repr(m) == "RMSNorm((2, 3), eps=None, elementwise_affine=True)"
    assert repr(nn.RMSNorm(4, 1e-3, False)) == "RMSNorm((4,), eps=0.001, elementwise_affine=False)"
    assert nn.RMSNorm(4, elementwise_affine=False).weight is None
    with pytest.raises(ValueError, match=r"RMSNorm: input of shape \(3, 2\) does not end with"):
        m(Tensor(np.zeros((2, 3))).reshape(3, 2))
    with pytest.raises(ValueError, match=r"rms_norm: weight of shape \(3,\)"):
        F.rms_norm(Tensor(np.zeros((2, 4))), (4,), Tensor(np.ones(3)))


@settings(max_examples=15, deadline=None)
@given(
    shape=st.sampled_from([(3,), (2, 4), (2, 2, 3)]),
    k=st.integers(1, 2),
    seed=st.integers(0, 2**31),
    eps=st.sampled_from([None, 1e-3, 0.5]),
)
def test_rms_norm_derivatives_first_and_second_order(shape, k, seed, eps):
    k = min(k, len(shape))
    r = np.random.default_rng(seed)
    x = Tensor(r.normal(size=shape), requires_grad=True)
    w = Tensor(r.normal(size=shape[len(shape) - k :]), requires_grad=True)

    def f(x, w):
        return F.rms_norm(x, shape[len(shape) - k :], w, eps)

    assert gradcheck(f, [x, w]) and gradgradcheck(f, [x, w])


# --- LocalResponseNorm -------------------------------------------------------------------


def numpy_lrn(x, size, alpha, beta, k):
    c = x.shape[1]
    out = np.empty_like(x)
    for j in range(c):
        lo, hi = max(0, j - size // 2), min(c - 1, j + (size - 1) // 2)
        s = (x[:, lo : hi + 1] ** 2).sum(axis=1)
        out[:, j] = x[:, j] / (k + alpha / size * s) ** beta
    return out


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("shape", [(2, 5, 3), (1, 4, 2, 3), (2, 3, 2, 2, 2)])
def test_local_response_norm_is_the_formula(size, shape):
    x = rng.normal(size=shape) * 3
    got = nn.LocalResponseNorm(size, alpha=0.3, beta=0.6, k=1.5)(Tensor(x))
    np.testing.assert_allclose(got.data, numpy_lrn(x, size, 0.3, 0.6, 1.5), rtol=1e-12)


def test_local_response_norm_repr_errors_and_empty():
    assert repr(nn.LocalResponseNorm(2)) == "LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)"
    with pytest.raises(ValueError, match=r"LocalResponseNorm: expected 3-d or higher"):
        nn.LocalResponseNorm(2)(Tensor(np.zeros((2, 3))))
    with pytest.raises(ValueError, match="local_response_norm: size must be a positive"):
        F.local_response_norm(Tensor(np.zeros((2, 3, 2))), 0)
    assert F.local_response_norm(Tensor(np.zeros((0, 3, 2))), 2).shape == (0, 3, 2)


@settings(max_examples=15, deadline=None)
@given(
    shape=st.sampled_from([(2, 4, 3), (1, 3, 2, 2)]),
    size=st.integers(1, 5),
    seed=st.integers(0, 2**31),
)
def test_local_response_norm_derivatives_first_and_second_order(shape, size, seed):
    x = Tensor(np.random.default_rng(seed).normal(size=shape), requires_grad=True)

    def f(x):
        return F.local_response_norm(x, size, alpha=0.5, beta=0.75, k=1.0)

    assert gradcheck(f, [x]) and gradgradcheck(f, [x])


# --- AlphaDropout ------------------------------------------------------------------------


def _a(p):
    return 1 / np.sqrt((SELU_SAT**2 * p + 1) * (1 - p))


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_alpha_dropout_values_are_the_two_affine_maps(p):
    x = np.random.default_rng(11).normal(size=(200, 50))
    autograd.manual_seed(3)
    y = F.alpha_dropout(Tensor(x), p, training=True).data
    a = _a(p)
    kept = np.isclose(y, a * x + SELU_SAT * a * p, rtol=1e-12, atol=0)
    dropped = np.isclose(y, -SELU_SAT * a * (1 - p), rtol=1e-12, atol=0)
    assert (kept | dropped).all()
    assert abs(dropped.mean() - p) < 0.02
    # zero mean and unit variance are kept (standard normal input); 10,000 draws of a
    # two-valued mixture: the sample variance's standard error is about 0.02, bound at 5 of them
    assert abs(y.mean()) < 0.05 and abs(y.var() - 1) < 0.1


def test_feature_alpha_dropout_drops_whole_channels():
    x = rng.normal(size=(40, 30, 2, 3))
    autograd.manual_seed(1)
    y = F.feature_alpha_dropout(Tensor(x), 0.5, training=True).data
    d = -SELU_SAT * _a(0.5) * 0.5
    dropped = np.isclose(y, d, rtol=1e-12, atol=0).all(axis=(2, 3))
    kept = np.isclose(y, _a(0.5) * x + SELU_SAT * _a(0.5) * 0.5, rtol=1e-12).all(axis=(2, 3))
    assert (dropped ^ kept).all() and 0.35 < dropped.mean() < 0.65


def test_alpha_dropout_modes_defaults_and_errors():
    x = Tensor(rng.normal(size=(3, 4)))
    assert F.alpha_dropout(x) is x  # training=False by default, as PyTorch's
    assert F.feature_alpha_dropout(x, 0.5) is x
    assert F.alpha_dropout(x, 0.0, True) is x
    assert (F.alpha_dropout(x, 1.0, True).data == 0).all()
    m = nn.AlphaDropout(0.2)
    assert repr(m) == "AlphaDropout(p=0.2, inplace=False)"
    assert repr(nn.FeatureAlphaDropout()) == "FeatureAlphaDropout(p=0.5, inplace=False)"
    m.eval()
    assert m(x) is x
    m.train()
    assert not np.array_equal(m(x).data, x.data)
    with pytest.raises(ValueError, match="dropout probability"):
        nn.AlphaDropout(1.5)
    with pytest.raises(ValueError, match="feature_alpha_dropout: feature dropout requires"):
        F.feature_alpha_dropout(Tensor(np.zeros(3)), 0.5, True)
    with pytest.raises(TypeError, match="alpha_dropout: expected a Tensor"):
        F.alpha_dropout([1.0], 0.5, True)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31), p=st.sampled_from([0.2, 0.5]), feature=st.booleans())
def test_alpha_dropout_derivatives(seed, p, feature):
    x = Tensor(np.random.default_rng(seed).normal(size=(3, 4, 2)), requires_grad=True)
    fn = F.feature_alpha_dropout if feature else F.alpha_dropout

    def f(x):
        autograd.manual_seed(seed)  # the same mask on every evaluation
        return fn(x, p, True)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gradcheck(f, [x]) and gradgradcheck(f, [x])
