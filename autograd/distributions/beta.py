"""``Beta(concentration1, concentration0)``: a distribution over [0, 1]."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..functions import stack
from ..tensor import Tensor
from . import constraints
from .dirichlet import Dirichlet
from .distribution import Distribution, batch_shape_of, broadcast_all, expand_params
from .no_rsample import SampleOnly


class Beta(SampleOnly, Distribution):
    """Density x^(a-1) (1-x)^(b-1) / B(a, b), a = ``concentration1``, b = ``concentration0``:
    the first coordinate of a Dirichlet over (a, b). log_prob, entropy, mean and variance are
    differentiable in both; ``sample`` draws through numpy (no gradient)."""

    arg_constraints = {
        "concentration1": constraints.positive,
        "concentration0": constraints.positive,
    }
    support = constraints.unit_interval

    def __init__(
        self, concentration1: Any, concentration0: Any, validate_args: bool | None = None
    ) -> None:
        pair = stack(list(broadcast_all(concentration1, concentration0)), -1)
        self._dirichlet = Dirichlet(pair, validate_args=validate_args)
        super().__init__(
            batch_shape_of(concentration1, concentration0), validate_args=validate_args
        )

    @property
    def concentration1(self) -> Tensor:
        return self._dirichlet.concentration[..., 0]

    @property
    def concentration0(self) -> Tensor:
        return self._dirichlet.concentration[..., 1]

    def expand(self, batch_shape: Any, _instance: Any = None) -> Beta:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        return expand_params(self, batch_shape, "concentration1", "concentration0")

    @property
    def mean(self) -> Tensor:
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self) -> Tensor:
        return self._dirichlet.mode[..., 0]

    @property
    def variance(self) -> Tensor:
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        x = self._dirichlet.sample(sample_shape)._data[..., 0]
        return Tensor(np.asarray(x).reshape(tuple(self._extended_shape(sample_shape))))

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return self._dirichlet.log_prob(stack([value, 1.0 - value], -1))

    def entropy(self) -> Tensor:
        return self._dirichlet.entropy()
