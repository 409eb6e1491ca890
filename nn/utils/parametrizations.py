"""``nn.utils.parametrizations``: weight and spectral normalisation and orthogonal matrices
as parametrizations (PyTorch's current forms; see ``parametrize``), stored as
``parametrizations.<name>.original0/1`` (g and v) or ``.original`` with buffers ``0._u``,
``0._v`` (spectral norm) or ``0.base`` (orthogonal, see ``orthogonal.py``)."""

from __future__ import annotations

from typing import TypeVar

import numpy as np

from autograd import Tensor
from autograd.random import default_generator

from ..module import Module
from . import parametrize
from .orthogonal import orthogonal_parametrization
from .reparametrised_weights import _as_matrix, _default_dim, _norm_except_dim, _normalised

M = TypeVar("M", bound=Module)


class _WeightNorm(Module):
    """weight = g * v / ||v|| (norm over every dim but ``dim``; over all when dim is -1)."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return weight_v * (weight_g / _norm_except_dim(weight_v, self.dim))

    def right_inverse(self, weight: Tensor) -> tuple[Tensor, Tensor]:
        return Tensor(_norm_except_dim(Tensor(weight._data), self.dim)._data), weight


def weight_norm(module: M, name: str = "weight", dim: int | None = 0) -> M:
    """Parametrize ``module.<name>`` as ``g * v / ||v||`` (original0 = g, original1 = v)."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


class _SpectralNorm(Module):
    """weight / sigma, sigma its largest singular value estimated by power iteration (on the
    buffers ``_u`` and ``_v``, advanced in training mode); a 1-d weight is simply normalised."""

    def __init__(
        self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12
    ) -> None:
        super().__init__()
        ndim = weight.ndim
        if not -ndim <= dim < ndim:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but "
                f"got {dim})"
            )
        if n_power_iterations <= 0:
            raise ValueError(
                "Expected n_power_iterations to be positive, but got "
                f"n_power_iterations={n_power_iterations}"
            )
        self.dim = dim % ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            mat = _as_matrix(weight._data, self.dim)
            rng = default_generator()
            h, w = mat.shape
            self.register_buffer(
                "_u", Tensor(_normalised(rng.normal(size=h), eps).astype(mat.dtype))
            )
            self.register_buffer(
                "_v", Tensor(_normalised(rng.normal(size=w), eps).astype(mat.dtype))
            )
            self._power_method(mat, 15)

    def _power_method(self, mat: np.ndarray, iterations: int) -> None:
        u, v = self._u._data, self._v._data
        for _ in range(iterations):
            u[...] = _normalised(mat @ v, self.eps)
            v[...] = _normalised(mat.T @ u, self.eps)

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            norm = (weight * weight).sum().sqrt().clamp(min=self.eps)
            return weight / norm
        mat = _as_matrix(weight, self.dim)
        if self.training:
            self._power_method(mat._data, self.n_power_iterations)
        u, v = Tensor(self._u._data.copy()), Tensor(self._v._data.copy())
        sigma = (u * (mat @ v)).sum()
        return weight / sigma

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def spectral_norm(
    module: M,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
) -> M:
    """Parametrize ``module.<name>`` as itself divided by its spectral norm (see
    ``_SpectralNorm``); ``dim`` defaults to 1 for transposed convolutions, else 0."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = _default_dim(module)
    parametrize.register_parametrization(
        module, name, _SpectralNorm(weight, n_power_iterations, dim, eps)
    )
    return module


def orthogonal(
    module: M,
    name: str = "weight",
    orthogonal_map: str | None = None,
    *,
    use_trivialization: bool = True,
) -> M:
    """Parametrize the matrix (or batch of matrices) ``module.<name>`` as an orthogonal
    (unitary, when complex) one: orthonormal columns when tall, rows when wide.

    ``orthogonal_map``: "matrix_exp" or "cayley" of a skew-symmetric matrix, or "householder"
    reflections (default: matrix_exp for square or complex matrices, else householder);
    ``use_trivialization`` keeps an orthogonal buffer ``base`` the map's result multiplies,
    set from the weight (see nn/utils/orthogonal.py)."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    parametrization = orthogonal_parametrization(weight, orthogonal_map, use_trivialization)
    parametrize.register_parametrization(module, name, parametrization, unsafe=True)
    return module
