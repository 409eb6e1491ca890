"""Optimizers on the gradients of ``sparse=True`` lookups, without torch: SparseAdam's lazy
rule (rows not looked up never move; a looked-up row with a zero gradient still advances its
moments), its formula, state_dict resume and errors; Adagrad's row-only update; SGD's and
the others' refusals."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import optim
from autograd import Tensor

V, D = 6, 3


def table(seed: int = 0) -> nn.Embedding:
    e = nn.Embedding(V, D, sparse=True, dtype=np.float64)
    e.weight.data[...] = np.random.default_rng(seed).normal(size=(V, D))
    return e


def lookup_step(e: nn.Embedding, opt: optim.Optimizer, idx: list, coef: np.ndarray) -> None:
    opt.zero_grad()
    (e(Tensor(np.array(idx))) * Tensor(coef)).sum().backward()
    opt.step()


batches = st.lists(st.lists(st.integers(0, V - 1), min_size=1, max_size=4), min_size=1, max_size=4)


@settings(max_examples=25, deadline=None)
@given(batches, st.integers(0, 2**16))
def test_sparse_adam_never_moves_rows_not_looked_up(steps, seed):
    e = table(seed)
    start = e.weight.data.copy()
    opt = optim.SparseAdam(e.parameters(), lr=0.1)
    rng = np.random.default_rng(seed)
    for idx in steps:
        lookup_step(e, opt, idx, rng.normal(size=(len(idx), D)))
    seen = sorted({i for idx in steps for i in idx})
    unseen = [i for i in range(V) if i not in seen]
    np.testing.assert_array_equal(e.weight.data[unseen], start[unseen])
    np.testing.assert_array_equal(opt.state[e.weight]["exp_avg"][unseen], 0)
    assert opt.state[e.weight]["step"] == len(steps)


def test_sparse_adam_row_with_zero_gradient_advances_its_moments():
    e = table()
    opt = optim.SparseAdam(e.parameters(), lr=0.1, betas=(0.5, 0.75))
    coef = np.array([[1.0, 2.0, 3.0]])
    lookup_step(e, opt, [2], coef)
    before = e.weight.data.copy()
    lookup_step(e, opt, [2], np.zeros((1, D)))  # present, zero gradient
    s = opt.state[e.weight]
    np.testing.assert_allclose(s["exp_avg"][2], 0.5 * 0.5 * coef[0])
    np.testing.assert_allclose(s["exp_avg_sq"][2], 0.75 * 0.25 * coef[0] ** 2)
    assert not np.array_equal(e.weight.data[2], before[2])  # the momentum still moves it
    others = [0, 1, 3, 4, 5]
    np.testing.assert_array_equal(e.weight.data[others], before[others])


def test_sparse_adam_formula_two_steps():
    e = table()
    x0 = e.weight.data.copy()
    lr, (b1, b2), eps = 0.01, (0.9, 0.99), 1e-3
    opt = optim.SparseAdam(e.parameters(), lr=lr, betas=(b1, b2), eps=eps)
    m = v = np.zeros(D)
    x = x0[1].copy()
    for t, c in enumerate([np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.0, -1.0])], 1):
        lookup_step(e, opt, [1], c[None])
        m = m + (1 - b1) * (c - m)
        v = v + (1 - b2) * (c * c - v)
        x = x - lr * math.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
    np.testing.assert_allclose(e.weight.data[1], x, rtol=1e-13)


def test_sparse_adam_maximize_and_empty_gradient_counts_a_step():
    e, f = table(), table()
    lookup_step(e, optim.SparseAdam(e.parameters(), maximize=True), [3], np.ones((1, D)))
    lookup_step(f, optim.SparseAdam(f.parameters()), [3], -np.ones((1, D)))
    np.testing.assert_array_equal(e.weight.data, f.weight.data)
    opt = optim.SparseAdam(e.parameters())
    e(Tensor(np.array([1]))).sum().backward()
    opt.zero_grad(set_to_none=False)  # a gradient holding no rows
    start = e.weight.data.copy()
    opt.step()
    assert opt.state[e.weight]["step"] == 1
    np.testing.assert_array_equal(e.weight.data, start)


def test_sparse_adam_refuses_dense_gradients_and_bad_options():
    lin = nn.Linear(2, 2)
    lin(Tensor(np.ones(2, dtype=np.float32))).sum().backward()
    with pytest.raises(RuntimeError, match="SparseAdam does not support dense gradients"):
        optim.SparseAdam(lin.parameters()).step()
    e = table()
    e(Tensor(np.array([1]))).sum().backward()
    (e.weight * 1).sum().backward()  # a dense contribution: a dense gradient, as in torch
    with pytest.raises(RuntimeError, match="please consider Adam instead"):
        optim.SparseAdam(e.parameters()).step()
    for kw, name in [({"lr": 0.0}, "lr"), ({"eps": 0.0}, "eps"), ({"betas": (1.0, 0.9)}, "betas")]:
        with pytest.raises(ValueError, match=name):
            optim.SparseAdam(e.parameters(), **kw)
    c = Tensor(np.ones(2, dtype=np.complex128))  # complex tensors cannot require grad here
    with pytest.raises(ValueError, match="SparseAdam does not support complex parameters"):
        optim.SparseAdam([c])


def test_sparse_adam_state_dict_resume_is_identical():
    rng = np.random.default_rng(1)
    steps = [([0, 2], rng.normal(size=(2, D))) for _ in range(4)]
    a = table()
    oa = optim.SparseAdam(a.parameters(), lr=0.05)
    for idx, c in steps:
        lookup_step(a, oa, idx, c)
    b = table()
    ob = optim.SparseAdam(b.parameters(), lr=0.05)
    for idx, c in steps[:2]:
        lookup_step(b, ob, idx, c)
    saved, weights = ob.state_dict(), b.weight.data.copy()
    assert saved["param_groups"][0] == {
        "lr": 0.05, "betas": (0.9, 0.999), "eps": 1e-08, "maximize": False, "params": [0]
    }  # fmt: skip
    assert saved["state"][0]["step"] == 2
    c = table()
    c.weight.data[...] = weights
    oc = optim.SparseAdam(c.parameters(), lr=0.05)
    oc.load_state_dict(saved)
    for idx, coef in steps[2:]:
        lookup_step(c, oc, idx, coef)
    np.testing.assert_array_equal(c.weight.data, a.weight.data)


def test_adagrad_updates_only_the_rows_with_eps_zero():
    """Dense Adagrad with eps=0 would turn rows without gradient into 0/0 = nan."""
    e = table()
    start = e.weight.data.copy()
    opt = optim.Adagrad(e.parameters(), lr=0.1, eps=0.0)
    lookup_step(e, opt, [4], np.ones((1, D)))
    np.testing.assert_allclose(e.weight.data[4], start[4] - 0.1)
    others = [0, 1, 2, 3, 5]
    np.testing.assert_array_equal(e.weight.data[others], start[others])


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: optim.SGD(p, lr=0.1, weight_decay=0.1), "SGD: weight_decay is not supported"),
        (lambda p: optim.Adagrad(p, weight_decay=0.1), "weight_decay option is not compatible"),
        (lambda p: optim.Adam(p), "Adam does not support sparse gradients, please consider"),
        (lambda p: optim.AdamW(p), "Adam does not support sparse gradients"),
        (lambda p: optim.RMSprop(p), "RMSprop does not support sparse gradients"),
        (lambda p: optim.Adamax(p), "Adamax does not support sparse gradients"),
        (lambda p: optim.Adafactor(p), "Adafactor does not support sparse gradients"),
    ],
)
def test_refusals_of_sparse_gradients(make, message):
    e = table()
    opt = make(e.parameters())
    e(Tensor(np.array([1]))).sum().backward()
    with pytest.raises(RuntimeError, match=message):
        opt.step()


def test_sgd_and_adagrad_take_sparse_gradients_as_dense_ones():
    """Without weight decay SGD's rule (and its momentum buffer) gives the dense numbers."""
    rng = np.random.default_rng(2)
    steps = [([1, 1, 4], rng.normal(size=(3, D))) for _ in range(3)]
    for make in (
        lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
        lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.01),
    ):
        out = []
        for sparse in (True, False):
            e = table()
            e.sparse = sparse
            opt = make(e.parameters())
            for idx, c in steps:
                lookup_step(e, opt, idx, c)
            out.append(e.weight.data)
        np.testing.assert_allclose(out[0], out[1], rtol=1e-14)
