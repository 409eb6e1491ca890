"""+ - * / ** and negation."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..dual import divide, log, power
from ..errors import NegativeIntegerPower
from ..function import Context, Function
from ..node import Node
from .elementwise import Where


class Add(Function):
    """a + b."""

    _complex_grads = True

    _promotes = 0
    _on_floats = operator.add

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return g, g


class Sub(Function):
    """a - b."""

    _complex_grads = True

    _promotes = 0
    _on_floats = operator.sub

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a - b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return g, -g


# what an op on Values sees before its inputs are set, or under no_grad: keep both inputs
_BOTH = (True, True)


class Mul(Function):
    """a * b."""

    _complex_grads = "conjugate"

    _promotes = 0
    _on_floats = operator.mul
    _saves_inputs = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        # each side is saved for the other's gradient only, as PyTorch saves them: an
        # in-place change of x after y = x * 2 does not stop y's backward
        needs = getattr(ctx, "needs_input_grad", _BOTH)
        ctx.saved_tensors = (a if needs[1] else None, b if needs[0] else None)
        return a * b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b = ctx.saved_tensors
        return None if b is None else g * b, None if a is None else g * a


class Div(Function):
    """a / b."""

    _complex_grads = "conjugate"

    _promotes = 0
    _to_float = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.saved_tensors = (a if getattr(ctx, "needs_input_grad", _BOTH)[1] else None, b)
        return divide(a, b)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b = ctx.saved_tensors
        ga = divide(g, b)
        return ga, divide(-ga * a, b) if ctx.needs_input_grad[1] else None


class Pow(Function):
    """a ** b; either side may be a plain number.

    Gradients b * a**(b - 1) and a**b * log(a), with PyTorch's conventions where these
    formulas give 0 * inf or nan: d/da is 0 wherever b == 0 (a**0 == 1 for every a, 0 and
    nan included), and d/db is 0 where a == 0 and b >= 0.
    """

    _promotes = 0

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            out = power(a, b)
        except ValueError as e:  # numpy's: "Integers to negative integer powers are not..."
            raise NegativeIntegerPower(str(e)) from None
        # the result only for the exponent's gradient, as torch saves it (so that
        # ``diagonal(c).pow_(2)`` does not fail when another view of ``c`` changes later)
        needs = getattr(ctx, "needs_input_grad", _BOTH)
        ctx.saved_tensors = (a, b, out) if needs[1] else (a, b)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b, *rest = ctx.saved_tensors
        out = rest[0] if rest else None
        need_a, need_b = ctx.needs_input_grad
        a_raw = a._data if isinstance(a, Node) else a
        b_raw = b._data if isinstance(b, Node) else b
        ga: Any = None
        gb: Any = None
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # masked below
            if need_a and not isinstance(b, Node) and np.all(b_raw == 0):
                # x ** 0 == 1: a constant 0, without graph (no 0 * inf in second order)
                if type(a_raw) is float:
                    ga = 0.0
                else:
                    shape = np.broadcast_shapes(np.shape(a_raw), np.shape(b_raw))
                    ga = np.zeros(shape, dtype=np.result_type(a_raw))
            elif need_a:
                # masked only where a**(b-1) is not finite (a 0, nan, or so small that 1/a
                # overflows), so that d/db of b * a**(b-1) stays exact (1/a) at b = 0 elsewhere
                hit = (b_raw == 0) & ~np.isfinite(power(a_raw, b_raw - 1))
                ga = _zero_where(g * b * power(a, b - 1), hit)
            if need_b:
                la = log(_widened(a, out))
                gb = _zero_where(g * out * la, (a_raw == 0) & (b_raw >= 0))
        return ga, gb


def _widened(x: Any, ref: Any) -> Any:
    """Floating ``x`` (raw or a Tensor) in ``ref``'s floating dtype where that is another
    (wider) one: log(a) of a float32 base in a float64 power is taken in float64."""
    xr = x._data if isinstance(x, Node) else x
    rr = ref._data if isinstance(ref, Node) else ref
    if not isinstance(xr, np.ndarray) or not isinstance(rr, (np.ndarray, np.generic)):
        return x
    dt = rr.dtype
    if xr.dtype == dt or xr.dtype.kind != "f" or dt.kind != "f":
        return x
    return x.to(dt) if isinstance(x, Node) else xr.astype(dt)  # type: ignore[attr-defined]


def _zero_where(grad: Any, hit: Any) -> Any:
    """``grad`` (raw or a Node) with zeros where ``hit`` holds (``hit`` broadcasts to it)."""
    if not np.any(hit):
        return grad
    if type(grad) is float or (isinstance(grad, Node) and type(grad._data) is float):
        return 0.0
    if isinstance(grad, Node):
        # a Node with array data is a Tensor (Node itself declares no shape)
        return Where.apply(np.broadcast_to(hit, grad.shape), 0.0, grad)  # type: ignore[attr-defined]
    return np.where(hit, 0.0, grad).astype(grad.dtype, copy=False)


class Neg(Function):
    """-a."""

    _complex_grads = True

    _on_floats = operator.neg

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return -g
