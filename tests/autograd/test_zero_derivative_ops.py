"""Ops whose derivative is 0 (sign, sgn, floor, ceil, round, trunc, div with a rounding mode,
copysign with respect to the sign's source, bernoulli) pass back exactly 0, also where the
gradient arriving from above is nan or inf (PyTorch's zeros_like, not 0 * g)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd

OPS = ["sign", "sgn", "floor", "ceil", "round", "trunc"]
FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
# float32 gradients: values a float32 holds (torch's full refuses finite values beyond its range)
FLOATS32 = st.floats(allow_nan=True, allow_infinity=True, width=32)


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


@pytest.mark.parametrize("mode", ["trunc", "floor"])
@given(upstream=FLOATS32)
def test_rounded_division_passes_back_zero(mode: str, upstream: float) -> None:
    a = autograd.tensor([1.5, -2.0, 7.0], requires_grad=True)
    b = autograd.tensor([0.7], requires_grad=True)
    out = autograd.div(a, b, rounding_mode=mode)
    out.backward(autograd.full(out.shape, upstream, dtype=autograd.float32))
    np.testing.assert_array_equal(a.grad.numpy(), np.zeros(3))
    np.testing.assert_array_equal(b.grad.numpy(), np.zeros(1))


@given(upstream=FLOATS32)
def test_copysign_passes_back_zero_to_the_sign_source(upstream: float) -> None:
    a = autograd.tensor([1.5, -2.0], requires_grad=True)
    b = autograd.tensor([-1.0, 3.0], requires_grad=True)
    autograd.copysign(a, b).backward(autograd.full((2,), upstream))
    np.testing.assert_array_equal(b.grad.numpy(), np.zeros(2))


def test_a_bernoulli_draw_of_probabilities_that_require_grad_is_in_the_graph() -> None:
    p = autograd.full((4,), 0.5, requires_grad=True)
    for draw in (autograd.bernoulli(p), p.bernoulli(), p.bernoulli(0.25)):
        assert draw.requires_grad and draw.grad_fn is not None
        assert set(draw.tolist()) <= {0.0, 1.0}
        draw.backward(autograd.full((4,), float("nan")))
        np.testing.assert_array_equal(p.grad.numpy(), np.zeros(4))
    with autograd.no_grad():
        assert not autograd.bernoulli(p).requires_grad
    assert not autograd.bernoulli(p.detach()).requires_grad
