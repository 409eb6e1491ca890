"""Probability distributions for RL and VAE code, as ``torch.distributions`` (a small set):
``Normal``, ``Categorical``, ``Bernoulli``, ``Uniform`` and ``kl_divergence``.

Parameters may be Tensors that require grad: ``log_prob``, ``entropy``, ``kl_divergence`` and
``rsample`` (reparameterised draws, for Normal and Uniform) are differentiable with respect to
them. Draws come from the library's default generator, so ``autograd.manual_seed`` makes them
repeatable.
"""

from . import constraints, kl
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .kl import kl_divergence, register_kl
from .normal import Normal
from .uniform import Uniform

__all__ = [
    "Bernoulli",
    "Categorical",
    "Distribution",
    "Normal",
    "Uniform",
    "constraints",
    "kl",
    "kl_divergence",
    "register_kl",
]
