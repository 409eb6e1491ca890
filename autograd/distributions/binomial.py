"""``Binomial(total_count=1, probs=None, logits=None)``: successes in ``total_count`` trials."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from ..tensor import Tensor
from . import constraints
from .binary_param import BinaryParam
from .distribution import Distribution, generator


class Binomial(BinaryParam, Distribution):
    """The number of successes in ``total_count`` independent trials, each succeeding with
    probability ``probs`` (or sigmoid(``logits``)); samples have the parameter's dtype.
    log p(k) = log C(n, k) + k logits - n softplus(logits)."""

    arg_constraints = {
        "total_count": constraints.nonnegative_integer,
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    has_enumerate_support = True

    def __init__(
        self,
        total_count: Any = 1,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        batch_shape = self._set_probs_or_logits(probs, logits, total_count)
        (count,) = self._others
        self.total_count = count.to(self._param.dtype)
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        return constraints.integer_interval(0, self.total_count)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Binomial:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        shape = tuple(batch_shape)
        name = self._param_name()
        new = Binomial(
            self.total_count.expand(*shape),
            **{name: self._param.expand(*shape)},
            validate_args=False,
        )
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        return self.total_count * self.probs

    @property
    def mode(self) -> Tensor:
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self) -> Tensor:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        with grad_mode.no_grad():
            n = np.broadcast_to(self.total_count._data, shape).astype(np.int64)
            p = np.broadcast_to(self.probs._data, shape)
        return Tensor(np.asarray(generator().binomial(n, p)).astype(self._param.dtype))

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        n = self.total_count
        log_choose = (n + 1).lgamma() - (value + 1).lgamma() - (n - value + 1).lgamma()
        return log_choose + value * self.logits - n * self.logits.softplus()

    def entropy(self) -> Tensor:
        """-sum_k p(k) log p(k) over k = 0..n (one n shared by the whole batch)."""
        n = self.total_count._data
        if n.size and n.min() != n.max():
            raise NotImplementedError("Inhomogeneous total count not supported by `entropy`.")
        log_pmf = self.log_prob(self.enumerate_support(False))
        return -(log_pmf.exp() * log_pmf).sum(0)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        n = self.total_count._data
        if n.size and n.min() != n.max():
            raise NotImplementedError(
                "Inhomogeneous total count not supported by `enumerate_support`."
            )
        top = int(n.max()) if n.size else 0
        values = Tensor(np.arange(top + 1, dtype=self._param.dtype))
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand(-1, *self._batch_shape)
        return values
