"""Inverted dropout as a function: zero entries at random, scale the rest by 1 / (1 - p)."""

from __future__ import annotations

import warnings
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


def dropout(
    input: N,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
) -> N:
    """Zero each entry of ``input`` with probability ``p`` and multiply the kept ones by
    1 / (1 - p), so the expected value is unchanged; ``p=1`` gives zeros.

    With ``training=False`` (or ``p=0``) ``input`` itself is returned. The mask is a constant of
    the graph: the gradient is the same mask times the scale. ``inplace=True`` writes the
    result into a Tensor ``input`` (PyTorch's in-place rules: recorded in the graph, refused
    on a leaf that requires grad). Works on Tensors and Values; draws from
    ``autograd.random.default_generator()``.
    """
    p = check_dropout_p(p)
    if not training or p == 0.0:
        return input
    if isinstance(input, Value):
        if inplace:
            raise ValueError("dropout: inplace=True needs a Tensor (a Value cannot be modified)")
        return input * (0.0 if p == 1.0 or default_generator().random() < p else 1.0 / (1.0 - p))
    if not isinstance(input, Tensor):
        raise TypeError(f"dropout: expected a Tensor or a Value, got {type(input).__name__}")
    return _dropped(input, p, tuple(input.shape), inplace, "dropout")


def _dropped(x: Tensor, p: float, shape: tuple, inplace: bool, op: str) -> Tensor:
    """``_masked``, written into ``x`` itself when ``inplace``."""
    if inplace:
        return x._inplace(lambda t: _masked(t, p, shape), op)
    return _masked(x, p, shape)


def _masked(x: Tensor, p: float, shape: tuple) -> Tensor:
    """``x`` times a kept-or-zeroed mask of ``shape`` (broadcast over ``x``), scaled by
    1 / (1 - p)."""
    if p == 1.0:
        return x * np.zeros(shape, dtype=x.dtype)
    keep = default_generator().random(shape) >= p
    return x * (keep * (1.0 / (1.0 - p))).astype(x.dtype)


def _channel_dropout(x: Tensor, p: float, training: bool, inplace: bool, spatial: int) -> Tensor:
    """Zero whole channels: each (sample, channel) of ``x`` (N, C, *S) or (C, *S), with
    ``spatial`` dims in S, is kept or zeroed together."""
    op = f"dropout{spatial}d"
    p = check_dropout_p(p)
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    if x.ndim not in (spatial + 1, spatial + 2):
        raise ValueError(
            f"{op}: expected a {spatial + 1}-d (unbatched) or {spatial + 2}-d (batched) input, "
            f"got shape {tuple(x.shape)}"
        )
    if not training or p == 0.0:
        return x
    kept = x.ndim - spatial
    if spatial == 2 and x.ndim == 3:
        # PyTorch's historical reading of 3-d input to dropout2d: (N, C, L), not (C, H, W)
        warnings.warn(
            "dropout2d: a 3-d input is read as (N, C, L) and whole (sample, channel) rows are "
            "dropped (PyTorch's behaviour); use dropout1d for that, or add a batch dim",
            UserWarning,
            stacklevel=3,
        )
        kept = 2
    return _dropped(x, p, tuple(x.shape[:kept]) + (1,) * (x.ndim - kept), inplace, op)


def dropout1d(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
) -> Tensor:
    """Channel dropout for (N, C, L) or (C, L): whole channels zeroed with probability ``p``."""
    return _channel_dropout(input, p, training, inplace, 1)


def dropout2d(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
) -> Tensor:
    """Channel dropout for (N, C, H, W) or (C, H, W): whole feature maps zeroed."""
    return _channel_dropout(input, p, training, inplace, 2)


def dropout3d(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
) -> Tensor:
    """Channel dropout for (N, C, D, H, W) or (C, D, H, W): whole volumes zeroed."""
    return _channel_dropout(input, p, training, inplace, 3)
