"""Probability distributions for RL and VAE code, as ``torch.distributions``: ``Normal``,
``MultivariateNormal``, ``Independent``, ``Uniform``, ``Exponential``, ``Laplace``,
``LogNormal``, ``Cauchy``, ``Gamma``, ``Beta``, ``Dirichlet``, ``Bernoulli``, ``Categorical``,
``OneHotCategorical`` (and ``OneHotCategoricalStraightThrough``), ``Geometric``, ``Gumbel``,
``Binomial``, ``Poisson``, ``RelaxedBernoulli``, ``RelaxedOneHotCategorical``,
``MixtureSameFamily``, ``TransformedDistribution`` (with the ``transforms`` module's
``ExpTransform``, ``AffineTransform``, ``SigmoidTransform``, ``TanhTransform``... also exported
here, as torch does) and ``kl_divergence``.

Parameters may be Tensors that require grad: ``log_prob``, ``entropy``, ``kl_divergence`` and
``rsample`` (reparameterised draws: Normal, MultivariateNormal, Uniform, Exponential, Laplace,
LogNormal, Cauchy, Gumbel, the relaxed (Concrete) distributions, OneHotCategoricalStraightThrough's
straight-through draws, and Independent or TransformedDistribution over them) are
differentiable with respect to them.
Gamma, Beta and Dirichlet draw only through ``sample`` (no implicit reparameterisation). Draws
come from the library's default generator, so ``autograd.manual_seed`` makes them repeatable.
"""

from . import constraints, kl, transforms
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .gumbel import Gumbel
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .log_normal import LogNormal
from .mixture_same_family import MixtureSameFamily
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .poisson import Poisson
from .relaxed_bernoulli import RelaxedBernoulli
from .relaxed_categorical import RelaxedOneHotCategorical
from .transformed_distribution import TransformedDistribution
from .transforms import *  # noqa: F403  (torch.distributions exports the transforms)
from .transforms import __all__ as _transform_names
from .uniform import Uniform

__all__ = [
    "Bernoulli",
    "Beta",
    "Binomial",
    "Categorical",
    "Cauchy",
    "Dirichlet",
    "Distribution",
    "Exponential",
    "Gamma",
    "Geometric",
    "Gumbel",
    "Independent",
    "Laplace",
    "LogNormal",
    "MixtureSameFamily",
    "MultivariateNormal",
    "Normal",
    "OneHotCategorical",
    "OneHotCategoricalStraightThrough",
    "Poisson",
    "RelaxedBernoulli",
    "RelaxedOneHotCategorical",
    "TransformedDistribution",
    "Uniform",
    *_transform_names,
    "constraints",
    "kl",
    "kl_divergence",
    "register_kl",
    "transforms",
]
