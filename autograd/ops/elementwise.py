"""Elementwise maths: exp, log, sqrt, abs, clip, the two-input maximum/minimum/where, and the
rest of torch's elementwise functions (trigonometric, hyperbolic, logarithms, erf, rounding)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dual
from ..errors import DtypeNotImplemented, IntegerDivisionByZero
from ..function import Context, Function
from ..node import Node
from . import special


class Exp(Function):
    """e ** x; its derivative is itself."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        out = dual.exp(x)
        ctx.saved_tensors = (out,)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (out,) = ctx.saved_tensors
        return g * out


class Log(Function):
    """Natural logarithm; derivative 1 / x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.saved_tensors = (x,)
        return dual.log(x)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return dual.divide(g, x)


class Sqrt(Function):
    """Square root; derivative 1 / (2 sqrt(x))."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        out = dual.sqrt(x)
        ctx.saved_tensors = (out,)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (out,) = ctx.saved_tensors
        return dual.divide(g, 2 * out)


class Abs(Function):
    """Absolute value; derivative sign(x) (0 at 0, as PyTorch)."""

    _complex_grads = True

    @staticmethod
    def _complex_backward(ctx: Context, g: Any) -> Any:
        """g z / |z| (0 at 0); under create_graph as recorded ops, so that it differentiates
        (the saved sign is data)."""
        if isinstance(g, Node):
            z = ctx.inputs[0]
            return g * (z / z.abs())
        (sign,) = ctx.saved_tensors
        return g * sign

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.saved_tensors = (dual.sign(x),)
        return abs(x)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (sign,) = ctx.saved_tensors
        return g * sign


def _inside(x: Any, lo: Any, hi: Any) -> Any:
    """1 where lo <= x <= hi (a missing bound is no bound), else 0."""
    if isinstance(x, np.ndarray):
        mask = np.ones(x.shape, dtype=bool)
        if lo is not None:
            mask &= x >= lo
        if hi is not None:
            mask &= x <= hi
        return mask
    return float((lo is None or x >= lo) and (hi is None or x <= hi))


class Clip(Function):
    """x limited to [lo, hi]; the gradient passes where x is inside (bounds included).

    With lo > hi every element becomes hi and the gradient is 0 (numpy's and PyTorch's
    min(max(x, lo), hi)).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, lo: Any, hi: Any) -> Any:
        ctx.saved_tensors = (_inside(x, lo, hi),)
        if isinstance(x, np.ndarray):
            return x.copy() if lo is None and hi is None else np.clip(x, lo, hi)
        if lo is not None and x < lo:
            x = float(lo)
        if hi is not None and x > hi:
            x = float(hi)
        return x

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (mask,) = ctx.saved_tensors
        return g * mask, None, None


def _as_array(x: Any) -> Any:
    return np.asarray(x) if isinstance(x, (np.ndarray, np.generic)) else x


def _extremum(ctx: Context, a: Any, b: Any, better: Any, pick: Any) -> Any:
    a, b = _as_array(a), _as_array(b)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        out = pick(a, b)
        # the weights take the result's dtype, so create_graph keeps float32 float32
        ctx.saved_tensors = ((better(a, b) + 0.5 * (a == b)).astype(out.dtype),)
        return out
    wa = 1.0 if better(a, b) else 0.5 if a == b else 0.0
    ctx.saved_tensors = (wa,)
    return a if wa >= 0.5 else b


class Maximum(Function):
    """Elementwise max of two inputs; at ties the gradient is split equally (PyTorch's)."""

    _promotes = 0

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return _extremum(ctx, a, b, np.greater, np.maximum)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (wa,) = ctx.saved_tensors
        return g * wa, g * (1 - wa)


class Minimum(Maximum):
    """Elementwise min of two inputs; at ties the gradient is split equally (PyTorch's)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return _extremum(ctx, a, b, np.less, np.minimum)


class Where(Function):
    """a where cond is true, else b (cond is a constant mask)."""

    _complex_grads = True

    _promotes = 1

    @staticmethod
    def forward(ctx: Context, cond: Any, a: Any, b: Any) -> Any:
        if type(a) in _PY_NUMBERS and type(b) in _PY_NUMBERS and np.ndim(cond) == 0:
            # a Value's op: a Python float, not a 0-d array (which would take the default dtype)
            ctx.saved_tensors = (np.bool_(cond),)
            return float(a if cond else b)
        cond = np.asarray(cond, dtype=bool)
        ctx.saved_tensors = (cond,)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (cond,) = ctx.saved_tensors
        return None, _select(cond, g), _select(~cond, g)


def _select(mask: np.ndarray, g: Any) -> Any:
    """g where mask holds, else 0: a selection, not g * mask, so that a nan or inf in g stays
    out of the entries the other branch took (PyTorch's where backward)."""
    if isinstance(g, Node):
        return Where.apply(mask, g, 0.0)
    if type(g) is float:
        return g if mask else 0.0
    return np.where(mask, g, 0.0)


_PY_NUMBERS = (float, int)


# ---------------------------------------------------------------------------------------------
# The rest of torch's elementwise maths (Tensors). Each backward is written with operators and
# the node-aware helpers below, on the saved input or output, so that grad(create_graph=True)
# differentiates it again; masks and constants are raw data (derivative 0).
# ---------------------------------------------------------------------------------------------

_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))
_TWO_OVER_SQRT_PI = float(2.0 / np.sqrt(np.pi))


