"""pdist's derivatives where PyTorch's pdist kernel fixes them: with p = inf every entry
tied for the largest |difference| receives the whole gradient (PyTorch's pdist, unlike its
norm, does not split it); with p < 1 an entry whose difference is 0 passes back 0 (not
0 * inf); with p = 0 the counts are in the graph with gradient 0."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn.functional as F
from autograd.testing import gradcheck, gradgradcheck


def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, 1)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31), n=st.integers(2, 4), m=st.integers(1, 4))
def test_inf_distance_gives_each_tied_entry_the_whole_gradient(seed: int, n: int, m: int):
    rng = np.random.default_rng(seed)
    x = rng.integers(-2, 3, (n, m)).astype(np.float64)  # small integers: many ties
    g = rng.standard_normal(n * (n - 1) // 2)
    t = autograd.tensor(x, requires_grad=True)
    y = F.pdist(t, math.inf)
    y.backward(autograd.tensor(g))
    want = np.zeros_like(x)
    for k, (i, j) in enumerate(zip(*_pairs(n))):
        d = x[i] - x[j]
        assert y.data[k] == np.abs(d).max()
        top = np.abs(d) == np.abs(d).max()
        want[i] += g[k] * np.sign(d) * top
        want[j] -= g[k] * np.sign(d) * top
    np.testing.assert_allclose(t.grad.numpy(), want, rtol=1e-12, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_inf_distance_without_ties_matches_finite_differences(seed: int) -> None:
    x = np.random.default_rng(seed).normal(size=(4, 3))  # no ties (almost surely)
    t = autograd.tensor(x, requires_grad=True)
    assert gradcheck(lambda v: F.pdist(v, math.inf), [t])
    assert gradgradcheck(lambda v: F.pdist(v, math.inf), [t])


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31), p=st.sampled_from([0.3, 0.5, 0.9]))
def test_p_below_one_passes_zero_back_from_equal_entries(seed: int, p: float) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3, 4))
    x[1, :2] = x[0, :2]  # rows 0 and 1 agree in two columns
    t = autograd.tensor(x, requires_grad=True)
    F.pdist(t, p).sum().backward()
    grad = t.grad.numpy()
    assert np.isfinite(grad).all()
    # the columns where rows 0 and 1 agree get nothing from that pair: finite differences
    # of the other pairs alone give the gradient there
    other = autograd.tensor(x, requires_grad=True)
    y = F.pdist(other, p)
    (y[1] + y[2]).backward()
    np.testing.assert_allclose(grad[:2, :2], other.grad.numpy()[:2, :2], rtol=1e-12)
    x[1, :2] += 0.5  # away from the tie, finite differences apply
    assert gradcheck(lambda v: F.pdist(v, p), [autograd.tensor(x, requires_grad=True)])


def test_zero_norm_counts_are_in_the_graph_with_gradient_zero() -> None:
    t = autograd.tensor([[0.0, 1.0], [0.0, 2.0], [np.inf, 3.0]], requires_grad=True)
    y = F.pdist(t, 0)
    np.testing.assert_array_equal(y.numpy(), [1.0, 2.0, 2.0])
    assert y.requires_grad
    y.sum().backward()
    np.testing.assert_array_equal(t.grad.numpy(), np.zeros((3, 2)))
