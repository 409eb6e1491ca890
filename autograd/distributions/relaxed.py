"""What the two Concrete (Gumbel-softmax) relaxations share: a base distribution with
``temperature``, ``probs`` and ``logits``, pushed through one fixed transform
(``RelaxedBernoulli``: sigmoid; ``RelaxedOneHotCategorical``: exp)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..tensor import Tensor
from .transformed_distribution import TransformedDistribution
from .transforms import Transform


class Relaxed(TransformedDistribution):
    """A relaxation: ``base_dist`` through ``self._transform()``, with the base's
    ``temperature``, ``probs`` and ``logits``."""

    _transform: Callable[[], Transform]

    def expand(self, batch_shape: Any, _instance: Any = None) -> Any:
        """The same distribution repeated over ``batch_shape``."""
        base = self.base_dist.expand(batch_shape)
        new = type(self).__new__(type(self))
        TransformedDistribution.__init__(new, base, self._transform(), validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def temperature(self) -> Any:
        return self.base_dist.temperature  # type: ignore[attr-defined]

    @property
    def logits(self) -> Tensor:
        return self.base_dist.logits  # type: ignore[attr-defined]

    @property
    def probs(self) -> Tensor:
        return self.base_dist.probs  # type: ignore[attr-defined]
