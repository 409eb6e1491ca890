"""Elementwise maths: exp, log, sqrt, abs, clip, and the two-input maximum/minimum/where."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dual
from ..function import Context, Function


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

    @staticmethod
    def forward(ctx: Context, cond: Any, a: Any, b: Any) -> Any:
        cond = np.asarray(cond, dtype=bool)
        ctx.saved_tensors = (cond,)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (cond,) = ctx.saved_tensors
        return None, g * cond, g * ~cond
