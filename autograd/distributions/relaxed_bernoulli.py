"""``RelaxedBernoulli(temperature, probs=None, logits=None)``: the Concrete (Gumbel-softmax)
relaxation of a Bernoulli on (0, 1), and ``LogitRelaxedBernoulli``, its logit."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from . import constraints
from .binary_param import BinaryParam
from .distribution import Distribution, broadcast_all, generator
from .relaxed import Relaxed
from .transforms import SigmoidTransform
from .utils import clamp_probs


class LogitRelaxedBernoulli(BinaryParam, Distribution):
    """The logit of a RelaxedBernoulli: (logit u + logits) / temperature for u uniform on
    (0, 1); log p(x) = log t + d - 2 log(1 + e^d), d = logits - t x (Maddison et al. 2017)."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real
    has_rsample = True

    def __init__(
        self,
        temperature: Any,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        self.temperature = temperature
        batch_shape = self._set_probs_or_logits(probs, logits)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> LogitRelaxedBernoulli:
        """The same distribution repeated over ``batch_shape``."""
        name = self._param_name()
        shape = tuple(batch_shape)
        new = type(self)(
            self.temperature, **{name: self._param.expand(*shape)}, validate_args=False
        )
        new._validate_args = self._validate_args
        return new

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        probs = clamp_probs(self.probs.expand(*shape) if shape else self.probs)
        uniforms = clamp_probs(Tensor(generator().random(shape).astype(probs.dtype)))
        return (
            uniforms.log() - (-uniforms).log1p() + probs.log() - (-probs).log1p()
        ) / self.temperature

    def log_prob(self, value: Any) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        diff = logits - value.mul(self.temperature)
        return self.temperature.log() + diff - 2 * diff.exp().log1p()


class RelaxedBernoulli(Relaxed):
    """A LogitRelaxedBernoulli pushed through the sigmoid: draws in (0, 1) that approach
    Bernoulli draws as ``temperature`` goes to 0, differentiable in ``probs``/``logits``."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval  # type: ignore[assignment]
    has_rsample = True  # type: ignore[assignment]
    _transform = SigmoidTransform
    base_dist: LogitRelaxedBernoulli

    def __init__(
        self,
        temperature: Any,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        base = LogitRelaxedBernoulli(temperature, probs, logits)
        super().__init__(base, self._transform(), validate_args=validate_args)
