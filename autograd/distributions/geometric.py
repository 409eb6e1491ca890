"""``Geometric(probs=None, logits=None)``: failures before the first success."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from ..functions import where
from ..tensor import Tensor
from . import constraints
from .bernoulli import _bce_with_logits
from .binary_param import BinaryParam
from .distribution import Distribution, broadcast_all, expand_params, generator


class Geometric(BinaryParam, Distribution):
    """The number of failures before the first success of independent trials with success
    probability ``probs`` (or sigmoid(``logits``)): P(k) = (1 - p)^k p."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        batch_shape = self._set_probs_or_logits(probs, logits)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Geometric:
        """The same distribution repeated over ``batch_shape`` (the given parameter broadcast)."""
        return expand_params(self, batch_shape, self._param_name())

    @property
    def mean(self) -> Tensor:
        return self.probs.reciprocal() - 1

    @property
    def mode(self) -> Tensor:
        return (self.probs * 0).detach()

    @property
    def variance(self) -> Tensor:
        return (self.probs.reciprocal() - 1) / self.probs

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        with grad_mode.no_grad():
            p = np.broadcast_to(self.probs._data, shape)
        tiny = np.finfo(self.probs.dtype).tiny
        u = generator().uniform(tiny, 1.0, shape)
        with np.errstate(divide="ignore"):
            k = np.floor(np.log(u) / np.log1p(-p))
        return Tensor(k.astype(self.probs.dtype))

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        value, probs = broadcast_all(value, self.probs)
        # p = 1 and k = 0 has probability 1: 0 * log(0) counts as 0
        fails = where((probs == 1) & (value == 0), 0.0, probs)
        return value * (-fails).log1p() + self.probs.log()

    def entropy(self) -> Tensor:
        return _bce_with_logits(self.logits, self.probs) / self.probs
