"""+ - * / ** and negation."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dual import divide, log, power
from ..function import Context, Function
from ..node import Node
from .elementwise import Where


class Add(Function):
    """a + b."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return g, g


class Sub(Function):
    """a - b."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a - b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return g, -g


class Mul(Function):
    """a * b."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.saved_tensors = (a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b = ctx.saved_tensors
        return g * b, g * a


class Div(Function):
    """a / b."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.saved_tensors = (a, b)
        return divide(a, b)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b = ctx.saved_tensors
        ga = divide(g, b)
        return ga, divide(-ga * a, b) if ctx.needs_input_grad[1] else None


class Pow(Function):
    """a ** b; either side may be a plain number."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        out = power(a, b)
        ctx.saved_tensors = (a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        ga = g * b * power(a, b - 1) if need_a else None
        gb = None
        if need_b:
            with np.errstate(divide="ignore", invalid="ignore"):  # masked just below
                gb = _zero_where_base_is_zero(g * out * log(a), a, b)
        return ga, gb


def _zero_where_base_is_zero(gb: Any, a: Any, b: Any) -> Any:
    """d(a**b)/db taken as 0 where a == 0 and b >= 0 (PyTorch's choice; else 0 * log 0 = nan)."""
    a_raw = a.data if isinstance(a, Node) else a
    b_raw = b.data if isinstance(b, Node) else b
    hit = (a_raw == 0) & (b_raw >= 0)
    if not np.any(hit):
        return gb
    if isinstance(gb, Node):
        return Where.apply(hit, 0.0, gb)
    return np.where(hit, 0.0, gb).astype(gb.dtype) if isinstance(gb, np.ndarray) else 0.0


class Neg(Function):
    """-a."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return -g
