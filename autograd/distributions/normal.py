"""``Normal(loc, scale)``: the Gaussian, with reparameterised sampling."""

from __future__ import annotations

import math
import numbers
from typing import Any

from ..size import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, generator


class Normal(Distribution):
    """A normal distribution with mean ``loc`` and standard deviation ``scale``.

    log p(x) = -(x - loc)^2 / (2 scale^2) - log(scale) - log(sqrt(2 pi));
    entropy = 1/2 + log(sqrt(2 pi)) + log(scale). ``rsample`` is loc + eps * scale with eps
    standard normal, so it is differentiable with respect to loc and scale.
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        if isinstance(loc, numbers.Number) and isinstance(scale, numbers.Number):
            batch_shape = Size()
        else:
            batch_shape = self.loc.size()
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.stddev.pow(2)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        eps = generator().standard_normal(shape).astype(self.loc.dtype)
        return self.loc + Tensor(eps) * self.scale

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        var = self.scale**2
        log_scale = self.scale.log()
        return -((value - self.loc) ** 2) / (2 * var) - log_scale - math.log(math.sqrt(2 * math.pi))

    def entropy(self) -> Tensor:
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()

    def cdf(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + ((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)).erf())

    def icdf(self, value: Any) -> Tensor:
        """The quantile function: loc + scale * sqrt(2) * erfinv(2 value - 1)."""
        return self.loc + self.scale * (2 * value - 1).erfinv() * math.sqrt(2)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Normal:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        shape = tuple(batch_shape)
        new = Normal(self.loc.expand(*shape), self.scale.expand(*shape), validate_args=False)
        new._validate_args = self._validate_args  # values still checked if they were
        return new
