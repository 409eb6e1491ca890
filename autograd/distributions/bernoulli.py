"""``Bernoulli(probs=None, logits=None)``: 1 with probability ``probs``, else 0."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .. import grad_mode
from ..size import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, generator, lazy_property
from .utils import check_probs_or_logits, logits_to_probs, probs_to_logits


def _bce_with_logits(logits: Tensor, target: Any) -> Tensor:
    """-(target log sigmoid(x) + (1 - target) log(1 - sigmoid(x))), stably:
    softplus(x) - target * x."""
    return logits.softplus() - logits * target


class Bernoulli(Distribution):
    """A coin: 1 with probability ``probs`` (or sigmoid(``logits``)), else 0. Samples have the
    parameter's dtype. log p(x) = x * logits - softplus(logits)."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        check_probs_or_logits(probs, logits)
        if probs is not None:
            is_scalar = isinstance(probs, numbers.Number)
            (self.probs,) = broadcast_all(probs)
        else:
            is_scalar = isinstance(logits, numbers.Number)
            (self.logits,) = broadcast_all(logits)
        self._param = self.probs if probs is not None else self.logits
        batch_shape = Size() if is_scalar else self._param.size()
        super().__init__(batch_shape, validate_args=validate_args)

    @lazy_property
    def logits(self) -> Tensor:
        """log(p / (1 - p)), p clamped away from 0 and 1."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        """sigmoid(logits)."""
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    def expand(self, batch_shape: Any, _instance: Any = None) -> Bernoulli:
        """The same distribution repeated over ``batch_shape`` (the given parameter broadcast)."""
        shape = tuple(batch_shape)
        if self._param is self.__dict__.get("probs"):
            new = Bernoulli(probs=self.probs.expand(*shape), validate_args=False)
        else:
            new = Bernoulli(logits=self.logits.expand(*shape), validate_args=False)
        new._validate_args = self._validate_args  # values still checked if they were
        return new

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        mode.data[(self.probs == 0.5).data] = np.nan
        return mode

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        with grad_mode.no_grad():
            p = np.broadcast_to(self.probs.data, shape)
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
