"""``torch.linalg``'s LDL^T factorization of symmetric matrices with Bunch-Kaufman pivoting:
``ldl_factor`` / ``ldl_factor_ex`` (LAPACK's sytrf on the lower triangle: L and the 1x1 and
2x2 blocks of D packed in one matrix, and its int32 pivots, negative for a 2x2 block) and
``ldl_solve`` (sytrs). As in PyTorch, none of them is differentiable: their results carry no
gradient. For the matrix sizes sytrf leaves unblocked (n < 64), this follows its unblocked
steps (sytf2) exactly, so pivots and factors are LAPACK's."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import return_types
from .errors import ShapeError
from .linalg_ex import _raise_for
from .linalg_inputs import as_tensor, matrices
from .tensor import Tensor

_ALPHA = (1 + 17**0.5) / 8  # Bunch-Kaufman's growth bound


def _first_max(v: np.ndarray) -> tuple[int, float]:
    """The index and value of the first largest magnitude (LAPACK's idamax)."""
    i = int(np.argmax(np.abs(v)))
    return i, float(abs(v[i]))


def _swap_symmetric(a: np.ndarray, kk: int, kp: int) -> None:
    """Swap rows and columns kk < kp of the symmetric matrix held in a's lower triangle."""
    a[kp + 1 :, [kk, kp]] = a[kp + 1 :, [kp, kk]]
    seg = a[kk + 1 : kp, kk].copy()
    a[kk + 1 : kp, kk] = a[kp, kk + 1 : kp]
    a[kp, kk + 1 : kp] = seg
    a[kk, kk], a[kp, kp] = a[kp, kp], a[kk, kk]


def _sytf2(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """One matrix's (LD, 1-based pivots, info), from its lower triangle."""
    a = np.tril(a).copy()
    n = a.shape[0]
    piv = np.zeros(n, dtype=np.int32)
    info = 0
    k = 0
    while k < n:
        kstep, kp = 1, k
        absakk = abs(a[k, k])
        imax, colmax = (k + 1 + _first_max(a[k + 1 :, k])[0], 0.0) if k < n - 1 else (k, 0.0)
        if k < n - 1:
            colmax = float(abs(a[imax, k]))
        if max(absakk, colmax) == 0 or np.isnan(absakk):
            info = info or k + 1
            piv[k] = k + 1
            k += 1
            continue
        if absakk < _ALPHA * colmax:
            rowmax = _first_max(a[imax, k:imax])[1]
            if imax < n - 1:
                rowmax = max(rowmax, _first_max(a[imax + 1 :, imax])[1])
            if absakk >= _ALPHA * colmax * (colmax / rowmax):
                kp = k
            elif abs(a[imax, imax]) >= _ALPHA * rowmax:
                kp = imax
            else:
                kp, kstep = imax, 2
        kk = k + kstep - 1
        if kp != kk:
            _swap_symmetric(a, kk, kp)
            if kstep == 2:
                a[k + 1, k], a[kp, k] = a[kp, k], a[k + 1, k]
        if kstep == 1:
            if k < n - 1:
                r1 = 1 / a[k, k]
                x = a[k + 1 :, k].copy()
                a[k + 1 :, k + 1 :] += np.tril(np.outer(x, -r1 * x))
                a[k + 1 :, k] = x * r1
            piv[k] = kp + 1
        else:
            if k < n - 2:
                d21 = a[k + 1, k]
                d11 = a[k + 1, k + 1] / d21
                d22 = a[k, k] / d21
                t = 1 / (d11 * d22 - 1)
                d21 = t / d21
                c0, c1 = a[k + 2 :, k].copy(), a[k + 2 :, k + 1].copy()
                wk = d21 * (d11 * c0 - c1)
                wkp1 = d21 * (d22 * c1 - c0)
                a[k + 2 :, k + 2 :] -= np.tril(np.outer(c0, wk) + np.outer(c1, wkp1))
                a[k + 2 :, k], a[k + 2 :, k + 1] = wk, wkp1
            piv[k] = piv[k + 1] = -(kp + 1)
        k += kstep
    return a, piv, info


def _each(a: np.ndarray, f: Any, *outs: Any) -> None:
    for idx in np.ndindex(a.shape[:-2]):
        for out, v in zip(outs, f(idx)):
            out[idx] = v


def ldl_factor_ex(
    A: Any,  # noqa: N803 (torch's argument names)
    *,
    hermitian: bool = False,
    check_errors: bool = False,
) -> Any:
    """``(LD, pivots, info)`` of symmetric matrices (the lower triangle read): A = P L D L^T
    P^T with L unit lower triangular (below LD's diagonal) and D block diagonal (1x1 and 2x2
    blocks on and next to it); pivots as LAPACK's (1-based; a 2x2 block's two are negative);
    info: the first zero pivot of D (1-based), 0 if none. Real input: ``hermitian`` changes
    nothing."""
    a = matrices(A, "ldl_factor_ex")
    shape = tuple(a.shape)
    ld = np.zeros(shape, dtype=a.dtype)
    piv = np.zeros(shape[:-1], dtype=np.int32)
    info = np.zeros(shape[:-2], dtype=np.int32)
    with np.errstate(all="ignore"):
        _each(a._data, lambda i: _sytf2(a._data[i]), ld, piv, info)
    if check_errors:
        _raise_for("ldl_factor_ex", info, lambda i: f"D[{i},{i}] is zero (a singular matrix)")
    return return_types.linalg_ldl_factor_ex(Tensor(ld), Tensor(piv), Tensor(info))


def ldl_factor(A: Any, *, hermitian: bool = False) -> Any:  # noqa: N803
    """``(LD, pivots)`` as ``ldl_factor_ex``; a singular matrix (a zero pivot) raises."""
    ld, piv, info = ldl_factor_ex(A, hermitian=hermitian)
    _raise_for("ldl_factor", info._data, lambda i: f"D[{i},{i}] is zero (a singular matrix)")
    return return_types.linalg_ldl_factor(ld, piv)


def _sytrs(ld: np.ndarray, piv: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X with A X = B for one A given by its (LD, pivots)."""
    b = b.copy()
    n = ld.shape[0]
    k = 0
    while k < n:  # L D Y = B
        if piv[k] > 0:
            kp = piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            b[k + 1 :] -= np.outer(ld[k + 1 :, k], b[k])
            b[k] /= ld[k, k]
            k += 1
        else:
            kp = -piv[k] - 1
            b[[k + 1, kp]] = b[[kp, k + 1]]
            b[k + 2 :] -= np.outer(ld[k + 2 :, k], b[k]) + np.outer(ld[k + 2 :, k + 1], b[k + 1])
            akm1k = ld[k + 1, k]
            akm1, ak = ld[k, k] / akm1k, ld[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1
            bkm1, bk = b[k] / akm1k, b[k + 1] / akm1k
            b[k], b[k + 1] = (ak * bkm1 - bk) / denom, (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:  # L^T X = Y
        if piv[k] > 0:
            b[k] -= ld[k + 1 :, k] @ b[k + 1 :]
            kp = piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            k -= 1
        else:
            b[k] -= ld[k + 1 :, k] @ b[k + 1 :]
            b[k - 1] -= ld[k + 1 :, k - 1] @ b[k + 1 :]
            kp = -piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            k -= 2
    return b


def ldl_solve(
    LD: Any,  # noqa: N803
    pivots: Any,
    B: Any,  # noqa: N803
    *,
    hermitian: bool = False,
) -> Tensor:
    """X with A X = B for A given by ``ldl_factor``'s (LD, pivots); batch dims broadcast."""
    ld = matrices(LD, "ldl_solve")
    p, b = as_tensor(pivots), as_tensor(B)
    n = ld.shape[-1]
    if p.dtype.kind not in "iu" or tuple(p.shape) != tuple(ld.shape[:-1]):
        raise ShapeError(
            f"linalg.ldl_solve: expected integer pivots of shape {tuple(ld.shape[:-1])}, got "
            f"{p.dtype} of shape {tuple(p.shape)}"
        )
    if b.ndim < 2 or b.shape[-2] != n:
        raise ShapeError(
            f"linalg.ldl_solve: B must be a matrix or a batch of matrices with {n} rows, got "
            f"shape {tuple(b.shape)}"
        )
    if b.dtype != ld.dtype:
        raise RuntimeError(
            f"linalg.ldl_solve: expected LD and B to have the same dtype, got {ld.dtype} and "
            f"{b.dtype}"
        )
    piv = np.asarray(p._data)
    if piv.size and (np.abs(piv).min() < 1 or np.abs(piv).max() > n):
        raise ShapeError(f"linalg.ldl_solve: pivots must lie in [1, {n}] in magnitude")
    batch = np.broadcast_shapes(tuple(ld.shape[:-2]), tuple(b.shape[:-2]))
    lds = np.broadcast_to(ld._data, batch + (n, n))
    pivs = np.broadcast_to(piv, batch + (n,))
    bs = np.broadcast_to(b._data, batch + tuple(b.shape[-2:]))
    out = np.zeros(bs.shape, dtype=b.dtype)
    with np.errstate(all="ignore"):
        _each(lds, lambda i: (_sytrs(lds[i], pivs[i], bs[i]),), out)
    return Tensor(out)
