"""``kl_divergence(p, q)``: KL(p || q) = E_p[log p(x) - log q(x)], by closed forms registered
per pair of distribution types (``register_kl``), as ``torch.distributions.kl``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..functions import where
from ..tensor import Tensor
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .normal import Normal
from .uniform import Uniform

_KL_REGISTRY: dict[tuple[type, type], Callable[[Any, Any], Tensor]] = {}


def register_kl(type_p: type, type_q: type) -> Callable[[Callable], Callable]:
    """Decorator registering ``fn(p, q)`` as KL(p || q) for these two types (and their
    subclasses, the most specific registration winning)."""
    if not (isinstance(type_p, type) and issubclass(type_p, Distribution)):
        raise TypeError(f"Expected type_p to be a Distribution subclass but got {type_p}")
    if not (isinstance(type_q, type) and issubclass(type_q, Distribution)):
        raise TypeError(f"Expected type_q to be a Distribution subclass but got {type_q}")

    def decorator(fn: Callable) -> Callable:
        _KL_REGISTRY[type_p, type_q] = fn
        return fn

    return decorator


def _dispatch(type_p: type, type_q: type) -> Callable | None:
    for sp in type_p.__mro__:
        for sq in type_q.__mro__:
            fn = _KL_REGISTRY.get((sp, sq))
            if fn is not None:
                return fn
    return None


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """KL(p || q), batched over the distributions' batch shape."""
    fn = _dispatch(type(p), type(q))
    if fn is None:
        raise NotImplementedError(
            f"No KL(p || q) is implemented for p type {type(p).__name__} and q type "
            f"{type(q).__name__}"
        )
    return fn(p, q)


@register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Tensor:
    """(var_ratio + ((mu_p - mu_q) / s_q)^2 - 1 - log var_ratio) / 2, var_ratio = (s_p/s_q)^2."""
    var_ratio = (p.scale / q.scale).pow(2)
    t1 = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Tensor:
    """sum_k p_k (log p_k - log q_k): inf where q_k = 0 < p_k, and 0 where p_k = 0."""
    t = p.probs * (p.logits - q.logits)
    t = where((q.probs == 0).expand_as(t), math.inf, t)
    t = where((p.probs == 0).expand_as(t), 0.0, t)
    return t.sum(-1)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p: Bernoulli, q: Bernoulli) -> Tensor:
    """p log(p/q) + (1-p) log((1-p)/(1-q)), written with logits for stability."""
    t1 = p.probs * ((-q.logits).softplus() - (-p.logits).softplus())  # log p = -softplus(-l)
    t1 = where(q.probs == 0, math.inf, t1)
    t1 = where(p.probs == 0, 0.0, t1)
    t2 = (1 - p.probs) * (q.logits.softplus() - p.logits.softplus())  # log(1-p) = -softplus(l)
    t2 = where(q.probs == 1, math.inf, t2)
    t2 = where(p.probs == 1, 0.0, t2)
    return t1 + t2


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p: Uniform, q: Uniform) -> Tensor:
    """log((high_q - low_q) / (high_p - low_p)) when p's support lies inside q's, else inf."""
    result = ((q.high - q.low) / (p.high - p.low)).log()
    outside = (q.low > p.low) | (q.high < p.high)
    return where(outside, math.inf, result)


@register_kl(Normal, Uniform)
def _kl_normal_uniform(p: Normal, q: Uniform) -> Tensor:
    """Infinite: the normal puts mass outside any interval."""
    return p.loc.detach() * 0 + math.inf


@register_kl(Uniform, Normal)
def _kl_uniform_normal(p: Uniform, q: Normal) -> Tensor:
    """-log w + log(sqrt(2 pi) s) + E[(x - m)^2] / (2 s^2), w = high - low, with
    E[(x - m)^2] = w^2 / 12 + ((low + high) / 2 - m)^2."""
    width = p.high - p.low
    spread = width.pow(2) / 12 + ((p.high + p.low) / 2 - q.loc).pow(2)
    return (math.sqrt(2 * math.pi) * q.scale / width).log() + spread / (2 * q.scale.pow(2))
