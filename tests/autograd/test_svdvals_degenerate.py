"""Gradients through the singular values alone (svdvals, matrix_norm 2 / -2 / 'nuc') are
U diag(gS) Vh, finite for repeated and zero singular values (the full SVD rule's
1 / (s_j^2 - s_i^2) terms made them nan)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, linalg
from autograd.testing import gradcheck, gradgradcheck


@settings(deadline=None, max_examples=30)
@given(seed=st.integers(0, 2**16), shape=st.sampled_from([(3, 3), (4, 2), (2, 5), (2, 3, 3)]))
def test_svdvals_derivatives_are_central_differences(seed, shape):
    a = Tensor(np.random.default_rng(seed).normal(size=shape), requires_grad=True)
    assert gradcheck(linalg.svdvals, [a])
    assert gradgradcheck(lambda x: linalg.svdvals(x).sum(-1), [a])


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
@pytest.mark.parametrize(
    "a", [np.eye(3), np.zeros((4, 3)), np.ones((4, 3)), np.full((3, 3), 2.0), np.eye(4, 3)]
)
def test_norms_of_degenerate_matrices_have_finite_gradients(a, ord):
    t = Tensor(a.copy(), requires_grad=True)
    linalg.matrix_norm(t, ord).backward()
    assert np.isfinite(t.grad.data).all()
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    if ord == "nuc":  # the sum of the singular values: U Vh
        np.testing.assert_allclose(t.grad.data, u @ vh, atol=1e-12)
