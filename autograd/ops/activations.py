"""Activation functions as engine primitives, each derivative written as the notes write it.

They work on Values (Python floats) and Tensors (ndarrays) alike; every one stays finite for
large |x| wherever its mathematical value is finite.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import dual
from ..function import Context, Function
from ..node import Node
from . import special
from .reductions import normalize_axes


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


# ReLU's saved masks for a float input, shared: no tuple per op for the collector to track
_CUT, _PASSED = (0.0,), (1.0,)


class ReLU(Function):
    """max(0, x); derivative 1 for x > 0, else 0 (0 at the kink, as PyTorch).

    NaN passes through, with derivative 1 (PyTorch's: only x <= 0 is cut off).
    """

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        if type(x) is float:
            ctx.saved_tensors = _CUT if x <= 0 else _PASSED
            return 0.0 if x <= 0 else x
        y = np.maximum(x, 0)
        # y != 0 is x > 0 or nan (np.maximum keeps nan): one comparison for both
        ctx.saved_tensors = (y != 0,)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (mask,) = ctx.saved_tensors
        return g * mask


# ---------------------------------------------------------------------------------------------
# Everything below follows two rules so that second derivatives come for free:
#   * a backward rule uses only operators, ``dual`` functions and node methods, on the saved
#     input/output (handed back as nodes under ``grad(create_graph=True)``) and on constants
#     with zero derivative (masks);
#   * an intermediate cached by forward (a sigmoid, a tanh) is raw data, hence a constant
#     under create_graph: there the rule rebuilds it from the input node instead.
# ---------------------------------------------------------------------------------------------

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_GELU_CUBIC = 0.044715
# Beyond this |x|, e^(-x^2 / 2) is exactly 0 and the tanh in tanh-GELU exactly +-1 (float32
# and float64), so clipping x there changes no value and keeps x**2, x**3 from overflowing.
_GELU_CLIP = 40.0


def _as_out(r: Any) -> Any:
    """An array result as an ndarray (numpy returns scalars for 0-d inputs): the object saved
    for backward must be the very object the output node holds."""
    return r if type(r) is float or type(r) is np.ndarray else np.asarray(r)


def _mask(cond: Any, like: Any) -> Any:
    """A condition as 1/0 in the float type of ``like`` (a constant: no derivative)."""
    if type(like) is float:
        return 1.0 if cond else 0.0
    return cond.astype(like.dtype if like.dtype.kind == "f" else np.float64)


def _constant(c: Any) -> Any:
    """A numeric argument as a Python float (a numpy float64 would promote float32 data)."""
    return float(c) if isinstance(c, (int, float, np.number)) else c


class LeakyReLU(Function):
    """x for x > 0, negative_slope * x otherwise; derivative 1 or negative_slope.

    At x = 0 the derivative is negative_slope (the notes' z <= 0 branch; PyTorch's too).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, negative_slope: float) -> Any:
        a = float(negative_slope)
        if type(x) is float:
            ctx.saved_tensors = (1.0 if x > 0 else a,)
            return x if x > 0 else a * x
        pos = x > 0
        ctx.saved_tensors = (np.where(pos, 1.0, a).astype(x.dtype, copy=False),)
        return np.where(pos, x, x * a)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (slope,) = ctx.saved_tensors
        return g * slope, None


def _elu_forward(ctx: Context, x: Any, alpha: float, scale: float) -> Any:
    ctx.scale, ctx.scaled_alpha = scale, scale * alpha
    if type(x) is float:
        pos = 1.0 if x > 0 else 0.0
        y = scale * x if x > 0 else ctx.scaled_alpha * math.expm1(x)
    else:
        pos = _mask(x > 0, x)
        # expm1 of min(x, 0): the positive side is not needed and would overflow
        y = _as_out(np.where(x > 0, x * scale, np.expm1(np.minimum(x, 0)) * ctx.scaled_alpha))
    ctx.saved_tensors = (x, pos)
    return y


def _elu_backward(ctx: Context, g: Any) -> Any:
    # d/dx [scale * alpha * (e^x - 1)] = scale * alpha * e^x for x <= 0, computed from x:
    # the form y + scale * alpha cancels to 0 for x below about -17 (float32) or -37 (float64)
    x, pos = ctx.saved_tensors
    return g * (pos * ctx.scale + (1 - pos) * ctx.scaled_alpha * dual.exp(_negative_part(x)))


