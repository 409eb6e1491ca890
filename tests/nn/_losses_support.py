"""Shared pieces of the loss tests: hypothesis strategies and the reductions, in numpy."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

REDUCTIONS = ("mean", "sum", "none")


def reduce_np(per_element: np.ndarray, reduction: str) -> np.ndarray:
    """The numpy reference of a reduction."""
    if reduction == "sum":
        return per_element.sum()
    if reduction == "mean":
        return per_element.mean()
    return per_element


def floats(lo: float = -5.0, hi: float = 5.0) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def arrays(shape: tuple, lo: float = -5.0, hi: float = 5.0) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of ``shape`` with entries in [lo, hi]."""
    return hnp.arrays(np.float64, shape, elements=floats(lo, hi))


shapes = st.sampled_from([(3,), (2, 3), (2, 2, 2)])


def away_from(values: np.ndarray, kinks: list[float], gap: float = 1e-3) -> bool:
    """True when every entry is at least ``gap`` from each kink (finite differences there
    would straddle the corner)."""
    return all(bool(np.all(np.abs(values - k) > gap)) for k in kinks)
