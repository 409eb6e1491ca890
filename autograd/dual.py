"""Functions that accept floats, ndarrays, Values and Tensors alike.

Backward rules are written with these (and with ordinary operators), so one rule serves
first-order gradients on raw data and higher-order ones on nodes. On Python floats they
follow IEEE arithmetic as numpy does (``log(0) == -inf``, ``exp(1000) == inf``) instead of
raising.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .node import Node

INF = math.inf
NAN = math.nan


def _is_scalar(x: Any) -> bool:
    return type(x) is float or type(x) is int


def exp(x: Any) -> Any:
    """e ** x."""
    if type(x) is float:
        try:
            return math.exp(x)
        except OverflowError:
            return INF
    if isinstance(x, Node):
        return x.exp()
    with np.errstate(over="ignore"):  # inf, silently, as PyTorch
        return np.exp(x)


def log(x: Any) -> Any:
    """Natural logarithm (-inf at 0, nan below)."""
    if _is_scalar(x):
        if x > 0:
            return math.log(x)
        return -INF if x == 0 else NAN
    if isinstance(x, Node):
        return x.log()
    with np.errstate(divide="ignore", invalid="ignore"):  # -inf / nan, silently, as PyTorch
        return np.log(x)


def sqrt(x: Any) -> Any:
    """Square root (nan below 0)."""
    if _is_scalar(x):
        return math.sqrt(x) if x >= 0 else NAN
    if isinstance(x, Node):
        return x.sqrt()
    with np.errstate(invalid="ignore"):  # nan, silently, as PyTorch
        return np.sqrt(x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent."""
    if _is_scalar(x):
        return math.tanh(x)
    if isinstance(x, Node):
        return x.tanh()
    return np.tanh(x)


def sigmoid(x: Any) -> Any:
    """1 / (1 + e^-x), without overflow for large |x|."""
    if _is_scalar(x):
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)
    if isinstance(x, Node):
        return x.sigmoid()
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def softplus(x: Any) -> Any:
    """log(1 + e^x), without overflow for large x or lost digits for very negative x."""
    if _is_scalar(x):
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))
    if isinstance(x, Node):
        return x.softplus(1.0, INF)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def divide(a: Any, b: Any) -> Any:
    """a / b, giving inf or nan for a zero divisor on floats as numpy does."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def power(a: Any, b: Any) -> Any:
    """a ** b, nan for a negative float base with a fractional exponent, inf for 0 ** -n."""
    try:
        r = a**b
    except (ZeroDivisionError, OverflowError):
        # Python raises where C's pow (numpy's, PyTorch's) gives an infinity: its sign is
        # the base's for odd integer exponents; a negative base with a fractional one is nan
        if math.copysign(1.0, a) > 0:
            return INF
        if b != math.floor(b):
            return INF if a == 0 else NAN
        return -INF if b % 2 == 1 else INF
    if type(r) is complex:
        return NAN
    return r


def sign(x: Any) -> Any:
    """-1, 0 or 1, and 0 for nan as PyTorch's sign (raw data only: a sign has no derivative)."""
    if _is_scalar(x):
        return float((x > 0) - (x < 0))
    s = np.sign(x)
    return np.where(s != s, 0, s).astype(s.dtype, copy=False) if s.dtype.kind == "f" else s


def zeros_like(g: Any) -> Any:
    """Zeros shaped like ``g`` as raw data (0.0 for a float): the gradient of an op whose
    derivative is 0, which nan or inf arriving in ``g`` does not reach (PyTorch's); it has
    no history, so its own derivatives are 0 too."""
    d = g._data if isinstance(g, Node) else g
    if _is_scalar(d):
        return 0.0
    return np.zeros(np.shape(d), dtype=getattr(d, "dtype", None))


_matmul = np.matmul
# entries in both factors from which @ is as fast as dot or faster (their results are big
# enough for dot's extra pass to cost more than @'s overhead per call)
_BIG_FACTORS = 1 << 16


def matmul2d(a: Any, b: Any) -> Any:
    """``a @ b`` for matrices (or a vector and a matrix)."""
    if type(a) is np.ndarray and type(b) is np.ndarray:
        if a.size + b.size < _BIG_FACTORS:
            return a.dot(b)  # the same BLAS product as @, with less overhead per call
        # (dot zero-fills its result first: one more pass over a big output)
        return _matmul(a, b)
    return a @ b


def column_sums(x: Any) -> Any:
    """``x.sum(axis=0)`` of a matrix."""
    if type(x) is np.ndarray:
        # a product with ones: BLAS, several times faster than numpy's sum over axis 0
        return ones_array((x.shape[0],), x.dtype).dot(x)
    return x.sum(axis=0)


def ones_array(shape: tuple, dtype: Any) -> np.ndarray:
    """``np.ones(shape, dtype)`` without its Python-level wrapper (it costs more than the
    filling on small arrays)."""
    out = np.empty(shape, dtype)
    out.fill(1)
    return out


def sum_to(g: Any, shape: tuple) -> Any:
    """Sum a broadcast gradient back down to ``shape`` (numpy's broadcasting, undone)."""
    gshape = g.shape
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    if lead < 0:
        raise ValueError(f"gradient of shape {gshape} cannot be reduced to shape {shape}")
    axes = list(range(lead))
    for i, s in enumerate(shape):
        if s != gshape[lead + i]:
            if s != 1:
                raise ValueError(f"gradient of shape {gshape} cannot be reduced to shape {shape}")
            axes.append(lead + i)
    if type(g) is np.ndarray:
        if axes == [0] and g.ndim == 2:  # a bias's gradient, (N, M) to (M,) or (1, M)
            return column_sums(g).reshape(shape)
        if axes:
            g = np.add.reduce(g, tuple(axes), keepdims=True)
    elif axes:
        g = g.sum(axis=tuple(axes), keepdims=True)
    return g.reshape(shape) if lead or g.shape != shape else g


_SMALL = 1 << 16


def broadcast_to(x: Any, shape: tuple) -> Any:
    """Broadcast to ``shape``: a read-only view for large ndarrays, a filled copy for small.

    (numpy's ``broadcast_to`` costs microseconds of Python per call, more than filling a small
    array; for large ones the view saves the memory.)
    """
    if isinstance(x, Node):
        return x.broadcast_to(shape)  # type: ignore[attr-defined]
    if _prod(shape) <= _SMALL:
        out = np.empty(shape, dtype=x.dtype)
        out[...] = x
        return out
    return np.broadcast_to(x, shape)


def _prod(shape: tuple) -> int:
    n = 1
    for s in shape:
        n *= s
    return n
