"""Sparse COO tensors without gradients: construction and its checks, coalescing (hypothesis:
duplicates summed, indices sorted and unique, the dense array unchanged), reading, products
against dense ones, and the refusals of dense-only ops."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd.coo_data import COOData
from autograd.errors import DtypeError, ShapeError
from autograd.sparse_tensor import SparseCOOTensor

I = np.array([[0, 1, 1, 0], [2, 0, 2, 2]])  # noqa: E741  (entry (0, 2) twice)
V = np.array([1.0, 2.0, 3.0, 4.0])


def _sparse(**kw: Any) -> Any:
    return autograd.sparse_coo_tensor(I, V, (2, 3), **kw)


@st.composite
def coo(draw: st.DrawFn, dense_dims: int = 0) -> tuple:
    """Random COO parts with duplicates likely: (indices, values, shape)."""
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    dense = tuple(draw(st.lists(st.integers(1, 3), min_size=dense_dims, max_size=dense_dims)))
    nnz = draw(st.integers(0, 8))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    indices = np.array([rng.randint(0, n, nnz) for n in shape], dtype=np.int64).reshape(
        len(shape), nnz
    )
    values = rng.randn(nnz, *dense)
    return indices, values, shape + dense


def _reference_dense(indices: np.ndarray, values: np.ndarray, shape: tuple) -> np.ndarray:
    """The dense array, entry by entry: the definition."""
    out = np.zeros(shape)
    for k in range(indices.shape[1]):
        out[tuple(indices[:, k])] += values[k]
    return out


# --- construction ---
def test_construction_reads_back():
    s = _sparse()
    assert isinstance(s, SparseCOOTensor) and isinstance(s, autograd.Tensor)
    assert s.is_sparse and s.layout is autograd.sparse_coo
    assert autograd.zeros(2).layout is autograd.strided and not autograd.zeros(2).is_sparse
    assert s.shape == (2, 3) and s.size() == autograd.Size([2, 3]) and s.size(1) == 3
    assert s.dim() == 2 and s.ndim == 2 and s.dtype == np.float64 and s.numel() == 6
    assert s._nnz() == 4 and s.sparse_dim() == 2 and s.dense_dim() == 0 and len(s) == 2
    assert not s.is_coalesced() and s.is_leaf and not s.requires_grad
    np.testing.assert_array_equal(s._indices().numpy(), I)
    np.testing.assert_array_equal(s._values().numpy(), V)
    np.testing.assert_array_equal(s.to_dense().numpy(), [[0, 0, 5], [2, 0, 3]])
    assert isinstance(s._data, COOData)  # stored as indices and values, not dense


def test_size_is_inferred_from_the_largest_index_and_the_values():
    s = autograd.sparse_coo_tensor(I, V)
    assert s.shape == (2, 3)
    h = autograd.sparse_coo_tensor(I, np.ones((4, 5)))  # hybrid: dense dims from the values
    assert h.shape == (2, 3, 5) and h.sparse_dim() == 2 and h.dense_dim() == 1
    np.testing.assert_array_equal(h.to_dense().numpy()[0, 2], 2.0)


def test_legacy_constructors_and_torch_size():
    s = autograd.sparse.FloatTensor(
        autograd.from_numpy(I), autograd.from_numpy(V.astype(np.float32)), autograd.Size([2, 3])
    )
    assert s.dtype == np.float32 and s.shape == (2, 3)
    empty = autograd.sparse.DoubleTensor(3, 4)
    assert empty.shape == (3, 4) and empty._nnz() == 0 and empty.dtype == np.float64
    assert autograd.sparse.LongTensor(2, 2).dtype == np.int64


def test_dtype_and_values_from_lists():
    s = autograd.sparse_coo_tensor([[0, 1], [1, 0]], [1.0, 2.0])
    assert s.dtype == autograd.get_default_dtype()
    assert autograd.sparse_coo_tensor([[0, 1]], [1, 2]).dtype == np.int64
    assert autograd.sparse_coo_tensor(I, V, dtype=autograd.float32).dtype == np.float32


@pytest.mark.parametrize(
    "indices, values, size, message",
    [
        (I, V, (1, 3), "size is inconsistent with indices: for dim 0, size is 1 but found index 1"),
        (I, V, (2, 2), "for dim 1, size is 2 but found index 2"),
        ([[0, -1], [0, 0]], [1.0, 2.0], (2, 3), "found negative index -1 for dim 0"),
        (I[0], V, (2, 3), "indices must be sparse_dim x nnz, but got: [4]"),
        (I, V[:3], (2, 3), "indices and values must have same nnz, but got nnz from indices: 4"),
        (I, V, (2, 3, 4), "'len(size) == sparse_dim + dense_dim' is not satisfied"),
        (I.astype(float), V, (2, 3), "indices must be an int64 tensor"),
    ],
)
def test_bad_construction_is_refused(indices, values, size, message):
    with pytest.raises(RuntimeError, match=re.escape(message)):
        autograd.sparse_coo_tensor(indices, values, size)


def test_is_coalesced_claim_is_checked():
    ok = autograd.sparse_coo_tensor([[0, 1], [2, 0]], [1.0, 2.0], is_coalesced=True)
    assert ok.is_coalesced()
    with pytest.raises(RuntimeError, match="not sorted and unique"):
        autograd.sparse_coo_tensor(I, V, is_coalesced=True)


def test_requires_grad_only_for_floats():
    with pytest.raises(DtypeError):
        autograd.sparse_coo_tensor([[0]], [1], requires_grad=True)


# --- coalescing ---
@settings(max_examples=60, deadline=None)
@given(coo(dense_dims=0) | coo(dense_dims=1))
def test_coalesce_sorts_merges_and_keeps_the_array(parts):
    indices, values, shape = parts
    s = autograd.sparse_coo_tensor(indices, values, shape)
    c = s.coalesce()
    assert c.is_coalesced() and c.coalesce() is c
    ci = c.indices().numpy()
    linear = np.ravel_multi_index(tuple(ci), shape[: ci.shape[0]]) if ci.size else ci[0]
    assert np.all(np.diff(linear) > 0)  # sorted, unique
    assert {tuple(col) for col in ci.T} == {tuple(col) for col in indices.T}
    want = _reference_dense(indices, values, shape)
    np.testing.assert_allclose(c.to_dense().numpy(), want, atol=1e-12)
    np.testing.assert_allclose(s.to_dense().numpy(), want, atol=1e-12)
    for k, col in enumerate(ci.T):  # each value is its index's duplicates summed
        mine = np.all(indices.T == col, axis=1)
        np.testing.assert_allclose(c.values().numpy()[k], values[mine].sum(0), atol=1e-12)


def test_indices_and_values_need_a_coalesced_tensor():
    s = _sparse()
    for name in ("indices", "values"):
        with pytest.raises(RuntimeError, match=f"Cannot get {name} on an uncoalesced tensor"):
            getattr(s, name)()
    np.testing.assert_array_equal(s.coalesce().values().numpy(), [5.0, 2.0, 3.0])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**16), st.integers(0, 2))
def test_to_sparse_round_trips(seed, sparse_dim_less):
    rng = np.random.RandomState(seed)
    x = rng.randn(3, 4, 2) * (rng.rand(3, 4, 2) < 0.4)
    sd = 3 - sparse_dim_less
    s = autograd.tensor(x).to_sparse(sd)
    assert s.sparse_dim() == sd and s.is_coalesced()
    np.testing.assert_array_equal(s.to_dense().numpy(), x)
    assert s._nnz() == np.count_nonzero(np.any(x != 0, axis=tuple(range(sd, 3))))


# --- products and arithmetic, against dense numpy ---
@settings(max_examples=60, deadline=None)
@given(coo(), st.integers(1, 3), st.integers(0, 2**16))
def test_products_agree_with_dense(parts, p, seed):
    indices, values, shape = parts
    if len(shape) != 2:
        shape = (shape[0], int(np.prod(shape[1:])))
        indices = np.array([indices[0], np.zeros(indices.shape[1], np.int64)])
    s = autograd.sparse_coo_tensor(indices, values, shape)
    dense = _reference_dense(indices, values, shape)
    d = np.random.RandomState(seed).randn(shape[1], p)
    dt = autograd.tensor(d)
    for out in (autograd.sparse.mm(s, dt), autograd.spmm(s, dt), autograd.mm(s, dt), s @ dt,
                autograd.matmul(s, dt), s.mm(dt)):  # fmt: skip
        np.testing.assert_allclose(out.numpy(), dense @ d, atol=1e-12)
    vec = d[:, 0]
    np.testing.assert_allclose((s @ autograd.tensor(vec)).numpy(), dense @ vec, atol=1e-12)
    left = np.random.RandomState(seed + 1).randn(p, shape[0])
    np.testing.assert_allclose((autograd.tensor(left) @ s).numpy(), left @ dense, atol=1e-12)
    np.testing.assert_allclose(
        autograd.mm(autograd.tensor(left), s).numpy(), left @ dense, atol=1e-12
    )


def test_sparse_arithmetic_and_transpose():
    s = _sparse()
    dense = s.to_dense().numpy()
    for result, want in (
        (s * 2, dense * 2),
        (3 * s, dense * 3),
        (s / 4, dense / 4),
        (-s, -dense),
        (s + s, 2 * dense),
        (s - s * 3, -2 * dense),
        (s.t(), dense.T),
        (s.transpose(0, 1), dense.T),
    ):
        assert isinstance(result, SparseCOOTensor)
        np.testing.assert_allclose(result.to_dense().numpy(), want)
    d = autograd.ones(2, 3, dtype=autograd.float64)
    out = d + s
    assert not out.is_sparse
    np.testing.assert_allclose(out.numpy(), dense + 1)


def test_sparse_sum():
    s = autograd.sparse_coo_tensor(I, np.arange(8.0).reshape(4, 2))  # (2, 3, 2), hybrid
    dense = s.to_dense().numpy()
    total = autograd.sparse.sum(s)
    assert not total.is_sparse and total.shape == ()
    np.testing.assert_allclose(total.item(), dense.sum())
    for dim in (0, 1, 2, (0, 2), (0, 1), -1):
        out = autograd.sparse.sum(s, dim)
        axes = dim if isinstance(dim, tuple) else (dim,)
        want = dense.sum(axis=axes)
        got = out.to_dense() if out.is_sparse else out
        np.testing.assert_allclose(got.numpy(), want)
        assert out.is_sparse == (not {0, 1} <= {a % 3 for a in axes})
    np.testing.assert_allclose(s.sum().item(), dense.sum())


def test_repr_is_torch_layout():
    assert repr(_sparse(requires_grad=True)) == (
        "tensor(indices=tensor([[0, 1, 1, 0],\n"
        "                       [2, 0, 2, 2]]),\n"
        "       values=tensor([1., 2., 3., 4.]),\n"
        "       size=(2, 3), nnz=4, dtype=autograd.float64, layout=autograd.sparse_coo,\n"
        "       requires_grad=True)"
    )
    empty = autograd.sparse_coo_tensor(np.zeros((2, 0), np.int64), np.zeros(0, np.float32), (2, 3))
    assert repr(empty) == (
        "tensor(indices=tensor([], size=(2, 0)),\n"
        "       values=tensor([], size=(0,)),\n"
        "       size=(2, 3), nnz=0, layout=autograd.sparse_coo)"
    )


# --- refusals ---
@pytest.mark.parametrize("name", ["exp", "relu", "sigmoid", "reshape", "view", "numpy", "mean",
                                  "softmax", "abs", "max", "__getitem__"])  # fmt: skip
def test_dense_only_methods_refuse_naming_op_and_layout(name):
    s = _sparse()
    args = {"reshape": (6,), "view": (6,), "softmax": (0,), "__getitem__": (0,)}.get(name, ())
    with pytest.raises(NotImplementedError, match="sparse_coo") as info:
        getattr(s, name)(*args)
    assert str(info.value).startswith(name.strip("_") + ":")  # the op is named first


@pytest.mark.parametrize("fn", ["exp", "relu", "sigmoid", "tanh", "log_softmax"])
def test_dense_only_functions_refuse_naming_layout(fn):
    s = _sparse()
    args = (1,) if fn == "log_softmax" else ()
    with pytest.raises(NotImplementedError, match="sparse_coo"):
        getattr(autograd, fn)(s, *args)


def test_sparse_plus_dense_and_sparse_products_refused():
    s = _sparse()
    with pytest.raises(RuntimeError, match=r"add\(sparse, dense\) is not supported"):
        s + autograd.ones(2, 3, dtype=autograd.float64)
    with pytest.raises(NotImplementedError, match="mm of two sparse tensors"):
        autograd.mm(s, s.t())
    with pytest.raises(ShapeError, match="cannot be multiplied"):
        autograd.sparse.mm(s, autograd.ones(4, 2, dtype=autograd.float64))
    with pytest.raises(RuntimeError, match="same dtype"):
        autograd.sparse.mm(s, autograd.ones(3, 2))


def test_dense_ops_never_see_a_dense_array_in_disguise():
    s = _sparse()
    with pytest.raises(NotImplementedError, match="sparse_coo"):
        np.asarray(s._data)
    with pytest.raises(NotImplementedError, match="sparse_coo"):
        autograd.tensor(np.ones((2, 3))) * s


@settings(max_examples=40, deadline=None)
@given(coo(dense_dims=0), st.integers(0, 2))
def test_softmax_normalises_each_group_of_held_entries(parts, dim):
    indices, values, shape = parts
    dim = dim % len(shape)
    s = autograd.sparse_coo_tensor(indices, values, shape)
    y = autograd.sparse.softmax(s, dim)
    assert y.is_sparse and y.is_coalesced()
    np.testing.assert_array_equal(y.indices().numpy(), s.coalesce().indices().numpy())
    dense = y.to_dense().numpy()
    held = _reference_dense(indices, np.ones_like(values), shape) != 0  # the held places
    sums = dense.sum(axis=dim)
    np.testing.assert_allclose(sums[held.any(axis=dim)], 1.0)
    log = autograd.sparse.log_softmax(s, dim).values().numpy()
    np.testing.assert_allclose(np.exp(log), y.values().numpy(), rtol=1e-12)


def test_softmax_refusals():
    h = autograd.sparse_coo_tensor(I, np.ones((4, 2)))
    with pytest.raises(NotImplementedError, match="along a dense dim"):
        autograd.sparse.softmax(h, 2)
    with pytest.raises(IndexError, match="Dimension out of range"):
        autograd.sparse.softmax(_sparse(), 2)


def test_clone_copies_and_hasattr_answers_for_dense_only_names():
    s = _sparse()
    c = s.clone()
    assert c.is_sparse and c._data.values is not s._data.values
    np.testing.assert_array_equal(c.to_dense().numpy(), s.to_dense().numpy())
    assert not hasattr(s, "T") and hasattr(s, "to_dense")
    assert s.element_size() == 8


def test_products_read_values_changed_in_place_after_an_earlier_product():
    # the entry order a product sorts by is remembered; the values must not be
    v = autograd.tensor([1.0, 2.0, 3.0, 4.0], dtype=autograd.float64)
    s = autograd.sparse_coo_tensor([[1, 0, 1, 0], [2, 0, 0, 1]], v, (2, 3))  # rows unsorted
    d = autograd.tensor(np.arange(6.0).reshape(3, 2))
    first = (s @ d).numpy().copy()
    left = (d.t() @ s.t()).numpy().copy()  # the transpose: sorted by the other index
    v.mul_(2)  # the sparse tensor shares its values' memory (as torch's)
    np.testing.assert_allclose((s @ d).numpy(), 2 * first)
    np.testing.assert_allclose((d.t() @ s.t()).numpy(), 2 * left)


def test_a_module_buffer_follows_the_modules_dtype_casts():
    import nn

    class Propagate(nn.Module):
        def __init__(self, adj: Any) -> None:
            super().__init__()
            self.register_buffer("adj", adj)

        def forward(self, x: Any) -> Any:
            return autograd.sparse.mm(self.adj, x)

    m = Propagate(autograd.sparse_coo_tensor([[0, 1, 2], [1, 2, 0]], [1.0, 2.0, 3.0], (3, 3)))
    assert m.double().adj.dtype == np.float64 and m.adj.is_sparse
    out = m(autograd.ones(3, 1, dtype=autograd.float64))
    np.testing.assert_allclose(out.numpy()[:, 0], [1.0, 2.0, 3.0])
    assert m.float().adj.dtype == np.float32
    with pytest.raises(RuntimeError, match="can only be replaced by another sparse"):
        m.adj.data = autograd.ones(3, 3)
