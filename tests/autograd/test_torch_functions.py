"""torch's module-level functions that are not plain ops (``range``, ``asarray``,
``binomial``), the nn.functional in-place and ``_with_indices`` forms, ``MultiLabelMarginLoss``,
and the finite-difference checks torch cannot give (vander's gradient, pdist's second
derivatives)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd.testing import gradcheck, gradgradcheck


def test_range_includes_the_end_and_warns_as_torch() -> None:
    with pytest.warns(UserWarning, match="torch.range is deprecated"):
        r = autograd.range(1, 4)
    np.testing.assert_array_equal(r.data, [1, 2, 3, 4])
    assert r.dtype == np.float32
    with pytest.warns(UserWarning):
        np.testing.assert_allclose(autograd.range(0, 1, 0.3).data, [0, 0.3, 0.6, 0.9], rtol=1e-6)
    with pytest.warns(UserWarning):
        assert autograd.range(1, 4, dtype=autograd.long).dtype == np.int64
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="range"):
        autograd.range(1, 4, -1)
    assert list(range(2)) == [0, 1]  # the builtin is untouched in other modules


def test_asarray_shares_memory_when_it_can() -> None:
    t = autograd.ones(3)
    assert autograd.asarray(t) is t
    a = np.ones(3)
    b = autograd.asarray(a)
    a[0] = 5
    assert b.data[0] == 5
    c = autograd.asarray(a, copy=True)
    a[1] = 7
    assert c.data[1] == 1
    assert autograd.asarray([1, 2]).dtype == np.int64
    assert autograd.asarray([1.0, 2]).dtype == np.float32
    assert autograd.asarray(a, dtype=autograd.float32).dtype == np.float32
    assert autograd.asarray([1.0], requires_grad=True).requires_grad
    with pytest.raises(ValueError, match="asarray"):
        autograd.asarray([1, 2], copy=False)


def test_binomial_draws_have_the_binomial_moments() -> None:
    autograd.manual_seed(0)
    n = autograd.full((20000,), 10.0)
    p = autograd.full((20000,), 0.3)
    k = autograd.binomial(n, p).data
    assert k.dtype == np.float32 and ((k >= 0) & (k <= 10) & (k == np.round(k))).all()
    assert abs(k.mean() - 3.0) < 6 * np.sqrt(2.1 / 20000)
    assert abs(k.var() - 2.1) < 0.1
    with pytest.raises(TypeError, match="binomial"):
        autograd.binomial(autograd.tensor([10, 5]), autograd.tensor([0.5, 0.1]))
    with pytest.raises(RuntimeError, match="binomial"):
        autograd.binomial(autograd.tensor([10.0]), autograd.tensor([1.5]))


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), increasing=st.booleans())
def test_vander_gradient_matches_finite_differences(seed: int, increasing: bool) -> None:
    x = autograd.tensor(np.random.default_rng(seed).uniform(-2, 2, 4), requires_grad=True)
    assert gradcheck(lambda v: autograd.vander(v, N=5, increasing=increasing), [x])
    assert gradgradcheck(lambda v: autograd.vander(v, increasing=increasing), [x])


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), p=st.sampled_from([1.0, 2.0, 3.0]))
def test_pdist_second_derivatives_match_finite_differences(seed: int, p: float) -> None:
    x = np.random.default_rng(seed).normal(size=(4, 3))
    t = autograd.tensor(x, requires_grad=True)
    assert gradgradcheck(lambda v: F.pdist(v, p), [t])


IN_PLACE = {
    "relu_": (lambda x: F.relu_(x), lambda x: F.relu(x)),
    "elu_": (lambda x: F.elu_(x, 0.5), lambda x: F.elu(x, 0.5)),
    "leaky_relu_": (lambda x: F.leaky_relu_(x, 0.2), lambda x: F.leaky_relu(x, 0.2)),
    "hardtanh_": (lambda x: F.hardtanh_(x, -0.5, 0.5), lambda x: F.hardtanh(x, -0.5, 0.5)),
    "selu_": (lambda x: F.selu_(x), lambda x: F.selu(x)),
    "celu_": (lambda x: F.celu_(x, 2.0), lambda x: F.celu(x, 2.0)),
    "rrelu_": (lambda x: F.rrelu_(x), lambda x: F.rrelu(x)),
    "threshold_": (lambda x: F.threshold_(x, 0.1, -3.0), lambda x: F.threshold(x, 0.1, -3.0)),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_functional_in_place_forms_write_into_the_input(name: str) -> None:
    in_place, out_of_place = IN_PLACE[name]
    x0 = np.random.default_rng(1).normal(size=(3, 4))
    x = autograd.tensor(x0.copy())
    assert in_place(x) is x and x._version == 1
    np.testing.assert_allclose(x.data, out_of_place(autograd.tensor(x0)).data)
    p = autograd.tensor(x0, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Tensor that requires grad"):
        in_place(p)
    h = p * 1
    in_place(h).sum().backward()
    q = autograd.tensor(x0, requires_grad=True)
    out_of_place(q).sum().backward()
    np.testing.assert_allclose(p.grad.data, q.grad.data)


@pytest.mark.parametrize(
    ("name", "shape", "args"),
    [
        ("max_pool1d", (1, 2, 6), (2,)),
        ("max_pool2d", (1, 1, 4, 4), (2, 1)),
        ("max_pool3d", (1, 1, 2, 4, 4), (2,)),
        ("adaptive_max_pool1d", (1, 2, 7), (3,)),
        ("adaptive_max_pool2d", (1, 1, 5, 4), ((2, 3),)),
        ("adaptive_max_pool3d", (1, 1, 3, 4, 4), (2,)),
    ],
)
def test_with_indices_forms_return_the_pair(name: str, shape: tuple, args: tuple) -> None:
    x = autograd.tensor(np.random.default_rng(2).permutation(int(np.prod(shape))).reshape(shape))
    x = x.double()
    out, idx = getattr(F, name + "_with_indices")(x, *args)
    ref_out, ref_idx = getattr(F, name)(x, *args, return_indices=True)
    np.testing.assert_array_equal(out.data, ref_out.data)
    np.testing.assert_array_equal(idx.data, ref_idx.data)
    torch = pytest.importorskip("torch")
    t_out, t_idx = getattr(torch.nn.functional, name + "_with_indices")(torch.tensor(x.data), *args)
    np.testing.assert_array_equal(out.data, t_out.numpy())
    np.testing.assert_array_equal(idx.data, t_idx.numpy())


def test_multilabel_margin_loss_module_matches_the_function() -> None:
    x = autograd.tensor(np.random.default_rng(3).normal(size=(2, 4)), requires_grad=True)
    y = autograd.tensor(np.array([[2, -1, 0, 1], [0, 3, 1, -1]]))
    for reduction in ("mean", "sum", "none"):
        m = nn.MultiLabelMarginLoss(reduction=reduction)
        np.testing.assert_allclose(
            m(x, y).data, F.multilabel_margin_loss(x, y, reduction=reduction).data
        )
    assert repr(nn.MultiLabelMarginLoss()) == "MultiLabelMarginLoss()"
    with pytest.raises(IndexError, match="multilabel_margin_loss"):
        F.multilabel_margin_loss(x, autograd.tensor(np.array([[4, -1, 0, 0], [0, 0, 0, 0]])))
    torch = pytest.importorskip("torch")
    ref = torch.nn.MultiLabelMarginLoss()(torch.tensor(x.data), torch.tensor(y.data))
    np.testing.assert_allclose(nn.MultiLabelMarginLoss()(x, y).data, ref.numpy(), rtol=1e-12)


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_multilabel_margin_loss_gradient_matches_finite_differences(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = autograd.tensor(rng.permutation(12).reshape(3, 4) * 0.37, requires_grad=True)
    y = autograd.tensor(np.array([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 1, 2, 0]]))
    assert gradcheck(lambda v: F.multilabel_margin_loss(v, y, reduction="none"), [x])


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64", "bool"])
def test_vander_of_integers_is_int64(dtype: str) -> None:
    x = autograd.tensor(np.array([1, 0, 1]).astype(dtype))
    v = autograd.vander(x)
    assert v.dtype == np.int64
    np.testing.assert_array_equal(v.numpy(), np.vander(np.array([1, 0, 1])))
    assert autograd.vander(autograd.tensor([1.0, 2.0], dtype=autograd.float16)).dtype == np.float16


def test_torch_embedding_does_not_count_a_negative_padding_idx_from_the_end() -> None:
    # torch.embedding is the low-level op: padding_idx is a row number as given (only
    # nn.functional.embedding counts -2 as num_embeddings - 2)
    idx = autograd.tensor([0, 2, 3, 2])
    for padding_idx, untouched in ((-2, None), (-1, None), (4, None), (2, 2)):
        w = autograd.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
        autograd.embedding(w, idx, padding_idx=padding_idx).sum().backward()
        want = np.array([1.0, 0.0, 2.0, 1.0])
        if untouched is not None:
            want[untouched] = 0.0
        np.testing.assert_array_equal(w.grad.numpy(), np.repeat(want[:, None], 3, 1))
    w = autograd.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    F.embedding(idx, w, padding_idx=-2).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy()[:, 0], [1.0, 0.0, 0.0, 1.0])
