"""The trapezoidal rule: ``trapezoid`` / ``trapz`` (the integral of samples ``y`` along a
dim) and ``cumulative_trapezoid`` (its running values), spaced by ``x`` or a constant ``dx``.
Compositions of recorded ops, so differentiable in ``y`` and ``x``."""

from __future__ import annotations

from typing import Any

from .node import Node
from .ops.reductions import normalize_axis
from .tensor import Tensor


def _as_tensor(x: Any) -> Any:
    return x if isinstance(x, Tensor) else Tensor(x)


def _areas(y: Any, x: Any, dx: Any, dim: int, op: str) -> tuple[Any, int]:
    """The areas of the trapezoids between neighbouring samples along ``dim``, and that dim."""
    t = _as_tensor(y)
    if t.ndim == 0:
        raise RuntimeError(f"{op}: expected y to have at least one dimension")
    a = normalize_axis(dim, t.ndim, op)
    n = t.shape[a]
    lo = t.narrow(a, 0, max(n - 1, 0))
    hi = t.narrow(a, min(1, n), max(n - 1, 0))
    mid = (lo + hi) / 2
    if x is None:
        return mid * (1.0 if dx is None else dx), a
    if dx is not None:
        raise TypeError(f"{op}: pass either x or dx, not both")
    xs = _as_tensor(x)
    if xs.ndim == 1:
        if xs.shape[0] != n:
            raise RuntimeError(
                f"{op}: there must be one x value for each sample point ({n}), got {xs.shape[0]}"
            )
        steps = xs[1:] - xs[:-1]
        shape = [1] * t.ndim
        shape[a] = max(n - 1, 0)
        return mid * steps.reshape(shape), a
    steps = xs.narrow(a, min(1, n), max(n - 1, 0)) - xs.narrow(a, 0, max(n - 1, 0))
    return mid * steps, a


def trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The trapezoidal-rule integral of ``y`` along ``dim``, with sample points ``x`` (1-d,
    or y's shape) or spacing ``dx`` (1 by default)."""
    if isinstance(x, (int, float)) and not isinstance(x, Node):
        x, dx = None, x  # trapezoid(y, 0.5): a spacing given positionally
    t = _as_tensor(y)
    if x is None and t.ndim and t.shape[normalize_axis(dim, t.ndim, "trapezoid")]:
        # a constant spacing: dx * (sum of y - (first + last) / 2), torch's form (so an inf
        # and a -inf among the samples give nan there too)
        a = normalize_axis(dim, t.ndim, "trapezoid")
        ends = t.select(a, 0) + t.select(a, -1)
        return (t.sum(a) - ends * 0.5) * (1.0 if dx is None else dx)
    areas, a = _areas(t, x, dx, dim, "trapezoid")
    return areas.sum(a)


def trapz(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """``trapezoid`` (its older name)."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The running trapezoidal-rule integral of ``y`` along ``dim`` (one entry fewer)."""
    if isinstance(x, (int, float)) and not isinstance(x, Node):
        x, dx = None, x
    areas, a = _areas(y, x, dx, dim, "cumulative_trapezoid")
    return areas.cumsum(a)
