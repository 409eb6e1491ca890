"""Orderings along a dim: the indices that sort, and those of the k largest or smallest.

Only indices are computed here; the values are ``Gather`` of them (autograd/ops/scatter.py),
which carries the gradient back to the entries that were picked.
NaN sorts above every number, as in PyTorch (last ascending, first descending).
"""

from __future__ import annotations

import numpy as np


def sort_indices(x: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Indices that sort ``x`` along ``dim``; equal entries keep their order (stable)."""
    if x.ndim == 0:
        return np.zeros((), dtype=np.int64)
    if not descending:
        return np.argsort(x, axis=dim, kind="stable").astype(np.int64, copy=False)
    if x.dtype.kind != "f":
        # ~x reverses the order of ints, unsigned ints and bools without overflow
        return np.argsort(~x, axis=dim, kind="stable").astype(np.int64, copy=False)
    nan = np.isnan(x)
    first = np.argsort(np.where(nan, -np.inf, -x), axis=dim, kind="stable")
    # a second stable pass brings the NaNs (tied with +inf so far) to the front
    second = np.argsort(~np.take_along_axis(nan, first, dim), axis=dim, kind="stable")
    return np.take_along_axis(first, second, dim).astype(np.int64, copy=False)


def topk_indices(x: np.ndarray, k: int, dim: int, largest: bool) -> np.ndarray:
    """Indices of the ``k`` largest (or smallest) entries along ``dim``, best first."""
    n = 1 if x.ndim == 0 else x.shape[dim]
    if not 0 <= k <= n:
        raise ValueError(f"topk: k ({k}) is out of range for dim {dim} of size {n}")
    order = sort_indices(x, dim, descending=largest)
    if x.ndim == 0:
        return order
    return np.take(order, np.arange(k), axis=dim)
