"""Sliding windows (``Tensor.unfold``) as a view of the input's data, and the adjoint that
adds windows back into place (its gradient, and the gradient of that gradient)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Context, Function
from ..node import Node


def windows(x: np.ndarray, axis: int, size: int, step: int) -> np.ndarray:
    """The windows of length ``size``, ``step`` apart, along ``axis``: a view sharing x's
    data, ``axis`` becoming the window count and a new last axis the window."""
    every = np.lib.stride_tricks.sliding_window_view(
        x, size, axis=axis, writeable=x.flags.writeable
    )
    return every[(slice(None),) * axis + (slice(None, None, step),)]


def add_windows(g: np.ndarray, shape: tuple, axis: int, size: int, step: int) -> np.ndarray:
    """The array of ``shape`` to which each window of ``g`` (as ``windows`` lays them out)
    adds its entries where it came from: the adjoint of ``windows``."""
    out = np.zeros(shape, dtype=g.dtype)
    count = g.shape[axis]
    lead = (slice(None),) * axis
    for k in range(size):
        out[lead + (slice(k, k + step * count, step),)] += g[..., k]
    return out


class Unfold(Function):
    """``windows`` of x; the gradient adds each window's gradient back into place."""

    _complex_grads = True  # linear with real coefficients: the same rule for complex entries

    @staticmethod
    def forward(ctx: Context, x: Any, axis: int, size: int, step: int) -> Any:
        ctx.geometry = (x.shape, axis, size, step)
        return windows(x, axis, size, step)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            return AddWindows.apply(g, *ctx.geometry), None, None, None
        return add_windows(g, *ctx.geometry), None, None, None


class AddWindows(Function):
    """``add_windows`` of g; its gradient takes the windows again."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, g: Any, shape: tuple, axis: int, size: int, step: int) -> Any:
        ctx.geometry = (axis, size, step)
        return add_windows(g, shape, axis, size, step)

    @staticmethod
    def backward(ctx: Context, gg: Any) -> tuple:
        if isinstance(gg, Node):
            return Unfold.apply(gg, *ctx.geometry), None, None, None, None
        return windows(gg, *ctx.geometry), None, None, None, None
