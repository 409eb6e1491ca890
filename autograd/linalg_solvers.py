"""``torch.linalg``'s triangular and least-squares solves, rank and condition numbers, and
the tensor (reshaped) inverse and solve: ``solve_triangular``, ``lstsq``, ``matrix_rank``,
``cond``, ``tensorinv`` and ``tensorsolve``. Each composes the differentiable linalg ops."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import linalg as la
from . import return_types
from .errors import ShapeError
from .linalg_ex import inv_ex
from .linalg_inputs import as_tensor, matrices, rank_cutoff, same_dtype
from .ops.linalg import SolveTriangular, finite_svd
from .tensor import Tensor


def _batch(op: str, a: Tensor, b: Tensor) -> None:
    try:
        np.broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    except ValueError:
        raise ShapeError(
            f"linalg.{op}: the batch dims of A {tuple(a.shape)} and B {tuple(b.shape)} do not "
            "broadcast"
        ) from None


def solve_triangular(
    A: Any,  # noqa: N803 (torch's argument names)
    B: Any,  # noqa: N803
    *,
    upper: bool,
    left: bool = True,
    unitriangular: bool = False,
) -> Tensor:
    """X with A X = B (``left=False``: X A = B) for triangular A, reading only its upper or
    lower triangle (and taking its diagonal as ones when ``unitriangular``); batch dims
    broadcast. A zero on the diagonal gives inf/nan entries, not an error."""
    a = matrices(A, "solve_triangular")
    b = as_tensor(B)
    if b.ndim < 2:
        raise ShapeError(
            "linalg.solve_triangular: The input tensor B must have at least 2 dimensions, "
            f"got shape {tuple(b.shape)}"
        )
    n = a.shape[-1]
    if (b.shape[-2] if left else b.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise ShapeError(
            f"linalg.solve_triangular: Incompatible shapes of A and B for the equation {eq} "
            f"({n}x{n} and {b.shape[-2]}x{b.shape[-1]})"
        )
    _batch("solve_triangular", a, b)
    if b.dtype != a.dtype:
        b = b.to(a.dtype)
    if unitriangular:
        eye = np.eye(n, dtype=a.dtype)
        a = a * (1 - eye) + eye
    if not left:
        return SolveTriangular.apply(a.mT, b.mT, not upper).mT
    return SolveTriangular.apply(a, b, bool(upper))


def matrix_rank(
    A: Any,  # noqa: N803
    tol: Any = None,
    hermitian: bool = False,
    *,
    atol: Any = None,
    rtol: Any = None,
) -> Tensor:
    """The number of singular values (eigenvalue magnitudes when ``hermitian``) above
    max(atol, rtol * largest), as int64 of the batch shape; rtol defaults to eps * max(m, n)
    unless a positive atol is given. ``tol`` (torch's older form) is an atol with rtol 0."""
    a = matrices(A, "matrix_rank", square=hermitian)
    if tol is not None:
        if atol is not None or rtol is not None:
            raise TypeError("linalg.matrix_rank: give tol, or atol and rtol, not both")
        atol, rtol = tol, 0.0
    if hermitian:
        s = np.sort(np.abs(np.linalg.eigvalsh(a._data)), axis=-1)[..., ::-1]
    else:
        s = finite_svd(a._data, compute_uv=False)
    rank = (s > rank_cutoff(s, tuple(a.shape), atol, rtol)).sum(-1)
    return Tensor(np.asarray(rank, dtype=np.int64))


def cond(A: Any, p: Any = None) -> Tensor:  # noqa: N803
    """The condition number of matrices in the ``p`` norm: for None, 2 and -2 the ratio of
    the largest and smallest singular values (any shape); for 'fro', 'nuc', inf, -inf, 1, -1
    norm(A) * norm(A^-1) (square A; inf for a singular one)."""
    a = matrices(A, "cond", square=False)
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s = la.svdvals(a)
        hi, lo = s[..., 0], s[..., -1]
        return lo / hi if p == -2 else hi / lo
    valid = p in ("fro", "nuc") if isinstance(p, str) else p in (math.inf, -math.inf, 1, -1)
    if not valid:
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p!r}")
    if a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"linalg.cond(ord={p}): A must be batches of square matrices, but they are "
            f"{a.shape[-2]} by {a.shape[-1]} matrices"
        )
    inverse, info = inv_ex(a)
    out = la.matrix_norm(a, p) * la.matrix_norm(inverse, p)
    bad = info._data != 0
    return out.masked_fill(bad, math.inf) if bad.any() else out


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def lstsq(A: Any, B: Any, rcond: Any = None, *, driver: Any = None) -> Any:  # noqa: N803
    """``(solution, residuals, rank, singular_values)``: X minimising ||A X - B|| (the
    minimum-norm one for rank-deficient A), batch dims broadcast; B is a batch of vectors
    when it has one dim fewer than A. Singular values at or below rcond * largest count as
    zero (default eps * max(m, n)). The other results follow the driver as PyTorch on CPU:
    ``rank`` for all but 'gels'; ``singular_values`` for 'gelsd' and 'gelss'; ``residuals``
    (||A X - B||^2 per column) when m > n for 'gels' and, when every matrix has full rank,
    for 'gelsd' and 'gelss'; each empty otherwise."""
    if driver is not None and driver not in _DRIVERS:
        raise RuntimeError(
            f"torch.linalg.lstsq: parameter `driver` should be one of {_DRIVERS}, got {driver!r}"
        )
    driver = driver or "gelsy"
    a = matrices(A, "lstsq", square=False)
    b = as_tensor(B)
    if not 0 <= a.ndim - b.ndim <= 1:
        raise ShapeError(
            "linalg.lstsq: input.dim() must be greater or equal to other.dim() and "
            f"(input.dim() - other.dim()) <= 1, got shapes {tuple(a.shape)} and {tuple(b.shape)}"
        )
    same_dtype("lstsq", a, b)
    vector = b.ndim == a.ndim - 1
    bm = b.unsqueeze(-1) if vector else b
    m, n = a.shape[-2:]
    if bm.shape[-2] != m:
        raise ShapeError(
            f"linalg.lstsq: input.size(-2) should match other.size(-2), got shapes "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    _batch("lstsq", a, bm)
    s = finite_svd(a._data, compute_uv=False)
    rtol = np.finfo(a.dtype).eps * max(m, n) if rcond is None or rcond < 0 else float(rcond)
    rank = (s > rank_cutoff(s, tuple(a.shape), None, rtol)).sum(-1)
    x = la.pinv(a, rtol=rtol) @ bm
    empty = Tensor(np.zeros((0,), dtype=a.dtype))
    residuals = empty
    if m > n and (driver == "gels" or (driver != "gelsy" and np.all(rank == n))):
        residuals = ((a @ x - bm) ** 2).sum(-2)
    rank_t = Tensor(np.zeros((0,), dtype=np.int64) if driver == "gels" else rank.astype(np.int64))
    values = Tensor(s) if driver in ("gelsd", "gelss") else empty
    return return_types.linalg_lstsq(x.squeeze(-1) if vector else x, residuals, rank_t, values)


def tensorinv(A: Any, ind: int = 2) -> Tensor:  # noqa: N803
    """The inverse of A seen as a linear map from its dims ``ind:`` to its dims ``:ind``
    (their sizes' products must agree): the result has shape A.shape[ind:] + A.shape[:ind]."""
    a = as_tensor(A)
    if not isinstance(ind, int) or ind <= 0:
        raise ValueError(
            f"linalg.tensorinv: expected a strictly positive integer for ind, got {ind!r}"
        )
    rows, cols = tuple(a.shape[:ind]), tuple(a.shape[ind:])
    if math.prod(rows) != math.prod(cols):
        raise ShapeError(
            "linalg.tensorinv: expected prod(A.shape[ind:]) == prod(A.shape[:ind]), got "
            f"{math.prod(cols)} != {math.prod(rows)} (shape {tuple(a.shape)}, ind={ind})"
        )
    k = math.prod(rows)
    return la.inv(a.reshape(k, k)).reshape(cols + rows)


def tensorsolve(A: Any, B: Any, dims: Any = None) -> Tensor:  # noqa: N803
    """X with tensordot(A, X, X.ndim) = B: A's leading dims match B's shape and its other
    dims (after moving ``dims`` of A to the end) give X's shape."""
    a, b = as_tensor(A), as_tensor(B)
    if dims is not None:
        dims = [dims] if isinstance(dims, int) else list(dims)
        a = a.movedim(dims, list(range(a.ndim - len(dims), a.ndim)))
    lead, rest = tuple(a.shape[: b.ndim]), tuple(a.shape[b.ndim :])
    if math.prod(rest) != math.prod(lead):
        raise ShapeError(
            "linalg.tensorsolve: expected prod(A.shape[B.ndim:]) == prod(A.shape[:B.ndim]), "
            f"got {math.prod(rest)} != {math.prod(lead)} (shapes {tuple(a.shape)} and "
            f"{tuple(b.shape)})"
        )
    if lead != tuple(b.shape):
        raise ShapeError(
            f"linalg.tensorsolve: A's leading dims {lead} do not match B's shape {tuple(b.shape)}"
        )
    k = math.prod(lead)
    return la.solve(a.reshape(k, k), b.reshape(k)).reshape(rest)
