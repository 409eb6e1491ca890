"""Copies and dtype casts as ops: ``clone()`` and ``.float()``/``.double()``/``.to(dtype)``."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ..function import Context, Function
from ..node import Node


class Clone(Function):
    """A copy of ``x`` that stays in the graph; the gradient passes through unchanged.
    ``order='C'`` lays the copy out as one C-ordered block (``contiguous()``); the default
    keeps ``x``'s layout, as PyTorch's clone."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, order: Literal["K", "C"] = "K") -> Any:
        return np.array(x, copy=True, order=order)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return g if len(ctx.needs_input_grad) == 1 else (g, None)


class Cast(Function):
    """``x`` in another dtype; the gradient is cast back to ``x``'s (floating) dtype."""

    _complex_grads = True

    sets_dtype = True

    @staticmethod
    def forward(ctx: Context, x: Any, dtype: np.dtype) -> Any:
        ctx.source = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if ctx.source.kind != "c" and g.dtype.kind == "c":
            g = g.real  # (a real input cast to complex gets the real part of its gradient)
        if isinstance(g, Node):
            return Cast.apply(g, ctx.source), None
        return g.astype(ctx.source, copy=False), None
