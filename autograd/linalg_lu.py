"""``torch.linalg``'s LU functions: ``lu`` (P, L, U), ``lu_factor`` / ``lu_factor_ex`` (L and
U packed in one matrix, with LAPACK's 1-based int32 row swaps) and ``lu_solve``; and torch's
top-level ``lu_unpack`` (the packed form back to P, L, U) with the deprecated ``torch.lu`` /
``torch.lu_solve`` spellings. The factors are differentiable (``ops.lu.LU``); lu_solve
composes triangular solves, so it is differentiable in both the factors and B; lu_unpack
slices the packed matrix, so L and U are differentiable in it."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import return_types
from .errors import ShapeError
from .functions import cat
from .linalg_ex import _raise_for
from .linalg_inputs import as_tensor, matrices, same_dtype
from .linalg_solvers import solve_triangular
from .ops.linalg import unpack
from .ops.lu import LU, getrf, permutation, permutation_matrix
from .tensor import Tensor


def _factors(A: Any, op: str, pivot: bool) -> tuple:  # noqa: N803
    """(P as an array, L, U, 0-based pivots, info) of A = P L U."""
    if not pivot:
        raise RuntimeError(f"linalg.{op}: LU without pivoting is not implemented on the CPU")
    a = matrices(A, op, square=False)
    m, n = a.shape[-2:]
    k = min(m, n)
    lu, piv, info = getrf(a._data)
    perm = permutation_matrix(permutation(piv, m), a.dtype)
    lower, upper = unpack(LU.apply(a, lu, perm), [(m, k), (k, n)])
    return perm, lower, upper, piv, info


def lu(A: Any, *, pivot: bool = True) -> Any:  # noqa: N803 (torch's argument names)
    """``(P, L, U)`` with A = P L U: P a permutation matrix (m x m, A's dtype), L (m x k) unit
    lower triangular, U (k x n) upper triangular, k = min(m, n); partial pivoting as LAPACK."""
    perm, lower, upper, _, _ = _factors(A, "lu", pivot)
    return return_types.linalg_lu(Tensor(perm), lower, upper)


def lu_factor_ex(A: Any, *, pivot: bool = True, check_errors: bool = False) -> Any:  # noqa: N803
    """``(LU, pivots, info)``: L below the diagonal (its unit diagonal implied) and U on and
    above it, in one m x n matrix; pivots (int32, 1-based): row i was swapped with row
    pivots[i] at step i; info: getrf's (the first exactly zero pivot, 1-based; 0 if none)."""
    perm, lower, upper, piv, info = _factors(A, "lu_factor_ex", pivot)
    if check_errors:
        _raise_for("lu_factor_ex", info, lambda i: f"U[{i},{i}] is zero (a singular matrix)")
    m, k = lower.shape[-2:]
    n = upper.shape[-1]
    below = lower.tril(-1)
    batch = tuple(lower.shape[:-2])
    if m > n:
        upper = cat([upper, Tensor(np.zeros(batch + (m - n, n), dtype=upper.dtype))], -2)
    elif m < n:
        below = cat([below, Tensor(np.zeros(batch + (m, n - m), dtype=below.dtype))], -1)
    pivots = Tensor((piv + 1).astype(np.int32))
    return return_types.linalg_lu_factor_ex(below + upper, pivots, Tensor(info))


def lu_factor(A: Any, *, pivot: bool = True) -> Any:  # noqa: N803
    """``(LU, pivots)`` as ``lu_factor_ex``; a zero pivot (a singular matrix) raises, since
    lu_solve would divide by it."""
    packed, pivots, info = lu_factor_ex(A, pivot=pivot)
    _raise_for(
        "lu_factor",
        info._data,
        lambda i: (
            f"U[{i},{i}] is zero and using it on lu_solve would result in a division by "
            "zero. If you still want to perform the factorization, consider calling "
            "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
        ),
    )
    return return_types.linalg_lu_factor(packed, pivots)


def lu_solve(
    LU: Any,  # noqa: N803
    pivots: Any,
    B: Any,  # noqa: N803
    *,
    left: bool = True,
    adjoint: bool = False,
) -> Tensor:
    """X with A X = B for A = P L U given as ``lu_factor``'s (LU, pivots); ``adjoint``: A^T X
    = B; ``left=False``: X A = B (or X A^T = B). Batch dims broadcast."""
    f = matrices(LU, "lu_solve")
    b = as_tensor(B)
    p = as_tensor(pivots)
    n = f.shape[-1]
    same_dtype("lu_solve", f, b, ("LU", "B"))
    if p.dtype.kind not in "iu" or tuple(p.shape) != tuple(f.shape[:-1]):
        raise ShapeError(
            f"linalg.lu_solve: expected integer pivots of shape {tuple(f.shape[:-1])}, got "
            f"{p.dtype} of shape {tuple(p.shape)}"
        )
    if b.ndim < 2:
        raise ShapeError(
            "linalg.lu_solve: The input tensor B must have at least 2 dimensions, got shape "
            f"{tuple(b.shape)}"
        )
    if (b.shape[-2] if left else b.shape[-1]) != n:
        raise ShapeError(
            f"linalg.lu_solve: Incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {b.shape[-2]}x{b.shape[-1]})"
        )
    piv = np.asarray(p._data, dtype=np.int64) - 1
    if piv.size and (piv.min() < 0 or piv.max() >= n):
        raise ShapeError(f"linalg.lu_solve: pivots must lie in [1, {n}]")
    perm = Tensor(permutation_matrix(permutation(piv, n), f.dtype))
    if not left:  # X A = B  <=>  A^T X^T = B^T
        return lu_solve(f, p, b.mT, adjoint=not adjoint).mT
    if not adjoint:  # U^-1 L^-1 P^T B
        y = solve_triangular(f, perm.mT @ b, upper=False, unitriangular=True)
        return solve_triangular(f, y, upper=True)
    ft = f.mT  # A^T = U^T L^T P^T: X = P L^-T U^-T B
    y = solve_triangular(ft, b, upper=False)
    return perm @ solve_triangular(ft, y, upper=True, unitriangular=True)


def lu_unpack(
    LU_data: Any,  # noqa: N803
    LU_pivots: Any,  # noqa: N803
    unpack_data: bool = True,
    unpack_pivots: bool = True,
) -> Any:
    """``(P, L, U)`` from ``lu_factor``'s packed ``(LU, pivots)``: P (m x m) the permutation
    the 1-based int32 row swaps make, L (m x k) unit lower triangular, U (k x n) upper
    triangular, so that A = P L U. ``unpack_data=False`` gives empty L and U,
    ``unpack_pivots=False`` an empty P."""
    f = as_tensor(LU_data)
    p = as_tensor(LU_pivots)
    if f.ndim < 2:
        raise RuntimeError(
            f"torch.lu_unpack: Expected LU_data to have at least 2 dimensions, got shape "
            f"{tuple(f.shape)}"
        )
    if p.dtype != np.int32:
        raise RuntimeError(
            "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 "
            "dtype.\nNote: this function is intended to be used with the output produced by "
            "torch.linalg.lu_factor"
        )
    m, n = f.shape[-2:]
    k = min(m, n)
    if tuple(p.shape) != tuple(f.shape[:-2]) + (k,):
        raise RuntimeError(
            f"torch.lu_unpack: expected LU_pivots of shape {tuple(f.shape[:-2]) + (k,)} for "
            f"LU_data of shape {tuple(f.shape)}, got {tuple(p.shape)}"
        )
    empty = Tensor(np.zeros((0,), dtype=f.dtype))
    lower, upper = empty, empty
    if unpack_data:
        lower = f[..., :, :k].tril(-1) + Tensor(np.eye(m, k, dtype=f.dtype))
        upper = f[..., :k, :].triu()
    perm = empty
    if unpack_pivots:
        piv = np.asarray(p._data, dtype=np.int64) - 1
        if piv.size and (piv.min() < 0 or piv.max() >= m):
            raise RuntimeError(f"torch.lu_unpack: pivots must lie in [1, {m}]")
        perm = Tensor(permutation_matrix(permutation(piv, m), f.dtype))
    return return_types.lu_unpack(perm, lower, upper)


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"torch.{old} is deprecated in favor of {new} and will be removed in a future "
        "PyTorch release.",
        UserWarning,
        stacklevel=4,  # the caller of Tensor.lu / Tensor.lu_solve
    )


def legacy_lu(A: Any, pivot: bool = True, get_infos: bool = False) -> tuple:  # noqa: N803
    """The deprecated ``torch.lu`` / ``Tensor.lu``: ``(LU, pivots)`` as ``linalg.lu_factor``
    (``(LU, pivots, infos)`` with ``get_infos``, as ``linalg.lu_factor_ex``); a plain tuple."""
    _deprecated("lu", "torch.linalg.lu_factor / torch.linalg.lu_factor_ex")
    packed, pivots, info = lu_factor_ex(A, pivot=pivot)
    return (packed, pivots, info) if get_infos else (packed, pivots)


def legacy_lu_solve(b: Any, LU_data: Any, LU_pivots: Any) -> Tensor:  # noqa: N803
    """The deprecated ``torch.lu_solve(b, LU_data, LU_pivots)``: ``linalg.lu_solve`` with its
    arguments in the old order."""
    _deprecated("lu_solve", "torch.linalg.lu_solve")
    return lu_solve(LU_data, LU_pivots, b)
