"""torch's special functions as differentiable ops: lgamma, digamma, polygamma, erfinv,
erfcx, ndtri, log_ndtr, the Bessel functions i0/i0e/i1/i1e, sinc, entr, logit, and the
two-input xlogy, xlog1py, zeta, logaddexp(2), hypot and copysign.

Forward values come from the float64 numerics beside this file (gamma.py, inverse_erf.py,
bessel.py, special.py), cast to the input's floating dtype (integer input: the default
dtype). Each backward is written with these ops themselves and the node-aware helpers, so
``grad(create_graph=True)`` differentiates it again: lgamma' = digamma, digamma' =
polygamma(1), polygamma(n)' = polygamma(n + 1), erfinv' = sqrt(pi)/2 e^(erfinv^2), I0' = I1,
and so on.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import dual
from ..dtypes import get_default_dtype
from ..function import Context, Function
from ..node import Node
from . import bessel, gamma, inverse_erf, special
from .elementwise import Where, cos

_SQRT_PI = math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_LN2 = math.log(2.0)


def _result_dtype(*xs: Any) -> np.dtype:
    """torch's float result of float-valued maths: the widest floating input among those with
    dimensions (else among all), the default dtype when none is floating."""
    arrays = [np.asarray(x) for x in xs if isinstance(x, np.ndarray)]
    floats = [a.dtype for a in arrays if a.dtype.kind == "f"]
    return np.result_type(*floats) if floats else get_default_dtype()


def _f64(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _unary(raw: Callable[[np.ndarray], np.ndarray]) -> Callable[[Any], np.ndarray]:
    def compute(x: Any) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(raw(_f64(x))).astype(_result_dtype(x), copy=False)

    return compute


def _where(mask: np.ndarray, a: Any, b: Any) -> Any:
    """a where mask holds, else b: recorded when either is a node (so differentiable)."""
    if isinstance(a, Node) or isinstance(b, Node):
        return Where.apply(mask, a, b)
    return np.where(mask, a, b)


def _data(x: Any) -> Any:
    return x._data if isinstance(x, Node) else np.asarray(x)


def _op(fn: type[Function], raw: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` on nodes (recorded) or its numerics on raw data."""

    def call(*xs: Any) -> Any:
        if any(isinstance(x, Node) for x in xs):
            return fn.apply(*xs)
        return raw(*xs)

    return call


class _Unary(Function):
    """A one-input special function whose backward needs its input x."""

    compute: Callable[[Any], np.ndarray]

    @classmethod
    def forward(cls, ctx: Context, x: Any) -> Any:  # type: ignore[override]
        ctx.saved_tensors = (x,)
        return cls.compute(x)


class Lgamma(_Unary):
    """log |Gamma(x)|; derivative digamma(x)."""

    compute = staticmethod(_unary(gamma.lgamma))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * digamma(x)


class Digamma(_Unary):
    """psi(x) = Gamma'(x) / Gamma(x); derivative polygamma(1, x)."""

    compute = staticmethod(_unary(gamma.digamma))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * polygamma(x, 1)


class Polygamma(Function):
    """The n-th derivative of digamma; derivative polygamma(n + 1, x)."""

    @staticmethod
    def forward(ctx: Context, x: Any, n: int) -> Any:
        ctx.saved_tensors = (x,)
        ctx.n = n
        return _unary(lambda v: gamma.polygamma(n, v))(x)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (x,) = ctx.saved_tensors
        return g * polygamma(x, ctx.n + 1), None


