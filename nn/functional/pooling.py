"""Pooling as fused ops: ``max_pool2d``, ``avg_pool2d``, ``adaptive_avg_pool2d``, and their
1-d forms (``max_pool1d``, ...), which run the 2-d ops on a (N, C, 1, L) view of the input.

Windows are strided views of the (padded) input, as in ``conv``. Max pooling remembers where
each maximum came from: its gradient scatters g to those places, and the gradient of that
scatter gathers from them, so the pair gives derivatives of every order. Average pooling is
linear: its gradient spreads g / divisor back over each window, and the gradient of that
spreading is average pooling again. Adaptive average pooling is two matrix products with
constant averaging matrices, so it is composed from ``@``.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, overload

import numpy as np

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


def _ints(v: Any, dims: int, name: str, op: str, minimum: int) -> tuple[int, ...]:
    """An integer (or a ``dims``-tuple of them) >= minimum, as a ``dims``-tuple."""
    vals = tuple(v) if isinstance(v, (tuple, list)) else (v,) * dims
    if len(vals) != dims or not all(
        isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= minimum for k in vals
    ):
        form = "a pair" if dims == 2 else "a 1-tuple"
        raise ValueError(f"{op}: {name} must be an integer >= {minimum} or {form}, got {v!r}")
    return tuple(int(k) for k in vals)


def _geometry(
    shape: tuple,
    dims: int,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    op: str,
    shown: tuple,
) -> PoolParams:
    """The geometry of a pooling over the last ``dims`` (1 or 2) axes of ``shape``, as a 2-d
    one (a 1-d pooling is a 2-d one of height 1); errors name the input's shape as ``shown``."""
    k = _ints(kernel_size, dims, "kernel_size", op, 1)
    empty = stride is None or (isinstance(stride, (tuple, list)) and not stride)
    s = k if empty else _ints(stride, dims, "stride", op, 1)
    p = _ints(padding, dims, "padding", op, 0)
    d = _ints(dilation, dims, "dilation", op, 1)
    kk, pp, dd = (k[0], p[0], d[0]) if dims == 1 else (k, p, d)  # as the errors show them
    pads, outs = [], []
    for ax in range(dims):
        if p[ax] > k[ax] // 2:
            raise ValueError(f"{op}: padding {pp} should be at most half of kernel_size {kk}")
        size = shape[len(shape) - dims + ax]
        span = d[ax] * (k[ax] - 1) + 1
        room = size + 2 * p[ax] - span
        if room < 0:
            raise ValueError(
                f"{op}: the window (kernel_size {kk}, dilation {dd}) is larger than the padded "
                f"input (input of shape {tuple(shown)}, padding {pp})"
            )
        n = (-(-room // s[ax]) if ceil_mode else room // s[ax]) + 1
        if ceil_mode and (n - 1) * s[ax] >= size + p[ax]:
            n -= 1  # the last window must start inside the input or its left padding
        pads.append((p[ax], (n - 1) * s[ax] + span - size - p[ax]))
        outs.append(n)
    if dims == 1:  # a row of height 1
        k, s, d, pads, outs = (1, *k), (1, *s), (1, *d), [(0, 0), *pads], [1, *outs]
    return PoolParams((k[0], k[1]), (s[0], s[1]), (pads[0], pads[1]), (d[0], d[1]),
                      (outs[0], outs[1]))  # fmt: skip


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


def _positions(g: PoolParams) -> list[tuple]:
    """The strided slice of the padded input that each kernel position sees, in order."""
    return [_slices(g, a, b) for a in range(g.kernel[0]) for b in range(g.kernel[1])]


def _window_sum(x: np.ndarray, g: PoolParams) -> np.ndarray:
    xp = _pad(x, g, 0.0)
    out: Any = None
    for where in _positions(g):
        part = xp[where]
        out = part.copy() if out is None else out.__iadd__(part)
    return out


def _spread(part: Any, g: PoolParams, shape: tuple, dtype: Any) -> np.ndarray:
    """Zeros of ``shape`` with ``part(j)`` added at the places kernel position j sees."""
    (pt, pb), (pl, pr) = g.padding
    h, w = shape[2], shape[3]
    out = np.zeros(tuple(shape[:2]) + (h + pt + max(pb, 0), w + pl + max(pr, 0)), dtype=dtype)
    for j, where in enumerate(_positions(g)):
        out[where] += part(j)
    return out[:, :, pt : pt + h, pl : pl + w]


def _window_spread(y: np.ndarray, g: PoolParams, shape: tuple) -> np.ndarray:
    """The adjoint of ``_window_sum``: every output adds itself to its window's places."""
    return _spread(lambda j: y, g, shape, y.dtype)


# --- max pooling ---------------------------------------------------------------------------


def _scatter(gy: np.ndarray, k: np.ndarray, g: PoolParams, shape: tuple) -> np.ndarray:
    """Zeros of ``shape`` with each gy added where its window's maximum was (kernel
    position ``k``): one strided slice per kernel position."""
    return _spread(lambda j: gy * (k == j), g, shape, gy.dtype)


def _gather(x: np.ndarray, k: np.ndarray, g: PoolParams) -> np.ndarray:
    """Each window's entry at kernel position ``k`` (the adjoint of ``_scatter``)."""
    xp = _pad(x, g, 0.0)
    out = np.zeros(k.shape, dtype=x.dtype)
    for j, where in enumerate(_positions(g)):
        np.copyto(out, xp[where], where=k == j)
    return out


class _Gather(Function):
    """x's entries at the remembered kernel positions; the gradient scatters back."""

    @staticmethod
    def forward(ctx: Context, x: Any, k: np.ndarray, g: PoolParams) -> Any:
        ctx.k, ctx.geo, ctx.shape = k, g, x.shape
        return _gather(x, k, g)

    @staticmethod
    def backward(ctx: Context, gy: Any) -> tuple:
        return _scatter_op(gy, ctx.k, ctx.geo, ctx.shape), None, None


class _Scatter(Function):
    """g added into zeros at the remembered kernel positions; the gradient gathers."""

    @staticmethod
    def forward(ctx: Context, gy: Any, k: np.ndarray, g: PoolParams, shape: tuple) -> Any:
        ctx.k, ctx.geo = k, g
        return _scatter(gy, k, g, shape)

    @staticmethod
    def backward(ctx: Context, gg: Any) -> tuple:
        if isinstance(gg, Node):
            return _Gather.apply(gg, ctx.k, ctx.geo), None, None, None
        return _gather(gg, ctx.k, ctx.geo), None, None, None


def _scatter_op(gy: Any, k: np.ndarray, g: PoolParams, shape: tuple) -> Any:
    if isinstance(gy, Node):
        return _Scatter.apply(gy, k, g, shape)
    return _scatter(gy, k, g, shape)


def _max_positions(x: np.ndarray, g: PoolParams) -> tuple[np.ndarray, np.ndarray]:
    """(maxima, kernel position of each maximum): the first maximum wins ties, as PyTorch.

    One pass per kernel position over whole arrays (fast for the small kernels of pooling).
    """
    xp = _pad(x, g, -np.inf)
    best: Any = None
    k = np.zeros(x.shape[:2] + g.out, dtype=np.int16)
    for j, where in enumerate(_positions(g)):
        part = xp[where]
        if best is None:
            best = part.copy()
            continue
        better = part > best
        np.copyto(best, part, where=better)
        np.copyto(k, j, where=better)
    return best, k


class _MaxPool(Function):
    """The largest entry of each window; its gradient goes to that entry (the first one where
    several tie, as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, x: Any, g: PoolParams) -> Any:
        out, k = _max_positions(x, g)
        ctx.k, ctx.geo, ctx.shape = k, g, x.shape
        return out

    @staticmethod
    def backward(ctx: Context, gy: Any) -> tuple:
        return _scatter_op(gy, ctx.k, ctx.geo, ctx.shape), None


def _flat_indices(k: np.ndarray, g: PoolParams, width: int) -> np.ndarray:
    """PyTorch's return_indices: the flat position h * W + w of each maximum in its plane."""
    (kw, (sh, sw), (dh, dw)) = g.kernel[1], g.stride, g.dilation
    (pt, _), (pl, _) = g.padding
    oh, ow = g.out
    row = np.arange(oh)[:, None] * sh + (k // kw) * dh - pt
    col = np.arange(ow)[None, :] * sw + (k % kw) * dw - pl
    return (row * width + col).astype(np.int64)


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


_LAYOUTS = {1: "a 2-d (C, L) or 3-d (N, C, L)", 2: "a 3-d (C, H, W) or 4-d (N, C, H, W)"}


def _checked(input: Any, dims: int, op: str) -> Tensor:
    """input as a Tensor, checked to be a batched or unbatched input of ``dims``-d pooling."""
    x = as_tensor(input, op)
    if x.ndim not in (dims + 1, dims + 2):
        raise ValueError(
            f"{op}: expected {_LAYOUTS[dims]} input, got input of shape {tuple(x.shape)}"
        )
    return x


def _batched(input: Any, dims: int, op: str) -> tuple[Tensor, bool, tuple]:
    """input as (N, C, H, W) (1-d: (N, C, 1, L)), whether it came without a batch axis, and
    the shape its errors show (1-d: the input's own; 2-d: the batched one)."""
    x = _checked(input, dims, op)
    shown = tuple(x.shape)
    unbatched = x.ndim == dims + 1
    x = x.unsqueeze(-2) if dims == 1 else x
    x = x.unsqueeze(0) if unbatched else x
    return x, unbatched, (shown if dims == 1 else tuple(x.shape))


def _unbatched(y: Tensor, dims: int, unbatched: bool) -> Tensor:
    """The inverse of ``_batched`` on a result."""
    y = y.squeeze(0) if unbatched else y
    return y.squeeze(-2) if dims == 1 else y


def _max_pool(
    input: Any,
    dims: int,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    return_indices: bool,
    op: str,
) -> Any:
    """``max_pool1d`` (dims 1) or ``max_pool2d`` (dims 2)."""
    x, unbatched, shown = _batched(input, dims, op)
    geo = _geometry(x.shape, dims, kernel_size, stride, padding, dilation, ceil_mode, op, shown)
    y = _MaxPool.apply(x, geo)
    if return_indices:
        k = y._ctx.k if y._ctx is not None else _max_positions(x.data, geo)[1]
        idx_t = Tensor(_flat_indices(k, geo, x.shape[3]))
        return _unbatched(y, dims, unbatched), _unbatched(idx_t, dims, unbatched)
    return _unbatched(y, dims, unbatched)


@overload
def max_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: Literal[False] = False,
) -> Tensor: ...
@overload
def max_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    *,
    return_indices: Literal[True],
) -> tuple[Tensor, Tensor]: ...
@overload
def max_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]: ...
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
    return _max_pool(input, 2, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     "max_pool2d")  # fmt: skip


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


