"""LU factorization with partial pivoting (LAPACK's getrf), batched over leading dims, in
numpy: the factors, the row swaps and getrf's ``info`` (the 1-based index of the first exactly
zero pivot, 0 when there is none), which the ``_ex`` functions and ``lu_factor`` report."""

from __future__ import annotations

import numpy as np


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
