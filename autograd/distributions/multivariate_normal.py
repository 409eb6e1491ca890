"""``MultivariateNormal(loc, covariance_matrix=None, precision_matrix=None, scale_tril=None)``:
the Gaussian over vectors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import linalg
from ..size import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, generator, lazy_property

_MATRIX_ARGS = ("covariance_matrix", "precision_matrix", "scale_tril")


def tril_solve(scale_tril: Tensor, rhs: Tensor) -> Tensor:
    """L^{-1} rhs for lower-triangular L (only its lower triangle read, so gradients reach
    only it), batched with broadcasting; ``rhs`` holds vectors in its last dim."""
    lower = scale_tril.tril()
    shape = np.broadcast_shapes(tuple(lower.shape[:-2]), tuple(rhs.shape[:-1]))
    k = lower.shape[-1]
    return linalg.solve(lower.expand(*shape, k, k), rhs.expand(*shape, k).unsqueeze(-1)).squeeze(-1)


def half_log_det(scale_tril: Tensor) -> Tensor:
    """log det L for triangular L: the sum of the logs of its diagonal."""
    return scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)


class MultivariateNormal(Distribution):
    """A normal distribution over vectors with mean ``loc`` and covariance given by exactly one
    of ``covariance_matrix``, ``precision_matrix`` (its inverse) or ``scale_tril`` (its
    lower Cholesky factor L). ``rsample`` is loc + L eps, eps standard normal; log_prob uses
    the Mahalanobis distance |L^{-1}(x - loc)|^2. All are differentiable in loc and in the
    matrix given."""

    arg_constraints = {
        "loc": constraints.real_vector,
        "covariance_matrix": constraints.positive_definite,
        "precision_matrix": constraints.positive_definite,
        "scale_tril": constraints.lower_cholesky,
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self,
        loc: Tensor,
        covariance_matrix: Tensor | None = None,
        precision_matrix: Tensor | None = None,
        scale_tril: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = {
            name: m
            for name, m in zip(_MATRIX_ARGS, (covariance_matrix, precision_matrix, scale_tril))
            if m is not None
        }
        if len(given) != 1:
            raise ValueError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be "
                "specified."
            )
        ((name, matrix),) = given.items()
        if matrix.dim() < 2:
            raise ValueError(
                f"{name} must be at least two-dimensional, with optional leading batch dimensions"
            )
        batch_shape = np.broadcast_shapes(tuple(matrix.shape[:-2]), tuple(loc.shape[:-1]))
        self.__dict__[name] = matrix.expand(*batch_shape, -1, -1)
        self.loc = loc.expand(*batch_shape, -1)
        self._given = name
        super().__init__(Size(batch_shape), self.loc.shape[-1:], validate_args=validate_args)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = linalg.cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = linalg.cholesky(linalg.inv(matrix))

    @lazy_property
    def scale_tril(self) -> Tensor:
        """L, lower triangular with positive diagonal, covariance = L L^T."""
        k = self._event_shape[0]
        return self._unbroadcasted_scale_tril.expand(*self._batch_shape, k, k)

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        """L L^T."""
        lo = self._unbroadcasted_scale_tril
        k = self._event_shape[0]
        return (lo @ lo.mT).expand(*self._batch_shape, k, k)

    @lazy_property
    def precision_matrix(self) -> Tensor:
        """The inverse of the covariance."""
        lo = self._unbroadcasted_scale_tril
        k = self._event_shape[0]
        return linalg.inv(lo @ lo.mT).expand(*self._batch_shape, k, k)

    def expand(self, batch_shape: Any, _instance: Any = None) -> MultivariateNormal:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        shape = tuple(batch_shape)
        k = self._event_shape[0]
        matrix = self.__dict__[self._given].expand(*shape, k, k)
        new = MultivariateNormal(
            self.loc.expand(*shape, k), **{self._given: matrix}, validate_args=False
        )
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand(*self._extended_shape())

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        eps = Tensor(generator().standard_normal(shape).astype(self.loc.dtype))
        return self.loc + (self._unbroadcasted_scale_tril @ eps.unsqueeze(-1)).squeeze(-1)

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        lo = self._unbroadcasted_scale_tril
        m = tril_solve(lo, value - self.loc).pow(2).sum(-1)
        k = self._event_shape[0]
        return -0.5 * (k * math.log(2 * math.pi) + m) - half_log_det(lo)

    def entropy(self) -> Tensor:
        k = self._event_shape[0]
        h = 0.5 * k * (1.0 + math.log(2 * math.pi)) + half_log_det(self._unbroadcasted_scale_tril)
        return h.expand(*self._batch_shape) if len(self._batch_shape) else h

    def __repr__(self) -> str:
        return f"MultivariateNormal(loc: {self.loc.size()}, {self._given}: " + (
            f"{self.__dict__[self._given].size()})"
        )
