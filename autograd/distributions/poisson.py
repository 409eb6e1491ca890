"""``Poisson(rate)``: counts of events at a constant rate."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from ..special import xlogy
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, batch_shape_of, broadcast_all, expand_params, generator


class Poisson(Distribution):
    """P(k) = rate^k exp(-rate) / k! on the nonnegative integers; samples have the rate's
    dtype. log_prob is differentiable in ``rate``."""

    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(batch_shape_of(rate), validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Poisson:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        return expand_params(self, batch_shape, "rate")

    @property
    def mean(self) -> Tensor:
        return self.rate

    @property
    def mode(self) -> Tensor:
        return self.rate.floor()

    @property
    def variance(self) -> Tensor:
        return self.rate

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        with grad_mode.no_grad():
            rate = np.broadcast_to(self.rate._data, shape)
        return Tensor(np.asarray(generator().poisson(rate)).astype(self.rate.dtype))

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        value, rate = broadcast_all(value, self.rate)
        return xlogy(value, rate) - rate - (value + 1).lgamma()
