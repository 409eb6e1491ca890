"""Linear algebra on (batches of) matrices: inverse, determinant, solve and the
factorizations (Cholesky, symmetric eigendecomposition, QR, SVD), each forward beside its
derivative.

Matrices are the last two dims; any leading dims are a batch. numpy's LAPACK does the
forward work. Every backward rule is written with operators and the helpers below, which take
raw arrays and nodes alike, so the same rule gives differentiable gradients under
``create_graph`` (where a rule needs an inverse or a solve of a node, it calls the op itself).

Ops that return several matrices (eigh, qr, svd) return them packed, flattened side by side
along one last axis (``pack``); ``autograd.linalg`` slices them apart, so their gradients
arrive packed the same way (zeros for a part the loss did not use).

With ``A^-T`` the transposed inverse and ``g`` the upstream gradient (as in the notes):

* inv:    Y = A^-1,          gA = -Y^T g Y^T
* det:    d = det A,         gA = g d A^-T
* logabsdet: log|det A|,     gA = g A^-T
* solve:  X = A^-1 B,        gB = A^-T g,  gA = -gB X^T
* cholesky: A = L L^T,       gA = L^-T sym(tril(L^T gL)) L^-1   (Murray 2016)
* eigh:   A = V diag(w) V^T, gA = V (diag(gw) + skew(V^T gV) / E) V^T,  E_ij = w_j - w_i
* qr:     A = Q R (m >= n),  gA = (gQ + Q copyltu(R gR^T - gQ^T Q)) R^-T  (singular R: inf/nan)
* solve_triangular: X = T^-1 B,  gB = T^-T g,  gT = -gB X^T on T's triangle
* svd:    A = U diag(s) V^T, gA = U (J S + S K + diag(gs)) V^T + the parts outside span(U), span(V)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dual import sum_to
from ..function import Context, Function
from ..node import Node


class LinAlgError(RuntimeError):
    """A matrix the op cannot handle (singular, not positive-definite, no convergence):
    PyTorch's ``torch.linalg.LinAlgError`` (a RuntimeError)."""


# --- helpers for raw arrays and nodes alike -----------------------------------------------


def mT(x: Any) -> Any:  # noqa: N802 (torch's name)
    """The transpose of the last two dims."""
    return x.swapaxes(-1, -2)


def inv(x: Any) -> Any:
    """The inverse (the recorded op on a node)."""
    if isinstance(x, Node):
        return Inv.apply(x)
    return _lapack("inv", np.linalg.inv, x)


def solve(a: Any, b: Any) -> Any:
    """A^-1 B for matrices B (the recorded op when either is a node)."""
    if isinstance(a, Node) or isinstance(b, Node):
        return Solve.apply(a, b)
    return _solve(a, b)


def solve_triangular(t: Any, b: Any, upper: bool) -> Any:
    """T^-1 B for triangular T (the recorded op when either is a node); a zero on T's
    diagonal gives inf/nan entries, not an error (as PyTorch's triangular solves)."""
    if isinstance(t, Node) or isinstance(b, Node):
        return SolveTriangular.apply(t, b, upper)
    return _substitute(t, b, upper)


