"""Argument handling shared by the ``autograd.linalg`` functions: input checks and the
singular-value cutoff of pinv, matrix_rank and lstsq."""

from __future__ import annotations

from typing import Any

import numpy as np

from .product_dtypes import require_same_dtype
from .tensor import Tensor


def as_tensor(a: Any) -> Tensor:
    """``a`` as a Tensor (unchanged if it is one)."""
    return a if isinstance(a, Tensor) else Tensor(a)


def matrices(a: Any, op: str, square: bool = True) -> Tensor:
    """``a`` as a floating Tensor of (batches of) matrices, square if asked."""
    t = as_tensor(a)
    if t.dtype.kind != "f":
        raise TypeError(f"linalg.{op}: expected a floating point tensor, got dtype {t.dtype}")
    if t.ndim < 2:
        raise ValueError(
            f"linalg.{op}: expected a matrix or a batch of matrices (at least 2 dims), "
            f"got shape {tuple(t.shape)}"
        )
    if square and t.shape[-1] != t.shape[-2]:
        raise ValueError(
            f"linalg.{op}: A must be a square matrix or a batch of square matrices, got "
            f"shape {tuple(t.shape)} ({t.shape[-2]} by {t.shape[-1]} matrices)"
        )
    return t


def same_dtype(op: str, a: Tensor, b: Tensor, names: tuple[str, str] = ("A", "B")) -> None:
    """Refuse two tensors of different dtypes (torch's linalg ops do not promote)."""
    require_same_dtype(f"linalg.{op}", **{names[0]: a, names[1]: b})


def _batched(x: Any) -> np.ndarray:
    """A tolerance (number or tensor of the batch shape) as an array ready to broadcast
    against (..., k) singular values."""
    return np.asarray(x._data if isinstance(x, Tensor) else x, dtype=np.float64)[..., None]


def rank_cutoff(s: np.ndarray, shape: tuple, atol: Any = None, rtol: Any = None) -> np.ndarray:
    """The threshold (..., 1) at or below which singular values ``s`` (..., k) of matrices of
    ``shape`` count as zero: max(atol, rtol * largest), rtol defaulting to eps * max(m, n)
    unless atol is given and positive (PyTorch's rule)."""
    eps = np.finfo(s.dtype).eps
    if rtol is None:
        default = eps * max(shape[-2:])
        rtol = default if atol is None else np.where(_batched(atol)[..., 0] > 0, 0.0, default)
    cut = _batched(rtol) * s.max(axis=-1, initial=0.0)[..., None]
    if atol is not None:
        cut = np.maximum(cut, _batched(atol))
    return cut
