"""``Categorical(probs=None, logits=None)``: one of K categories."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from ..dtypes import finfo
from ..size import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, generator, lazy_property
from .utils import check_probs_or_logits, logits_to_probs, probs_to_logits


class Categorical(Distribution):
    """A distribution over ``{0, ..., K-1}`` given by the last axis of ``probs`` (normalised
    to sum to one) or of ``logits`` (unnormalised log-probabilities, normalised by
    subtracting their logsumexp). ``batch_shape`` is the parameter's shape without its last
    axis; samples are int64 indices."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        check_probs_or_logits(probs, logits)
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
        else:
            if logits.dim() < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)
        self._param = self.probs if probs is not None else self.logits
        self._num_events = self._param.size()[-1]
        batch_shape = self._param.size()[:-1] if self._param.ndim > 1 else Size()
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        return constraints.integer_interval(0, self._num_events - 1)

    @lazy_property
    def logits(self) -> Tensor:
        """Normalised log-probabilities (log of the clamped probs)."""
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self) -> Tensor:
        """Probabilities (softmax of the logits)."""
        return logits_to_probs(self.logits)

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    def expand(self, batch_shape: Any, _instance: Any = None) -> Categorical:
        """The same distribution repeated over ``batch_shape`` (the given parameter broadcast
        over it, not normalised again)."""
        shape = (*tuple(batch_shape), self._num_events)
        new = Categorical.__new__(Categorical)
        name = "probs" if self._param is self.__dict__.get("probs") else "logits"
        new.__dict__[name] = new._param = self._param.expand(*shape)
        new._num_events = self._num_events
        Distribution.__init__(new, Size(tuple(batch_shape)), validate_args=False)
        new._validate_args = self._validate_args  # values still checked if they were
        return new

    @property
    def mean(self) -> Tensor:
        return Tensor(np.full(tuple(self._extended_shape()), np.nan, dtype=self.probs.dtype))

    @property
    def mode(self) -> Tensor:
        return self.probs.argmax(-1)

    @property
    def variance(self) -> Tensor:
        return Tensor(np.full(tuple(self._extended_shape()), np.nan, dtype=self.probs.dtype))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Category indices (int64) of shape ``sample_shape + batch_shape``, by inverting the
        cumulative probabilities at uniform draws."""
        shape = tuple(self._extended_shape(sample_shape))
        with grad_mode.no_grad():
            p = np.asarray(self.probs._data, dtype=np.float64)
        cdf = np.cumsum(p, axis=-1)
        cdf /= cdf[..., -1:]
        u = generator().random(shape)
        idx = (u[..., None] >= np.broadcast_to(cdf, (*shape, self._num_events))).sum(-1)
        return Tensor(np.minimum(idx, self._num_events - 1).astype(np.int64))

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        value = value.long().unsqueeze(-1)
        shape = np.broadcast_shapes(tuple(value.shape), tuple(self.logits.shape)[:-1] + (1,))
        value = value.expand(*shape)
        log_pmf = self.logits.expand(*shape[:-1], self._num_events)
        return log_pmf.gather(-1, value[..., :1]).squeeze(-1)

    def entropy(self) -> Tensor:
        logits = self.logits.clamp(min=float(finfo(self.logits.dtype).min))
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = Tensor(np.arange(self._num_events, dtype=np.int64))
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand(-1, *self._batch_shape)
        return values
