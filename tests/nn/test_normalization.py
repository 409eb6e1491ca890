"""LayerNorm and BatchNorm: the formulas, running statistics (momentum, unbiased variance,
cumulative average), train vs eval, gradients of first and second order, buffers and
state_dict keys, errors; normalize, cosine_similarity and pairwise_distance."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def test_layer_norm_is_the_formula():
    x = rng.normal(size=(3, 2, 4))
    ln = nn.LayerNorm((2, 4), dtype=np.float64)
    ln.weight.data[...] = rng.normal(size=(2, 4))
    ln.bias.data[...] = rng.normal(size=(2, 4))
    m = x.mean(axis=(1, 2), keepdims=True)
    v = x.var(axis=(1, 2), keepdims=True)
    want = (x - m) / np.sqrt(v + 1e-5) * ln.weight.data + ln.bias.data
    np.testing.assert_allclose(ln(Tensor(x)).data, want, rtol=1e-12)
    assert [n for n, _ in ln.named_parameters()] == ["weight", "bias"]
    assert repr(ln) == "LayerNorm((2, 4), eps=1e-05, elementwise_affine=True, bias=True)"
    assert nn.LayerNorm(4, elementwise_affine=False).weight is None


def test_batch_norm_running_statistics():
    bn = nn.BatchNorm2d(2, momentum=0.25, dtype=np.float64)
    x = rng.normal(size=(4, 2, 3, 3)) * 3 + 1
    y = bn(Tensor(x))
    m = x.mean(axis=(0, 2, 3))
    v_biased = x.var(axis=(0, 2, 3))
    v_unbiased = x.var(axis=(0, 2, 3), ddof=1)
    want = (x - m[:, None, None]) / np.sqrt(v_biased[:, None, None] + 1e-5)
    np.testing.assert_allclose(y.data, want, rtol=1e-12)
    np.testing.assert_allclose(bn.running_mean.data, 0.25 * m)
    np.testing.assert_allclose(bn.running_var.data, 0.75 + 0.25 * v_unbiased)
    assert int(bn.num_batches_tracked.data) == 1
    bn.eval()
    z = rng.normal(size=(2, 2, 3, 3))
    rm, rv = bn.running_mean.data.copy(), bn.running_var.data.copy()
    want = (z - rm[:, None, None]) / np.sqrt(rv[:, None, None] + 1e-5)
    np.testing.assert_allclose(bn(Tensor(z)).data, want, rtol=1e-12)
    np.testing.assert_array_equal(bn.running_mean.data, rm)  # eval leaves them alone
    assert list(bn.state_dict()) == [
        "weight", "bias", "running_mean", "running_var", "num_batches_tracked",
    ]  # fmt: skip
    assert [n for n, _ in bn.named_buffers()] == [
        "running_mean", "running_var", "num_batches_tracked",
    ]  # fmt: skip


def test_momentum_none_is_a_cumulative_average():
    bn = nn.BatchNorm1d(3, momentum=None, dtype=np.float64)
    batches = [rng.normal(size=(5, 3)) + k for k in range(3)]
    for b in batches:
        bn(Tensor(b))
    np.testing.assert_allclose(bn.running_mean.data, np.mean([b.mean(0) for b in batches], 0))
    assert int(bn.num_batches_tracked.data) == 3


def test_without_tracking_batch_statistics_are_always_used():
    bn = nn.BatchNorm1d(3, track_running_stats=False, affine=False, dtype=np.float64).eval()
    x = rng.normal(size=(4, 3, 2))
    y = bn(Tensor(x)).data
    np.testing.assert_allclose(y.mean(axis=(0, 2)), 0, atol=1e-12)
    assert bn.running_mean is None and list(bn.state_dict()) == []


def test_first_and_second_derivatives():
    x = Tensor(rng.normal(size=(3, 2, 4)), requires_grad=True)
    w = Tensor(rng.normal(size=(4,)), requires_grad=True)
    b = Tensor(rng.normal(size=(4,)), requires_grad=True)
    f = lambda x, w, b: F.layer_norm(x, (4,), w, b)  # noqa: E731
    assert gradcheck(f, [x, w, b]) and gradgradcheck(f, [x, w, b])
    w2 = Tensor(rng.normal(size=(2,)), requires_grad=True)
    b2 = Tensor(rng.normal(size=(2,)), requires_grad=True)
    g = lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True)  # noqa: E731
    assert gradcheck(g, [x, w2, b2]) and gradgradcheck(g, [x, w2, b2])
    rm, rv = np.zeros(2), np.ones(2) * 2
    h = lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False)  # noqa: E731
    assert gradcheck(h, [x, w2, b2]) and gradgradcheck(h, [x, w2, b2])


def test_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError, match=r"BatchNorm2d\(num_features=3\).*4-d.*\(2, 3, 4\)"):
        nn.BatchNorm2d(3)(Tensor(np.zeros((2, 3, 4), np.float32)))
    with pytest.raises(ValueError, match=r"BatchNorm1d.*\(2, 4\) has 4 channels.*expected 3"):
        nn.BatchNorm1d(3)(Tensor(np.zeros((2, 4), np.float32)))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(Tensor(np.zeros((1, 3), np.float32)))
    with pytest.raises(ValueError, match=r"LayerNorm.*\(5,\).*\(2, 4\)"):
        nn.LayerNorm(5)(Tensor(np.zeros((2, 4), np.float32)))


def test_distances():
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    cos = F.cosine_similarity(Tensor(a), Tensor(b)).data
    want = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(cos, want, rtol=1e-12)
    d = F.pairwise_distance(Tensor(a), Tensor(b), p=3).data
    np.testing.assert_allclose(d, (np.abs(a - b + 1e-6) ** 3).sum(1) ** (1 / 3), rtol=1e-12)
    n = F.normalize(Tensor(a), dim=0).data
    np.testing.assert_allclose(np.linalg.norm(n, axis=0), 1.0)
    zero = Tensor(np.zeros((2, 3)), requires_grad=True)  # a zero vector: finite gradient
    F.normalize(zero).sum().backward()
    assert np.isfinite(np.asarray(zero.grad)).all()
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    for f in (F.cosine_similarity, F.pairwise_distance, lambda u, v: F.normalize(u) * v):
        assert gradcheck(f, [ta, tb]) and gradgradcheck(f, [ta, tb])


def test_batch_norm_bias_false_learns_a_scale_only():
    bn = nn.BatchNorm1d(3, bias=False, dtype=np.float64)
    assert [n for n, _ in bn.named_parameters()] == ["weight"] and bn.bias is None
    assert "affine=True, bias=False," in repr(bn)
    assert "affine=False, bias=False," in repr(nn.BatchNorm2d(2, affine=False))
    bn.weight.data[:] = [1.0, 2.0, 3.0]
    x = np.random.default_rng(0).normal(size=(6, 3))
    y = bn(Tensor(x)).data
    z = (x - x.mean(0)) / np.sqrt(x.var(0) + bn.eps)
    np.testing.assert_allclose(y, z * [1.0, 2.0, 3.0], rtol=1e-10)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**16), dim=st.sampled_from([0, 1, -1]))
def test_cosine_similarity_broadcasts_before_the_norms(seed, dim):
    """x1 (1, 4) against x2 (3, 4): the norms are over the broadcast shape (as torch), and
    the gradients agree with central differences."""
    r = np.random.default_rng(seed)
    a, b = r.normal(size=(1, 4)) + 0.5, r.normal(size=(3, 4)) + 0.5
    wa, wb = np.broadcast_arrays(a, b)
    want = (wa * wb).sum(dim) / np.linalg.norm(wa, axis=dim) / np.linalg.norm(wb, axis=dim)
    np.testing.assert_allclose(F.cosine_similarity(Tensor(a), Tensor(b), dim).data, want,
                               rtol=1e-12)  # fmt: skip
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    assert gradcheck(lambda u, v: F.cosine_similarity(u, v, dim), [ta, tb])


def test_cosine_similarity_clamp_changes_the_value_not_the_norms_derivative():
    """Below eps the norm's value is eps, its derivative still x / ||x|| (torch's rule)."""
    a, b = np.array([0.3, 0.1]), np.array([2.0, 1.0])
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    F.cosine_similarity(ta, tb, dim=0, eps=0.5).backward()
    nb = np.linalg.norm(b)
    u = a / np.linalg.norm(a)
    want = b / (0.5 * nb) - (a @ b) / (0.5**2 * nb) * u  # quotient rule with d||a|| = u
    np.testing.assert_allclose(ta.grad.data, want, rtol=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: F.batch_norm(x, None, None, training=True),
        lambda x: nn.BatchNorm1d(2).eval()(x),
        lambda x: F.layer_norm(x, (3,)),
        lambda x: nn.LayerNorm(3)(x),
        lambda x: F.group_norm(x, 1),
        lambda x: F.instance_norm(x),
        lambda x: F.rms_norm(x, (3,)),
    ],
)
@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.bool_])
def test_normalisations_refuse_integer_input(call, dtype):
    """Integer statistics would be cut to integers (it gave int64 zeros): PyTorch has no
    kernel for them, and neither do we; the message says how to convert."""
    x = Tensor(np.arange(12).reshape(2, 2, 3).astype(dtype))
    with pytest.raises(NotImplementedError, match=r"expected a floating tensor.*\.float\(\)"):
        call(x)
    assert np.isfinite(call(x.float()).data).all()


def test_cosine_similarity_where_a_norm_overflows_is_zero_not_nan():
    """float32 rows whose squared entries overflow: the norm is inf, so x / ||x|| is 0 and the
    similarity 0 with gradient 0 (torch's numbers); the clamp once gave inf - inf = nan."""
    a = np.array([[1e20, 1.0, 1.0], [3e38, 1.0, 0.0], [0.5, 1.0, 2.0]], dtype=np.float32)
    b = np.array([[0.5, -0.9, -1.8]] * 3, dtype=np.float32)
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    out = F.cosine_similarity(ta, tb)
    out.sum().backward()
    assert out.data[:2].tolist() == [0.0, 0.0] and np.isfinite(out.data[2])
    assert np.all(ta.grad.data[:2] == 0) and np.all(tb.grad.data[:2] == 0)
    assert np.all(np.isfinite(ta.grad.data)) and np.all(np.isfinite(tb.grad.data))
