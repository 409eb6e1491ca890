"""``sparse=True`` lookups: the gradient stays dense and its ``.grad`` records the rows a
sparse gradient would hold, through accumulation, dense contributions, zero_grad and hooks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
import optim
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck


def rows(t: Tensor):
    r = t.grad._sparse_rows
    return None if r is None else r.tolist()


def test_repr_attribute_and_from_pretrained():
    e = nn.Embedding(10, 3, sparse=True)
    assert e.sparse and repr(e) == "Embedding(10, 3, sparse=True)"
    assert repr(nn.Embedding(6, 3, padding_idx=2, sparse=True)) == (
        "Embedding(6, 3, padding_idx=2, sparse=True)"
    )
    assert repr(nn.Embedding(10, 3)) == "Embedding(10, 3)"
    p = nn.Embedding.from_pretrained(Tensor(np.ones((2, 2))), sparse=True)
    assert p.sparse and repr(p) == "Embedding(2, 2, sparse=True)"
    b = nn.EmbeddingBag.from_pretrained(Tensor(np.ones((2, 2))), freeze=False, sparse=True)
    assert b.sparse and repr(b) == "EmbeddingBag(2, 2, mode='mean')"  # torch leaves it out


def test_gradient_is_dense_and_records_the_looked_up_rows_but_padding():
    e = nn.Embedding(6, 3, padding_idx=2, sparse=True)
    idx = Tensor(np.array([[0, 2, 0], [4, 2, 1]]))
    e(idx).sum().backward()
    g = e.weight.grad
    assert type(g._data) is np.ndarray and not g.is_sparse
    assert rows(e.weight) == [0, 1, 4]
    np.testing.assert_array_equal(g.data.sum(1), [6, 3, 0, 0, 3, 0])


def test_without_sparse_nothing_is_recorded():
    e = nn.Embedding(6, 3)
    e(Tensor(np.array([1, 2]))).sum().backward()
    assert e.weight.grad._sparse_rows is None


def test_accumulation_unites_rows_and_zero_grad_empties_them():
    e = nn.Embedding(8, 2, sparse=True)
    e(Tensor(np.array([1, 3]))).sum().backward()
    e(Tensor(np.array([3, 5]))).sum().backward()
    assert rows(e.weight) == [1, 3, 5]
    np.testing.assert_array_equal(e.weight.grad.data[:, 0], [0, 1, 0, 2, 0, 1, 0, 0])
    # two lookups in one graph (summed by the engine) too
    e.weight.grad = None
    (e(Tensor(np.array([0]))).sum() + e(Tensor(np.array([7]))).sum()).backward()
    assert rows(e.weight) == [0, 7]
    opt = optim.SGD(e.parameters(), lr=0.1)
    opt.zero_grad(set_to_none=False)
    assert rows(e.weight) == [] and not e.weight.grad.data.any()
    e(Tensor(np.array([4]))).sum().backward()
    assert rows(e.weight) == [4]
    e.zero_grad(set_to_none=False)  # Module.zero_grad
    assert rows(e.weight) == []
    e(Tensor(np.array([2]))).sum().backward()
    e.weight.grad.zero_()  # as a sparse gradient's zero_(): no entries left
    assert rows(e.weight) == []
    opt.zero_grad()
    assert e.weight.grad is None


@pytest.mark.parametrize("order", ["together", "sparse_first", "dense_first"])
def test_a_dense_contribution_makes_the_gradient_dense(order):
    e = nn.Embedding(5, 2, sparse=True)
    sparse_part = lambda: e(Tensor(np.array([1]))).sum()  # noqa: E731
    dense_part = lambda: (e.weight * 2).sum()  # noqa: E731
    if order == "together":
        (sparse_part() + dense_part()).backward()
    else:
        first, second = (
            (sparse_part, dense_part) if order == "sparse_first" else (dense_part, sparse_part)
        )
        first().backward()
        second().backward()
    assert e.weight.grad._sparse_rows is None
    np.testing.assert_array_equal(e.weight.grad.data[:, 0], [2, 3, 2, 2, 2])


def test_non_leaf_weight_and_hooks():
    w = Tensor(np.ones((4, 2)), requires_grad=True)
    F.embedding(np.array([1]), w * 3, sparse=True).sum().backward()
    assert w.grad._sparse_rows is None  # only a leaf's gradient is recorded
    seen = []
    e = nn.Embedding(4, 2, sparse=True)
    e.weight.register_hook(lambda g: seen.append(type(g._data)))
    e(Tensor(np.array([2]))).sum().backward()
    assert seen == [np.ndarray] and rows(e.weight) == [2]


def test_embedding_bag_rows():
    b = nn.EmbeddingBag(6, 2, mode="sum", sparse=True, padding_idx=2)
    b(Tensor(np.array([[0, 2, 0], [4, 2, 1]]))).sum().backward()
    assert rows(b.weight) == [0, 1, 4]
    w = Tensor(np.ones((5, 2)), requires_grad=True)
    F.embedding_bag(np.array([3, 1, 3]), w, np.array([0, 1]), sparse=True).sum().backward()
    assert rows(w) == [1, 3]
    with pytest.raises(ValueError, match="embedding_bag: max mode does not support sparse"):
        F.embedding_bag(np.array([[1]]), w, mode="max", sparse=True)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=6), st.integers(0, 2**16))
def test_sparse_gradients_match_finite_differences(idx, seed):
    w = Tensor(np.random.default_rng(seed).normal(size=(5, 3)), requires_grad=True)
    i = np.array(idx)

    def f(w):
        return F.embedding(i, w, sparse=True) ** 2

    def g(w):
        return F.embedding_bag(i, w, np.array([0]), mode="mean", sparse=True) ** 2

    assert gradcheck(f, [w]) and gradgradcheck(f, [w]) and gradcheck(g, [w])


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.integers(0, 4), min_size=1, max_size=6),
    st.sampled_from([None, 0, 3]),
    st.integers(0, 2**16),
)
def test_sparse_gradient_equals_the_dense_one(idx, padding_idx, seed):
    """padding_idx alters the gradient on purpose (not finite differences): the same with
    sparse=True as without."""
    data = np.random.default_rng(seed).normal(size=(5, 3))
    grads = []
    for sparse in (False, True):
        w = Tensor(data, requires_grad=True)
        (F.embedding(np.array(idx), w, padding_idx, sparse=sparse) ** 2).sum().backward()
        grads.append(w.grad.data)
    np.testing.assert_array_equal(grads[0], grads[1])


def test_scale_grad_by_freq_is_refused_in_backward_as_torch():
    e = nn.Embedding(4, 2, scale_grad_by_freq=True, sparse=True)
    out = e(Tensor(np.array([1, 1])))  # the forward runs
    with pytest.raises(RuntimeError, match="scale_grad_by_freq not supported with sparse"):
        out.sum().backward()


def test_create_graph_gradient_is_dense_and_correct():
    w = Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    (gw,) = autograd.grad((F.embedding(np.array([2, 2]), w, sparse=True) ** 2).sum(), [w],
                          create_graph=True)  # fmt: skip
    np.testing.assert_array_equal(gw.data, [[0, 0], [0, 0], [16, 20]])


def test_rows_survive_the_engine_casting_the_gradient_to_the_weights_dtype():
    w = Tensor(np.ones((4, 2), dtype=np.float32), requires_grad=True)
    F.embedding(np.array([1, 3]), w, sparse=True).backward(np.ones((2, 2), dtype=np.float64))
    assert w.grad.dtype == np.float32 and type(w.grad._data) is np.ndarray
    assert rows(w) == [1, 3]
