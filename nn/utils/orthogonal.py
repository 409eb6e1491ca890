"""The orthogonal parametrization behind ``nn.utils.parametrizations.orthogonal``: a matrix
(or batch of matrices) X of shape (*, n, k) mapped to Q with orthonormal columns (n >= k) or
rows (n < k; X is transposed, mapped, and Q transposed back), unitary for complex X.

The maps, for a tall X (n >= k):

- ``"matrix_exp"``: Q = exp(A)[:, :k], with A = L - L^H skew-symmetric (skew-Hermitian),
  L the lower triangle of X padded with zero columns to n x n;
- ``"cayley"``: Q = ((I - A/2)^{-1} (I + A/2))[:, :k], the same A;
- ``"householder"`` (real only): Q = H_1 ... H_k [:, :k] * d, H_i = I - tau_i v_i v_i^T with
  v_i below X's diagonal (1 on it) and tau_i = 2 / ||v_i||^2, so each H_i is a reflection,
  and d the signs on X's diagonal (truncated to integers, as constants).

With ``use_trivialization=True`` the result is multiplied on the left by an orthogonal n x n
buffer ``base``: assigning a matrix Q0 to the weight stores in ``base`` Q0 (if square and
already orthogonal) or the Q factor of Q0's QR decomposition with a non-negative real
diagonal in R (a non-square Q0 completed to n x n with random columns first), and sets the
original to -I, which every map sends to I, so the weight reads as that Q factor.
Without it, assigning is possible only for ``"householder"``: the original becomes Q0's
Householder vectors (LAPACK's geqrf) with the signs of R on its diagonal.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, cat, linalg, zeros
from autograd.random import default_generator

from ..module import Module

MAPS = ("matrix_exp", "cayley", "householder")


def _solve(a: Tensor, b: Tensor) -> Tensor:
    """a^{-1} b for real or complex square a (a complex system as its real 2n x 2n form)."""
    if not a.is_complex():
        return linalg.solve(a, b)
    top = cat([a.real, -a.imag], dim=-1)
    block = cat([top, cat([a.imag, a.real], dim=-1)], dim=-2)
    x = linalg.solve(block, cat([b.real, b.imag], dim=-2))
    n = a.shape[-1]
    return x[..., :n, :] + 1j * x[..., n:, :]


def _skew(x: Tensor) -> Tensor:
    """A = L - L^H for L the lower triangle of the tall x (*, n, k) padded to (*, n, n)."""
    n, k = x.shape[-2:]
    lower = x.tril()
    if n != k:
        pad = zeros(*x.shape[:-2], n, n - k, dtype=x.dtype)
        lower = cat([lower, pad], dim=-1)
    return lower - lower.mH


def _householder(x: Tensor) -> Tensor:
    """The product of the reflections stored below x's diagonal, times the signs on it."""
    vectors = x.tril(-1)
    tau = 2.0 / (1.0 + (vectors * vectors).sum(dim=-2))
    signs = np.trunc(x.detach().diagonal(dim1=-2, dim2=-1).numpy())
    return linalg.householder_product(vectors, tau) * Tensor(signs[..., None, :])


