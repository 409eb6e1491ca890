"""Pooling as fused ops: ``max_pool2d``, ``avg_pool2d``, ``adaptive_avg_pool2d``.

Windows are strided views of the (padded) input, as in ``conv``. Max pooling remembers where
each maximum came from: its gradient scatters g to those places, and the gradient of that
scatter gathers from them, so the pair gives derivatives of every order. Average pooling is
linear: its gradient spreads g / divisor back over each window, and the gradient of that
spreading is average pooling again. Adaptive average pooling is two matrix products with
constant averaging matrices, so it is composed from ``@``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from autograd import Function, Tensor
from autograd.function import Context
from autograd.node import Node

from .conv import as_tensor


class PoolParams(NamedTuple):
    """Geometry of a 2-d pooling: per spatial axis kernel, stride, padding (before, after:
    the after side grows in ceil_mode) and dilation."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[tuple[int, int], tuple[int, int]]
    dilation: tuple[int, int]
    out: tuple[int, int]


def _pair(v: Any, name: str, op: str, minimum: int) -> tuple[int, int]:
    vals = tuple(v) if isinstance(v, (tuple, list)) else (v, v)
    if len(vals) != 2 or not all(
        isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= minimum for k in vals
    ):
        raise ValueError(f"{op}: {name} must be an integer >= {minimum} or a pair, got {v!r}")
    return int(vals[0]), int(vals[1])


