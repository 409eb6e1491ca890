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
        a_raw = a.data if isinstance(a, Node) else a
        b_raw = b.data if isinstance(b, Node) else b
        # PyTorch's conventions where the formulas give 0 * inf or 0 * log 0 = nan:
        # d(a**b)/da = 0 at a = 0, b = 0 (masked only there, so d/db of b * a**(b-1) stays
        # right elsewhere) and d(a**b)/db = 0 where a == 0 and b >= 0
        base_zero = a_raw == 0
        if type(base_zero) is bool:  # floats: no masking arrays, no numpy
            ga = (0.0 if base_zero and b_raw == 0 else g * b * power(a, b - 1)) if need_a else None
            gb = (0.0 if base_zero and b_raw >= 0 else g * out * log(a)) if need_b else None
            return ga, gb
        ga = gb = None
        with np.errstate(divide="ignore", invalid="ignore"):  # masked just below
            if need_a:
                ga = _zero_where(g * b * power(a, b - 1), base_zero & (b_raw == 0))
            if need_b:
                gb = _zero_where(g * out * log(a), base_zero & (b_raw >= 0))
        return ga, gb


def _zero_where(grad: Any, hit: Any) -> Any:
    """``grad`` (raw or a Node) with zeros where ``hit`` holds."""
    if not np.any(hit):
        return grad
    if isinstance(grad, Node):
        return Where.apply(hit, 0.0, grad)
    return np.where(hit, 0.0, grad).astype(grad.dtype)


class Neg(Function):
    """-a."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return -g
