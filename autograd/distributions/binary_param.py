"""The ``probs`` / ``logits`` parameterisation shared by distributions built on one success
probability (Bernoulli, Geometric, Binomial)."""

from __future__ import annotations

import numbers
from typing import Any

from ..size import Size
from ..tensor import Tensor
from .distribution import broadcast_all, lazy_property
from .utils import check_probs_or_logits, logits_to_probs, probs_to_logits


class BinaryParam:
    """Stores exactly one of ``probs`` or ``logits`` (log-odds) and derives the other on
    first use."""

    _param: Tensor

    def _set_probs_or_logits(self, probs: Any, logits: Any, *others: Any) -> Size:
        """Store the given parameter (broadcast with ``others``, which are returned through
        ``self._others``) and give the batch shape: empty when all of them are numbers."""
        check_probs_or_logits(probs, logits)
        given = probs if probs is not None else logits
        name = "probs" if probs is not None else "logits"
        param, *rest = broadcast_all(given, *others)
        self.__dict__[name] = self._param = param
        self._others = tuple(rest)
        if all(isinstance(v, numbers.Number) for v in (given, *others)):
            return Size()
        return param.size()

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

    def _param_name(self) -> str:
        return "probs" if self._param is self.__dict__.get("probs") else "logits"