def _substitute(t: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """Back (upper) or forward (lower) substitution, one row of X at a time."""
    batch = np.broadcast_shapes(t.shape[:-2], b.shape[:-2])
    t = np.broadcast_to(t, batch + t.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    n = t.shape[-1]
    x = np.zeros(b.shape, dtype=np.result_type(t, b))
    with np.errstate(all="ignore"):
        for i in range(n - 1, -1, -1) if upper else range(n):
            done = slice(i + 1, n) if upper else slice(0, i)
            rest = b[..., i, :] - np.einsum("...j,...jk->...k", t[..., i, done], x[..., done, :])
            x[..., i, :] = rest / t[..., i, i, None]
    return x


def diagonal(x: Any) -> Any:
    """The diagonal of the last two dims."""
    if isinstance(x, Node):
        return x.diagonal(0, -2, -1)  # type: ignore[attr-defined]
    return np.diagonal(x, axis1=-2, axis2=-1)


def diag_embed(v: Any) -> Any:
    """Square matrices with ``v`` (..., n) on their diagonals."""
    n = v.shape[-1]
    return v[..., None] * np.eye(n, dtype=v.dtype)


def tril(x: Any, k: int = 0) -> Any:
    """The lower triangle (diagonal ``k`` and below), the rest selected as 0 (as torch: the
    unread triangle's gradient stays 0 where the read one is inf or nan)."""
    if isinstance(x, Node):
        return x.tril(k)  # type: ignore[attr-defined]
    return np.tril(x, k)


def _lapack(op: str, f: Any, *xs: Any) -> Any:
    try:
        return f(*xs)
    except np.linalg.LinAlgError as e:
        raise LinAlgError(
            f"linalg.{op}: {e} (the input of shape {tuple(xs[0].shape)} is singular or "
            "ill-posed for this op)"
        ) from None


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    return _lapack("solve", np.linalg.solve, a, b)


def finite_svd(a: np.ndarray, compute_uv: bool = True, full_matrices: bool = True) -> Any:
    """numpy's SVD of (batches of) matrices, as torch's for non-finite entries (LAPACK's
    iteration may never end on them): a nan raises LinAlgError, a matrix with an infinite
    entry gets nan factors and singular values."""
    if np.isnan(a).any():
        raise LinAlgError(
            "linalg.svd: The algorithm failed to converge because the input matrix contained "
            "non-finite values."
        )
    bad = np.isinf(a).any(axis=(-2, -1))
    if bad.any():
        a = np.where(bad[..., None, None], 0.0, a).astype(a.dtype)
    try:
        out = np.linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)  # type: ignore[call-overload]
    except np.linalg.LinAlgError:
        raise LinAlgError(
            f"linalg.svd: the SVD of the input of shape {tuple(a.shape)} did not converge"
        ) from None
    if not bad.any():
        return out
    parts = list(out) if compute_uv else [out]
    for p in parts:
        p[bad] = np.nan
    return tuple(parts) if compute_uv else parts[0]


def pack(*parts: np.ndarray) -> np.ndarray:
    """Matrices of one batch shape flattened and joined along one last axis."""
    batch = parts[0].shape[:-2]
    # (explicit sizes: -1 cannot be inferred when the batch is empty)
    return np.concatenate([p.reshape(batch + (p.shape[-2] * p.shape[-1],)) for p in parts], axis=-1)


def unpack(x: Any, shapes: list[tuple]) -> list:
    """The parts of a packed array (or node) back in their shapes."""
    batch = tuple(x.shape[:-1])
    out, start = [], 0
    for s in shapes:
        size = int(np.prod(s, dtype=np.int64))
        out.append(x[..., start : start + size].reshape(batch + tuple(s)))
        start += size
    return out


# --- the ops -------------------------------------------------------------------------------


class Inv(Function):
    """A^-1; gA = -Y^T g Y^T with Y = A^-1."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        y = _lapack("inv", np.linalg.inv, a)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (y,) = ctx.saved_tensors
        yt = mT(y)
        return -(yt @ g @ yt)


class Det(Function):
    """det A; gA = g cof(A), the cofactor matrix: det(A) A^-T where A is invertible, and
    from the SVD where det(A) is 0 (see ``cofactors``; the second derivative there raises)."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        d = np.asarray(np.linalg.det(a))
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        a, d = ctx.saved_tensors
        singular = _data(d) == 0
        if not singular.any():
            return (g * d)[..., None, None] * mT(inv(a))
        if isinstance(g, Node) or isinstance(a, Node):
            raise LinAlgError(
                "det: the second derivative at a singular matrix (det 0) is not supported"
            )
        cof = np.empty(a.shape, dtype=np.result_type(a, d))
        cof[singular] = cofactors(a[singular])
        invertible = ~singular
        cof[invertible] = d[invertible][..., None, None] * mT(inv(a[invertible]))
        return g[..., None, None] * cof


def _data(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Node) else np.asarray(x)


def cofactors(a: np.ndarray) -> np.ndarray:
    """The cofactor matrices (adj(A)^T) of a stack of matrices, singular ones included: with
    A = U diag(s) V^T, cof(A) = det(U) det(V) U diag(p) V^T where p_i is the product of the
    singular values other than s_i (no division, so exact zeros stay zeros)."""
    u, s, vh = _lapack("svd", np.linalg.svd, a)
    ones = np.ones(s.shape[:-1] + (1,), dtype=s.dtype)
    before = np.cumprod(np.concatenate([ones, s[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, s[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return sign[..., None, None] * (u * (before * after)[..., None, :]) @ vh


class LogAbsDet(Function):
    """log |det A| (slogdet's second part); gA = g A^-T."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.asarray(np.linalg.slogdet(a)[1])

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (a,) = ctx.saved_tensors
        return g[..., None, None] * mT(inv(a))


class Solve(Function):
    """X = A^-1 B for matrices B (batches broadcast); gB = A^-T g, gA = -gB X^T."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        x = _solve(a, b)
        ctx.save_for_backward(a, b, x)
        return x

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b, x = ctx.saved_tensors
        gb = solve(mT(a), g)
        ga = -(gb @ mT(x)) if ctx.needs_input_grad[0] else None
        return (
            None if ga is None else sum_to(ga, tuple(a.shape)),
            sum_to(gb, tuple(b.shape)) if ctx.needs_input_grad[1] else None,
        )


class SolveTriangular(Function):
    """X = T^-1 B for (batches of) triangular T (only its ``upper`` or lower triangle read);
    gB = T^-T g, gT = -gB X^T restricted to that triangle."""

    @staticmethod
    def forward(ctx: Context, t: Any, b: Any, upper: bool) -> Any:
        x = _substitute(t, b, upper)
        ctx.save_for_backward(t, x)
        ctx.upper, ctx.b_shape = upper, tuple(b.shape)
        return x

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        t, x = ctx.saved_tensors
        gb = solve_triangular(mT(t), g, not ctx.upper)
        gt = None
        if ctx.needs_input_grad[0]:
            full = -(gb @ mT(x))
            gt = sum_to(mT(tril(mT(full))) if ctx.upper else tril(full), tuple(t.shape))
        return gt, sum_to(gb, ctx.b_shape) if ctx.needs_input_grad[1] else None, None


class Cholesky(Function):
    """L with A = L L^T (lower triangle of A read); gA = L^-T S L^-1 with S the symmetric
    matrix whose lower triangle is tril(L^T gL) and whose diagonal is halved (Murray 2016,
    as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        try:
            lo = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                f"linalg.cholesky: the input of shape {tuple(a.shape)} is not positive-definite"
            ) from None
        ctx.save_for_backward(lo)
        return lo

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (lo,) = ctx.saved_tensors
        m = tril(mT(lo) @ g)
        s = (m + mT(tril(m, -1))) * 0.5
        li = inv(lo)
        return mT(li) @ s @ li


class Eigh(Function):
    """Eigenvalues w (ascending) and orthonormal eigenvectors V of a symmetric matrix (the
    ``uplo`` triangle read), packed: gA = V (diag(gw) + skew(V^T gV) / E) V^T with
    skew(X) = (X - X^T) / 2 and E_ij = w_j - w_i (repeated eigenvalues: no finite gradient
    for V, as in PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Any, uplo: str) -> Any:
        try:
            w, v = np.linalg.eigh(a, UPLO=uplo)  # type: ignore[call-overload]
        except np.linalg.LinAlgError:
            raise LinAlgError(
                f"linalg.eigh: the eigendecomposition of the input of shape "
                f"{tuple(a.shape)} did not converge"
            ) from None
        out = pack(v, w[..., None])
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (out,) = ctx.saved_tensors
        n = _eigh_n(out.shape[-1])
        v, w = unpack(out, [(n, n), (n,)])
        gv, gw = unpack(g, [(n, n), (n,)])
        vg = mT(v) @ gv
        e = w[..., None, :] - w[..., :, None] + np.eye(n, dtype=out.dtype)
        inner = (vg - mT(vg)) * 0.5 / e + diag_embed(gw)
        return v @ inner @ mT(v), None


def _eigh_n(size: int) -> int:
    """n from the packed size n * n + n."""
    n = int(round((-1 + (1 + 4 * size) ** 0.5) / 2))
    assert n * n + n == size
    return n


class QR(Function):
    """Q (m, k) and R (k, n), k = min(m, n) (or Q (m, m) in complete mode), packed.

    m >= n: gA = (gQ + Q copyltu(M)) R^-T with M = R gR^T - gQ^T Q and copyltu(M) the
    symmetric matrix with M's lower triangle. m < n: A = Q [X | Y] splits as the square case
    for the first m columns (with gQ + Q Y gY^T, since Y = Q^T A_Y) and gA_Y = Q gY.
    """

    @staticmethod
    def forward(ctx: Context, a: Any, mode: str) -> Any:
        # + 0.0 turns -0.0 into 0.0: LAPACK builds differ on the sign of a zero pivot, and
        # PyTorch's gives R's diagonal the opposite sign of +0 and -0 alike
        q, r = np.linalg.qr(a + 0.0, mode=mode)  # type: ignore[call-overload]
        ctx.shapes = [q.shape[-2:], r.shape[-2:]]
        ctx.mode = mode
        out = pack(q, r)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (out,) = ctx.saved_tensors
        q, r = unpack(out, ctx.shapes)
        gq, gr = unpack(g, ctx.shapes)
        m, k = ctx.shapes[0]
        n = ctx.shapes[1][-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError(
                "linalg.qr: the QR decomposition is not differentiable when mode='complete' "
                "and the matrix has more rows than columns"
            )
        if m >= n:
            return _qr_square_or_tall(q, r, gq, gr), None
        x, y = r[..., :, :m], r[..., :, m:]
        gx, gy = gr[..., :, :m], gr[..., :, m:]
        gu = _qr_square_or_tall(q, x, gq + q @ y @ mT(gy), gx)
        gv = q @ gy
        return _concat_last(gu, gv), None


def _qr_square_or_tall(q: Any, r: Any, gq: Any, gr: Any) -> Any:
    mm = r @ mT(gr) - mT(gq) @ q
    low = tril(mm, -1)
    sym = low + mT(low) + diag_embed(diagonal(mm))
    return mT(solve_triangular(r, mT(gq + q @ sym), upper=True))


def _concat_last(a: Any, b: Any) -> Any:
    if isinstance(a, Node) or isinstance(b, Node):
        from ..functions import cat

        return cat([a, b], -1)
    return np.concatenate([a, b], axis=-1)


def _nonzero(g: Any) -> bool:
    """Whether a gradient block (raw or a node) has a nonzero entry."""
    return bool(np.any(g._data if isinstance(g, Node) else g))


class SVD(Function):
    """U, S, Vh with A = U diag(S) Vh, packed. With k = min(m, n), J = U^T gU, K = V^T gV and
    E_ij = s_j^2 - s_i^2 (PyTorch's svd_backward, real case):

        gA = U ((J - J^T) / E diag(s) + diag(s) (K - K^T) / E + diag(gs)) V^T
             + (I - U U^T) gU diag(1/s) V^T + U diag(1/s) gV^T (I - V V^T)

    (full_matrices: only the first k columns of U and rows of Vh enter, as in PyTorch).
    Repeated or zero singular values give no finite gradient for U and V.
    """

    @staticmethod
    def forward(ctx: Context, a: Any, full_matrices: bool) -> Any:
        u, s, vh = finite_svd(a, full_matrices=full_matrices)
        ctx.shapes = [u.shape[-2:], s.shape[-1:], vh.shape[-2:]]
        out = pack(u, s[..., None], vh)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (out,) = ctx.saved_tensors
        u, s, vh = unpack(out, ctx.shapes)
        gu, gs, gvh = unpack(g, ctx.shapes)
        k = ctx.shapes[1][0]
        m, n = ctx.shapes[0][0], ctx.shapes[2][1]
        u, gu = u[..., :, :k], gu[..., :, :k]
        vh, gvh = vh[..., :k, :], gvh[..., :k, :]
        if not _nonzero(gu) and not _nonzero(gvh):
            # only the singular values were used (svdvals, the 2- and nuclear norms): torch's
            # U diag(gs) Vh, without the 1 / (s_j^2 - s_i^2) terms that are 0 / 0 (nan) for
            # repeated or zero singular values
            return u @ diag_embed(gs) @ vh, None
        v, gv = mT(vh), mT(gvh)
        s_row, s_col = s[..., None, :], s[..., :, None]
        e = s_row * s_row - s_col * s_col + np.eye(k, dtype=out.dtype)
        j = mT(u) @ gu
        kk = vh @ gv
        inner = (j - mT(j)) / e * s_row + s_col * ((kk - mT(kk)) / e) + diag_embed(gs)
        ga = u @ inner @ vh
        if m > k:
            ga = ga + (gu - u @ j) / s_row @ vh
        if n > k:
            ga = ga + u @ (mT(gv - v @ kk) / s_col)
        return ga, None
