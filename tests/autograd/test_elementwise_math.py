"""torch's elementwise maths on hypothesis-drawn shapes: values against numpy (``math`` for
erf/erfc), first and second derivatives against finite differences, and the derivative
formulas at known points."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

import autograd
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors

_erf = np.vectorize(math.erf)
_erfc = np.vectorize(math.erfc)

# name: (reference, low, high) on the op's smooth domain
UNARY = {
    "exp2": (np.exp2, -3, 3),
    "expm1": (np.expm1, -3, 3),
    "log2": (np.log2, 0.2, 5),
    "log10": (np.log10, 0.2, 5),
    "log1p": (np.log1p, -0.7, 5),
    "rsqrt": (lambda a: 1 / np.sqrt(a), 0.2, 5),
    "square": (np.square, -3, 3),
    "reciprocal": (lambda a: 1 / a, 0.3, 3),
    "sin": (np.sin, -4, 4),
    "cos": (np.cos, -4, 4),
    "tan": (np.tan, -1.2, 1.2),
    "asin": (np.arcsin, -0.9, 0.9),
    "acos": (np.arccos, -0.9, 0.9),
    "atan": (np.arctan, -4, 4),
    "sinh": (np.sinh, -3, 3),
    "cosh": (np.cosh, -3, 3),
    "erf": (_erf, -4, 4),
    "erfc": (_erfc, -4, 6),
    "neg": (np.negative, -3, 3),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_values_and_derivatives(name):
    reference, lo, hi = UNARY[name]

    @settings(max_examples=6)
    @given(x=tensors(min_value=lo, max_value=hi, max_dims=2, max_side=3))
    def check(x):
        out = getattr(autograd, name)(x)
        np.testing.assert_allclose(out.data, reference(x.data), rtol=1e-14, atol=1e-15)
        assert gradcheck(lambda t: getattr(t, name)(), [x])
        assert gradgradcheck(lambda t: getattr(t, name)(), [x])

    check()


@settings(max_examples=10)
@given(
    y=tensors(shape=(2, 3), min_value=-3, max_value=3),
    x=tensors(shape=(3,), min_value=0.3, max_value=3),
)
def test_atan2_broadcasts_and_has_both_derivatives(y, x):
    np.testing.assert_allclose(autograd.atan2(y, x).data, np.arctan2(y.data, x.data))
    assert gradcheck(autograd.atan2, [y, x])
    assert gradgradcheck(autograd.atan2, [y, x])


def test_atan2_derivatives_are_zero_where_the_radius_is():
    """torch's rule at the origin (and where x^2 + y^2 underflows): 0, not nan or inf."""
    y = autograd.tensor([0.0, 1e-200, 3.0], dtype=np.float64, requires_grad=True)
    x = autograd.tensor([0.0, -1e-200, 4.0], dtype=np.float64, requires_grad=True)
    autograd.atan2(y, x).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), [0.0, 0.0, 4 / 25])
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, -3 / 25])


@settings(max_examples=10)
@given(x=tensors(min_value=-2.9, max_value=2.9, avoid=(-2, -1, 0, 1, 2), min_distance=0.05))
def test_rounding_ops_have_zero_gradient_and_frac_one(x):
    for name, ref in (("floor", np.floor), ("ceil", np.ceil), ("trunc", np.trunc)):
        np.testing.assert_array_equal(getattr(x, name)().data, ref(x.data))
        assert gradcheck(lambda t, n=name: getattr(t, n)(), [x])
    np.testing.assert_allclose(x.frac().data, x.data - np.trunc(x.data))
    assert gradcheck(lambda t: t.frac(), [x])


def test_known_derivatives():
    x = autograd.tensor([0.5], dtype=np.float64, requires_grad=True)
    for name, d in (
        ("erf", 2 / math.sqrt(math.pi) * math.exp(-0.25)),
        ("erfc", -2 / math.sqrt(math.pi) * math.exp(-0.25)),
        ("tan", 1 + math.tan(0.5) ** 2),
        ("asin", 1 / math.sqrt(0.75)),
        ("rsqrt", -0.5 * 0.5**-1.5),
        ("log2", 1 / (0.5 * math.log(2))),
        ("exp2", 2**0.5 * math.log(2)),
    ):
        x.grad = None
        getattr(x, name)().sum().backward()
        assert np.asarray(x.grad)[0] == pytest.approx(d, rel=1e-14), name


def test_lerp_where_masked_fill_clamp_gradients():
    a = autograd.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    b = autograd.tensor([3.0, -2.0], dtype=np.float64, requires_grad=True)
    w = autograd.tensor([0.25, 0.5], dtype=np.float64, requires_grad=True)
    assert gradgradcheck(autograd.lerp, [a, b, w])
    assert gradcheck(lambda a, b: autograd.where(a > 1.5, a, b), [a, b])
    assert gradcheck(lambda a: a.masked_fill(a.data > 1.5, 0.0), [a])
    lo = autograd.tensor([1.5, 1.5], dtype=np.float64, requires_grad=True)
    assert gradcheck(lambda a, lo: a.clamp(min=lo), [a, lo])