class Erfinv(Function):
    """y = erfinv(x); derivative sqrt(pi)/2 e^(y^2)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        y = _unary(inverse_erf.erfinv)(x)
        ctx.saved_tensors = (y,)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (y,) = ctx.saved_tensors
        return g * dual.exp(y * y) * (0.5 * _SQRT_PI)


class Ndtri(Function):
    """y = ndtri(p), the standard normal quantile; derivative sqrt(2 pi) e^(y^2 / 2)."""

    @staticmethod
    def forward(ctx: Context, p: Any) -> Any:
        y = _unary(inverse_erf.ndtri)(p)
        ctx.saved_tensors = (y,)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (y,) = ctx.saved_tensors
        return g * dual.exp(y * y * 0.5) * _SQRT_2PI


class Erfcx(Function):
    """y = e^(x^2) erfc(x); derivative 2 x y - 2 / sqrt(pi)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        y = _unary(special.erfcx)(x)
        ctx.saved_tensors = (x, y)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        x, y = ctx.saved_tensors
        return g * (2 * x * y - 2 / _SQRT_PI)


def _log_ndtr(x: np.ndarray) -> np.ndarray:
    out = np.empty(x.shape)
    low = x < -1.0  # log(erfc(-x / sqrt 2) / 2) with the e^(-x^2 / 2) factor taken out
    v = x[low]
    out[low] = np.log(0.5 * special.erfcx(-v / math.sqrt(2))) - 0.5 * v * v
    out[~low] = np.log1p(-0.5 * special.erfc(x[~low] / math.sqrt(2)))
    return out


class LogNdtr(_Unary):
    """log of the standard normal distribution function; derivative phi(x) / Phi(x) =
    sqrt(2/pi) / erfcx(-x / sqrt 2)."""

    compute = staticmethod(_unary(_log_ndtr))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        # for x > 0, erfcx(-x / sqrt 2) overflows: there phi / Phi is written with
        # e = e^(-x^2 / 2), which underflows to 0 harmlessly, as sqrt(2/pi) e / (2 - erfcx(x /
        # sqrt 2) e). Each branch gets inputs clipped to its side (the other side's values
        # would reach the gradient as 0 * inf).
        right_side = _data(x) > 0
        pos = _where(right_side, x, 0.0)
        neg = _where(right_side, 0.0, x)
        e = dual.exp(pos * pos * -0.5)
        right = _SQRT_2_OVER_PI * e / (2.0 - erfcx(pos * (1 / math.sqrt(2))) * e)
        left = _SQRT_2_OVER_PI / erfcx(neg * (-1 / math.sqrt(2)))
        return g * _where(right_side, right, left)


class I0(_Unary):
    """The modified Bessel function I0; derivative I1."""

    compute = staticmethod(_unary(bessel.i0))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * i1(x)


class I0e(_Unary):
    """e^(-|x|) I0(x); derivative i1e(x) - sign(x) i0e(x)."""

    compute = staticmethod(_unary(bessel.i0e))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * (i1e(x) - np.sign(_data(x)) * i0e(x))


def _safe_inverse(x: Any) -> tuple:
    """(x == 0 mask, 1 / x with 1 where x == 0)."""
    zero = _data(x) == 0
    return zero, 1 / _where(zero, 1.0, x)


class I1(_Unary):
    """The modified Bessel function I1; derivative I0(x) - I1(x) / x (1/2 at 0), with
    I1(x) / x by its series 1/2 + x^2/16 for |x| < 1e-4 (the quotient's derivative would
    otherwise be a rounding residue over x: 7e13 instead of ~0 at 1e-30)."""

    compute = staticmethod(_unary(bessel.i1))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        small = np.abs(_data(x)) < 1e-4  # the series' next term, x^4/384, is below 1e-18
        inv = 1 / _where(small, 1.0, x)
        ratio = _where(small, 0.5 + x * x * (1 / 16), i1(x) * inv)
        return g * (i0(x) - ratio)


class I1e(_Unary):
    """e^(-|x|) I1(x); derivative i0e(x) - i1e(x) (sign(x) + 1 / x) (1/2 at 0)."""

    compute = staticmethod(_unary(bessel.i1e))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        zero, inv = _safe_inverse(x)
        return g * _where(zero, 0.5, i0e(x) - i1e(x) * (np.sign(_data(x)) + inv))


def _sinc(x: np.ndarray) -> np.ndarray:
    px = np.pi * x
    return np.where(x == 0, 1.0, np.sin(px) / np.where(x == 0, 1.0, px))


