"""Inverted dropout as a function: zero entries at random, scale the rest by 1 / (1 - p)."""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from autograd import Tensor, Value
from autograd.random import default_generator

N = TypeVar("N", Value, Tensor)


def check_dropout_p(p: Any) -> float:
    """``p`` as a float, or ValueError unless it is a probability."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating)) or not 0 <= p <= 1:
        raise ValueError(f"dropout probability p has to be between 0 and 1, got {p!r}")
    return float(p)


def dropout(x: N, p: float = 0.5, training: bool = True, inplace: bool = False) -> N:
    """Zero each entry of ``x`` with probability ``p`` and multiply the kept ones by
    1 / (1 - p), so the expected value is unchanged; ``p=1`` gives zeros.

    With ``training=False`` (or ``p=0``) ``x`` itself is returned. The mask is a constant of
    the graph: the gradient is the same mask times the scale. Works on Tensors and Values;
    draws from ``autograd.random.default_generator()``.
    """
    p = check_dropout_p(p)
    if inplace:
        raise ValueError("dropout: inplace=True is not supported (tensors are not mutated by ops)")
    if not training or p == 0.0:
        return x
    rng = default_generator()
    if isinstance(x, Value):
        return x * (0.0 if p == 1.0 or rng.random() < p else 1.0 / (1.0 - p))
    if not isinstance(x, Tensor):
        raise TypeError(f"dropout: expected a Tensor or a Value, got {type(x).__name__}")
    if p == 1.0:
        return x * np.zeros(x.shape, dtype=x.dtype)
    keep = rng.random(x.shape) >= p
    return x * (keep * (1.0 / (1.0 - p))).astype(x.dtype)
