"""``Uniform(low, high)``: every value of [low, high) equally likely."""

from __future__ import annotations

import math
import numbers
from typing import Any

from ..size import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, generator


class Uniform(Distribution):
    """The uniform distribution on [low, high): log p(x) = -log(high - low) inside, -inf
    outside (``high`` itself passes validation, as PyTorch's closed ``support``, and has
    log_prob -inf); ``rsample`` is low + u * (high - low), differentiable in low and high."""

    has_rsample = True

    def __init__(self, low: Any, high: Any, validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_all(low, high)
        if isinstance(low, numbers.Number) and isinstance(high, numbers.Number):
            batch_shape = Size()
        else:
            batch_shape = self.low.size()
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def arg_constraints(self) -> dict[str, constraints.Constraint]:  # type: ignore[override]
        return {
            "low": constraints.less_than(self.high),
            "high": constraints.greater_than(self.low),
        }

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        return constraints.interval(self.low, self.high)

    @property
    def mean(self) -> Tensor:
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Tensor:
        return self.high * math.nan

    @property
    def stddev(self) -> Tensor:
        return (self.high - self.low) / 12**0.5

    @property
    def variance(self) -> Tensor:
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        u = Tensor(generator().random(shape).astype(self.low.dtype))
        return self.low + u * (self.high - self.low)

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        lb = (self.low <= value).to(self.low.dtype)
        ub = (self.high > value).to(self.low.dtype)
        return (lb * ub).log() - (self.high - self.low).log()

    def cdf(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        result = (value - self.low) / (self.high - self.low)
        return result.clamp(min=0, max=1)

    def icdf(self, value: Any) -> Tensor:
        """The quantile function: low + value * (high - low)."""
        return value * (self.high - self.low) + self.low

    def expand(self, batch_shape: Any, _instance: Any = None) -> Uniform:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        shape = tuple(batch_shape)
        new = Uniform(self.low.expand(*shape), self.high.expand(*shape), validate_args=False)
        new._validate_args = self._validate_args  # values still checked if they were
        return new

    def entropy(self) -> Tensor:
        return (self.high - self.low).log()
