"""A view's region of its base as ops: taking it (``TakeView``) and writing a new value into
it (``CopySlices``, PyTorch's name), both driven by ``positions``: the flat (row-major) index
in the base of each entry of the view, an integer array of the view's shape."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Context, Function
from ..node import Node
from .indexing import ScatterAdd, scatter_add


def _scatter(g: Any, positions: np.ndarray, shape: tuple) -> Any:
    """A zero array (or node) of ``shape`` with ``g`` at ``positions``."""
    n = int(np.prod(shape, dtype=np.int64))
    if isinstance(g, Node):
        return ScatterAdd.apply(g, positions, (n,)).reshape(shape)  # type: ignore[attr-defined]
    return scatter_add(g, positions, (n,)).reshape(shape)


class TakeView(Function):
    """The entries of ``base`` at ``positions`` (a copy); the gradient goes back to them."""

    _complex_grads = True  # linear with real coefficients: the same rule for complex entries

    @staticmethod
    def forward(ctx: Context, base: Any, positions: np.ndarray) -> Any:
        ctx.shape = base.shape
        ctx.positions = positions
        return np.ravel(base)[positions]

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return _scatter(g, ctx.positions, ctx.shape), None


class CopySlices(Function):
    """``base`` with ``value`` written at ``positions`` (each position once).

    Gradients: ``base`` gets the incoming gradient with the written region zeroed, ``value``
    the incoming gradient's entries at ``positions``.
    """

    @staticmethod
    def forward(ctx: Context, base: Any, positions: np.ndarray, value: Any) -> Any:
        out = np.ravel(base).copy()
        out[positions] = value
        ctx.shape = base.shape
        ctx.positions = positions
        return out.reshape(base.shape)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        g_base = g_value = None
        if ctx.needs_input_grad[0]:
            keep = np.ones(ctx.shape, dtype=g.dtype)
            keep.reshape(-1)[ctx.positions] = 0
            g_base = g * keep
        if ctx.needs_input_grad[2]:
            g_value = g.reshape(-1)[ctx.positions]
        return g_base, None, g_value
