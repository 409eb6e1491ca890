"""+ - * / ** and negation."""

from __future__ import annotations

from typing import Any

from ..dual import divide, log, power
from ..function import Context, Function


class Add(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return g, g


class Sub(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a - b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return g, -g


class Mul(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.saved_tensors = (a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b = ctx.saved_tensors
        return g * b, g * a


class Div(Function):
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
        gb = g * out * log(a) if need_b else None
        return ga, gb


class Neg(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return -g
