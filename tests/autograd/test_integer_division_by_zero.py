"""An integer tensor divided by zero (``//``, ``%``, remainder, fmod, div with a rounding mode)
is refused as PyTorch refuses it: a RuntimeError ("ZeroDivisionError"), also a Python
ZeroDivisionError; floating tensors give inf or nan."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd

OPS = {
    "fmod": lambda a, b: autograd.fmod(a, b),
    "remainder": lambda a, b: autograd.remainder(a, b),
    "%": lambda a, b: a % b,
    "//": lambda a, b: a // b,
    "div_trunc": lambda a, b: autograd.div(a, b, rounding_mode="trunc"),
    "div_floor": lambda a, b: autograd.div(a, b, rounding_mode="floor"),
    "fmod_": lambda a, b: a.clone().fmod_(b),
}


@pytest.mark.parametrize("name", sorted(OPS))
@given(
    a=st.lists(st.integers(-100, 100), min_size=1, max_size=5),
    dtype=st.sampled_from(["int8", "int32", "int64", "uint8"]),
    scalar=st.booleans(),
)
def test_a_zero_integer_divisor_is_refused(name: str, a: list, dtype: str, scalar: bool):
    x = autograd.tensor(np.abs(np.array(a)).astype(dtype))
    zero = 0 if scalar else autograd.tensor(np.zeros(len(a), dtype=dtype))
    with pytest.raises(RuntimeError, match="ZeroDivisionError") as err:
        OPS[name](x, zero)
    assert isinstance(err.value, ZeroDivisionError)


@pytest.mark.parametrize("name", ["fmod", "remainder", "%"])
def test_floats_divided_by_zero_give_nan(name: str) -> None:
    out = OPS[name](autograd.tensor([5.0, -3.0]), 0)
    assert np.isnan(out.numpy()).all()


def test_nonzero_divisors_are_unaffected() -> None:
    a, b = autograd.tensor([5, -3, 4]), autograd.tensor([2, -2, 3])
    assert autograd.fmod(a, b).tolist() == [1, -1, 1]
    assert (a % b).tolist() == [1, -1, 1]
