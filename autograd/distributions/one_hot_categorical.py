"""``OneHotCategorical(probs=None, logits=None)``: a Categorical draw as a one-hot vector; and
``OneHotCategoricalStraightThrough``, whose draws pass gradients straight through to the
probabilities (DreamerV2's discrete latents)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from . import constraints
from .categorical import Categorical
from .distribution import Distribution


class OneHotCategorical(Distribution):
    """One of K categories given by the last axis of ``probs`` or ``logits`` (as
    ``Categorical``), each draw a one-hot vector of length K in the parameter's dtype; the
    event shape is ``(K,)``."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        self._categorical = Categorical(probs, logits, validate_args=validate_args)
        super().__init__(
            self._categorical.batch_shape,
            self._categorical.param_shape[-1:],
            validate_args=validate_args,
        )

    @property
    def probs(self) -> Tensor:
        return self._categorical.probs

    @property
    def logits(self) -> Tensor:
        return self._categorical.logits

    @property
    def param_shape(self) -> Any:
        return self._categorical.param_shape

    def expand(self, batch_shape: Any, _instance: Any = None) -> OneHotCategorical:
        """The same distribution repeated over ``batch_shape``."""
        new = type(self).__new__(type(self))
        new._categorical = self._categorical.expand(batch_shape)
        Distribution.__init__(new, new._categorical.batch_shape, self._event_shape, False)
        new._validate_args = self._validate_args
        return new

    def _one_hot(self, index: np.ndarray) -> Tensor:
        k = self._event_shape[0]
        return Tensor((index[..., None] == np.arange(k)).astype(self._categorical._param.dtype))

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        return self._one_hot(np.argmax(self.probs._data, axis=-1))

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        return self._one_hot(self._categorical.sample(sample_shape)._data)

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return self._categorical.log_prob(Tensor(np.argmax(value._data, axis=-1)))

    def entropy(self) -> Tensor:
        return self._categorical.entropy()

    def enumerate_support(self, expand: bool = True) -> Tensor:
        k = self._event_shape[0]
        values = Tensor(np.eye(k, dtype=self._categorical._param.dtype))
        values = values.reshape((k,) + (1,) * len(self._batch_shape) + (k,))
        if expand:
            values = values.expand(k, *self._batch_shape, k)
        return values


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """OneHotCategorical with a straight-through ``rsample``: the one-hot draw plus
    ``probs - probs.detach()`` (zero in value), so gradients reach ``probs`` as if the draw
    were its mean (Bengio et al. 2013)."""

    has_rsample = True

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        samples = self.sample(sample_shape)
        probs = self._categorical.probs
        return samples + (probs - probs.detach())
