"""Ops whose derivative is 0 (sign, sgn, floor, ceil, round, trunc) pass back exactly 0, also
where the gradient arriving from above is nan or inf (PyTorch's zeros_like, not 0 * g)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd

OPS = ["sign", "sgn", "floor", "ceil", "round", "trunc"]
FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)


@pytest.mark.parametrize("name", OPS)
@given(x=st.lists(FLOATS, min_size=1, max_size=6), upstream=FLOATS)
def test_gradient_is_zero_whatever_arrives(name: str, x: list, upstream: float) -> None:
    t = autograd.tensor(np.array(x), requires_grad=True)
    out = getattr(t, name)()
    out.backward(autograd.full(out.shape, upstream, dtype=autograd.float64))
    np.testing.assert_array_equal(t.grad.numpy(), np.zeros(len(x)))


@pytest.mark.parametrize("name", OPS)
def test_gradient_of_the_gradient_is_zero_and_constant(name: str) -> None:
    x = autograd.tensor([1.5, -2.0, 0.0], dtype=autograd.float64, requires_grad=True)
    (g,) = autograd.grad(getattr(x, name)().sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.numpy(), np.zeros(3))
    assert not g.requires_grad  # as PyTorch: zeros carry no history