def _negative_part(x: Any) -> Any:
    """min(x, 0), nan for nan: e^min(x, 0) never overflows (no 0 * inf = nan at x = +inf)."""
    if isinstance(x, Node):
        return NegativePart.apply(x)
    if type(x) is float:
        return x if x < 0 or x != x else 0.0
    return np.minimum(x, 0)


class NegativePart(Function):
    """min(x, 0); derivative 1 where x < 0, else 0 (0 at the kink, so that ELU's second
    derivative at 0 is PyTorch's 0). Used by ELU's backward, on nodes."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.saved_tensors = (_mask(x < 0, x),)
        return _negative_part(x)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (neg,) = ctx.saved_tensors
        return g * neg


class ELU(Function):
    """x for x > 0, alpha * (e^x - 1) otherwise; derivative 1, or alpha * e^x.

    At x = 0 the derivative is alpha (PyTorch's choice; the notes' ELU'(0) is 1; they agree
    for the default alpha = 1).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, alpha: float) -> Any:
        return _elu_forward(ctx, x, float(alpha), 1.0)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return _elu_backward(ctx, g), None


class SELU(Function):
    """scale * elu(x, alpha) with the self-normalising constants of Klambauer et al.

    alpha = 1.6732632423543772848..., scale = 1.0507009873554804934... (PyTorch's).
    """

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return _elu_forward(ctx, x, SELU_ALPHA, SELU_SCALE)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return _elu_backward(ctx, g)


class Softplus(Function):
    """log(1 + e^(beta x)) / beta, and x itself where beta * x > threshold (PyTorch's).

    Derivative sigmoid(beta x) (the notes: softplus' = sigma), 1 on the linear part.
    Computed as max(z, 0) + log1p(e^-|z|), which never overflows.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, beta: float, threshold: float) -> Any:
        beta, threshold = float(beta), float(threshold)
        if beta == 0:
            raise ValueError("softplus: beta must be nonzero (the function divides by it)")
        ctx.beta = beta
        z = x * beta
        linear = z > threshold
        ctx.saved_tensors = (x, _mask(linear, x))
        if type(x) is float:
            return x if linear else dual.softplus(z) / beta
        return np.where(linear, x, dual.softplus(z) * (1.0 / beta))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, linear = ctx.saved_tensors
        return g * (linear + (1 - linear) * dual.sigmoid(x * ctx.beta)), None, None


class Swish(Function):
    """S = x * sigmoid(beta x); beta a constant or a trainable node.

    The notes' derivative S' = beta S + sigma(beta x)(1 - beta S) is computed regrouped as
    sigma + beta S (1 - sigma), which does not cancel catastrophically for large x.
    dS/dbeta = x^2 sigma (1 - sigma) = x S (1 - sigma).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, beta: Any) -> Any:
        beta = _constant(beta)
        s = dual.sigmoid(beta * x)
        y = _as_out(x * s)
        ctx.saved_tensors = (x, beta, y, s)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, beta, y, s = ctx.saved_tensors
        if isinstance(x, Node) or isinstance(beta, Node):
            s = dual.sigmoid(beta * x)
        t = y * (1 - s)
        gx = g * (s + beta * t)
        needs = ctx.needs_input_grad
        gbeta = g * x * t if len(needs) > 1 and needs[1] else None
        return gx, gbeta


class SiLU(Swish):
    """x * sigmoid(x): Swish with beta = 1; derivative sigma + S (1 - sigma)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:  # type: ignore[override]
        return Swish.forward(ctx, x, 1.0)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:  # type: ignore[override]
        return Swish.backward(ctx, g)[0]


class Mish(Function):
    """M = x * tanh(softplus(x)).

    The notes write M' = e^x w / d^2 with w = e^3x + 4e^2x + (6 + 4x)e^x + 4(x + 1) and
    d = (e^x + 1)^2 + 1, which overflows for x > ~236; the same function, written
    t + x sigma(x) (1 - t^2) with t = tanh(softplus(x)), stays finite.
    """

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        t = dual.tanh(dual.softplus(x))
        ctx.saved_tensors = (x, t)
        return _as_out(x * t)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        x, t = ctx.saved_tensors
        if isinstance(x, Node):
            t = dual.tanh(dual.softplus(x))
        return g * (t + x * dual.sigmoid(x) * (1 - t * t))


def _normal_cdf(x: Any) -> Any:
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2, written erfc(-x / sqrt 2) / 2 so that the lower
    tail keeps its relative precision (arrays through the vectorised erfc of ops/special.py,
    accurate to float64)."""
    if type(x) is float:
        return 0.5 * math.erfc(-x * _INV_SQRT_2)
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    u = np.asarray(x, dtype=np.float64) * -_INV_SQRT_2
    return (special.erfc(u) * 0.5).astype(dtype, copy=False)


