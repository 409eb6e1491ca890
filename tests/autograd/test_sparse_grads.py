"""Gradients through sparse COO tensors, against central finite differences in float64
(hypothesis draws the pattern, duplicates included, and the numbers): with respect to the dense
operand of every product, and to the values a sparse tensor is made from; the layout and
pattern of a sparse leaf's ``.grad`` (sparse for ``sparse.mm`` and ``to_dense``, dense for
``mm``); and the refusal of second derivatives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd.sparse_tensor import SparseCOOTensor
from autograd.testing import gradcheck


@st.composite
def matrix_pattern(draw: st.DrawFn) -> tuple:
    """(indices, values, (n, m), seed) of a 2-d sparse matrix; duplicates likely."""
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    nnz = draw(st.integers(0, 7))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    indices = np.array([rng.randint(0, n, nnz), rng.randint(0, m, nnz)], dtype=np.int64)
    return indices.reshape(2, nnz), rng.randn(nnz), (n, m), seed


def _sparse(indices: np.ndarray, values: Any, shape: tuple) -> Any:
    return autograd.sparse_coo_tensor(indices, values, shape)


PRODUCTS: dict[str, Callable[[Any, Any], Any]] = {
    "sparse.mm": autograd.sparse.mm,
    "spmm": autograd.spmm,
    "mm": autograd.mm,
    "matmul": autograd.matmul,
    "@": lambda s, d: s @ d,
    "rmatmul": lambda s, d: (d.t() @ s.t()).t(),  # dense @ sparse
    "addmm": lambda s, d: autograd.sparse.addmm(d[:1].t() @ d[:1, :1], s, d, beta=0.5, alpha=2),
}


@settings(max_examples=40, deadline=None)
@given(matrix_pattern(), st.integers(1, 3), st.sampled_from(sorted(PRODUCTS)))
def test_products_differentiate_in_the_dense_operand_and_the_values(pattern, p, name):
    indices, values, (n, m), seed = pattern
    d = autograd.tensor(np.random.RandomState(seed + 1).randn(m, p), requires_grad=True)
    v = autograd.tensor(values, requires_grad=True)
    product = PRODUCTS[name]
    if name == "addmm" and n != 1:
        return  # (its dense term is 1 x p)
    assert gradcheck(lambda vv, dd: product(_sparse(indices, vv, (n, m)), dd), [v, d])


@settings(max_examples=40, deadline=None)
@given(matrix_pattern(), st.integers(0, 2**16))
def test_to_dense_coalesce_values_and_sums_differentiate_in_the_values(pattern, seed):
    indices, values, shape, _ = pattern
    v = autograd.tensor(values, requires_grad=True)
    w = autograd.tensor(np.random.RandomState(seed).randn(*shape))

    def through(vv: Any) -> Any:
        s = _sparse(indices, vv, shape)
        c = s.coalesce()
        return (
            (s.to_dense() * w).sum()
            + (c.values() ** 2).sum()
            + autograd.sparse.sum(s * 2.5) ** 2
            + autograd.sparse.sum(s.t() / 2, 0).to_dense().sin().sum()
            + ((s - s.t().t() * 0.5) + s).to_dense().cos().sum()
            + (autograd.sparse.softmax(s, 1).to_dense() * w).sum()
            + (autograd.sparse.log_softmax(s * 2, 0).values() ** 2).sum()
        )

    assert gradcheck(through, [v])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**16), st.integers(1, 3))
def test_hybrid_values_and_to_sparse_differentiate(seed, k):
    rng = np.random.RandomState(seed)
    indices = np.array([[0, 2, 0, 1], [1, 1, 1, 0]])
    v = autograd.tensor(rng.randn(4, k), requires_grad=True)
    x = autograd.tensor(rng.randn(3, 2) * (rng.rand(3, 2) < 0.6), requires_grad=True)
    w = autograd.tensor(rng.randn(3, 2, k))

    def hybrid(vv: Any) -> Any:
        s = _sparse(indices, vv, (3, 2, k))
        return (s.to_dense() * w).sum() + autograd.sparse.sum(s, (0, 2)).to_dense().exp().sum()

    assert gradcheck(hybrid, [v])
    # to_sparse passes a dense gradient on as it is (mm's: dense, so finite differences hold)
    assert gradcheck(lambda xx: autograd.mm(xx.to_sparse(), w[:2, :, 0].t()), [x])
    # sparse.mm's gradient is masked to the pattern: zero where x is zero (as PyTorch's)
    autograd.sparse.mm(x.to_sparse(), w[:2, :, 0].t()).sum().backward()
    full = np.ones((3, 2)) @ w[:2, :, 0].numpy()
    np.testing.assert_allclose(x.grad.numpy(), np.where(x.numpy() != 0, full, 0.0))


def _leaf() -> Any:
    indices = np.array([[0, 1, 1, 0], [2, 0, 2, 2]])  # (0, 2) twice
    return autograd.sparse_coo_tensor(
        indices, np.array([1.0, 2.0, 3.0, 4.0]), (2, 3), requires_grad=True
    )


def test_sparse_mm_gives_a_sparse_leaf_the_coalesced_pattern():
    s = _leaf()
    d = np.random.RandomState(0).randn(3, 4)
    g = np.random.RandomState(1).randn(2, 4)
    autograd.sparse.mm(s, autograd.tensor(d)).backward(autograd.tensor(g))
    assert isinstance(s.grad, SparseCOOTensor) and s.grad.is_coalesced()
    np.testing.assert_array_equal(s.grad.indices().numpy(), [[0, 1, 1], [2, 0, 2]])
    full = g @ d.T  # dL/dS as a dense matrix, read at the pattern
    np.testing.assert_allclose(s.grad.values().numpy(), full[[0, 1, 1], [2, 0, 2]])
    # a second backward accumulates, still sparse
    autograd.sparse.mm(s, autograd.tensor(d)).backward(autograd.tensor(g))
    np.testing.assert_allclose(s.grad.values().numpy(), 2 * full[[0, 1, 1], [2, 0, 2]])


@pytest.mark.parametrize("name", ["mm", "spmm", "matmul", "@"])
def test_mm_gives_a_sparse_leaf_a_dense_gradient(name):
    s = _leaf()
    d = np.random.RandomState(0).randn(3, 4)
    g = np.random.RandomState(1).randn(2, 4)
    PRODUCTS[name](s, autograd.tensor(d)).backward(autograd.tensor(g))
    assert not s.grad.is_sparse
    np.testing.assert_allclose(s.grad.numpy(), g @ d.T)


def test_to_dense_gives_a_sparse_leaf_the_gradient_at_its_pattern():
    s = _leaf()
    w = np.arange(6.0).reshape(2, 3)
    (s.to_dense() * autograd.tensor(w)).sum().backward()
    assert s.grad.is_sparse
    np.testing.assert_allclose(s.grad.to_dense().numpy(), w * [[0, 0, 1], [1, 0, 1]])
    # mixing a dense and a sparse gradient gives a dense one
    autograd.mm(s, autograd.ones(3, 1, dtype=autograd.float64)).sum().backward()
    assert not s.grad.is_sparse
    np.testing.assert_allclose(s.grad.numpy(), w * [[0, 0, 1], [1, 0, 1]] + 1)


def test_values_with_duplicates_each_get_the_gradient_at_their_index():
    v = autograd.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    s = autograd.sparse_coo_tensor([[0, 1, 1, 0], [2, 0, 2, 2]], v, (2, 3))
    assert not s.is_leaf and s.requires_grad and s.grad_fn is not None
    w = np.arange(6.0).reshape(2, 3)
    (s.to_dense() * autograd.tensor(w)).sum().backward()
    np.testing.assert_allclose(v.grad.numpy(), [2.0, 3.0, 5.0, 2.0])
    v.grad = None
    s = autograd.sparse_coo_tensor([[0, 1, 1, 0], [2, 0, 2, 2]], v, (2, 3))
    (s.coalesce().values() ** 2).sum().backward()  # 2 * (1 + 4) for both entries at (0, 2)
    np.testing.assert_allclose(v.grad.numpy(), [10.0, 4.0, 6.0, 10.0])
    assert not s._values().requires_grad  # the stored values: no history, as PyTorch's


def test_no_grad_and_detach_record_nothing():
    v = autograd.tensor([1.0, 2.0], requires_grad=True)
    with autograd.no_grad():
        s = autograd.sparse_coo_tensor([[0, 1], [1, 0]], v)
    assert not s.requires_grad and s.grad_fn is None
    s2 = autograd.sparse_coo_tensor([[0, 1], [1, 0]], v).detach()
    assert not s2.requires_grad and s2.is_leaf


def test_second_derivatives_are_refused():
    v = autograd.tensor([1.0, 2.0], dtype=autograd.float64, requires_grad=True)
    d = autograd.tensor(np.ones((2, 2)), requires_grad=True)
    out = autograd.sparse.mm(autograd.sparse_coo_tensor([[0, 1], [1, 0]], v, (2, 2)), d).sum()
    with pytest.raises(NotImplementedError, match="create_graph"):
        autograd.grad(out, [v, d], create_graph=True)


def test_anomaly_detection_reads_sparse_gradients():
    v = autograd.tensor([1.0, float("nan")], dtype=autograd.float64, requires_grad=True)
    d = autograd.ones(2, 2, dtype=autograd.float64, requires_grad=True)
    with autograd.autograd.detect_anomaly():
        s = autograd.sparse_coo_tensor([[0, 1], [1, 0]], v * 1, (2, 2))
        out = autograd.sparse.mm(s, d).sum()
        with pytest.raises(RuntimeError, match="nan"):
            out.backward()  # the sparse product's backward returns NaN for d
    w = autograd.tensor([1.0, 2.0], dtype=autograd.float64, requires_grad=True)
    with autograd.autograd.detect_anomaly():
        s = autograd.sparse_coo_tensor([[0, 1], [1, 0]], w, (2, 2))
        autograd.sparse.mm(s, d).sum().backward()  # a sparse gradient passes the check
    np.testing.assert_allclose(w.grad.numpy(), [2.0, 2.0])


def test_hooks_see_a_sparse_leafs_gradient_in_its_layout():
    seen = []
    s = _leaf()
    s.register_hook(lambda g: seen.append(g.is_sparse))
    autograd.sparse.mm(s, autograd.ones(3, 2, dtype=autograd.float64)).sum().backward()
    s.register_hook(lambda g: g * 2)
    autograd.mm(s, autograd.ones(3, 2, dtype=autograd.float64)).sum().backward()
    assert seen == [True, False]
    np.testing.assert_allclose(s.grad.numpy(), 2 * 2 * np.ones((2, 3)) + [[0, 0, 2], [2, 0, 2]])
