"""Sparse COO tensors against PyTorch: construction, coalescing, reprs, products, sums and
arithmetic, every gradient (of the dense operand, of the values, and a sparse leaf's ``.grad``
with its layout and pattern), and the refusals."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _quiet() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's invariant-check and legacy-constructor notes
        yield


@st.composite
def pattern(draw: st.DrawFn) -> tuple:
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    nnz = draw(st.integers(0, 7))
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    indices = np.array([rng.randint(0, n, nnz), rng.randint(0, m, nnz)], dtype=np.int64)
    return indices.reshape(2, nnz), rng.randn(nnz), (n, m), rng


def _pair(indices: np.ndarray, values: np.ndarray, shape: tuple, **kw: Any) -> tuple:
    ours = autograd.sparse_coo_tensor(indices, values, shape, **kw)
    theirs = torch.sparse_coo_tensor(torch.tensor(indices), torch.tensor(values), shape, **kw)
    return ours, theirs


def _same_sparse(ours: Any, theirs: Any) -> None:
    assert ours.is_sparse and theirs.is_sparse
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.is_coalesced() == theirs.is_coalesced()
    assert ours._nnz() == theirs._nnz()
    np.testing.assert_array_equal(ours._indices().numpy(), theirs._indices().numpy())
    np.testing.assert_allclose(ours._values().numpy(), theirs._values().detach().numpy())


def _same_grad(ours: Any, theirs: Any) -> None:
    """Gradients agree in layout, pattern and values."""
    assert ours.is_sparse == theirs.is_sparse
    if ours.is_sparse:  # (the same entries; torch marks some coalesced ones as not known so)
        _same_sparse(ours.coalesce(), theirs.coalesce())
    else:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(pattern())
def test_construction_and_coalescing(p):
    indices, values, shape, _ = p
    ours, theirs = _pair(indices, values, shape)
    _same_sparse(ours, theirs)
    _same_sparse(ours.coalesce(), theirs.coalesce())
    np.testing.assert_allclose(ours.to_dense().numpy(), theirs.to_dense().numpy())
    inferred = autograd.sparse_coo_tensor(indices, values)
    assert tuple(inferred.shape) == tuple(
        torch.sparse_coo_tensor(torch.tensor(indices), torch.tensor(values)).shape
    )
    dense = theirs.to_dense().numpy()
    _same_sparse(autograd.tensor(dense).to_sparse(), torch.tensor(dense).to_sparse())


def _torch_repr(t: Any) -> str:
    return repr(t).replace("torch.", "autograd.")


def test_reprs_match():
    i = np.array([[0, 1, 1, 0], [2, 0, 2, 2]])
    cases = [
        (i, np.array([1.0, 2.0, 3.0, 4.0]), (2, 3), {"requires_grad": True}),
        (i, np.array([1.0, 2.0, 3.0, 4.0], np.float32), (2, 3), {}),
        (i, np.array([1, 2, 3, 4]), (2, 3), {}),
        (np.zeros((2, 0), np.int64), np.zeros(0, np.float32), (2, 3), {}),
        (i, np.arange(8.0, dtype=np.float32).reshape(4, 2), (2, 3, 2), {}),
    ]
    for indices, values, shape, kw in cases:
        ours, theirs = _pair(indices, values, shape, **kw)
        assert repr(ours) == _torch_repr(theirs)
        assert repr(ours.detach().coalesce()) == _torch_repr(theirs.detach().coalesce())
    assert repr(autograd.sparse_coo) == "autograd.sparse_coo"
    assert str(autograd.strided) == _torch_repr(torch.strided)


PRODUCTS: dict[str, tuple[Callable, Callable]] = {
    "sparse.mm": (autograd.sparse.mm, torch.sparse.mm),
    "spmm": (autograd.spmm, torch.spmm),
    "mm": (autograd.mm, torch.mm),
    "matmul": (autograd.matmul, torch.matmul),
    "@": (lambda s, d: s @ d, lambda s, d: s @ d),
    "dense @ sparse": (lambda s, d: d.t() @ s.t(), lambda s, d: d.t() @ s.t()),
    "sparse.addmm": (
        lambda s, d: autograd.sparse.addmm(d[:1, :1] * 0 + 1, s, d, beta=0.5, alpha=2.0),
        lambda s, d: torch.sparse.addmm(d[:1, :1] * 0 + 1, s, d, beta=0.5, alpha=2.0),
    ),
}


@settings(max_examples=30, deadline=None)
@given(pattern(), st.sampled_from(sorted(PRODUCTS)), st.booleans())
def test_products_and_their_gradients(p, name, sparse_leaf):
    indices, values, (n, m), rng = p
    d = rng.randn(m, 3)
    g = rng.randn(n, 3) if name != "dense @ sparse" else rng.randn(3, n)
    ours_fn, theirs_fn = PRODUCTS[name]
    if sparse_leaf:  # a sparse leaf that requires grad
        so, st_ = _pair(indices, values, (n, m), requires_grad=True)
        vo = vt = None
    else:  # a sparse tensor made from values that require grad
        vo = autograd.tensor(values, requires_grad=True)
        vt = torch.tensor(values, requires_grad=True)
        so = autograd.sparse_coo_tensor(indices, vo, (n, m))
        st_ = torch.sparse_coo_tensor(torch.tensor(indices), vt, (n, m))
    do = autograd.tensor(d, requires_grad=True)
    dt = torch.tensor(d, requires_grad=True)
    try:
        theirs = theirs_fn(st_, dt)
    except RuntimeError:
        return  # (torch refuses some products of a sparse leaf; nothing to compare)
    ours = ours_fn(so, do)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), atol=1e-12)
    ours.backward(autograd.tensor(g))
    theirs.backward(torch.tensor(g))
    np.testing.assert_allclose(do.grad.numpy(), dt.grad.numpy(), rtol=1e-10, atol=1e-12)
    if sparse_leaf:
        _same_grad(so.grad, st_.grad)
    else:
        np.testing.assert_allclose(vo.grad.numpy(), vt.grad.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(pattern(), st.booleans())
def test_arithmetic_sums_and_to_dense_with_gradients(p, sparse_leaf):
    indices, values, shape, rng = p
    w = rng.randn(*shape)
    results = []
    for lib, sp in ((autograd, autograd.sparse), (torch, torch.sparse)):
        if sparse_leaf:
            s = lib.sparse_coo_tensor(lib.tensor(indices), lib.tensor(values), shape,
                                      requires_grad=True)  # fmt: skip
            leaf = s
        else:
            leaf = lib.tensor(values, requires_grad=True)
            s = lib.sparse_coo_tensor(lib.tensor(indices), leaf, shape)
        parts = {
            "scaled": (s * 2.5).to_dense(),
            "divided": (s / 4).to_dense(),
            "negated": (-s).to_dense(),
            "sum": (s + s * 3).to_dense(),
            "difference": (s - s * 3).to_dense(),
            "transposed": s.t().to_dense(),
            "cloned": s.clone().to_dense(),
            "total": sp.sum(s),
            "rows": sp.sum(s, 1).to_dense(),
            "both": sp.sum(s, (0, 1)),
            "dense plus": lib.tensor(w) + s,
            "softmax": sp.softmax(s, 1).to_dense(),
            "log_softmax": sp.log_softmax(s * 2, 0).to_dense(),
        }
        loss = sum(((v * v).sum() if v.ndim else v * 3) for v in parts.values())
        loss = loss + (s.to_dense() * lib.tensor(w)).sum()
        loss.backward()
        results.append(({k: v.detach().numpy() for k, v in parts.items()}, leaf.grad))
    (ours, og), (theirs, tg) = results
    for k in ours:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-10, atol=1e-12, err_msg=k)
    _same_grad(og, tg)


def test_coalesced_values_are_differentiable_and_stored_values_are_not():
    i = np.array([[0, 1, 1, 0], [2, 0, 2, 2]])
    v = np.array([1.0, 2.0, 3.0, 4.0])
    grads = []
    for lib in (autograd, torch):
        leaf = lib.tensor(v, requires_grad=True)
        s = lib.sparse_coo_tensor(lib.tensor(i), leaf, (2, 3))
        assert not s._values().requires_grad
        (s.coalesce().values() ** 2).sum().backward()
        grads.append(leaf.grad.numpy())
    np.testing.assert_allclose(*grads)


def test_legacy_constructor_as_pygcn_calls_it():
    i = np.array([[0, 1, 2], [1, 2, 0]])
    v = np.array([0.5, 1.0, 2.0], np.float32)
    ours = autograd.sparse.FloatTensor(
        autograd.from_numpy(i), autograd.from_numpy(v), autograd.Size([3, 3])
    )
    theirs = torch.sparse.FloatTensor(torch.from_numpy(i), torch.from_numpy(v), torch.Size([3, 3]))
    _same_sparse(ours, theirs)
    assert repr(ours) == _torch_repr(theirs)


@pytest.mark.parametrize(
    "indices, values, size",
    [
        ([[0, 1], [2, 0]], [1.0, 2.0], (1, 3)),
        ([[0, 1], [2, 0]], [1.0, 2.0], (2, 2)),
        ([[0, -1], [0, 0]], [1.0, 2.0], (2, 3)),
        ([0, 1], [1.0, 2.0], (2, 3)),
        ([[0, 1], [2, 0]], [1.0], (2, 3)),
        ([[0, 1], [2, 0]], [1.0, 2.0], (2, 3, 4)),
    ],
)
def test_bad_construction_refused_with_torchs_message(indices, values, size):
    with pytest.raises(RuntimeError) as theirs:
        torch.sparse_coo_tensor(
            torch.tensor(indices), torch.tensor(values), size, check_invariants=True
        )
    with pytest.raises(RuntimeError, match=re.escape(str(theirs.value).split("\n")[0])):
        autograd.sparse_coo_tensor(indices, values, size)


@pytest.mark.parametrize(
    "op",
    [
        lambda lib, s: lib.exp(s),
        lambda lib, s: s.sigmoid(),
        lambda lib, s: s.view(6),
        lambda lib, s: lib.sigmoid(s),
        lambda lib, s: s.indices(),
        lambda lib, s: s.values(),
        lambda lib, s: s + lib.ones(2, 3),
    ],
)
def test_refusals_match_torchs_error_types(op):
    i, v = [[0, 1, 1], [2, 0, 2]], [1.0, 2.0, 3.0]
    s_theirs = torch.sparse_coo_tensor(torch.tensor(i), torch.tensor(v), (2, 3))
    with pytest.raises((RuntimeError, NotImplementedError)) as theirs:
        op(torch, s_theirs)
    with pytest.raises(type(theirs.value)):
        op(autograd, autograd.sparse_coo_tensor(i, v, (2, 3)))


NODES: dict[str, Callable] = {
    "constructor": lambda lib, s, d: s,
    "to_dense": lambda lib, s, d: s.to_dense(),
    "coalesce": lambda lib, s, d: s.coalesce(),
    "values": lambda lib, s, d: s.coalesce().values(),
    "mul": lambda lib, s, d: s * 2,
    "div": lambda lib, s, d: s / 2,
    "neg": lambda lib, s, d: -s,
    "t": lambda lib, s, d: s.t(),
    "transpose": lambda lib, s, d: s.transpose(0, 1),
    "add": lambda lib, s, d: s + s,
    "sub": lambda lib, s, d: s - s,
    "sparse.mm": lambda lib, s, d: lib.sparse.mm(s, d),
    "mm": lambda lib, s, d: lib.mm(s, d),
    "spmm": lambda lib, s, d: lib.spmm(s, d),
    "@": lambda lib, s, d: s @ d,
    "to_sparse": lambda lib, s, d: d.to_sparse(),
    "sum": lambda lib, s, d: lib.sparse.sum(s),
    "sum over rows": lambda lib, s, d: lib.sparse.sum(s, 1),
    "sum over both": lambda lib, s, d: lib.sparse.sum(s, (0, 1)),
    "cast": lambda lib, s, d: s.float(),
    "clone": lambda lib, s, d: s.clone(),
    "dense plus": lambda lib, s, d: lib.ones(2, 3, dtype=lib.float64) + s,
    "addmm": lambda lib, s, d: lib.sparse.addmm(lib.ones(2, 2, dtype=lib.float64), s, d),
    "softmax": lambda lib, s, d: lib.sparse.softmax(s, 1),
    "log_softmax": lambda lib, s, d: lib.sparse.log_softmax(s, -1),
}


@pytest.mark.parametrize("name", sorted(NODES))
def test_grad_fn_names(name):
    names = []
    for lib in (autograd, torch):
        v = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        s = lib.sparse_coo_tensor(lib.tensor([[0, 1, 1], [2, 0, 2]]), v, (2, 3))
        d = lib.ones(3, 2, dtype=lib.float64, requires_grad=True)
        names.append(NODES[name](lib, s, d).grad_fn.name())
    assert names[0] == names[1]
