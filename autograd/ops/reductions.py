"""Reductions over axes: sum, amax/amin (ties share the gradient equally), and the running
sum and product (cumsum, cumprod)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dual import broadcast_to
from ..errors import DimError, ShapeError
from ..function import Context, Function
from ..node import Node


def normalize_axis(axis: Any, ndim: int, op: str) -> int:
    """One ``axis`` as a non-negative int, validated against ndim."""
    if not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{op}: axis must be an int, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise DimError(
            f"{op}: dim {axis} is out of range for a tensor with {ndim} dims (expected to be "
            f"in range of [{-max(ndim, 1)}, {max(ndim, 1) - 1}])"
        )
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
                raise DimError(f"{op}: dim {a} is out of range for a 0-d tensor (use 0 or -1)")
        return ()
    out = [normalize_axis(a, ndim, op) for a in axes]
    if len(set(out)) != len(out):
        raise ShapeError(f"{op}: dim repeated in {axis}")
    return tuple(out)


def kept_shape(shape: tuple, axes: tuple[int, ...] | None) -> tuple:
    """The shape a keepdims reduction over ``axes`` gives."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


# ndarray.sum without its Python wrapper (which numpy's sum is: the same ufunc reduction)
_add_up: Any = np.add.reduce


class Sum(Function):
    """Sum over axes (all when None); every entry gets the gradient of its sum."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, axes: tuple | None, keepdims: bool) -> Any:
        ctx.in_shape = x.shape
        ctx.kept = kept_shape(x.shape, axes)
        return np.asarray(_add_up(x, axes, None, None, keepdims))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return broadcast_to(g.reshape(ctx.kept), ctx.in_shape), None, None


class Mean(Function):
    """Mean over axes (all when None); every entry gets the gradient of its mean over n.

    The sum is divided by n (not multiplied by 1/n), so float32 rounds as PyTorch's; an
    empty selection gives nan (0 / 0), as PyTorch.
    """

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, axes: tuple | None, keepdims: bool) -> Any:
        ctx.in_shape = x.shape
        ctx.kept = kept_shape(x.shape, axes)
        n = x.size if axes is None else math.prod(x.shape[a] for a in axes)
        ctx.n = n or 1  # n == 0: the gradient is empty anyway
        total = _add_up(x, axes, None, None, keepdims)
        if n:
            return np.asarray(total / n)
        with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0: nan, as PyTorch
            return np.asarray(total / n)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return broadcast_to(g.reshape(ctx.kept) / ctx.n, ctx.in_shape), None, None


def _extreme_forward(
    ctx: Context, x: Any, axes: Any, keepdims: bool, pick: Any, nan_ties: bool = False
) -> Any:
    reduced = x.shape if axes is None else tuple(x.shape[a] for a in axes)
    if 0 in reduced or (axes is None and x.size == 0):
        name = {np.max: "amax", np.min: "amin"}.get(pick, pick.__name__)
        raise ValueError(
            f"{name}: cannot reduce over an empty dim (tensor of shape {x.shape}, dims {axes})"
        )
    best = pick(x, axis=axes, keepdims=True)
    hit = x == best
    if nan_ties:  # max()/min() of everything: a NaN result is shared by the NaN entries
        hit |= np.isnan(x) & np.isnan(best)
    with np.errstate(invalid="ignore", divide="ignore"):
        # amax/amin (PyTorch's): a NaN result matches no entry, 0 / 0 gives NaN gradients
        ctx.saved_tensors = (hit / hit.sum(axis=axes, keepdims=True).astype(x.dtype),)
    ctx.kept = best.shape
    if keepdims:
        return best
    return best.reshape(
        tuple(s for i, s in enumerate(x.shape) if axes is not None and i not in axes)
    )


class MedianAll(Function):
    """The median of every entry (the lower middle value; NaN if any entry is NaN), given its
    flat position; the entries equal to it (or, for NaN, every NaN) share the gradient
    equally, as PyTorch's ``median()``."""

    @staticmethod
    def forward(ctx: Context, x: Any, position: int) -> Any:
        med = x.reshape(-1)[position]
        hit = (x == med) | (np.isnan(x) & np.isnan(med))
        ctx.saved_tensors = ((hit / hit.sum()).astype(x.dtype),)
        return np.asarray(med)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (share,) = ctx.saved_tensors
        return g * share, None


class Max(Function):
    """Largest entries over axes (amax); tied maxima share the gradient equally."""

    @staticmethod
    def forward(ctx: Context, x: Any, axes: Any, keepdims: bool, nan_ties: bool = False) -> Any:
        return _extreme_forward(ctx, x, axes, keepdims, np.max, nan_ties)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (share,) = ctx.saved_tensors
        return g.reshape(ctx.kept) * share, None, None, None


class Min(Max):
    """Smallest entries over axes (amin); tied minima share the gradient equally."""

    @staticmethod
    def forward(ctx: Context, x: Any, axes: Any, keepdims: bool, nan_ties: bool = False) -> Any:
        return _extreme_forward(ctx, x, axes, keepdims, np.min, nan_ties)


def _reverse(x: Any, axis: int) -> Any:
    """x reversed along ``axis`` (raw data or a node)."""
    return x[(slice(None),) * axis + (slice(None, None, -1),)]


def running(scan: Any, x: np.ndarray, axis: int) -> np.ndarray:
    """``scan(x, axis)`` (np.cumsum or np.cumprod); narrower floats accumulate in float64 and
    round each entry once, as PyTorch's CPU kernels (float32 [1e30, 1e30, 0]: 1e60 * 0 is 0,
    not inf * 0 = nan)."""
    if x.dtype.kind == "f" and x.dtype.itemsize < 8:
        wide = scan(x, axis=axis, dtype=np.float64)
        with np.errstate(over="ignore"):  # beyond float32's range: inf, as PyTorch, silently
            return wide.astype(x.dtype)
    return scan(x, axis=axis)


