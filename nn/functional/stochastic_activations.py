"""Activations that draw random noise: ``rrelu`` (a random leaky slope per entry while
training) and ``gumbel_softmax`` (a differentiable sample of a categorical distribution)."""

from __future__ import annotations

import numpy as np

from autograd import Tensor, Value
from autograd.random import default_generator

from .activations import leaky_relu, softmax
from .in_place import maybe_in_place


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """x for x > 0, a * x otherwise; while training a ~ U(lower, upper) drawn per entry, in
    evaluation a = (lower + upper) / 2. ``inplace=True`` writes the result into ``input``."""
    if not lower <= upper:
        raise ValueError(f"rrelu: lower bound {lower} must not exceed upper bound {upper}")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    if isinstance(input, Value):
        slope = default_generator().uniform(lower, upper)
        return input if input._data > 0 else input * slope
    if not isinstance(input, Tensor):
        raise TypeError(f"rrelu: expected a Tensor, got {type(input).__name__}")
    slopes = default_generator().uniform(lower, upper, input.shape)
    factor = np.where(input._data > 0, 1.0, slopes).astype(input.dtype)
    return maybe_in_place(input, inplace, "rrelu", lambda x: x * factor)


def gumbel_softmax(
    logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """softmax((logits + g) / tau) along ``dim``, g Gumbel(0, 1) noise: a relaxed sample of
    the categorical distribution with these logits. With ``hard``, the one-hot of its argmax
    in the forward pass and the relaxed sample's gradient in the backward pass (straight
    through). ``eps`` is unused, as in PyTorch (kept for its signature)."""
    if not isinstance(logits, Tensor):
        raise TypeError(f"gumbel_softmax: expected a Tensor, got {type(logits).__name__}")
    gumbels = -np.log(default_generator().exponential(1.0, logits.shape))
    y = softmax((logits + gumbels.astype(logits.dtype)) / tau, dim=dim)
    if not hard:
        return y
    index = np.expand_dims(np.argmax(y._data, axis=dim), dim)
    one_hot = np.zeros(y.shape, dtype=y.dtype)
    np.put_along_axis(one_hot, index, 1.0, axis=dim)
    return y - y.detach() + Tensor(one_hot)