def _out(r: Any) -> Any:
    """numpy returns a scalar for a 0-d input; the saved output must be the node's array."""
    return r if type(r) is np.ndarray else np.asarray(r)


def _floating(x: Any) -> Any:
    """Integer and bool data as the default float dtype (torch's rule for float-valued maths)."""
    if isinstance(x, np.ndarray) and x.dtype.kind not in "fc":
        from ..dtypes import get_default_dtype

        return x.astype(get_default_dtype())
    return x


def _node_or_raw(fn: type[Function], raw: Any) -> Any:
    """``f(x)`` for a node (recorded, so differentiable again) or raw data (numpy)."""

    def call(x: Any) -> Any:
        if isinstance(x, Node):
            return fn.apply(x)
        return raw(x)

    call.__name__ = fn.__name__.lower()
    return call


class Sin(Function):
    """sin x; derivative cos x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.sin(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * cos(x)


class Cos(Function):
    """cos x; derivative -sin x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.cos(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -g * sin(x)


class Tan(Function):
    """t = tan x; derivative 1 + t^2."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        t = _out(np.tan(_floating(x)))
        ctx.saved_tensors = (t,)
        return t

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (t,) = ctx.saved_tensors
        return g * (1 + t * t)


class Asin(Function):
    """asin x; derivative 1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.arcsin(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * rsqrt(1 - x * x)


class Acos(Function):
    """acos x; derivative -1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.arccos(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -g * rsqrt(1 - x * x)


class Atan(Function):
    """atan x; derivative 1 / (1 + x^2)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.arctan(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g / (1 + x * x)


class Atan2(Function):
    """atan2(y, x), the angle of the point (x, y); d/dy = x / r^2, d/dx = -y / r^2."""

    _promotes = 0
    _to_float = True

    @staticmethod
    def forward(ctx: Context, y: Any, x: Any) -> Any:
        y, x = _floating(y), _floating(x)
        ctx.saved_tensors = (y, x)
        return _out(np.arctan2(y, x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        y, x = ctx.saved_tensors
        r2 = x * x + y * y
        # torch's rule: where r^2 is 0 (the origin, or squares that underflow) both
        # derivatives are 0, where 1 / r^2 would make them nan or +-inf
        zero = (r2._data if isinstance(r2, Node) else np.asarray(r2)) == 0
        # (an infinite coordinate meeting 1 / r^2 == 0 gives nan, as torch's, without a warning)
        with np.errstate(divide="ignore", invalid="ignore"):
            recip = 1 / r2
            if zero.any():
                recip = _select(~zero, recip)
            return g * x * recip, g * -y * recip


class Sinh(Function):
    """sinh x; derivative cosh x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.sinh(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * cosh(x)


class Cosh(Function):
    """cosh x; derivative sinh x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.cosh(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * sinh(x)


class Asinh(Function):
    """asinh x; derivative 1 / sqrt(x^2 + 1)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.arcsinh(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * rsqrt(x * x + 1)


class Acosh(Function):
    """acosh x (x >= 1); derivative 1 / sqrt(x^2 - 1)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        with np.errstate(invalid="ignore"):
            return _out(np.arccosh(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        with np.errstate(invalid="ignore", divide="ignore"):
            return g * rsqrt(x * x - 1)


class Atanh(Function):
    """atanh x (|x| <= 1); derivative 1 / (1 - x^2)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        with np.errstate(invalid="ignore", divide="ignore"):
            return _out(np.arctanh(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return g / (1 - x * x)


class NextAfter(Function):
    """The next float after x towards y (both of the result's floating dtype). torch's
    gradient rule: g with respect to x where x != y (0 where they are equal, as the value is
    then y), 0 with respect to y."""

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any) -> Any:
        ctx.save_for_backward(x, y)
        return _out(np.nextafter(x, y))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, y = ctx.saved_tensors
        moved = np.broadcast_to(np.asarray(x != y), np.shape(g))
        return _select(moved, g), dual.zeros_like(g)


class LdExp(Function):
    """x * 2 ** e for integer exponents e, exactly (numpy's ldexp: 2 ** e is never formed on
    its own, so it neither overflows nor underflows before the product); gradient g * 2 ** e
    with respect to x."""

    @staticmethod
    def forward(ctx: Context, x: Any, e: Any) -> Any:
        info = np.iinfo(np.int32)
        ctx.e = np.clip(e, info.min, info.max).astype(np.int32)
        ctx.dtype = x.dtype
        return _out(np.ldexp(x, ctx.e))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return g * np.ldexp(np.ones((), ctx.dtype), ctx.e), None


class Unrelated(Function):
    """Values computed elsewhere (``values``, x's shape) recorded as a function of x with
    derivative 0: torch's rule for draws such as ``bernoulli(p)``, whose result requires
    grad when p does."""

    @staticmethod
    def forward(ctx: Context, x: Any, values: Any) -> Any:
        return np.asarray(values)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return dual.zeros_like(g), None


class Exp2(Function):
    """y = 2^x; derivative y ln 2."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        y = _out(np.exp2(_floating(x)))
        ctx.saved_tensors = (y,)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (y,) = ctx.saved_tensors
        return g * y * _LN2


class Expm1(Function):
    """e^x - 1 (exact for small x); derivative e^x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.expm1(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * dual.exp(x)


class Log2(Function):
    """log2 x; derivative 1 / (x ln 2)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.log2(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g / (x * _LN2)


class Log10(Function):
    """log10 x; derivative 1 / (x ln 10)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.log10(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g / (x * _LN10)


class Log1p(Function):
    """log(1 + x) (exact for small x); derivative 1 / (1 + x)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return _out(np.log1p(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g / (1 + x)


class Rsqrt(Function):
    """y = 1 / sqrt x; derivative -y^3 / 2."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = _out(1 / np.sqrt(x))
        ctx.saved_tensors = (y,)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (y,) = ctx.saved_tensors
        return g * (y * y * y) * -0.5


class Square(Function):
    """x^2; derivative 2x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.saved_tensors = (x,)
        return _out(np.square(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * x * 2


class Reciprocal(Function):
    """y = 1 / x; derivative -y^2."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        with np.errstate(divide="ignore"):
            y = _out(1 / x)
        ctx.saved_tensors = (y,)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (y,) = ctx.saved_tensors
        return -g * y * y


class Erf(Function):
    """erf x; derivative 2/sqrt(pi) e^(-x^2)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return special.erf(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * dual.exp(-(x * x)) * _TWO_OVER_SQRT_PI


class Erfc(Function):
    """erfc x = 1 - erf x; derivative -2/sqrt(pi) e^(-x^2)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        x = _floating(x)
        ctx.saved_tensors = (x,)
        return special.erfc(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * dual.exp(-(x * x)) * -_TWO_OVER_SQRT_PI


class _Piecewise(Function):
    """A step function of x (floor, ceil, round, trunc, sign): derivative 0, also where the
    upstream gradient is nan or inf (PyTorch's)."""

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return dual.zeros_like(g)


class Floor(_Piecewise):
    """The largest integer <= x (integers stay as they are)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return x.copy() if x.dtype.kind in "iub" else _out(np.floor(x))


class Ceil(_Piecewise):
    """The smallest integer >= x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return x.copy() if x.dtype.kind in "iub" else _out(np.ceil(x))


class Trunc(_Piecewise):
    """x rounded toward 0."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return x.copy() if x.dtype.kind in "iub" else _out(np.trunc(x))


class Round(_Piecewise):
    """x rounded to ``decimals`` places, halves to even (PyTorch's and numpy's)."""

    @staticmethod
    def forward(ctx: Context, x: Any, decimals: int = 0) -> Any:
        if x.dtype.kind in "iub" and decimals >= 0:
            return x.copy()
        return _out(np.round(x, decimals))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return dual.zeros_like(g), None


class Sign(_Piecewise):
    """-1, 0 or 1 (0 for nan, as PyTorch's; bool stays bool)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return x.copy() if x.dtype.kind == "b" else _out(dual.sign(x))


class Frac(Function):
    """x - trunc(x), the fractional part with x's sign; derivative 1."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        if x.dtype.kind not in "f":
            raise DtypeNotImplemented(f"frac: expected a floating tensor, got dtype {x.dtype}")
        return _out(x - np.trunc(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return g


def _check_integer_divisor(a: Any, b: Any, op: str) -> None:
    """Refuse a zero divisor of integer operands, as PyTorch (its RuntimeError
    "ZeroDivisionError"; floats give inf or nan instead)."""
    if np.result_type(a, b).kind in "iub" and np.any(np.asarray(b) == 0):
        raise IntegerDivisionByZero(f"{op}: integer division by zero (ZeroDivisionError)")


def _floor_div(a: Any, b: Any, op: str = "floor_divide") -> Any:
    _check_integer_divisor(a, b, op)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Python's (and torch's) floor division: exact a - a % b over b, not floor(a / b)
        # (1 // 0.1 is 9; inf // b is nan; b == 0 gives a / b)
        return np.floor_divide(a, b)


class FloorDivide(Function):
    """floor(a / b) (PyTorch's ``//``). Not differentiable: backward raises, as PyTorch's."""

    _promotes = 0

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return _out(_floor_div(a, b))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        raise RuntimeError("the derivative of floor_divide (//) is not implemented (as PyTorch)")


class RoundedDivide(Function):
    """a / b rounded down (``mode='floor'``, as ``//``) or toward zero (``'trunc'``): torch.div's
    rounding modes. Integer inputs give integers. Derivative 0 for both inputs (PyTorch's)."""

    _promotes = 0

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, mode: str) -> Any:
        floor = _floor_div(a, b, "div")
        if mode == "floor":
            return _out(floor)
        if np.result_type(a, b).kind not in "iub":
            with np.errstate(divide="ignore", invalid="ignore"):
                return _out(np.trunc(np.true_divide(a, b)))
        # integers: the floor quotient, one up where the exact quotient is negative and inexact
        inexact = (np.remainder(a, b) != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0))
        return _out(floor + inexact)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return dual.zeros_like(g), dual.zeros_like(g), None


class Remainder(Function):
    """a - floor(a / b) * b, with the sign of b (PyTorch's and Python's ``%``).

    Derivatives: 1 for a, -floor(a / b) for b.
    """

    _promotes = 0

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):
            ctx.saved_tensors = (np.asarray(_floor_div(a, b, "remainder")),)
            return _out(np.remainder(a, b))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (q,) = ctx.saved_tensors
        return g, -g * q.astype(g.dtype if g.dtype.kind == "f" else np.float64, copy=False)


class Fmod(Function):
    """a - trunc(a / b) * b, with the sign of a (C's fmod, PyTorch's ``fmod``).

    Derivatives: 1 for a, -trunc(a / b) for b.
    """

    _promotes = 0

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        _check_integer_divisor(a, b, "fmod")
        with np.errstate(divide="ignore", invalid="ignore"):
            ctx.saved_tensors = (np.asarray(np.trunc(np.true_divide(a, b))),)
            return _out(np.fmod(a, b))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (q,) = ctx.saved_tensors
        return g, -g * q.astype(g.dtype if g.dtype.kind == "f" else np.float64, copy=False)


sin = _node_or_raw(Sin, np.sin)
cos = _node_or_raw(Cos, np.cos)
sinh = _node_or_raw(Sinh, np.sinh)
cosh = _node_or_raw(Cosh, np.cosh)
rsqrt = _node_or_raw(Rsqrt, lambda x: 1 / np.sqrt(x))