def reverse_cumsum(g: Any, axis: int) -> Any:
    """sum_{j >= i} g_j along ``axis``: the adjoint of cumsum (raw data or a node)."""
    if isinstance(g, Node):
        return _reverse(CumSum.apply(_reverse(g, axis), axis), axis)
    return np.flip(running(np.cumsum, np.flip(g, axis), axis), axis)


class CumSum(Function):
    """Running sum along ``axis``; the gradient is the running sum of g from the other end."""

    @staticmethod
    def forward(ctx: Context, x: Any, axis: int) -> Any:
        ctx.axis = axis
        if x.ndim == 0:
            return x.astype(np.int64) if x.dtype.kind in "biu" else x.copy()
        out = running(np.cumsum, x, axis)
        return out.astype(np.int64) if out.dtype.kind in "biu" else out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if g.ndim == 0:
            return g, None
        return reverse_cumsum(g, ctx.axis), None


def _cat(parts: list, axis: int) -> Any:
    """Join along ``axis`` (raw data, or a node when any part is one)."""
    if any(isinstance(p, Node) for p in parts):
        from .shape import Concatenate

        return Concatenate.apply(axis, *parts)
    return np.concatenate(parts, axis=axis)


def _take(x: Any, axis: int, start: int | None, stop: int | None) -> Any:
    """x[start:stop] along ``axis`` (raw data or a node)."""
    return x[(slice(None),) * axis + (slice(start, stop),)]


def _ones_at(x: Any, axis: int) -> np.ndarray:
    """Ones shaped like x with ``axis`` of length 1 (x's dtype)."""
    shape = list(x.shape)
    shape[axis] = 1
    return np.ones(shape, dtype=x.dtype)


def exclusive_cumprod(x: Any, axis: int) -> Any:
    """prod_{k < i} x_k along ``axis`` (1 at the start), without division (raw or a node)."""
    n = x.shape[axis]
    shifted = _cat([_ones_at(x, axis), _take(x, axis, 0, n - 1)], axis)
    if isinstance(shifted, Node):
        return CumProd.apply(shifted, axis)
    return np.cumprod(shifted, axis=axis)


def _tail_products(x: Any, g: Any, axis: int) -> Any:
    """S_i = sum_{j >= i} g_j prod_{i < k <= j} x_k along ``axis`` (raw data or nodes).

    The reverse recurrence S_i = g_i + x_{i+1} S_{i+1}, solved by doubling: after a step of
    span d, B_i holds the terms j < i + d and A_i = prod_{i < k <= i + d} x_k, and a step
    joins two spans. log2(n) steps of whole-array products and sums: no division, so every
    term keeps its own rounding error only (exact also with zeros).
    """
    n = x.shape[axis]
    a = _cat([_take(x, axis, 1, None), _ones_at(x, axis)], axis)
    d = 1
    if not isinstance(x, Node) and not isinstance(g, Node):  # the same steps, in place
        b = np.array(g, dtype=np.result_type(g, x))
        while d < n:
            _take(b, axis, 0, n - d)[...] += _take(a, axis, 0, n - d) * _take(b, axis, d, None)
            if 2 * d < n:
                _take(a, axis, 0, n - d)[...] *= _take(a, axis, d, None)
            d *= 2
        return b
    b = g
    while d < n:
        head_a = _take(a, axis, 0, n - d)
        b = _cat(
            [
                _take(b, axis, 0, n - d) + head_a * _take(b, axis, d, None),
                _take(b, axis, n - d, None),
            ],
            axis,
        )
        if 2 * d < n:
            a = _cat([head_a * _take(a, axis, d, None), _take(a, axis, n - d, None)], axis)
        d *= 2
    return b


class CumProd(Function):
    """Running product along ``axis``.

    Gradient: d out_j / d x_i = prod_{k <= j, k != i} x_k for j >= i, so the gradient at i
    is (prod_{k < i} x_k) * sum_{j >= i} g_j prod_{i < k <= j} x_k: an exclusive running
    product times a reverse scan, both free of division. Exact with zeros, and its own
    derivative (second order) has no cancelling terms (out / x has: d/dx_i of out_j / x_i
    is two huge terms that cancel to 0).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, axis: int) -> Any:
        ctx.axis = axis
        out = x.copy() if x.ndim == 0 else running(np.cumprod, x, axis)
        if out.dtype.kind in "biu":
            out = out.astype(np.int64)
        ctx.saved_tensors = (x,)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (x,) = ctx.saved_tensors
        if g.ndim == 0 or x.shape[ctx.axis] == 0:
            return g, None
        return exclusive_cumprod(x, ctx.axis) * _tail_products(x, g, ctx.axis), None


class Prod(Function):
    """Product along ``axis`` (kept as length 1).

    Gradient: g * prod_{k != i} x_k, the product of the other entries taken as (product
    before i) * (product after i): exact with zeros and division-free.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, axis: int) -> Any:
        ctx.axis = axis
        ctx.saved_tensors = (x,)
        out = np.prod(x, axis=axis, keepdims=True)
        return out.astype(np.int64) if out.dtype.kind in "biu" else out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (x,) = ctx.saved_tensors
        axis = ctx.axis
        if x.shape[axis] <= 1:
            return g * np.ones_like(x._data if isinstance(x, Node) else x), None
        before = exclusive_cumprod(x, axis)
        after = _reverse(exclusive_cumprod(_reverse(x, axis), axis), axis)
        return g * before * after, None