def _avg_pool(
    input: Any,
    dims: int,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    ceil_mode: bool,
    count_include_pad: bool,
    divisor_override: Any,
    op: str,
) -> Tensor:
    """``avg_pool1d`` (dims 1) or ``avg_pool2d`` (dims 2)."""
    x, unbatched, shown = _batched(input, dims, op)
    geo = _geometry(x.shape, dims, kernel_size, stride, padding, 1, ceil_mode, op, shown)
    div = _divisor(x.shape, geo, count_include_pad, divisor_override).astype(x.dtype)
    return _unbatched(_AvgPool.apply(x, geo, div), dims, unbatched)


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
    return _avg_pool(input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, "avg_pool2d")  # fmt: skip


def _adaptive_bounds(size: int, out: int) -> list[tuple[int, int]]:
    """Cell i covers floor(i size / out) .. ceil((i + 1) size / out), as PyTorch."""
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


def _averaging_matrix(size: int, out: int, dtype: Any) -> np.ndarray:
    """(out, size): row i averages the input positions of adaptive cell i."""
    m = np.zeros((out, size), dtype=dtype)
    for i, (start, end) in enumerate(_adaptive_bounds(size, out)):
        m[i, start:end] = 1.0 / (end - start)
    return m


def _adaptive_sizes(x: Tensor, output_size: Any, op: str) -> tuple[int, int, int, int]:
    """(H, W, H_out, W_out) of an adaptive 2-d pooling, with its argument checks."""
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
    return h, w, int(oh), int(ow)


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size (H_out, W_out) (None keeps the input's size):
    output cell i covers input rows floor(i H / H_out) to ceil((i + 1) H / H_out), as PyTorch."""
    op = "adaptive_avg_pool2d"
    x = as_tensor(input, op)
    h, w, oh, ow = _adaptive_sizes(x, output_size, op)
    rows = _averaging_matrix(h, oh, x.dtype)
    cols = _averaging_matrix(w, ow, x.dtype).T
    return rows @ x @ cols


# --- 1-d pooling: the 2-d ops on a (N, C, 1, L) view ---------------------------------------


def _adaptive_length(input: Any, output_size: Any, op: str) -> tuple[Tensor, int]:
    """Input (N, C, L) or (C, L) as (N, C, 1, L) or (C, 1, L), and the checked output length."""
    x = _checked(input, 1, op).unsqueeze(-2)
    out = _ints(output_size, 1, "output_size", op, 1)[0]
    if x.shape[-1] == 0:
        raise ValueError(f"{op}: input of shape {tuple(x.squeeze(-2).shape)} is empty along L")
    return x, out


@overload
def max_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: Literal[False] = False,
) -> Tensor: ...
@overload
def max_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    *,
    return_indices: Literal[True],
) -> tuple[Tensor, Tensor]: ...
@overload
def max_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]: ...
def max_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The maximum of each (dilated) kernel window of input (N, C, L) or (C, L); ``stride``
    defaults to ``kernel_size``; padding counts as -inf. With ``return_indices`` also the
    position of each maximum along L."""
    return _max_pool(input, 1, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     "max_pool1d")  # fmt: skip


def avg_pool1d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """The mean of each kernel window of input (N, C, L) or (C, L); ``stride`` defaults to
    ``kernel_size``. The divisor counts the zero padding unless ``count_include_pad=False``,
    never the room ceil_mode adds."""
    return _avg_pool(input, 1, kernel_size, stride, padding, ceil_mode, count_include_pad, None,
                     "avg_pool1d")  # fmt: skip


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Tensor:
    """Average pooling of input (N, C, L) or (C, L) to length ``output_size``: output cell i
    covers positions floor(i L / L_out) to ceil((i + 1) L / L_out), as PyTorch."""
    x, out = _adaptive_length(input, output_size, "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(x, (1, out)).squeeze(-2)


# --- adaptive max pooling: a gather at the maxima's flat positions -------------------------


def _adaptive_argmax(x: np.ndarray, oh: int, ow: int) -> np.ndarray:
    """The flat position h * W + w of each cell's maximum in its (H, W) plane: the first
    maximum wins ties, and a NaN wins over numbers (the last NaN of a cell), as PyTorch."""
    lead, (h, w) = x.shape[:-2], x.shape[-2:]
    idx = np.zeros(lead + (oh, ow), dtype=np.int64)
    for i, (r0, r1) in enumerate(_adaptive_bounds(h, oh)):
        for j, (c0, c1) in enumerate(_adaptive_bounds(w, ow)):
            cell = x[..., r0:r1, c0:c1].reshape(lead + (-1,))
            k = np.argmax(cell, axis=-1)
            nan = np.isnan(cell)
            if nan.any():
                last_nan = (r1 - r0) * (c1 - c0) - 1 - np.argmax(nan[..., ::-1], axis=-1)
                k = np.where(nan.any(axis=-1), last_nan, k)
            width = c1 - c0
            idx[..., i, j] = (r0 + k // width) * w + c0 + k % width
    return idx


@overload
def adaptive_max_pool2d(
    input: Any, output_size: Any, return_indices: Literal[False] = False
) -> Tensor: ...
@overload
def adaptive_max_pool2d(
    input: Any, output_size: Any, return_indices: Literal[True]
) -> tuple[Tensor, Tensor]: ...
@overload
def adaptive_max_pool2d(
    input: Any, output_size: Any, return_indices: bool = False
) -> Tensor | tuple[Tensor, Tensor]: ...
def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling of input (N, C, H, W) or (C, H, W) to a fixed output size (H_out, W_out)
    (None keeps the input's size), over PyTorch's adaptive cells (as ``adaptive_avg_pool2d``).
    With ``return_indices`` also the flat position (h * W + w) of each maximum in its plane.

    The result gathers the input at those positions, so its gradient scatters g back there."""
    op = "adaptive_max_pool2d"
    x = as_tensor(input, op)
    h, w, oh, ow = _adaptive_sizes(x, output_size, op)
    lead = tuple(x.shape[:-2])
    idx = _adaptive_argmax(x.data, int(oh), int(ow))
    flat_idx = Tensor(idx.reshape(lead + (-1,)))
    y = x.reshape(*lead, h * w).gather(-1, flat_idx).reshape(*lead, int(oh), int(ow))
    return (y, Tensor(idx)) if return_indices else y


@overload
def adaptive_max_pool1d(
    input: Any, output_size: Any, return_indices: Literal[False] = False
) -> Tensor: ...
@overload
def adaptive_max_pool1d(
    input: Any, output_size: Any, return_indices: Literal[True]
) -> tuple[Tensor, Tensor]: ...
@overload
def adaptive_max_pool1d(
    input: Any, output_size: Any, return_indices: bool = False
) -> Tensor | tuple[Tensor, Tensor]: ...
def adaptive_max_pool1d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling of input (N, C, L) or (C, L) to length ``output_size`` over PyTorch's
    adaptive cells; with ``return_indices`` also the position of each maximum along L."""
    x, out = _adaptive_length(input, output_size, "adaptive_max_pool1d")
    y, idx = adaptive_max_pool2d(x, (1, out), return_indices=True)
    if return_indices:
        return y.squeeze(-2), idx.squeeze(-2)
    return y.squeeze(-2)
