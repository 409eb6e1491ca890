"""gcd and lcm in the integer type's wrapping arithmetic, as PyTorch: where an operand is the
type's minimum (|min| wraps to min), Euclid's algorithm with C's remainder can end negative."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import autograd

MIN = -(2**63)


@given(a=st.integers(-(2**62), 2**62), b=st.integers(-(2**62), 2**62))
def test_gcd_and_lcm_of_ordinary_integers_are_the_mathematical_ones(a: int, b: int) -> None:
    ta, tb = autograd.tensor([a]), autograd.tensor([b])
    assert autograd.gcd(ta, tb).item() == math.gcd(a, b)
    lcm = math.lcm(a, b)
    if lcm < 2**63:
        assert autograd.lcm(ta, tb).item() == lcm


def _c_gcd(a: int, b: int) -> int:
    """The reference: Euclid on |a|, |b| in 64-bit two's complement with C's remainder."""
    wrap = lambda v: (v + 2**63) % 2**64 - 2**63  # noqa: E731
    a, b = wrap(abs(a)), wrap(abs(b))
    while a != 0:
        r = abs(b) % abs(a) * (1 if b >= 0 else -1)
        a, b = r, a
    return b


@given(b=st.integers(-(2**63), 2**63 - 1))
def test_gcd_with_the_minimum_follows_wrapping_euclid(b: int) -> None:
    out = autograd.gcd(autograd.tensor([MIN, b]), autograd.tensor([b, MIN])).tolist()
    assert out == [_c_gcd(MIN, b), _c_gcd(b, MIN)]


def test_gcd_with_the_minimum_can_be_negative() -> None:
    assert autograd.gcd(autograd.tensor(MIN), autograd.tensor(6)).item() == -2
    assert (
        autograd.gcd(autograd.tensor(np.int32(-(2**31))), autograd.tensor(np.int32(6))).item() == -2
    )