def _geometry(
    shape: tuple,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    op: str,
) -> PoolParams:
    k = _pair(kernel_size, "kernel_size", op, 1)
    s = k if stride is None or (isinstance(stride, (tuple, list)) and not stride) else None
    s = s or _pair(stride, "stride", op, 1)
    p = _pair(padding, "padding", op, 0)
    d = _pair(dilation, "dilation", op, 1)
    pads, outs = [], []
    for ax in range(2):
        if p[ax] > k[ax] // 2:
            raise ValueError(f"{op}: padding {p} should be at most half of kernel_size {k}")
        size = shape[2 + ax]
        span = d[ax] * (k[ax] - 1) + 1
        room = size + 2 * p[ax] - span
        if room < 0:
            raise ValueError(
                f"{op}: the window (kernel_size {k}, dilation {d}) is larger than the padded "
                f"input (input of shape {tuple(shape)}, padding {p})"
            )
        n = (-(-room // s[ax]) if ceil_mode else room // s[ax]) + 1
        if ceil_mode and (n - 1) * s[ax] >= size + p[ax]:
            n -= 1  # the last window must start inside the input or its left padding
        pads.append((p[ax], (n - 1) * s[ax] + span - size - p[ax]))
        outs.append(n)
    return PoolParams(k, s, (pads[0], pads[1]), d, (outs[0], outs[1]))


def _pad(x: np.ndarray, g: PoolParams, value: float) -> np.ndarray:
    (pt, pb), (pl, pr) = g.padding
    if pt or pb > 0 or pl or pr > 0:
        return np.pad(
            x, ((0, 0), (0, 0), (pt, max(pb, 0)), (pl, max(pr, 0))), constant_values=value
        )
    return x


def _slices(g: PoolParams, a: int, b: int) -> tuple:
    """The strided slice of the padded input that kernel position (a, b) sees."""
    (sh, sw), (dh, dw), (oh, ow) = g.stride, g.dilation, g.out
    return (
        slice(None),
        slice(None),
        slice(a * dh, a * dh + sh * (oh - 1) + 1, sh),
        slice(b * dw, b * dw + sw * (ow - 1) + 1, sw),
    )


def _window_sum(x: np.ndarray, g: PoolParams) -> np.ndarray:
    xp = _pad(x, g, 0.0)
    out: Any = None
    for a in range(g.kernel[0]):
        for b in range(g.kernel[1]):
            part = xp[_slices(g, a, b)]
            out = part.copy() if out is None else out.__iadd__(part)
    return out


def _window_spread(y: np.ndarray, g: PoolParams, shape: tuple) -> np.ndarray:
    """The adjoint of ``_window_sum``: every output adds itself to its window's places."""
    (pt, pb), (pl, pr) = g.padding
    h, w = shape[2], shape[3]
    out = np.zeros((y.shape[0], y.shape[1], h + pt + max(pb, 0), w + pl + max(pr, 0)), y.dtype)
    for a in range(g.kernel[0]):
        for b in range(g.kernel[1]):
            out[_slices(g, a, b)] += y
    return out[:, :, pt : pt + h, pl : pl + w]


# --- max pooling ---------------------------------------------------------------------------


def _scatter(g: np.ndarray, idx: np.ndarray, shape: tuple, overlap: bool) -> np.ndarray:
    """Zeros of ``shape`` (N, C, H, W) with g added at the flat plane positions ``idx``."""
    n, c, h, w = shape
    rows = g.reshape(n * c, -1)
    where = idx.reshape(n * c, -1)
    if not overlap:
        out = np.zeros((n * c, h * w), dtype=g.dtype)
        np.put_along_axis(out, where, rows, axis=1)
        return out.reshape(shape)
    flat = (where + (np.arange(n * c) * (h * w))[:, None]).ravel()
    out = np.bincount(flat, weights=rows.ravel(), minlength=n * c * h * w)
    return out.astype(g.dtype, copy=False).reshape(shape)


def _gather(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    n, c = x.shape[:2]
    flat = np.take_along_axis(x.reshape(n * c, -1), idx.reshape(n * c, -1), axis=1)
    return flat.reshape(idx.shape)


class _Gather(Function):
    """x's plane entries at ``idx`` (N, C, OH, OW); the gradient scatters back."""

    @staticmethod
    def forward(ctx: Context, x: Any, idx: np.ndarray, overlap: bool) -> Any:
        ctx.idx, ctx.shape, ctx.overlap = idx, x.shape, overlap
        return _gather(x, idx)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return _scatter_op(g, ctx.idx, ctx.shape, ctx.overlap), None, None


class _Scatter(Function):
    """g added into zeros of ``shape`` at ``idx``; the gradient gathers from there."""

    @staticmethod
    def forward(ctx: Context, g: Any, idx: np.ndarray, shape: tuple, overlap: bool) -> Any:
        ctx.idx, ctx.overlap = idx, overlap
        return _scatter(g, idx, shape, overlap)

    @staticmethod
    def backward(ctx: Context, gg: Any) -> tuple:
        if isinstance(gg, Node):
            return _Gather.apply(gg, ctx.idx, ctx.overlap), None, None, None
        return _gather(gg, ctx.idx), None, None, None


def _scatter_op(g: Any, idx: np.ndarray, shape: tuple, overlap: bool) -> Any:
    if isinstance(g, Node):
        return _Scatter.apply(g, idx, shape, overlap)
    return _scatter(g, idx, shape, overlap)


class _MaxPool(Function):
    """The largest entry of each window; its gradient goes to that entry (the first one where
    several tie, as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, x: Any, g: PoolParams) -> Any:
        n, c, h, w = x.shape
        (kh, kw), (sh, sw), (dh, dw), (oh, ow) = g.kernel, g.stride, g.dilation, g.out
        xp = _pad(x, g, -np.inf)
        s0, s1, s2, s3 = xp.strides
        win = as_strided(
            xp, (n, c, oh, ow, kh, kw), (s0, s1, s2 * sh, s3 * sw, s2 * dh, s3 * dw),
            writeable=False,
        )  # fmt: skip
        win = win.reshape(n, c, oh, ow, kh * kw)
        k = win.argmax(axis=-1)
        out = np.take_along_axis(win, k[..., None], axis=-1)[..., 0]
        # the flat position of each maximum in the unpadded input plane
        (pt, _), (pl, _) = g.padding
        row = np.arange(oh)[:, None] * sh + (k // kw) * dh - pt
        col = np.arange(ow)[None, :] * sw + (k % kw) * dw - pl
        ctx.idx = row * w + col
        ctx.shape = x.shape
        ctx.overlap = sh < (kh - 1) * dh + 1 or sw < (kw - 1) * dw + 1
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return _scatter_op(g, ctx.idx, ctx.shape, ctx.overlap), None


# --- average pooling -----------------------------------------------------------------------


class _AvgPool(Function):
    """Window sums divided by each window's divisor; linear in x."""

    @staticmethod
    def forward(ctx: Context, x: Any, g: PoolParams, divisor: np.ndarray) -> Any:
        ctx.geo, ctx.divisor, ctx.shape = g, divisor, x.shape
        return _window_sum(x, g) / divisor

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            return _AvgPoolGrad.apply(g, ctx.geo, ctx.divisor, ctx.shape), None, None
        return _window_spread(g / ctx.divisor, ctx.geo, ctx.shape), None, None


class _AvgPoolGrad(Function):
    """The adjoint of average pooling; its own gradient is average pooling."""

    @staticmethod
    def forward(ctx: Context, g: Any, geo: PoolParams, divisor: np.ndarray, shape: tuple) -> Any:
        ctx.geo, ctx.divisor = geo, divisor
        return _window_spread(g / divisor, geo, shape)

    @staticmethod
    def backward(ctx: Context, gg: Any) -> tuple:
        if isinstance(gg, Node):
            return _AvgPool.apply(gg, ctx.geo, ctx.divisor), None, None, None
        return _window_sum(gg, ctx.geo) / ctx.divisor, None, None, None


# --- public functions ----------------------------------------------------------------------


def _batched(x: Tensor, op: str) -> tuple[Tensor, bool]:
    if x.ndim == 3:
        return x.unsqueeze(0), True
    if x.ndim != 4:
        raise ValueError(
            f"{op}: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got input of shape "
            f"{tuple(x.shape)}"
        )
    return x, False


def max_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The maximum of each (dilated) kernel window of input (N, C, H, W) or (C, H, W);
    ``stride`` defaults to ``kernel_size``; padding counts as -inf. With ``return_indices``
    also the flat position (h * W + w) of each maximum in its input plane."""
    op = "max_pool2d"
    x, unbatched = _batched(as_tensor(input, op), op)
    geo = _geometry(x.shape, kernel_size, stride, padding, dilation, ceil_mode, op)
    y = _MaxPool.apply(x, geo)
    if return_indices:
        if y._ctx is not None:
            idx = y._ctx.idx
        else:  # not recorded (no grad needed): find the positions again
            ctx = Context()
            _MaxPool.forward(ctx, x.data, geo)
            idx = ctx.idx
        idx_t = Tensor(idx.astype(np.int64))
        if unbatched:
            return y.squeeze(0), idx_t.squeeze(0)
        return y, idx_t
    return y.squeeze(0) if unbatched else y


def _divisor(
    shape: tuple, g: PoolParams, count_include_pad: bool, divisor_override: Any
) -> np.ndarray:
    if divisor_override is not None:
        if (
            isinstance(divisor_override, bool)
            or int(divisor_override) != divisor_override
            or (divisor_override <= 0)
        ):
            raise ValueError(f"avg_pool2d: divisor_override must be a positive integer, got "
                             f"{divisor_override!r}")  # fmt: skip
        return np.array(float(divisor_override))
    h, w = shape[2], shape[3]
    (pt, _), (pl, _) = g.padding
    if count_include_pad:  # the padding counts, the extra room ceil_mode adds does not
        ones = np.ones((1, 1, h + 2 * pt, w + 2 * pl))
        inner = g._replace(padding=((0, g.padding[0][1] - pt), (0, g.padding[1][1] - pl)))
        return _window_sum(ones, inner)[0, 0]
    return _window_sum(np.ones((1, 1, h, w)), g)[0, 0]


def avg_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: Any = None,
) -> Tensor:
    """The mean of each kernel window of input (N, C, H, W) or (C, H, W); ``stride``
    defaults to ``kernel_size``. The divisor counts the zero padding unless
    ``count_include_pad=False``, never the room ceil_mode adds; ``divisor_override`` fixes it."""
    op = "avg_pool2d"
    x, unbatched = _batched(as_tensor(input, op), op)
    geo = _geometry(x.shape, kernel_size, stride, padding, 1, ceil_mode, op)
    div = _divisor(x.shape, geo, count_include_pad, divisor_override).astype(x.dtype)
    y = _AvgPool.apply(x, geo, div)
    return y.squeeze(0) if unbatched else y


def _averaging_matrix(size: int, out: int, dtype: Any) -> np.ndarray:
    """(out, size): row i averages input positions floor(i*size/out) .. ceil((i+1)*size/out)."""
    m = np.zeros((out, size), dtype=dtype)
    for i in range(out):
        start = (i * size) // out
        end = -(-((i + 1) * size) // out)
        m[i, start:end] = 1.0 / (end - start)
    return m


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size (H_out, W_out) (None keeps the input's size):
    output cell i covers input rows floor(i H / H_out) to ceil((i + 1) H / H_out), as PyTorch."""
    op = "adaptive_avg_pool2d"
    x = as_tensor(input, op)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"{op}: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got input of shape "
            f"{tuple(x.shape)}"
        )
    sizes = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,) * 2
    if len(sizes) != 2:
        raise ValueError(f"{op}: output_size must be an int or a pair, got {output_size!r}")
    h, w = x.shape[-2:]
    oh, ow = (h if sizes[0] is None else sizes[0]), (w if sizes[1] is None else sizes[1])
    for s in (oh, ow):
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
            raise ValueError(f"{op}: output_size must hold positive integers, got {output_size!r}")
    if h == 0 or w == 0:
        raise ValueError(f"{op}: input of shape {tuple(x.shape)} has an empty spatial axis")
    rows = _averaging_matrix(h, oh, x.dtype)
    cols = _averaging_matrix(w, ow, x.dtype).T
    return rows @ x @ cols
