"""Indexing (``t[index]``) and its adjoint, scattering a gradient back with repeats added."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Context, Function
from ..node import Node


def has_integer_arrays(index: Any) -> bool:
    """True when ``index`` uses integer arrays or lists, which may repeat positions."""
    parts = index if isinstance(index, tuple) else (index,)
    for p in parts:
        if isinstance(p, (list, np.ndarray)) and np.asarray(p).dtype != bool:
            return True
    return False


class GetItem(Function):
    """``x[index]`` (numpy indexing); the gradient is scattered back, repeats added."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, index: Any) -> Any:
        ctx.in_shape = x.shape
        ctx.index = index
        try:
            return np.asarray(x[index])
        except IndexError as e:
            raise IndexError(f"indexing a tensor of shape {x.shape} with {index!r}: {e}") from None

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            return ScatterAdd.apply(g, ctx.index, ctx.in_shape), None
        return scatter_add(g, ctx.index, ctx.in_shape), None


def scatter_add(g: Any, index: Any, shape: tuple) -> np.ndarray:
    """A zero array of ``shape`` with ``g`` added at ``index`` (repeated positions add up)."""
    out = np.zeros(shape, dtype=g.dtype)
    if has_integer_arrays(index):
        np.add.at(out, index, g)
    else:
        out[index] = g
    return out


class ScatterAdd(Function):
    """The adjoint of indexing, as an op so that indexing has second derivatives."""

    @staticmethod
    def forward(ctx: Context, g: Any, index: Any, shape: tuple) -> Any:
        ctx.index = index
        return scatter_add(g, index, shape)

    @staticmethod
    def backward(ctx: Context, gg: Any) -> tuple:
        return gg[ctx.index], None, None
