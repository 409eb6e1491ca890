"""A Python number written into a tensor (``t[i] = v``, ``fill_``, ``masked_fill``,
``index_fill``, ``full``, ``new_full``, ``full_like``), converted to the tensor's dtype by
PyTorch's checked rule rather than numpy's:

- into an integer dtype, a float must lie within the dtype's range before truncation (nan
  and +-inf never do; 127.9 does not fit int8); an integer must lie within the range too,
  except that an unsigned dtype also takes negative integers down to -max, wrapped modulo
  2**bits (uint8: -1 is 255, as C's conversion);
- into a floating dtype, a finite number beyond the dtype's largest finite value overflows
  (+-inf and nan are kept); float16 written by indexing rounds to +-inf instead, as torch's
  indexing does;
- a complex number with a nonzero imaginary part fits only a complex dtype (with a zero one,
  its real part is written); anything fits bool.

What does not fit raises ``ScalarOverflow`` (an OverflowError and, as PyTorch's, a
RuntimeError) naming the op, the value and the dtype. Tensors and arrays are cast as they
are, without checks, as PyTorch's copies are.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .errors import ScalarOverflow


def checked_scalar(value: Any, dtype: np.dtype, op: str, half_rounds: bool = False) -> Any:
    """``value`` as a scalar of ``dtype`` when it is a Python or numpy number, checked as
    PyTorch checks it (see the module docstring); anything else is returned unchanged.
    ``half_rounds``: float16 takes out-of-range numbers as +-inf (indexing's rule)."""
    if isinstance(value, np.ndarray) or not isinstance(value, (int, float, complex, np.number)):
        return value  # (bool is an int; np.bool_ is neither and needs no check)
    kind = dtype.kind
    if kind == "b":
        return value
    if isinstance(value, (complex, np.complexfloating)):
        if kind == "c":
            _checked_float(value.real, dtype, op)
            _checked_float(value.imag, dtype, op)
            return value
        if value.imag != 0:
            raise _overflow(value, dtype, op)
        value = value.real
    if kind in "iu":
        return _checked_integer(value, dtype, op)
    if kind == "f" and dtype == np.float16 and half_rounds:
        with np.errstate(over="ignore"):
            return np.float16(value)
    _checked_float(value, dtype, op)
    return value


def _checked_integer(value: Any, dtype: np.dtype, op: str) -> Any:
    info = np.iinfo(dtype)
    if isinstance(value, (float, np.floating)):
        if not (math.isfinite(value) and info.min <= value <= info.max):
            raise _overflow(value, dtype, op)
        return value
    v = int(value)
    low = -int(info.max) if dtype.kind == "u" else int(info.min)
    if not low <= v <= int(info.max):
        raise _overflow(value, dtype, op)
    return dtype.type(v % (int(info.max) + 1)) if v < 0 and dtype.kind == "u" else value


def _checked_float(value: Any, dtype: np.dtype, op: str) -> None:
    """Raise unless ``value`` (real) is within ``dtype``'s finite range or is +-inf/nan."""
    limit = float(np.finfo(dtype).max)
    try:
        v = float(value)
    except OverflowError:  # a Python int beyond float64's range
        raise _overflow(value, dtype, op) from None
    if math.isfinite(v) and abs(v) > limit:
        raise _overflow(value, dtype, op)


def _overflow(value: Any, dtype: np.dtype, op: str) -> ScalarOverflow:
    return ScalarOverflow(
        f"{op}: value {value!r} cannot be converted to type {dtype} without overflow"
    )
