"""``autograd.linalg``: PyTorch's ``torch.linalg`` (names, arguments, results), batched over
leading dims and differentiable. The ops and their derivatives live in ``autograd/ops/linalg.py``;
norms and matrix powers are composed from other ops. The rest of torch.linalg is gathered here
from one file per family: ``linalg_products`` (matrix_exp, cross, multi_dot, vander...),
``linalg_solvers`` (solve_triangular, lstsq, matrix_rank, cond, tensorinv/tensorsolve),
``linalg_ex`` (inv_ex, cholesky_ex, solve_ex), ``linalg_lu``, ``linalg_ldl``, ``linalg_eig``
and ``linalg_householder``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import return_types
from .linalg_inputs import matrices as _matrices
from .linalg_inputs import rank_cutoff
from .ops import linalg as ops
from .ops.linalg import LinAlgError
from .tensor import Tensor

__all__ = [
    "LinAlgError",
    "cholesky",
    "cholesky_ex",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "householder_product",
    "inv",
    "inv_ex",
    "ldl_factor",
    "ldl_factor_ex",
    "ldl_solve",
    "lstsq",
    "lu",
    "lu_factor",
    "lu_factor_ex",
    "lu_solve",
    "matmul",
    "matrix_exp",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_ex",
    "solve_triangular",
    "svd",
    "svdvals",
    "tensorinv",
    "tensorsolve",
    "vander",
    "vecdot",
    "vector_norm",
]


def inv(A: Any) -> Tensor:  # noqa: N803 (torch's argument names)
    """The inverse of square matrices; a singular one raises ``LinAlgError``."""
    return ops.Inv.apply(_matrices(A, "inv"))


def det(A: Any) -> Tensor:  # noqa: N803
    """The determinant of square matrices (shape: the batch dims)."""
    return ops.Det.apply(_matrices(A, "det"))


def slogdet(A: Any) -> Any:  # noqa: N803
    """``(sign, logabsdet)``: the determinant's sign (-1, 0 or 1, no gradient) and the log of
    its magnitude (-inf for a singular matrix)."""
    a = _matrices(A, "slogdet")
    sign = np.asarray(np.linalg.slogdet(a._data)[0], dtype=a.dtype)
    return return_types.linalg_slogdet(Tensor(sign), ops.LogAbsDet.apply(a))


def logdet(A: Any) -> Tensor:  # noqa: N803
    """log det A: nan where the determinant is negative, -inf where it is 0 (PyTorch's
    ``torch.logdet``)."""
    a = _matrices(A, "logdet")
    sign = np.linalg.slogdet(a._data)[0]
    lad = ops.LogAbsDet.apply(a)
    if np.all(sign >= 0):
        return lad
    return lad + np.where(sign < 0, np.nan, 0.0).astype(a.dtype)


def solve(A: Any, B: Any, *, left: bool = True) -> Tensor:  # noqa: N803
    """X with A X = B (``left=False``: X A = B). B is a batch of vectors when it is 1-d or has
    the shape of A without its last dim (PyTorch's rule), else a batch of matrices; batch dims
    broadcast. A singular A raises ``LinAlgError``."""
    a = _matrices(A, "solve")
    b = B if isinstance(B, Tensor) else Tensor(B)
    if not left:
        return solve(a.mT, b.mT).mT
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1]))
    bm = b.unsqueeze(-1) if vector else b
    if bm.ndim < 2 or bm.shape[-2] != a.shape[-1]:
        raise ValueError(
            f"linalg.solve: A of shape {tuple(a.shape)} and B of shape {tuple(b.shape)} do not "
            f"match (B needs {a.shape[-1]} rows)"
        )
    try:
        np.broadcast_shapes(tuple(a.shape[:-2]), tuple(bm.shape[:-2]))
    except ValueError:
        raise ValueError(
            f"linalg.solve: the batch dims of A {tuple(a.shape)} and B {tuple(b.shape)} do not "
            "broadcast"
        ) from None
    x = ops.Solve.apply(a, bm)
    return x.squeeze(-1) if vector else x


def cholesky(A: Any, *, upper: bool = False) -> Tensor:  # noqa: N803
    """L (lower triangular, positive diagonal) with A = L L^T, reading A's lower triangle;
    ``upper=True`` gives U = L^T, reading A's upper triangle (as PyTorch). A matrix that is
    not positive-definite raises ``LinAlgError``."""
    a = _matrices(A, "cholesky")
    return ops.Cholesky.apply(a.mT).mT if upper else ops.Cholesky.apply(a)


def eigh(A: Any, UPLO: str = "L") -> Any:  # noqa: N803
    """``(eigenvalues, eigenvectors)`` of symmetric matrices (only the ``UPLO`` triangle is
    read): eigenvalues ascending, eigenvectors as columns. Each eigenvector's sign is
    arbitrary (as in PyTorch); gradients through them need distinct eigenvalues."""
    if UPLO not in ("L", "U"):
        raise ValueError(f"linalg.eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    a = _matrices(A, "eigh")
    n = a.shape[-1]
    v, w = ops.unpack(ops.Eigh.apply(a, UPLO), [(n, n), (n,)])
    return return_types.linalg_eigh(w, v)


def eigvalsh(A: Any, UPLO: str = "L") -> Tensor:  # noqa: N803
    """The eigenvalues of symmetric matrices, ascending."""
    return eigh(A, UPLO).eigenvalues


def qr(A: Any, mode: str = "reduced") -> Any:  # noqa: N803
    """``(Q, R)`` with A = Q R, Q with orthonormal columns and R upper triangular (LAPACK's
    signs, as PyTorch). ``mode``: 'reduced' (Q is m x k, k = min(m, n)), 'complete' (Q is
    m x m) or 'r' (R only; Q is empty and R has no gradient)."""
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"linalg.qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    a = _matrices(A, "qr", square=False)
    if mode == "r":
        r = np.linalg.qr(a._data + 0.0, mode="r")  # (-0.0 pivots: see ops.QR)
        return return_types.linalg_qr(Tensor(np.zeros((0,), dtype=a.dtype)), Tensor(r))
    m, n = a.shape[-2:]
    k = m if mode == "complete" else min(m, n)
    q, r = ops.unpack(ops.QR.apply(a, mode), [(m, k), (k, n)])
    return return_types.linalg_qr(q, r)


def svd(A: Any, full_matrices: bool = True, *, driver: Any = None) -> Any:  # noqa: N803
    """``(U, S, Vh)`` with A = U diag(S) Vh, S descending. ``full_matrices=True`` gives square
    U and Vh (their extra columns/rows get no gradient, as in PyTorch). Each singular pair's
    sign is arbitrary; gradients through U and Vh need distinct nonzero singular values."""
    a = _matrices(A, "svd", square=False)
    m, n = a.shape[-2:]
    k = min(m, n)
    um, vn = (m, n) if full_matrices else (k, k)
    u, s, vh = ops.unpack(ops.SVD.apply(a, bool(full_matrices)), [(m, um), (k,), (vn, n)])
    return return_types.linalg_svd(u, s, vh)


def svdvals(A: Any, *, driver: Any = None) -> Tensor:  # noqa: N803
    """The singular values, descending (gradient U diag(gS) Vh)."""
    return svd(A, full_matrices=False).S


def pinv(A: Any, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:  # noqa: N803
    """The Moore-Penrose pseudo-inverse, through the SVD: singular values at or below
    max(atol, rtol * largest) count as zero (rtol defaults to eps * max(m, n) unless a
    positive atol is given, PyTorch's rule). Differentiable where the rank does not change."""
    a = _matrices(A, "pinv", square=False)
    u, s, vh = svd(a, full_matrices=False)
    keep = s._data > rank_cutoff(s._data, tuple(a.shape), atol, rtol)
    s_inv = s.masked_fill(~keep, 1.0).reciprocal().masked_fill(~keep, 0.0)
    return (vh.mT * s_inv.unsqueeze(-2)) @ u.mT


def matrix_power(A: Any, n: int) -> Tensor:  # noqa: N803
    """A to the integer power n (n = 0: the identity; n < 0: the inverse's power), by
    repeated squaring."""
    a = _matrices(A, "matrix_power")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"linalg.matrix_power: n must be an int, got {n!r}")
    if n == 0:
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
        return Tensor(eye.copy())
    if n < 0:
        a, n = inv(a), -n
    result = None
    base = a
    while True:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if not n:
            break
        base = base @ base
    return result  # type: ignore[return-value]


def vector_norm(
    x: Any, ord: Any = 2, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:  # noqa: A002
    """The ``ord``-norm of the entries over ``dim`` (all of them by default, as one flat
    vector): 2 Euclidean, 1 sum of magnitudes, inf / -inf largest / smallest magnitude, 0 the
    count of nonzeros, any other p (sum |x|^p)^(1/p)."""
    t = x if isinstance(x, Tensor) else Tensor(x)
    if t.dtype.kind != "f":
        raise TypeError(f"linalg.vector_norm: expected a floating point tensor, got {t.dtype}")
    if isinstance(ord, str):
        raise ValueError(f"linalg.vector_norm: ord must be a number, got {ord!r}")
    if isinstance(dim, list):
        dim = tuple(dim)
    return t.norm(ord, dim, keepdim, dtype=dtype)


def _matrix_dims(t: Tensor, dim: Any, op: str) -> tuple[int, int]:
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise ValueError(f"linalg.{op}: dim must be a pair of dims, got {dim!r}")
    d0, d1 = (int(d) % t.ndim if -t.ndim <= d < t.ndim else None for d in dim)
    if d0 is None or d1 is None:
        raise ValueError(f"linalg.{op}: dim {tuple(dim)} out of range for shape {tuple(t.shape)}")
    if d0 == d1:
        raise ValueError(f"linalg.{op}: dims must be different, got {tuple(dim)}")
    return d0, d1


def matrix_norm(
    A: Any,  # noqa: N803
    ord: Any = "fro",  # noqa: A002
    dim: Any = (-2, -1),
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """The ``ord``-norm of the matrices in dims ``dim``: 'fro' (Frobenius), 'nuc' (sum of
    singular values), 1 / -1 (largest / smallest column sum of magnitudes), inf / -inf (the
    same over rows), 2 / -2 (largest / smallest singular value)."""
    t = A if isinstance(A, Tensor) else Tensor(A)
    if t.dtype.kind != "f":
        raise TypeError(f"linalg.matrix_norm: expected a floating point tensor, got {t.dtype}")
    if dtype is not None:
        t = t.to(dtype)
    if t.ndim < 2:
        raise ValueError(
            f"linalg.matrix_norm: expected at least 2 dims, got shape {tuple(t.shape)}"
        )
    d0, d1 = _matrix_dims(t, dim, "matrix_norm")
    if 0 in (t.shape[d0], t.shape[d1]) and ord in ("nuc", 2, 1, math.inf):
        return t.abs().sum((d0, d1), keepdim=keepdim)  # an empty matrix's norm is 0 (torch's)
    if ord == "fro":
        return t.norm("fro", (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        moved = t.movedim((d0, d1), (-2, -1))
        s = svdvals(moved)
        out = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
        if keepdim:
            for d in sorted((d0, d1)):
                out = out.unsqueeze(d)
        return out
    if ord in (1, -1, math.inf, -math.inf):
        # 1: sum over rows (d0), then the largest column; inf: sum over columns, largest row
        over, across = (d0, d1) if abs(ord) == 1 else (d1, d0)
        sums = t.abs().sum(over, keepdim=True)
        out = sums.amax(across, keepdim=True) if ord > 0 else sums.amin(across, keepdim=True)
        return out if keepdim else out.squeeze((d0, d1))
    raise ValueError(
        f"linalg.matrix_norm: ord must be 'fro', 'nuc', 1, -1, 2, -2, inf or -inf, got {ord!r}"
    )


def norm(
    A: Any,  # noqa: N803
    ord: Any = None,  # noqa: A002
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """A vector or matrix norm, PyTorch's ``torch.linalg.norm``: with ``dim`` an int (or one
    dim) a vector norm, with two dims a matrix norm; with ``dim=None`` the 2-norm of all
    entries when ``ord`` is None, else the norm of the 1-d or 2-d input."""
    t = A if isinstance(A, Tensor) else Tensor(A)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None:
        if ord is None:
            return vector_norm(t, 2, None, keepdim, dtype=dtype)
        if t.ndim not in (1, 2):
            raise ValueError(
                f"linalg.norm: with ord={ord!r} and dim=None the input must be 1-d or 2-d, got "
                f"shape {tuple(t.shape)}"
            )
        dim = tuple(range(t.ndim))
    if len(dim) == 1:
        return vector_norm(t, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    if len(dim) == 2:
        return matrix_norm(t, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    raise ValueError(f"linalg.norm: dim must be one or two dims, got {dim!r}")


# (imported last: these build on the functions above)
from .linalg_eig import eig, eigvals  # noqa: E402
from .linalg_ex import cholesky_ex, inv_ex, solve_ex  # noqa: E402
from .linalg_householder import householder_product  # noqa: E402
from .linalg_ldl import ldl_factor, ldl_factor_ex, ldl_solve  # noqa: E402
from .linalg_lu import lu, lu_factor, lu_factor_ex, lu_solve  # noqa: E402
from .linalg_products import (  # noqa: E402
    cross,
    diagonal,
    matmul,
    matrix_exp,
    multi_dot,
    vander,
    vecdot,
)
from .linalg_solvers import (  # noqa: E402
    cond,
    lstsq,
    matrix_rank,
    solve_triangular,
    tensorinv,
    tensorsolve,
)