class Sinc(_Unary):
    """sin(pi x) / (pi x), 1 at 0; derivative (cos(pi x) - sinc(x)) / x, 0 at 0 (its Taylor
    series near 0)."""

    compute = staticmethod(_unary(_sinc))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        # near 0, (cos(pi x) - sinc(x)) / x cancels: there its Taylor series -pi^2 x / 3 +
        # pi^4 x^3 / 30, whose own derivative is right too; the next term is below float64's
        # rounding for |x| < 1e-3 and float32's for |x| < 0.05
        d = _data(x)
        small = np.abs(d) < (1e-3 if d.dtype == np.float64 else 0.05)
        near = _where(small, x, 0.0)
        far = _where(small, 1.0, x)
        series = near * (-(math.pi**2) / 3) + near * near * near * (math.pi**4 / 30)
        return g * _where(small, series, (cos(far * math.pi) - sinc(far)) / far)


def _entr(x: np.ndarray) -> np.ndarray:
    out = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1.0)), np.where(x == 0, 0.0, -np.inf))
    return np.where(np.isnan(x), np.nan, out)


class Entr(_Unary):
    """-x log x (0 at 0, -inf below); derivative -(1 + log x)."""

    compute = staticmethod(_unary(_entr))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -g * (1 + dual.log(x))


