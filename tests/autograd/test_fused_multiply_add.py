"""fma(a, b, c): a * b + c rounded once, checked against exact rational arithmetic."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd.fused_multiply_add import fma


def rounded(q: Fraction, dtype: type) -> float:
    """The float of ``dtype`` nearest to ``q`` (ties to even)."""
    guess = np.asarray(float(q), dtype=dtype)  # float64 rounding first, maybe off by one
    best = None
    for c in (np.nextafter(guess, -np.inf), guess, np.nextafter(guess, np.inf)):
        cand = c.astype(dtype)
        err = abs(Fraction(float(cand)) - q)
        key = (err, int(np.asarray(cand).view(np.int32 if dtype == np.float32 else np.int64)) & 1)
        if best is None or key < best[0]:
            best = (key, cand)
    assert best is not None
    return float(best[1])


def exact(a: float, b: float, c: float) -> Fraction:
    return Fraction(a) * Fraction(b) + Fraction(c)


# away from the subnormal range, where the emulation may miss the last bit (documented)
finite64 = st.one_of(st.just(0.0), st.floats(1e-100, 1e100), st.floats(-1e100, -1e-100))
finite32 = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=400, deadline=None)
@given(finite64, finite64, finite64)
def test_float64_is_the_exact_result_rounded_once(a, b, c):
    got = fma(np.float64(a), np.float64(b), np.float64(c))
    assert got.dtype == np.float64
    assert float(got) == float(exact(a, b, c))  # Fraction's float is correctly rounded


@settings(max_examples=400, deadline=None)
@given(finite32, finite32, finite32)
def test_float32_is_the_exact_result_rounded_once(a, b, c):
    got = fma(np.float32(a), np.float32(b), np.float32(c))
    assert got.dtype == np.float32
    assert float(got) == rounded(exact(a, b, c), np.float32)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60), st.integers(-60, 60), st.integers(-3, 3))
def test_near_ties_that_two_roundings_get_wrong(k, shift, sign):
    """a * b + c where the separately rounded product lands the sum on the wrong side of a
    halfway point: (1 + 2^-k)(1 - 2^-k) = 1 - 2^-2k."""
    a, b = 1 + 2.0**-k, 1 - 2.0**-k
    c = float(sign) * 2.0**shift
    assert float(fma(a, b, c)) == float(exact(a, b, c))


def test_arrays_broadcast_and_special_values_fall_back():
    a = np.array([[0.1], [0.2]])
    out = fma(a, np.array([3.0, 7.0]), 0.5)
    assert out.shape == (2, 2)
    for i in range(2):
        for j, bj in enumerate([3.0, 7.0]):
            assert out[i, j] == float(exact(a[i, 0], bj, 0.5))
    specials = fma(np.array([np.inf, np.nan, 1e300]), np.array([1.0, 1.0, 1e300]), 0.0)
    assert np.isinf(specials[0]) and np.isnan(specials[1]) and np.isinf(specials[2])
    assert fma(3, 4, 5).dtype == np.float64 and float(fma(3, 4, 5)) == 17.0


def test_a_product_that_rounds_away_the_answer():
    """The classic: a * b - fl(a * b) is the product's rounding error, 0 without fusing."""
    a = 1.0 + 2.0**-30
    p = a * a
    assert float(fma(a, a, -p)) == float(exact(a, a, -p)) == 2.0**-60
