"""``Gumbel(loc, scale)``: the distribution of the maximum of many draws (Gumbel-max and
noisy top-k gating add its draws to logits)."""

from __future__ import annotations

import math
import numbers
from typing import Any

from ..creation import full_like, ones_like
from ..dtypes import finfo
from ..tensor import Tensor
from . import constraints
from .distribution import broadcast_all
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform
from .uniform import Uniform

_EULER_GAMMA = 0.57721566490153286060


class Gumbel(TransformedDistribution):
    """Gumbel(loc, scale): loc - scale * log(-log U) for U uniform on (0, 1), built as torch's
    from a Uniform through exp^-1, negation, exp^-1 and ``loc - scale * .``; log p(x) = z -
    exp(z) - log(scale) with z = (loc - x) / scale (written out for precision)."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real  # type: ignore[assignment]

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        info = finfo(self.loc.dtype)
        base: Uniform
        if isinstance(loc, numbers.Number) and isinstance(scale, numbers.Number):
            base = Uniform(float(info.tiny), 1 - float(info.eps), validate_args=validate_args)
        else:
            base = Uniform(
                full_like(self.loc, float(info.tiny)),
                full_like(self.loc, 1 - float(info.eps)),
                validate_args=validate_args,
            )
        transforms = [
            ExpTransform().inv,
            AffineTransform(loc=0, scale=-ones_like(self.scale)),
            ExpTransform().inv,
            AffineTransform(loc=loc, scale=-self.scale),
        ]
        super().__init__(base, transforms, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Gumbel:  # type: ignore[override]
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        shape = tuple(batch_shape)
        new = Gumbel(self.loc.expand(*shape), self.scale.expand(*shape), validate_args=False)
        new._validate_args = self._validate_args
        return new

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        y = (self.loc - value) / self.scale
        return (y - y.exp()) - self.scale.log()

    @property
    def mean(self) -> Tensor:
        return self.loc + self.scale * _EULER_GAMMA

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return (math.pi / math.sqrt(6)) * self.scale

    @property
    def variance(self) -> Tensor:
        return self.stddev.pow(2)

    def entropy(self) -> Tensor:
        return self.scale.log() + (1 + _EULER_GAMMA)