class Logit(Function):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given; derivative
    1 / (x (1 - x)) inside the clamp and 0 outside it or at nan (nan outside [0, 1] without
    eps), as torch. The bounds are eps and 1 - eps in the input's dtype, as torch's kernel."""

    @staticmethod
    def forward(ctx: Context, x: Any, eps: Any) -> Any:
        ctx.saved_tensors = (x,)
        ctx.eps = eps
        bounds = None if eps is None else _logit_bounds(eps, _result_dtype(x))

        def raw(v: np.ndarray) -> np.ndarray:
            if bounds is not None:
                v = np.clip(v, *bounds)
            return np.log(v / (1 - v))

        return _unary(raw)(x)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (x,) = ctx.saved_tensors
        d = _data(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = g / (x * (1 - x))
        if ctx.eps is None:
            return _where((d < 0) | (d > 1), np.nan, slope), None
        lo, hi = _logit_bounds(ctx.eps, d.dtype)
        return _where((d >= lo) & (d <= hi), slope, 0.0), None  # nan is outside: 0


def _logit_bounds(eps: float, dtype: Any) -> tuple[Any, Any]:
    """eps and 1 - eps, rounded and subtracted in ``dtype`` (float32 bounds for float32)."""
    lo = np.asarray(eps, dtype=dtype)
    return lo, np.asarray(1, dtype=dtype) - lo


def _x_log(log: Callable[[np.ndarray], np.ndarray]) -> Callable[[Any, Any], np.ndarray]:
    """x * log(y) (or log1p), 0 where x == 0 unless y is nan."""

    def compute(x: Any, y: Any) -> np.ndarray:
        xf, yf = _f64(x), _f64(y)
        with np.errstate(all="ignore"):
            out = np.where(np.isnan(yf), np.nan, np.where(xf == 0, 0.0, xf * log(yf)))
        return np.asarray(out).astype(_result_dtype(x, y), copy=False)

    return compute


class Xlogy(Function):
    """x log y, 0 where x == 0 (nan where y is nan). Derivatives (torch's): xlogy(g, y) for
    x, except 0 where x == 0 and y <= -offset; x / (y + offset) for y."""

    offset = 0.0
    compute = staticmethod(_x_log(np.log))

    @classmethod
    def forward(cls, ctx: Context, x: Any, y: Any) -> Any:  # type: ignore[override]
        ctx.saved_tensors = (x, y)
        return cls.compute(x, y)

    @classmethod
    def backward(cls, ctx: Context, g: Any) -> tuple:  # type: ignore[override]
        x, y = ctx.saved_tensors
        gx = gy = None
        if ctx.needs_input_grad[0]:
            flat = (np.asarray(_data(x)) == 0) & (np.asarray(_data(y)) <= -cls.offset)
            gx = _where(flat, 0.0, _op(cls, cls.compute)(g, y))
        if ctx.needs_input_grad[1]:
            gy = g * x / (y + cls.offset) if cls.offset else g * x / y
        return gx, gy


class Xlog1py(Xlogy):
    """x log(1 + y), 0 where x == 0 (nan where y is nan); derivatives as xlogy's."""

    offset = 1.0
    compute = staticmethod(_x_log(np.log1p))


class Zeta(Function):
    """The Hurwitz zeta function zeta(x, q); derivative -x zeta(x + 1, q) for q. Its
    derivative for x is not implemented (as torch)."""

    @staticmethod
    def forward(ctx: Context, x: Any, q: Any) -> Any:
        ctx.saved_tensors = (x, q)
        with np.errstate(all="ignore"):
            return gamma.zeta(_f64(x), _f64(q)).astype(_result_dtype(x, q), copy=False)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, q = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            raise RuntimeError("the derivative of zeta with respect to x is not implemented")
        return None, -g * x * zeta(x + 1, q)


def _floating_only(op: str, *xs: Any) -> None:
    for x in xs:
        if isinstance(x, np.ndarray) and x.dtype.kind not in "fc":
            raise TypeError(f"{op}: expected floating inputs, got {x.dtype}")


class LogAddExp(Function):
    """log(e^a + e^b); derivatives sigmoid(a - b) and sigmoid(b - a)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        _floating_only("logaddexp", a, b)
        ctx.saved_tensors = (a, b)
        with np.errstate(invalid="ignore"):
            return np.asarray(np.logaddexp(a, b))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b = ctx.saved_tensors
        return g * dual.sigmoid(a - b), g * dual.sigmoid(b - a)


class LogAddExp2(Function):
    """log2(2^a + 2^b); derivatives 1 / (1 + 2^(b - a)) and 1 / (1 + 2^(a - b))."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        _floating_only("logaddexp2", a, b)
        ctx.saved_tensors = (a, b)
        with np.errstate(invalid="ignore"):
            return np.asarray(np.logaddexp2(a, b))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b = ctx.saved_tensors
        return g * dual.sigmoid((a - b) * _LN2), g * dual.sigmoid((b - a) * _LN2)


class Hypot(Function):
    """h = sqrt(a^2 + b^2) without overflow; derivatives a / h and b / h."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        _floating_only("hypot", a, b)
        h = np.asarray(np.hypot(a, b))
        ctx.saved_tensors = (a, b, h)
        return h

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b, h = ctx.saved_tensors
        return g * a / h, g * b / h


class Copysign(Function):
    """|a| with the sign of b (integers become floats); derivative +-1 for a (0 where a is
    0), 0 for b (torch's)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        out = np.asarray(np.copysign(a, b)).astype(_result_dtype(a, b), copy=False)
        with np.errstate(all="ignore"):
            ratio = np.where(np.asarray(a) == 0, 0.0, out / np.asarray(a, dtype=out.dtype))
        ctx.saved_tensors = (ratio.astype(out.dtype),)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (ratio,) = ctx.saved_tensors
        return g * ratio, dual.zeros_like(g)


lgamma = _op(Lgamma, Lgamma.compute)
digamma = _op(Digamma, Digamma.compute)
i0 = _op(I0, I0.compute)
i0e = _op(I0e, I0e.compute)
i1 = _op(I1, I1.compute)
i1e = _op(I1e, I1e.compute)
sinc = _op(Sinc, Sinc.compute)
erfcx = _op(Erfcx, _unary(special.erfcx))
zeta = _op(Zeta, lambda x, q: gamma.zeta(_f64(x), _f64(q)))


def polygamma(x: Any, n: int) -> Any:
    """polygamma(n, x) on a node (recorded) or raw data."""
    if isinstance(x, Node):
        return Polygamma.apply(x, n)
    return _unary(lambda v: gamma.polygamma(n, v))(x)
