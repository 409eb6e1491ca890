"""``Bernoulli(probs=None, logits=None)``: 1 with probability ``probs``, else 0."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from ..tensor import Tensor
from . import constraints
from .binary_param import BinaryParam
from .distribution import Distribution, broadcast_all, expand_params, generator


def _bce_with_logits(logits: Tensor, target: Any) -> Tensor:
    """-(target log sigmoid(x) + (1 - target) log(1 - sigmoid(x))), stably:
    softplus(x) - target * x."""
    return logits.softplus() - logits * target


class Bernoulli(BinaryParam, Distribution):
    """A coin: 1 with probability ``probs`` (or sigmoid(``logits``)), else 0. Samples have the
    parameter's dtype. log p(x) = x * logits - softplus(logits)."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        batch_shape = self._set_probs_or_logits(probs, logits)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Bernoulli:
        """The same distribution repeated over ``batch_shape`` (the given parameter broadcast)."""
        return expand_params(self, batch_shape, self._param_name())

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        mode._data[(self.probs == 0.5)._data] = np.nan
        return mode

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        with grad_mode.no_grad():
            p = np.broadcast_to(self.probs._data, shape)
        u = generator().random(shape)
        return Tensor((u < p).astype(self.probs.dtype))

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -_bce_with_logits(logits, value)

    def entropy(self) -> Tensor:
        return _bce_with_logits(self.logits, self.probs)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = Tensor(np.arange(2, dtype=self._param.dtype))
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand(-1, *self._batch_shape)
        return values