def _q_factor(a: np.ndarray) -> np.ndarray:
    """The Q of a = QR (a tall, real or complex) scaled so diag(R) is real and non-negative
    (a column whose R entry is 0 becomes 0)."""
    q, r = np.linalg.qr(a)
    d = np.diagonal(r, axis1=-2, axis2=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sgn = np.where(d == 0, 0, d / np.where(d == 0, 1, np.abs(d)))
    return q * sgn[..., None, :]


def _is_orthogonal(q: np.ndarray) -> bool:
    """Whether the tall q has orthonormal columns, to within 10 n float eps."""
    n, k = q.shape[-2:]
    gram = np.conj(np.swapaxes(q, -1, -2)) @ q
    eps = 10.0 * n * np.finfo(q.dtype).eps
    return bool(np.allclose(gram, np.eye(k), rtol=1e-5, atol=eps))


def _random_columns(shape: tuple, dtype: np.dtype) -> np.ndarray:
    """Standard normal entries (complex ones of unit variance for a complex dtype)."""
    rng = default_generator()
    if np.dtype(dtype).kind == "c":
        parts = rng.normal(size=(2, *shape)) / np.sqrt(2.0)
        return (parts[0] + 1j * parts[1]).astype(dtype)
    return rng.normal(size=shape).astype(dtype)


class _Orthogonal(Module):
    """weight = [base @] map(original), with ``map`` one of ``MAPS`` (see the module doc)."""

    def __init__(
        self, weight: Tensor, orthogonal_map: str, *, use_trivialization: bool = True
    ) -> None:
        super().__init__()
        if weight.is_complex() and orthogonal_map == "householder":
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = tuple(weight.shape)
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:  # noqa: N803 (torch's argument name)
        wide = X.shape[-2] < X.shape[-1]
        x = X.mT if wide else X
        n, k = x.shape[-2:]
        if self.orthogonal_map == "householder":
            q = _householder(x)
        else:
            a = _skew(x)
            if self.orthogonal_map == "matrix_exp":
                square = linalg.matrix_exp(a)
            else:
                eye = Tensor(np.eye(n, dtype=a.dtype))
                square = _solve(eye - a * 0.5, eye + a * 0.5)
            q = square[..., :k] if n != k else square
        if "base" in self._buffers:
            q = self.base @ q
        return q.mT if wide else q

    def right_inverse(self, Q: Tensor) -> Tensor:  # noqa: N803 (torch's argument name)
        """The original whose parametrized value is Q, orthonormalised (see the module doc)."""
        if tuple(Q.shape) != self.shape:
            raise ValueError(
                f"Expected a matrix or batch of matrices of shape {self.shape}. "
                f"Got a tensor of shape {tuple(Q.shape)}."
            )
        value = Q.detach().numpy()
        wide = value.shape[-2] < value.shape[-1]
        q = np.swapaxes(value, -1, -2) if wide else value
        n, k = q.shape[-2:]
        if "base" not in self._buffers:
            if self.orthogonal_map != "householder":
                raise NotImplementedError(
                    "It is not possible to assign to the matrix exponential or the Cayley "
                    "parametrizations when use_trivialization=False."
                )
            original = _householder_vectors(q)
            return Tensor(np.swapaxes(original, -1, -2) if wide else original)
        if n == k and _is_orthogonal(q):
            base = q.copy()
        else:
            if n != k:
                extra = _random_columns((*q.shape[:-2], n, n - k), q.dtype)
                q = np.concatenate([q, extra], axis=-1)
            base = _q_factor(q)
        self.base = Tensor(np.ascontiguousarray(base, dtype=value.dtype))
        minus_eye = -np.eye(*value.shape[-2:], dtype=value.dtype)
        return Tensor(np.broadcast_to(minus_eye, value.shape).copy())


def _householder_vectors(q: np.ndarray) -> np.ndarray:
    """LAPACK's geqrf of the tall real q (its reflectors below the diagonal) with the signs of
    R's diagonal on the diagonal, flipped where geqrf reflected nothing (tau = 0), so that
    ``_householder`` of it is q's Q factor with a non-negative diagonal in R."""
    flat = q.reshape(-1, *q.shape[-2:])
    out = np.empty_like(flat)
    for i, matrix in enumerate(flat):
        h, tau = np.linalg.qr(matrix, mode="raw")
        a = h.T.copy()
        k = np.arange(len(tau))
        a[k, k] = np.sign(a[k, k]) * np.where(tau == 0, -1, 1)
        out[i] = a
    return out.reshape(q.shape)


def orthogonal_parametrization(
    weight: Any, orthogonal_map: str | None, use_trivialization: bool
) -> _Orthogonal:
    """The ``_Orthogonal`` for ``weight``, checking its shape and the map's name; the map
    defaults to matrix_exp for square or complex weights, householder otherwise."""
    if weight.ndim < 2:
        raise ValueError(
            f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions."
        )
    if orthogonal_map is None:
        square = weight.shape[-2] == weight.shape[-1]
        orthogonal_map = "matrix_exp" if square or weight.is_complex() else "householder"
    if orthogonal_map not in MAPS:
        raise ValueError(
            'orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
            f"Got: {orthogonal_map}"
        )
    return _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
