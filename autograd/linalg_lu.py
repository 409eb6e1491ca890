"""``torch.linalg``'s LU functions: ``lu`` (P, L, U), ``lu_factor`` / ``lu_factor_ex`` (L and
U packed in one matrix, with LAPACK's 1-based int32 row swaps) and ``lu_solve``. The factors
are differentiable (``ops.lu.LU``); lu_solve composes triangular solves, so it is
differentiable in both the factors and B."""

from __future__ import annotations

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
