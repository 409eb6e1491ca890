"""PyTorch's meanings where numpy's differ (API.md, the porting rule), and the exact values of
the catalogue's ops on small hand-checked inputs: max/min pairs and their gradients (ties, NaN,
empty inputs), transpose, var/std, size(), sorting, // and %, erf, indexing, counting ops."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor
from autograd.ops.special import erf, erfc

NAN = float("nan")


def t(data, grad=True):
    return Tensor(np.array(data, dtype=np.float64), requires_grad=grad)


def grad_of(x):
    return np.asarray(x.grad)


# --- max / min -----------------------------------------------------------------------------


def test_max_with_dim_is_a_named_pair_and_its_gradient_goes_to_the_index():
    x = t([[1.0, 3.0, 3.0, 0.0], [5.0, 2.0, 5.0, 5.0]])
    r = x.max(1)
    values, indices = r
    assert type(r).__name__ == "max" and r.values is values and r.indices is indices
    np.testing.assert_array_equal(values.data, [3.0, 5.0])
    np.testing.assert_array_equal(indices.data, [1, 0])  # first of the ties
    assert indices.dtype == np.int64
    values.sum().backward()
    np.testing.assert_array_equal(grad_of(x), [[0, 1, 0, 0], [1, 0, 0, 0]])
    lo = autograd.min(x, 0, keepdim=True)
    assert lo.values.shape == (1, 4) and lo.indices.data.tolist() == [[0, 1, 0, 0]]


def test_full_max_and_amax_split_ties_evenly():
    x = t([1.0, 3.0, 3.0, 0.0])
    x.max().backward()
    np.testing.assert_array_equal(grad_of(x), [0, 0.5, 0.5, 0])
    x.grad = None
    x.amax(0).backward()
    np.testing.assert_array_equal(grad_of(x), [0, 0.5, 0.5, 0])
    y = t([[2.0, 2.0], [1.0, 2.0]])
    y.amin((0, 1)).backward()
    np.testing.assert_array_equal(grad_of(y), [[0, 0], [1, 0]])


def test_nan_wins_max_and_takes_the_gradient_as_torch():
    x = t([1.0, NAN, 0.0, NAN])
    m = x.max()
    assert math.isnan(m.item())
    m.backward()
    np.testing.assert_array_equal(grad_of(x), [0, 0.5, 0, 0.5])
    x.grad = None
    r = x.reshape(1, 4).max(1)
    assert r.indices.item() == 1
    r.values.sum().backward()
    np.testing.assert_array_equal(grad_of(x), [0, 1, 0, 0])
    x.grad = None
    x.amax(0).backward()  # torch's amax: no entry equals NaN, so 0 / 0 everywhere
    assert np.isnan(grad_of(x)).all()


def test_empty_inputs_follow_torch():
    e = Tensor(np.zeros((0, 3)))
    values, indices = e.max(1)
    assert values.shape == (0,) and indices.shape == (0,) and indices.dtype == np.int64
    assert e.amax(1).shape == (0,)
    with pytest.raises(ValueError, match="max.*size 0"):
        e.max(0)
    with pytest.raises(ValueError, match="max.*empty"):
        e.max()
    assert math.isnan(Tensor(np.zeros(0)).mean().item())


def test_empty_dim_tuple_reduces_every_dim():
    x = t(np.arange(6.0).reshape(2, 3))
    assert x.sum(dim=()).item() == 15.0
    assert x.mean(dim=()).item() == 2.5
    assert x.amax(dim=()).item() == 5.0


def test_max_of_two_tensors_is_maximum():
    a, b = t([1.0, 5.0]), t([3.0, 2.0])
    np.testing.assert_array_equal(autograd.max(a, b).data, [3.0, 5.0])


# --- transpose, size, var ------------------------------------------------------------------


def test_transpose_swaps_two_dims_and_T_mT():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4))
    assert x.transpose(0, 2).shape == (4, 3, 2)
    np.testing.assert_array_equal(x.transpose(-1, 1).data, np.swapaxes(x.data, -1, 1))
    assert x.T.shape == (4, 3, 2) and x.mT.shape == (2, 4, 3)
    assert x.permute(1, 2, 0).shape == (3, 4, 2) and x.permute((1, 2, 0)).shape == (3, 4, 2)
    with pytest.raises(TypeError):
        x.transpose(1, 2, 0)
    with pytest.raises(ValueError, match="permute"):
        x.permute(0, 1)


def test_size_is_a_method_with_numel_and_dim():
    x = Tensor(np.zeros((2, 3, 4)))
    assert x.size() == (2, 3, 4) and x.size(0) == 2 and x.size(-1) == 4
    assert x.numel() == 24 and x.nelement() == 24 and x.dim() == 3
    assert autograd.numel(x) == 24


def test_var_and_std_are_unbiased_by_default_with_every_alias():
    data = np.array([[1.0, 4.0, 2.0], [0.0, 0.0, 3.0]])
    x = Tensor(data)
    np.testing.assert_allclose(x.var().item(), np.var(data, ddof=1))
    np.testing.assert_allclose(x.var(1).data, np.var(data, axis=1, ddof=1))
    for biased in (
        x.var(1, False),
        x.var(1, unbiased=False),
        x.var(dim=1, correction=0),
        x.var(axis=1, ddof=0),
    ):
        np.testing.assert_allclose(biased.data, np.var(data, axis=1))
    np.testing.assert_allclose(x.var(False).item(), np.var(data))
    np.testing.assert_allclose(x.std(0, keepdim=True).data, np.std(data, 0, ddof=1, keepdims=True))
    np.testing.assert_allclose(autograd.std(x, correction=2).item(), np.std(data, ddof=2))


# --- elementwise ---------------------------------------------------------------------------


def test_erf_and_erfc_to_float64_accuracy():
    xs = np.concatenate([np.linspace(-6, 6, 2001), np.linspace(6, 26, 201), [1e-300, 0.0]])
    ref_erf = np.array([math.erf(v) for v in xs])
    ref_erfc = np.array([math.erfc(v) for v in xs])
    ok = ref_erf != 0
    assert np.max(np.abs(erf(xs) - ref_erf)[ok] / np.abs(ref_erf[ok])) < 2e-15
    assert np.max(np.abs(erfc(xs) - ref_erfc) / ref_erfc) < 5e-15
    assert erf(np.array([np.inf, -np.inf])).tolist() == [1.0, -1.0]
    assert erfc(np.array([np.inf, -np.inf])).tolist() == [0.0, 2.0]
    assert np.isnan(erf(np.array([NAN]))).all() and np.isnan(erfc(np.array([NAN]))).all()
    x = Tensor(np.array([0.5], dtype=np.float32))
    assert autograd.erf(x).dtype == np.float32


def test_floor_divide_and_remainder_follow_python_signs():
    a, b = Tensor(np.array([5, -5, 7])), Tensor(np.array([2, 2, -3]))
    np.testing.assert_array_equal((a // b).data, [2, -3, -3])
    np.testing.assert_array_equal((a % b).data, [1, 1, -2])
    x = t([5.0, -5.0, 3.5])
    y = t([2.0, 2.0, -1.5])
    r = x % y
    np.testing.assert_allclose(r.data, [1.0, 1.0, -1.0])
    r.sum().backward()
    np.testing.assert_array_equal(grad_of(x), [1, 1, 1])
    np.testing.assert_array_equal(grad_of(y), [-2, 3, 3])
    with pytest.raises(RuntimeError, match="floor_divide"):
        (x // y).sum().backward()


def test_clamp_with_tensor_bounds_routes_the_gradient():
    x, lo = t([-2.0, 0.5, 3.0]), t([0.0, 0.0, 0.0])
    out = x.clamp(min=lo, max=1.0)
    np.testing.assert_array_equal(out.data, [0.0, 0.5, 1.0])
    out.sum().backward()
    np.testing.assert_array_equal(grad_of(x), [0, 1, 0])
    np.testing.assert_array_equal(grad_of(lo), [1, 0, 0])


def test_nan_to_num_and_comparisons():
    x = t([NAN, np.inf, -np.inf, 2.0])
    y = x.nan_to_num(posinf=9.0)
    assert y.data.tolist() == [0.0, 9.0, np.finfo(np.float64).min, 2.0]
    y.sum().backward()
    np.testing.assert_array_equal(grad_of(x), [0, 0, 0, 1])
    assert x.isnan().data.tolist() == [True, False, False, False]
    assert x.isinf().dtype == np.bool_ and x.isfinite().data.tolist() == [False] * 3 + [True]
    a = Tensor(np.array([1.0, 2.0]))
    assert autograd.isclose(a, a + 1e-9).data.all() and a.allclose(a + 1e-9)
    assert autograd.equal(a, Tensor(np.array([1.0, 2.0]))) and not a.equal(a.reshape(2, 1))
    assert a.eq(1.0).data.tolist() == [True, False] and a.ge(2).data.tolist() == [False, True]


# --- reductions ----------------------------------------------------------------------------


def test_prod_and_cumprod_have_exact_gradients_through_zeros():
    x = t([2.0, 0.0, 3.0, 0.5])
    x.prod().backward()
    np.testing.assert_array_equal(grad_of(x), [0, 3.0, 0, 0])
    x.grad = None
    x.cumprod(0).sum().backward()
    # d/dx0 = 1 + x1 + ... ; d/dx1 = x0 + x0 x2 + x0 x2 x3
    np.testing.assert_allclose(grad_of(x), [1.0, 2 + 6 + 3, 0, 0])


def test_cumsum_of_ints_is_int64_and_norms():
    assert Tensor(np.array([True, True])).cumsum(0).dtype == np.int64
    x = t([3.0, -4.0])
    assert x.norm().item() == 5.0 and x.norm(1).item() == 7.0
    assert x.norm(float("inf")).item() == 4.0 and x.norm(0).item() == 2.0
    z = t([0.0, 0.0])
    z.norm().backward()
    np.testing.assert_array_equal(grad_of(z), [0, 0])


def test_logsumexp_is_stable():
    x = t([[1000.0, 1000.0], [-np.inf, -np.inf]])
    out = x.logsumexp(1)
    np.testing.assert_allclose(out.data, [1000 + math.log(2), -np.inf])


def test_sort_argsort_topk_order_nans_and_ties_as_torch():
    x = t([1.0, NAN, 3.0, 3.0, -1.0])
    v, i = x.sort()
    assert i.data.tolist() == [4, 0, 2, 3, 1]
    v, i = x.sort(descending=True)
    assert i.data.tolist() == [1, 2, 3, 0, 4]
    assert x.argsort(dim=0).data.tolist() == [4, 0, 2, 3, 1]
    y = t([[5.0, 1.0, 4.0]])
    top = y.topk(2)
    assert top.values.data.tolist() == [[5.0, 4.0]] and top.indices.data.tolist() == [[0, 2]]
    top.values.sum().backward()
    np.testing.assert_array_equal(grad_of(y), [[1, 0, 1]])
    with pytest.raises(ValueError, match="topk"):
        y.topk(4)


def test_counting_ops_without_gradient():
    x = Tensor(np.array([0.0, 0.5, 1.0, 1.0, 3.0]))
    assert x.histc(bins=3, min=0, max=3).data.tolist() == [2.0, 2.0, 1.0]
    hist, edges = x.histogram(2)
    assert hist.data.tolist() == [4.0, 1.0] and edges.data.tolist() == [0.0, 1.5, 3.0]
    n = Tensor(np.array([1, 1, 3]))
    assert n.bincount().data.tolist() == [0, 2, 0, 1]
    u, inv, counts = n.unique(return_inverse=True, return_counts=True)
    assert u.data.tolist() == [1, 3] and inv.data.tolist() == [0, 0, 1]
    assert counts.data.tolist() == [2, 1]
    assert x.count_nonzero().item() == 4 and x.count_nonzero().dtype == np.int64
    assert (x > 0).all().item() is False and (x > 0).any(0).item() is True
    assert x.argmax().item() == 4 and x.argmin().item() == 0


# --- shape and indexing --------------------------------------------------------------------


def test_repeat_is_tile_and_repeat_interleave_is_numpys_repeat():
    x = Tensor(np.array([1.0, 2.0]))
    assert x.repeat(2).data.tolist() == [1.0, 2.0, 1.0, 2.0]
    assert x.repeat(2, 1).shape == (2, 2)
    assert x.repeat_interleave(2).data.tolist() == [1.0, 1.0, 2.0, 2.0]
    assert x.tile((2,)).data.tolist() == [1.0, 2.0, 1.0, 2.0]


def test_repeated_indices_add_their_gradients():
    x = t([1.0, 2.0, 3.0])
    (x[[0, 0, 2]].sum() + x[range(2)].sum() + x[Tensor(np.array([2, 2]))].sum()).backward()
    np.testing.assert_array_equal(grad_of(x), [3, 1, 3])
    y = t([[1.0, 2.0], [3.0, 4.0]])
    y.index_select(1, np.array([1, 1])).sum().backward()
    np.testing.assert_array_equal(grad_of(y), [[0, 2], [0, 2]])


def test_gather_scatter_add_split_chunk_unbind():
    x = t([[1.0, 2.0], [3.0, 4.0]])
    idx = Tensor(np.array([[0, 0], [1, 0]]))
    assert x.gather(1, idx).data.tolist() == [[1.0, 1.0], [4.0, 3.0]]
    z = Tensor(np.zeros((2, 2)))
    assert z.scatter_add(1, idx, x).data.tolist() == [[3.0, 0.0], [4.0, 3.0]]
    with pytest.raises(IndexError, match="gather: index out of range"):
        x.gather(1, Tensor(np.array([[2, 0], [0, 0]])))
    a = Tensor(np.arange(5.0))
    assert [p.shape for p in a.split(2)] == [(2,), (2,), (1,)]
    assert [p.shape for p in a.chunk(2)] == [(3,), (2,)]
    assert [p.item() for p in a.unbind()] == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_triangles_diagonals_and_products():
    m = Tensor(np.arange(9.0).reshape(3, 3))
    assert m.tril().data.tolist() == np.tril(m.data).tolist()
    assert m.triu(1).data.tolist() == np.triu(m.data, 1).tolist()
    assert m.diag().data.tolist() == [0.0, 4.0, 8.0]
    assert Tensor(np.array([1.0, 2.0])).diag(1).data.tolist() == np.diag([1.0, 2.0], 1).tolist()
    assert autograd.einsum("ii->i", m).data.tolist() == [0.0, 4.0, 8.0]
    v = Tensor(np.array([1.0, 2.0]))
    assert v.dot(v).item() == 5.0 and v.outer(v).shape == (2, 2)
    with pytest.raises(ValueError, match="mm"):
        m.mm(v)
    with pytest.raises(ValueError, match="dot"):
        v.dot(m)
