"""``torch.linalg``'s ``inv_ex``, ``cholesky_ex`` and ``solve_ex``: the op's result with
LAPACK's ``info`` (an int32 tensor of the batch shape: 0 where the matrix was fine, else the
1-based place where the factorization broke down). They raise only with ``check_errors=True``;
otherwise a failed matrix's result is not meaningful (nan for inv_ex and solve_ex, the partial
factorization for cholesky_ex, as LAPACK leaves it). Results of the other matrices are
differentiable as the plain ops."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import return_types
from .linalg_inputs import as_tensor, matrices
from .ops.elementwise import Where
from .ops.linalg import Cholesky, LinAlgError
from .ops.lu import getrf
from .tensor import Tensor


def _raise_for(op: str, info: np.ndarray, problem: Callable[[int], str]) -> None:
    """LinAlgError naming the first failed matrix (its batch index when batched)."""
    bad = np.argwhere(info != 0)
    if not len(bad):
        return
    where = tuple(int(i) for i in bad[0])
    prefix = f"(Batch element {np.ravel_multi_index(where, info.shape)}): " if where else ""
    raise LinAlgError(f"linalg.{op}: {prefix}{problem(int(info[where]))}")


def _guarded(a: Tensor, bad: np.ndarray, f: Callable[[Tensor], Tensor], fill: Any) -> Tensor:
    """``f`` of the matrices ``a`` with each failed one (``bad``, batch-shaped) swapped for the
    identity, its result then replaced by ``fill`` (an array broadcasting to the result)."""
    if not bad.any():
        return f(a)
    eye = np.eye(a.shape[-1], dtype=a.dtype)
    out = f(Where.apply(bad[..., None, None], eye, a))
    shape = tuple(out.shape)
    mask = np.broadcast_to(bad.reshape(bad.shape + (1,) * (len(shape) - bad.ndim)), shape)
    return Where.apply(mask, np.broadcast_to(fill, shape).astype(out.dtype), out)


def _singular(op: str) -> Callable[[int], str]:
    return lambda i: (
        f"The diagonal element {i} is zero, the {op} could not be completed because the "
        "input matrix is singular."
    )


def inv_ex(A: Any, *, check_errors: bool = False) -> Any:  # noqa: N803 (torch's names)
    """``(inverse, info)``: info is getrf's (the first exactly zero pivot, 1-based)."""
    from .linalg import inv

    a = matrices(A, "inv_ex")
    info = getrf(a._data)[2]
    if check_errors:
        _raise_for("inv_ex", info, _singular("inversion"))
    inverse = _guarded(a, info != 0, inv, np.nan)
    return return_types.linalg_inv_ex(inverse, Tensor(info))


def solve_ex(A: Any, B: Any, *, left: bool = True, check_errors: bool = False) -> Any:  # noqa: N803
    """``(result, info)`` of ``linalg.solve`` (info: getrf's for A)."""
    from .linalg import solve

    a = matrices(A, "solve_ex")
    info = getrf(a._data)[2]
    if check_errors:
        _raise_for("solve_ex", info, lambda i: "The solver failed because the matrix is singular.")
    b = as_tensor(B)
    result = _guarded(a, info != 0, lambda m: solve(m, b, left=left), np.nan)
    return return_types.linalg_solve_ex(result, Tensor(info))


def potrf(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(L, info)``: the Cholesky factor of (..., n, n) matrices' lower triangles, column by
    column (LAPACK's potf2), and potrf's info (the order of the first leading minor that is
    not positive-definite, 0 when none). A failed matrix keeps what potf2 leaves: the columns
    done, the failing pivot's value, the rest of the lower triangle as it was."""
    n = a.shape[-1]
    w = np.tril(a).reshape(-1, n, n).copy()
    info = np.zeros(w.shape[0], dtype=np.int32)
    with np.errstate(all="ignore"):
        for j in range(n):
            go = info == 0
            row = w[go, j, :j]
            d = w[go, j, j] - np.einsum("bk,bk->b", row, row)
            w[go, j, j] = d
            fails = ~(d > 0)
            info[np.flatnonzero(go)[fails]] = j + 1
            ok = np.flatnonzero(go)[~fails]
            root = np.sqrt(d[~fails])
            w[ok, j, j] = root
            below = w[ok, j + 1 :, j] - np.einsum("bik,bk->bi", w[ok, j + 1 :, :j], w[ok, j, :j])
            w[ok, j + 1 :, j] = below / root[:, None]
    return w.reshape(a.shape), info.reshape(a.shape[:-2])


def cholesky_ex(A: Any, *, upper: bool = False, check_errors: bool = False) -> Any:  # noqa: N803
    """``(L, info)`` of ``linalg.cholesky`` (info: potrf's, the order of the first leading
    minor that is not positive-definite); ``upper=True`` reads A's upper triangle and gives
    the upper factor."""
    a = matrices(A, "cholesky_ex")
    if upper:  # (the upper triangle is read: the factor of A^T's lower one, transposed)
        a = a.mT
    partial, info = potrf(a._data)
    if check_errors:
        _raise_for(
            "cholesky_ex",
            info,
            lambda i: (
                "The factorization could not be completed because the input is not "
                f"positive-definite (the leading minor of order {i} is not positive-definite)."
            ),
        )
    lo = _guarded(a, info != 0, Cholesky.apply, partial)
    return return_types.linalg_cholesky_ex(lo.mT if upper else lo, Tensor(info))
