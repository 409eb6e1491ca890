"""``Gamma(concentration, rate)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from ..special import xlogy
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, batch_shape_of, broadcast_all, expand_params, generator
from .no_rsample import SampleOnly


class Gamma(SampleOnly, Distribution):
    """Density rate^a x^(a-1) exp(-rate x) / Gamma(a) on x >= 0, a = ``concentration``.
    log_prob, entropy, mean and variance are differentiable in both parameters; ``sample``
    draws through numpy (no gradient)."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative

    def __init__(self, concentration: Any, rate: Any, validate_args: bool | None = None) -> None:
        self.concentration, self.rate = broadcast_all(concentration, rate)
        super().__init__(batch_shape_of(concentration, rate), validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Gamma:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        return expand_params(self, batch_shape, "concentration", "rate")

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.rate

    @property
    def mode(self) -> Tensor:
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self) -> Tensor:
        return self.concentration / self.rate.pow(2)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        with grad_mode.no_grad():
            a = np.broadcast_to(self.concentration._data, shape)
            b = np.broadcast_to(self.rate._data, shape)
        x = np.asarray(generator().standard_gamma(a) / b).astype(self.rate.dtype)
        return Tensor(np.maximum(x, np.finfo(x.dtype).tiny))

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        a, b = self.concentration, self.rate
        return xlogy(a, b) + xlogy(a - 1, value) - b * value - a.lgamma()

    def entropy(self) -> Tensor:
        a = self.concentration
        return a - self.rate.log() + a.lgamma() + (1.0 - a) * a.digamma()
