"""``Dirichlet(concentration)``: a distribution over the probability simplex."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode
from ..functions import where
from ..special import xlogy
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, generator
from .no_rsample import SampleOnly


class Dirichlet(SampleOnly, Distribution):
    """Density prod_i x_i^(a_i - 1) / B(a) on the simplex, a = ``concentration`` (last axis:
    the K categories; the event shape is ``(K,)``). log_prob, entropy, mean and variance are
    differentiable in ``concentration``; ``sample`` draws through numpy (no gradient)."""

    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex

    def __init__(self, concentration: Tensor, validate_args: bool | None = None) -> None:
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        shape = concentration.size()
        super().__init__(shape[:-1], shape[-1:], validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Dirichlet:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        k = self._event_shape[0]
        new = Dirichlet(self.concentration.expand(*tuple(batch_shape), k), validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.concentration.sum(-1, keepdim=True)

    @property
    def mode(self) -> Tensor:
        """(a - 1)^+ normalised; where every a_i < 1, a vertex of the simplex (the first)."""
        am1 = (self.concentration - 1).clamp(min=0.0)
        with np.errstate(invalid="ignore"):  # 0 / 0 where every a_i <= 1: nan, as PyTorch
            mode = am1 / am1.sum(-1, keepdim=True)
        k = self._event_shape[0]
        vertex = np.argmax(mode._data, axis=-1)[..., None] == np.arange(k)
        corner = np.all(self.concentration._data < 1, axis=-1, keepdims=True)
        return where(Tensor(corner), Tensor(vertex.astype(mode.dtype)), mode)

    @property
    def variance(self) -> Tensor:
        a = self.concentration
        a0 = a.sum(-1, keepdim=True)
        return a * (a0 - a) / (a0.pow(2) * (a0 + 1))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        with grad_mode.no_grad():
            a = np.broadcast_to(self.concentration._data, shape)
        g = generator().standard_gamma(a)
        x = (g / g.sum(-1, keepdims=True)).astype(self.concentration.dtype)
        info = np.finfo(x.dtype)
        return Tensor(np.clip(x, info.tiny, 1 - info.eps))

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        a = self.concentration
        return xlogy(a - 1.0, value).sum(-1) + a.sum(-1).lgamma() - a.lgamma().sum(-1)

    def entropy(self) -> Tensor:
        a = self.concentration
        k = a.shape[-1]
        a0 = a.sum(-1)
        return (
            a.lgamma().sum(-1)
            - a0.lgamma()
            - (k - a0) * a0.digamma()
            - ((a - 1.0) * a.digamma()).sum(-1)
        )
