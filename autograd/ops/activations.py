"""Activation functions as engine primitives, each derivative written as the notes write it.

They work on Values (Python floats) and Tensors (ndarrays) alike; every one stays finite for
large |x| wherever its mathematical value is finite.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dual
from ..function import Context, Function


class Sigmoid(Function):
    """s = 1 / (1 + e^-x); ds/dx = s * (1 - s)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        s = dual.sigmoid(x)
        ctx.saved_tensors = (s,)
        return s

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (s,) = ctx.saved_tensors
        return g * s * (1 - s)


class Tanh(Function):
    """t = tanh(x); dt/dx = 1 - t**2."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        t = dual.tanh(x)
        ctx.saved_tensors = (t,)
        return t

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (t,) = ctx.saved_tensors
        return g * (1 - t * t)


class ReLU(Function):
    """max(0, x); derivative 1 for x > 0, else 0 (0 at the kink, as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        if type(x) is float:
            ctx.saved_tensors = (1.0 if x > 0 else 0.0,)
            return x if x > 0 else 0.0
        mask = x > 0
        ctx.saved_tensors = (mask,)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (mask,) = ctx.saved_tensors
        return g * mask
