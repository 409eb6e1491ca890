"""LU factorization with partial pivoting (LAPACK's getrf), batched over leading dims: in
numpy, the factors, the row swaps and getrf's ``info`` (the 1-based index of the first exactly
zero pivot, 0 when there is none), which the ``_ex`` functions and ``lu_factor`` report; and
``LU``, the differentiable op giving L and U for A = P L U.

LU's derivative (k = min(m, n); PyTorch's linalg_lu_backward, real case), with
``X^-T`` the transposed inverse:

* m == n: gA = P L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T
* m < n, U = [U1 | U2]: the square rule for A1 with tril(L^T gL - gU2 U2^T, -1), and
  gA2 = P L^-T gU2
* m > n, L = [L1; L2]: the square rule for the top block with triu(gU U^T - L2^T gL2), and
  the bottom rows gL2 U^-T
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Context, Function
from .linalg import _concat_last, mT, pack, solve_triangular, tril, unpack


def getrf(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lu, pivots, info)`` of (..., m, n) matrices: L (unit, below the diagonal) and U
    packed in ``lu``; ``pivots`` (..., min(m, n)) the 0-based row swapped with row j at step
    j (the first largest magnitude in the column, as LAPACK's idamax); ``info`` (...) int32.
    A zero pivot leaves its column unscaled and the factorization goes on, as LAPACK."""
    batch, (m, n) = a.shape[:-2], a.shape[-2:]
    k = min(m, n)
    w = np.array(a, dtype=a.dtype if a.dtype.kind == "f" else np.float64).reshape(-1, m, n)
    rows = np.arange(w.shape[0])
    piv = np.zeros((w.shape[0], k), dtype=np.int64)
    info = np.zeros(w.shape[0], dtype=np.int32)
    with np.errstate(all="ignore"):
        for j in range(k):
            p = j + np.argmax(np.abs(w[:, j:, j]), axis=1)
            piv[:, j] = p
            top = w[rows, j].copy()
            w[rows, j] = w[rows, p]
            w[rows, p] = top
            pivot = w[:, j, j]
            zero = pivot == 0
            info[(info == 0) & zero] = j + 1
            col = w[:, j + 1 :, j]
            w[:, j + 1 :, j] = np.where(zero[:, None], col, col / pivot[:, None])
            w[:, j + 1 :, j + 1 :] -= w[:, j + 1 :, j, None] * w[:, j, None, j + 1 :]
    return w.reshape(a.shape), piv.reshape(batch + (k,)), info.reshape(batch)


def permutation(pivots: np.ndarray, m: int) -> np.ndarray:
    """The row order (..., m) that the swaps ``pivots`` (0-based) apply: row i of P^T A is
    row ``order[i]`` of A."""
    batch = pivots.shape[:-1]
    order = np.broadcast_to(np.arange(m), batch + (m,)).copy().reshape(-1, m)
    flat = pivots.reshape(-1, pivots.shape[-1])
    rows = np.arange(order.shape[0])
    for j in range(flat.shape[1]):
        p = flat[:, j]
        top = order[rows, j].copy()
        order[rows, j] = order[rows, p]
        order[rows, p] = top
    return order.reshape(batch + (m,))


def permutation_matrix(order: np.ndarray, dtype: Any) -> np.ndarray:
    """P (..., m, m) with P^T A = A[order] (so A = P L U for the LU of A[order])."""
    m = order.shape[-1]
    eye = np.eye(m, dtype=dtype)
    return np.swapaxes(eye[order], -1, -2)


def split_factors(lu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L (m, k; unit diagonal) and U (k, n) from getrf's packed (..., m, n) result."""
    m, n = lu.shape[-2:]
    k = min(m, n)
    lower = np.tril(lu[..., :, :k], -1) + np.eye(m, k, dtype=lu.dtype)
    return lower, np.triu(lu[..., :k, :])


def _triu(x: Any) -> Any:
    return x - tril(x, -1)


def _left_inv_t(lower: Any, x: Any) -> Any:
    """L^-T X for unit lower triangular L."""
    return solve_triangular(mT(lower), x, True)


def _right_inv_t(x: Any, upper: Any) -> Any:
    """X U^-T for upper triangular U."""
    return mT(solve_triangular(upper, mT(x), True))


def _rows_concat(a: Any, b: Any) -> Any:
    return mT(_concat_last(mT(a), mT(b)))


class LU(Function):
    """L and U (packed) of A = P L U, from getrf's result ``lu`` and the permutation P, both
    computed by the caller (P is constant: no gradient flows through the pivoting)."""

    @staticmethod
    def forward(ctx: Context, a: Any, lu: np.ndarray, perm: np.ndarray) -> Any:
        lower, upper = split_factors(lu.astype(a.dtype))
        ctx.shapes = [lower.shape[-2:], upper.shape[-2:]]
        ctx.perm = perm
        out = pack(lower, upper)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (out,) = ctx.saved_tensors
        lower, upper = unpack(out, ctx.shapes)
        gl, gu = unpack(g, ctx.shapes)
        m, k = ctx.shapes[0]
        n = ctx.shapes[1][-1]
        if m == n:
            inner = tril(mT(lower) @ gl, -1) + _triu(gu @ mT(upper))
            ga = _right_inv_t(_left_inv_t(lower, inner), upper)
        elif m < n:
            u1, u2 = upper[..., :, :m], upper[..., :, m:]
            gu1, gu2 = gu[..., :, :m], gu[..., :, m:]
            inner = tril(mT(lower) @ gl - gu2 @ mT(u2), -1) + _triu(gu1 @ mT(u1))
            ga = _concat_last(_right_inv_t(_left_inv_t(lower, inner), u1), _left_inv_t(lower, gu2))
        else:
            l1, l2 = lower[..., :n, :], lower[..., n:, :]
            gl1, gl2 = gl[..., :n, :], gl[..., n:, :]
            inner = tril(mT(l1) @ gl1, -1) + _triu(gu @ mT(upper) - mT(l2) @ gl2)
            ga = _rows_concat(_right_inv_t(_left_inv_t(l1, inner), upper), _right_inv_t(gl2, upper))
        return ctx.perm @ ga, None, None
