"""The default floating dtype used for Python floats (PyTorch's rule)."""

from __future__ import annotations

import numpy as np


class _Default:
    dtype: np.dtype = np.dtype(np.float32)


def get_default_dtype() -> np.dtype:
    """The dtype Python floats and lists of floats become in a Tensor."""
    return _Default.dtype


def set_default_dtype(dtype: object) -> None:
    """Set the default floating dtype; only float16, float32 and float64 are allowed."""
    dt = np.dtype(dtype)  # type: ignore[call-overload]
    if dt.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating dtype, got {dt}")
    _Default.dtype = dt
