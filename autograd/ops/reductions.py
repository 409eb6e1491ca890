"""Reductions over axes: sum, and max/min (ties share the gradient equally)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dual import broadcast_to
from ..function import Context, Function


def normalize_axis(axis: Any, ndim: int, op: str) -> int:
    """One ``axis`` as a non-negative int, validated against ndim."""
    if not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{op}: axis must be an int, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{op}: axis {axis} is out of range for a tensor with {ndim} dims")
    return int(axis) % ndim


def normalize_axes(axis: Any, ndim: int, op: str) -> tuple[int, ...] | None:
    """``axis`` as a tuple of non-negative ints (None means all), validated against ndim."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, (int, np.integer)) else axis
    if not isinstance(axes, (tuple, list)) or not all(
        isinstance(a, (int, np.integer)) for a in axes
    ):
        raise TypeError(f"{op}: axis must be an int, a tuple of ints or None, got {axis!r}")
    if ndim == 0:
        # PyTorch's: a 0-d tensor takes axis 0 or -1, which spans nothing (the op is the identity)
        for a in axes:
            if a not in (0, -1):
                raise ValueError(f"{op}: axis {a} is out of range for a 0-d tensor (use 0 or -1)")
        return ()
    out = [normalize_axis(a, ndim, op) for a in axes]
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(out)


def kept_shape(shape: tuple, axes: tuple[int, ...] | None) -> tuple:
    """The shape a keepdims reduction over ``axes`` gives."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


class Sum(Function):
    """Sum over axes (all when None); every entry gets the gradient of its sum."""

    @staticmethod
    def forward(ctx: Context, x: Any, axes: tuple | None, keepdims: bool) -> Any:
        ctx.in_shape = x.shape
        ctx.kept = kept_shape(x.shape, axes)
        return np.asarray(x.sum(axis=axes, keepdims=keepdims))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return broadcast_to(g.reshape(ctx.kept), ctx.in_shape), None, None


class _Extreme(Function):
    """Shared backward of Max and Min: the gradient goes to the extreme entries, split evenly."""

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (share,) = ctx.saved_tensors
        return g.reshape(ctx.kept) * share, None, None


def _extreme_forward(ctx: Context, x: Any, axes: Any, keepdims: bool, pick: Any) -> Any:
    if x.size == 0:
        raise ValueError(f"{pick.__name__}: cannot reduce an empty tensor of shape {x.shape}")
    best = pick(x, axis=axes, keepdims=True)
    hit = x == best
    ctx.saved_tensors = (hit / hit.sum(axis=axes, keepdims=True).astype(x.dtype),)
    ctx.kept = best.shape
    if keepdims:
        return best
    return best.reshape(
        tuple(s for i, s in enumerate(x.shape) if axes is not None and i not in axes)
    )


class Max(_Extreme):
    """Largest entries over axes; tied maxima share the gradient equally."""

    @staticmethod
    def forward(ctx: Context, x: Any, axes: Any, keepdims: bool) -> Any:
        return _extreme_forward(ctx, x, axes, keepdims, np.max)


class Min(_Extreme):
    """Smallest entries over axes; tied minima share the gradient equally."""

    @staticmethod
    def forward(ctx: Context, x: Any, axes: Any, keepdims: bool) -> Any:
        return _extreme_forward(ctx, x, axes, keepdims, np.min)