def _clip(x: Any, bound: float) -> Any:
    if type(x) is float:
        return min(max(x, -bound), bound)
    return x.clip(-bound, bound)


def _normal_pdf(x: Any) -> Any:
    """phi(x) = e^(-x^2 / 2) / sqrt(2 pi), on raw data and nodes alike."""
    xc = _clip(x, _GELU_CLIP)
    return dual.exp(xc * xc * -0.5) * _INV_SQRT_2PI


class NormalCDF(Function):
    """Phi(x), the standard normal distribution function; derivative phi(x).

    GELU's backward uses it on nodes, so that GELU has second derivatives.
    """

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.saved_tensors = (x,)
        return _normal_cdf(x)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * _normal_pdf(x)


def _tanh_gelu_inner(x: Any) -> Any:
    return (x + x * x * x * _GELU_CUBIC) * _SQRT_2_OVER_PI


class GELU(Function):
    """x * Phi(x) (approximate='none', exact with erf) or, with approximate='tanh',
    x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

    Derivatives: Phi(x) + x phi(x); and 1/2 (1 + t) + x/2 (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715
    x^2) for the tanh form.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, approximate: str) -> Any:
        if approximate == "none":
            ctx.tanh = False
            cdf = _normal_cdf(x)
            ctx.saved_tensors = (x, cdf)
            return _as_out(x * cdf)
        if approximate == "tanh":
            ctx.tanh = True
            xc = _clip(x, _GELU_CLIP)
            t = dual.tanh(_tanh_gelu_inner(xc))
            ctx.saved_tensors = (x, t)
            return _as_out(x * 0.5 * (1 + t))
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, c = ctx.saved_tensors
        on_graph = isinstance(x, Node)
        if not ctx.tanh:
            cdf = NormalCDF.apply(x) if on_graph else c
            return g * (cdf + x * _normal_pdf(x)), None
        xc = _clip(x, _GELU_CLIP)
        t = dual.tanh(_tanh_gelu_inner(xc)) if on_graph else c
        slope = (1 + xc * xc * (3 * _GELU_CUBIC)) * _SQRT_2_OVER_PI
        return g * (0.5 * (1 + t) + xc * 0.5 * (1 - t * t) * slope), None


class Hardtanh(Function):
    """x clipped to [min_val, max_val]; derivative 1 strictly inside, 0 outside and at the
    bounds (PyTorch's)."""

    @staticmethod
    def forward(ctx: Context, x: Any, min_val: float, max_val: float) -> Any:
        lo, hi = float(min_val), float(max_val)
        if lo > hi:
            raise ValueError(f"hardtanh: min_val ({lo}) is greater than max_val ({hi})")
        ctx.saved_tensors = (_mask((x > lo) & (x < hi), x),)
        if type(x) is float:
            return min(max(x, lo), hi)
        if x.dtype.kind in "iu":  # PyTorch keeps an integer tensor's dtype (relu6 of pixels)
            if x.dtype.kind == "u" and lo < 0:
                raise RuntimeError(
                    f"hardtanh: cannot do hardtanh on an unsigned type ({x.dtype}) with "
                    f"negative limits (min_val={lo})"
                )
            return np.clip(x, lo, hi).astype(x.dtype)
        return _as_out(np.clip(x, lo, hi))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (inside,) = ctx.saved_tensors
        return g * inside, None, None


class Step(Function):
    """The notes' binary threshold T(x): 1 where x >= 0, else 0.

    Its derivative is 0 everywhere except at 0, where it does not exist (the notes: infinite).
    So the gradient passed back is 0: a unit behind a step learns nothing, which is why
    networks train with smooth or piecewise-linear activations instead.
    """

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        if type(x) is float:
            return 1.0 if x >= 0 else 0.0
        return _mask(x >= 0, x)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return g * 0.0


class Identity(Function):
    """The notes' linear activation with slope 1: y = x, dy/dx = 1."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return x if type(x) is float else x.view()

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return g


def _prelu_layout(x_shape: tuple, w_shape: tuple) -> tuple:
    """The shape the slopes broadcast as, and the axes their gradient is summed over."""
    if len(w_shape) > 1:
        raise ValueError(f"prelu: weight must be 0-d or 1-d, got shape {w_shape}")
    n = int(np.prod(w_shape))
    if n == 1:
        return (1,) * len(x_shape), None
    channels = x_shape[1] if len(x_shape) >= 2 else 1
    if channels != n:
        raise ValueError(
            f"prelu: weight has {n} slopes but the input (shape {x_shape}) has {channels} "
            "channels along axis 1; use one slope, or one per channel"
        )
    return (1, n) + (1,) * (len(x_shape) - 2), (0,) + tuple(range(2, len(x_shape)))


class PReLU(Function):
    """x for x > 0, a * x otherwise, with learnable slopes a (He et al.).

    weight holds one slope shared by all channels or one per channel (axis 1, as PyTorch).
    Derivatives: d/dx = 1 or a; d/da = 0 or x, summed over every position that shares a.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any) -> Any:
        if type(x) is float:
            ctx.saved_tensors = (x, weight, 0.0 if x > 0 else 1.0)
            return x if x > 0 else float(weight) * x
        w = weight if isinstance(weight, np.ndarray) else np.asarray(weight, dtype=x.dtype)
        ctx.shape, ctx.axes = _prelu_layout(x.shape, w.shape)
        neg = _mask(x <= 0, x)
        ctx.saved_tensors = (x, w, neg)
        return _as_out(np.where(x > 0, x, x * w.reshape(ctx.shape)))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, w, neg = ctx.saved_tensors
        if type(neg) is float:
            return g * (1 - neg + neg * w), g * x * neg
        gx = g * (1 - neg + neg * w.reshape(ctx.shape))
        gw = None
        if ctx.needs_input_grad[1]:
            gw = (g * x * neg).sum(axis=ctx.axes).reshape(w.shape)
        return gx, gw


