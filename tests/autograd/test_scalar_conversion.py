"""Python numbers written into tensors (``t[i] = v``, ``fill_``) follow PyTorch's checked
conversion (autograd/scalar_conversion.py): what fits is written, what does not raises an
error that is both an OverflowError and, as PyTorch's, a RuntimeError."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd.errors import ScalarOverflow

INTS = ["int8", "int16", "int32", "int64", "uint8"]


def _write(dtype: str, value, how: str) -> list:
    t = autograd.zeros(2, dtype=getattr(autograd, dtype))
    if how == "set":
        t[0] = value
        return t.tolist()[:1]
    if how == "masked_fill":
        return t.masked_fill(autograd.tensor([True, False]), value).tolist()[:1]
    if how == "full":
        return autograd.full((1,), value, dtype=t.dtype).tolist()
    return t.fill_(value).tolist()[:1]


@pytest.mark.parametrize("how", ["set", "fill", "masked_fill", "full"])
@given(dtype=st.sampled_from(INTS), value=st.integers(-(2**64), 2**64))
def test_integers_into_integer_dtypes_fit_the_range_and_unsigned_wraps_negatives(how, dtype, value):
    info = np.iinfo(dtype)
    low = -int(info.max) if info.min == 0 else int(info.min)
    if low <= value <= info.max:
        assert _write(dtype, value, how) == [
            value % (int(info.max) + 1) if value < 0 and info.min == 0 else value
        ]
    else:
        with pytest.raises(RuntimeError, match=f"cannot be converted to type {dtype}"):
            _write(dtype, value, how)


@pytest.mark.parametrize("how", ["set", "fill", "masked_fill", "full"])
@given(dtype=st.sampled_from(INTS), value=st.floats(allow_nan=True, allow_infinity=True))
def test_floats_into_integer_dtypes_must_lie_in_the_range_before_truncation(how, dtype, value):
    info = np.iinfo(dtype)
    if math.isfinite(value) and info.min <= value <= info.max:
        assert _write(dtype, value, how) == [int(value)]
    else:
        with pytest.raises(ScalarOverflow, match="cannot be converted"):
            _write(dtype, value, how)


@pytest.mark.parametrize("how", ["set", "fill", "masked_fill", "full"])
@given(value=st.floats(allow_nan=True, allow_infinity=True, width=64))
def test_floats_into_float32_beyond_its_largest_finite_value_overflow(how, value):
    if math.isfinite(value) and abs(value) > float(np.finfo(np.float32).max):
        with pytest.raises(OverflowError):
            _write("float32", value, how)
    else:
        np.testing.assert_array_equal(_write("float32", value, how), [np.float32(value)])


def test_float16_indexing_rounds_to_inf_where_fill_refuses():
    assert _write("float16", 70000.0, "set") == [math.inf]
    with pytest.raises(RuntimeError, match="float16"):
        _write("float16", 70000.0, "fill")


def test_complex_numbers_fit_complex_and_bool_dtypes_or_real_ones_with_no_imaginary_part():
    assert _write("complex64", 1 + 2j, "set") == [1 + 2j]
    assert _write("bool", 1 + 2j, "fill") == [True]
    assert _write("int64", 3 + 0j, "set") == [3]
    for dtype in ("float32", "int64"):
        with pytest.raises(RuntimeError, match="without overflow"):
            _write(dtype, 1 + 2j, "set")
    with pytest.raises(RuntimeError):
        _write("complex64", complex(1e300, 0), "fill")


def test_tensor_values_are_cast_without_checks_as_torch_copies():
    t = autograd.zeros(2, dtype=autograd.int32)
    t[0:1] = autograd.tensor([2**40 + 5])
    assert t.tolist() == [5, 0]
    u = autograd.zeros(2, dtype=autograd.uint8)
    u[0:1] = autograd.tensor([-1])
    assert u.tolist() == [255, 0]
