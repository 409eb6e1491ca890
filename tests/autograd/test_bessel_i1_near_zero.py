"""special.i1's first and second derivatives near 0, where I1(x) / x is taken from its series
(the quotient's derivative was a rounding residue over x: 7e13 at 1e-30)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, grad, special
from autograd.testing import gradcheck, gradgradcheck


@given(st.lists(st.floats(-3e-4, 3e-4), min_size=1, max_size=4))
def test_i1_derivatives_near_zero_are_central_differences(xs):
    x = Tensor(np.array(xs), requires_grad=True)
    assert gradcheck(special.i1, [x], eps=1e-6, atol=1e-9)
    assert gradgradcheck(special.i1, [x], eps=1e-6, atol=1e-9)


def test_i1_second_derivative_is_three_eighths_x_near_zero():
    """I1''(x) = 3x/8 + O(x^3): exact to rounding at tiny x, not a residue over x."""
    x = Tensor(np.array([1e-30, -2e-20, 0.0, 1e-6]), requires_grad=True)
    (g,) = grad(special.i1(x).sum(), [x], create_graph=True)
    np.testing.assert_allclose(g.data, 0.5 + 3 * x.data**2 / 16, rtol=1e-15)
    (g2,) = grad(g.sum(), [x])
    np.testing.assert_allclose(g2.data, 3 * x.data / 8, rtol=1e-9, atol=1e-300)