def _shifted_exp(ctx: Context, x: Any, axis: Any, op: str) -> tuple:
    """x - max(x) along ``axis`` (the notes' shift), its exponential, and the sum of that;
    sets ``ctx.axis`` to the checked axes."""
    if x.ndim == 0:
        # one group of one; PyTorch accepts dim 0 or -1 here (numpy reductions accept none)
        normalize_axes(axis, 1, op)
        axis = None
    else:
        axis = normalize_axes(axis, x.ndim, op)
    ctx.axis = axis
    if x.size == 0:  # nothing to normalise (and numpy cannot take the max of an empty axis)
        e = np.exp(x)
        return e, e, 1.0
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return shifted, e, e.sum(axis=axis, keepdims=True)


class Softmax(Function):
    """S_i = e^(x_i - m) / sum_j e^(x_j - m) along ``axis``, m the maximum (the notes' shift).

    Backward: dS_i/dx_j = S_i (delta_ij - S_j), applied as S * (g - sum(g * S)).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, axis: Any) -> Any:
        _, e, total = _shifted_exp(ctx, x, axis, "softmax")
        s = _as_out(e / total)
        ctx.saved_tensors = (s,)
        return s

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (s,) = ctx.saved_tensors
        return s * (g - (g * s).sum(axis=ctx.axis, keepdims=True)), None


class LogSoftmax(Function):
    """log S_i = (x_i - m) - log sum_j e^(x_j - m) along ``axis`` (finite for any finite x).

    Backward: g - S * sum(g), with S = e^(log S).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, axis: Any) -> Any:
        shifted, _, total = _shifted_exp(ctx, x, axis, "log_softmax")
        y = _as_out(shifted - np.log(total))
        ctx.saved_tensors = (y,)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (y,) = ctx.saved_tensors
        return g - dual.exp(y) * g.sum(axis=ctx.axis, keepdims=True), None
