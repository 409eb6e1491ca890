"""``Cauchy(loc, scale)``: the Lorentz distribution (no mean, no variance)."""

from __future__ import annotations

import math
from typing import Any

from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, batch_shape_of, broadcast_all, expand_params, generator


class Cauchy(Distribution):
    """Density 1 / (pi scale (1 + ((x - loc) / scale)^2)); mean nan, variance inf.
    ``rsample`` inverts the cdf at uniform draws (loc + scale tan(pi (u - 1/2)))."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(batch_shape_of(loc, scale), validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Cauchy:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        return expand_params(self, batch_shape, "loc", "scale")

    @property
    def mean(self) -> Tensor:
        return (self.loc * math.nan).detach()

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return (self.loc * 0 + math.inf).detach()

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        u = Tensor(generator().random(shape).astype(self.loc.dtype))
        return self.icdf(u)

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) / self.scale
        return -math.log(math.pi) - self.scale.log() - z.pow(2).log1p()

    def cdf(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.loc) / self.scale).atan() / math.pi + 0.5

    def icdf(self, value: Any) -> Tensor:
        """The quantile function: loc + scale tan(pi (value - 1/2))."""
        return ((value - 0.5) * math.pi).tan() * self.scale + self.loc

    def entropy(self) -> Tensor:
        return math.log(4 * math.pi) + self.scale.log()
