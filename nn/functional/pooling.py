"""Pooling as fused ops over 1, 2 or 3 spatial axes: ``max_pool1d/2d/3d``,
``avg_pool1d/2d/3d``, ``adaptive_avg_pool1d/2d/3d`` and ``adaptive_max_pool1d/2d/3d``.

Windows are strided slices of the (padded) input, one per kernel position, as in ``conv``.
Max pooling remembers where each maximum came from: its gradient scatters g to those places,
and the gradient of that scatter gathers from them, so the pair gives derivatives of every
order. Average pooling is linear: its gradient spreads g / divisor back over each window, and
the gradient of that spreading is average pooling again. Adaptive average pooling is one
matrix product per spatial axis with constant averaging matrices, so it is composed from
``@``; adaptive max pooling gathers the input at each cell's maximum.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Literal, NamedTuple, overload

import numpy as np

from autograd import Function, Tensor, stack
from autograd.errors import DtypeNotImplemented, ShapeError
from autograd.function import Context
from autograd.node import Node

from .conv import as_tensor


class PoolParams(NamedTuple):
    """Geometry of a pooling, one entry per spatial axis: kernel, stride, padding (before,
    after: the after side grows in ceil_mode), dilation and output size."""

    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]
    dilation: tuple[int, ...]
    out: tuple[int, ...]


_FORMS = {1: "a 1-tuple", 2: "a pair", 3: "a triple"}


def _ints(v: Any, dims: int, name: str, op: str, minimum: int) -> tuple[int, ...]:
    """An integer (or a ``dims``-tuple of them) >= minimum, as a ``dims``-tuple."""
    vals = tuple(v) if isinstance(v, (tuple, list)) else (v,) * dims
    if len(vals) != dims or not all(
        isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= minimum for k in vals
    ):
        raise ValueError(
            f"{op}: {name} must be an integer >= {minimum} or {_FORMS[dims]}, got {v!r}"
        )
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
    """The geometry of a pooling over the last ``dims`` axes of ``shape``; errors name the
    input's shape as ``shown``."""
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
        n = (-(-room // s[ax]) if ceil_mode else room // s[ax]) + 1
        if ceil_mode and (n - 1) * s[ax] >= size + p[ax]:
            n -= 1  # the last window must start inside the input or its left padding
        if n < 1:  # in ceil_mode a window may overhang the padded input, as in torch
            raise ValueError(
                f"{op}: the window (kernel_size {kk}, dilation {dd}) is larger than the padded "
                f"input (input of shape {tuple(shown)}, padding {pp})"
            )
        pads.append((p[ax], (n - 1) * s[ax] + span - size - p[ax]))
        outs.append(n)
    return PoolParams(k, s, tuple(pads), d, tuple(outs))


def _pad(x: np.ndarray, g: PoolParams, value: float) -> np.ndarray:
    if any(a or b > 0 for a, b in g.padding):
        widths = ((0, 0), (0, 0), *((a, max(b, 0)) for a, b in g.padding))
        return np.pad(x, widths, constant_values=value)
    return x


def _slices(g: PoolParams, pos: tuple) -> tuple:
    """The strided slice of the padded input that kernel position ``pos`` sees."""
    return (slice(None), slice(None)) + tuple(
        slice(i * d, i * d + s * (m - 1) + 1, s)
        for i, s, d, m in zip(pos, g.stride, g.dilation, g.out)
    )


def _positions(g: PoolParams) -> list[tuple]:
    """The strided slice of the padded input that each kernel position sees, in order."""
    return [_slices(g, pos) for pos in itertools.product(*(range(k) for k in g.kernel))]


def _window_sum(x: np.ndarray, g: PoolParams) -> np.ndarray:
    xp = _pad(x, g, 0.0)
    out: Any = None
    for where in _positions(g):
        part = xp[where]
        out = part.copy() if out is None else out.__iadd__(part)
    return out


def _spread(part: Any, g: PoolParams, shape: tuple, dtype: Any) -> np.ndarray:
    """Zeros of ``shape`` with ``part(j)`` added at the places kernel position j sees."""
    spatial = shape[2:]
    room = tuple(size + a + max(b, 0) for size, (a, b) in zip(spatial, g.padding))
    out = np.zeros(tuple(shape[:2]) + room, dtype=dtype)
    for j, where in enumerate(_positions(g)):
        out[where] += part(j)
    inner = tuple(slice(a, a + size) for size, (a, _) in zip(spatial, g.padding))
    return out[(slice(None), slice(None)) + inner]


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
    """(maxima, kernel position of each maximum): the first maximum wins ties and a nan
    wins over numbers (the last nan of a window), as PyTorch.

    One pass per kernel position over whole arrays (fast for the small kernels of pooling).
    """
    xp = _pad(x, g, -np.inf)
    best: Any = None
    k = np.zeros(x.shape[:2] + g.out, dtype=np.int16 if math.prod(g.kernel) < 2**15 else np.int64)
    for j, where in enumerate(_positions(g)):
        part = xp[where]
        if best is None:
            best = part.copy()
            continue
        better = (part > best) | np.isnan(part)
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


def _flat_indices(k: np.ndarray, g: PoolParams, spatial: tuple) -> np.ndarray:
    """PyTorch's return_indices: the flat (row-major) position of each maximum in its input
    plane of shape ``spatial``, from the kernel position ``k`` of each maximum."""
    nd = len(spatial)
    offsets = np.unravel_index(k, g.kernel)
    flat: Any = 0
    for ax in range(nd):
        start = np.arange(g.out[ax]).reshape((-1,) + (1,) * (nd - 1 - ax)) * g.stride[ax]
        coord = start + offsets[ax] * g.dilation[ax] - g.padding[ax][0]
        flat = flat * spatial[ax] + coord
    return np.asarray(flat, dtype=np.int64)


# --- average pooling -----------------------------------------------------------------------


class _AvgPool(Function):
    """Window sums divided by each window's divisor; linear in x."""

    @staticmethod
    def forward(ctx: Context, x: Any, g: PoolParams, divisor: np.ndarray) -> Any:
        ctx.geo, ctx.divisor, ctx.shape = g, divisor, x.shape
        sums = _window_sum(x, g)
        if x.dtype.kind in "iu":  # PyTorch's int64 kernel: the quotient truncated toward zero
            return np.sign(sums) * (np.abs(sums) // divisor)
        return sums / divisor

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


LAYOUTS = {
    1: "a 2-d (C, L) or 3-d (N, C, L)",
    2: "a 3-d (C, H, W) or 4-d (N, C, H, W)",
    3: "a 4-d (C, D, H, W) or 5-d (N, C, D, H, W)",
}


def checked_input(input: Any, dims: int, op: str) -> Tensor:
    """input as a Tensor, checked to be a batched or unbatched input of ``dims``-d pooling."""
    x = as_tensor(input, op)
    if x.ndim not in (dims + 1, dims + 2):
        raise ValueError(
            f"{op}: expected {LAYOUTS[dims]} input, got input of shape {tuple(x.shape)}"
        )
    return x


def _batched(input: Any, dims: int, op: str) -> tuple[Tensor, bool, tuple]:
    """input with a batch axis, whether it came without one, and the shape its errors show
    (1-d: the input's own; otherwise the batched one)."""
    x = checked_input(input, dims, op)
    shown = tuple(x.shape)
    unbatched = x.ndim == dims + 1
    if 0 in shown[0 if unbatched else 1 :]:
        raise ShapeError(
            f"{op}: expected {LAYOUTS[dims]} input whose dims other than the batch dim are not "
            f"empty, got input of shape {shown}"
        )
    x = x.unsqueeze(0) if unbatched else x
    return x, unbatched, (shown if dims == 1 else tuple(x.shape))


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
    """``max_pool1d``, ``max_pool2d`` or ``max_pool3d`` (``dims`` spatial axes)."""
    x, unbatched, shown = _batched(input, dims, op)
    geo = _geometry(x.shape, dims, kernel_size, stride, padding, dilation, ceil_mode, op, shown)
    y = _MaxPool.apply(x, geo)
    squeeze = (lambda t: t.squeeze(0)) if unbatched else (lambda t: t)
    if return_indices:
        k = y._ctx.k if y._ctx is not None else _max_positions(x._data, geo)[1]
        return squeeze(y), squeeze(Tensor(_flat_indices(k, geo, tuple(x.shape[2:]))))
    return squeeze(y)


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


@overload
def max_pool3d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: Literal[False] = False,
) -> Tensor: ...
@overload
def max_pool3d(
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
def max_pool3d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]: ...
def max_pool3d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The maximum of each (dilated) kernel window of input (N, C, D, H, W) or (C, D, H, W);
    ``stride`` defaults to ``kernel_size``; padding counts as -inf. With ``return_indices``
    also the flat position ((d * H + h) * W + w) of each maximum in its input volume."""
    return _max_pool(input, 3, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     "max_pool3d")  # fmt: skip


def _divisor(
    shape: tuple, g: PoolParams, count_include_pad: bool, divisor_override: Any, op: str
) -> np.ndarray:
    if divisor_override is not None:
        if (
            isinstance(divisor_override, bool)
            or int(divisor_override) != divisor_override
            or (divisor_override <= 0)
        ):
            raise ValueError(
                f"{op}: divisor_override must be a positive integer, got {divisor_override!r}"
            )
        return np.array(float(divisor_override))
    spatial = shape[2:]
    if count_include_pad:  # the padding counts, the extra room ceil_mode adds does not
        ones = np.ones((1, 1) + tuple(n + 2 * a for n, (a, _) in zip(spatial, g.padding)))
        inner = g._replace(padding=tuple((0, b - a) for a, b in g.padding))
        return _window_sum(ones, inner)[0, 0]
    return _window_sum(np.ones((1, 1) + tuple(spatial)), g)[0, 0]


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
    """``avg_pool1d``, ``avg_pool2d`` or ``avg_pool3d`` (``dims`` spatial axes)."""
    x, unbatched, shown = _batched(input, dims, op)
    if x.dtype.kind in "iub" and x.dtype != np.int64:
        raise DtypeNotImplemented(
            f"{op}: not implemented for dtype {x.dtype} (PyTorch averages floating tensors, "
            f"and int64 ones with the quotient truncated); convert with .float()"
        )
    geo = _geometry(x.shape, dims, kernel_size, stride, padding, 1, ceil_mode, op, shown)
    if dims == 3 and any(n < k for n, k in zip(x.shape[2:], geo.kernel)):
        # torch's avg_pool3d (only the 3-d one) wants every window to fit the unpadded input
        raise ValueError(
            f"{op}: input image {tuple(x.shape[2:])} smaller than kernel size {geo.kernel} "
            "(avg_pool3d does not count the padding here)"
        )
    div = _divisor(x.shape, geo, count_include_pad, divisor_override, op).astype(x.dtype)
    y = _AvgPool.apply(x, geo, div)
    return y.squeeze(0) if unbatched else y


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


def avg_pool3d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: Any = None,
) -> Tensor:
    """The mean of each kernel window of input (N, C, D, H, W) or (C, D, H, W); arguments
    as ``avg_pool2d``. As torch, the unpadded input must be at least the kernel along each
    axis."""
    return _avg_pool(input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, "avg_pool3d")  # fmt: skip


# --- adaptive pooling ----------------------------------------------------------------------


def _adaptive_bounds(size: int, out: int) -> list[tuple[int, int]]:
    """Cell i covers floor(i size / out) .. ceil((i + 1) size / out), as PyTorch."""
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


def _averaging_matrix(size: int, out: int, dtype: Any) -> np.ndarray:
    """(out, size): row i averages the input positions of adaptive cell i."""
    m = np.zeros((out, size), dtype=dtype)
    for i, (start, end) in enumerate(_adaptive_bounds(size, out)):
        m[i, start:end] = 1.0 / (end - start)
    return m


def _adaptive_sizes(x: Tensor, output_size: Any, dims: int, op: str) -> tuple[int, ...]:
    """The checked output size of an adaptive pooling over the last ``dims`` axes of ``x``
    (None in ``output_size`` keeps the input's size)."""
    checked_input(x, dims, op)
    spatial = tuple(x.shape[-dims:])
    if dims == 1:
        sizes: tuple = _ints(output_size, 1, "output_size", op, 1)
    else:
        sizes = (
            tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,) * dims
        )
        if len(sizes) != dims:
            raise ValueError(
                f"{op}: output_size must be an int or {_FORMS[dims]}, got {output_size!r}"
            )
        sizes = tuple(n if s is None else s for s, n in zip(sizes, spatial))
        for s in sizes:
            if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
                raise ValueError(
                    f"{op}: output_size must hold positive integers, got {output_size!r}"
                )
    if 0 in spatial:
        raise ValueError(f"{op}: input of shape {tuple(x.shape)} has an empty spatial axis")
    return tuple(int(s) for s in sizes)


def _adaptive_avg(input: Any, output_size: Any, dims: int, op: str) -> Tensor:
    """Adaptive average pooling over ``dims`` spatial axes: one product with an averaging
    matrix per axis (the last from the right, the others from the left)."""
    x = as_tensor(input, op)
    out = _adaptive_sizes(x, output_size, dims, op)
    if x.dtype.kind in "iub":  # the averaging matrices' fractions would be cut to 0
        raise DtypeNotImplemented(
            f"{op}: expected a floating tensor, got dtype {x.dtype} (PyTorch: not "
            f"implemented for that dtype); convert with .float()"
        )
    if not np.isfinite(x._data).all():
        return _adaptive_avg_by_cells(x, out)
    lead = tuple(x.shape[: x.ndim - dims])
    spatial = tuple(x.shape[-dims:])
    y = x @ _averaging_matrix(spatial[-1], out[-1], x.dtype).T
    for ax in range(dims - 2, -1, -1):
        flat = (*lead, *spatial[: ax + 1], math.prod(out[ax + 1 :]))
        y = y if tuple(y.shape) == flat else y.reshape(*flat)
        y = _averaging_matrix(spatial[ax], out[ax], x.dtype) @ y
    return y if tuple(y.shape) == (*lead, *out) else y.reshape(*lead, *out)


def _adaptive_avg_by_cells(x: Tensor, out: tuple[int, ...]) -> Tensor:
    """Adaptive average pooling as the mean of each cell's slice, axis by axis: an inf in a
    cell gives inf (nan only with inf and -inf together), as PyTorch, where the averaging
    matrices' zeros would turn it into nan everywhere (0 * inf)."""
    y = x
    for k, m in enumerate(out):
        ax = x.ndim - len(out) + k
        cells = [y.narrow(ax, a, b - a).mean(ax) for a, b in _adaptive_bounds(x.shape[ax], m)]
        y = stack(cells, ax)
    return y


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Tensor:
    """Average pooling of input (N, C, L) or (C, L) to length ``output_size``: output cell i
    covers positions floor(i L / L_out) to ceil((i + 1) L / L_out), as PyTorch."""
    return _adaptive_avg(input, output_size, 1, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size (H_out, W_out) (None keeps the input's size):
    output cell i covers input rows floor(i H / H_out) to ceil((i + 1) H / H_out), as PyTorch."""
    return _adaptive_avg(input, output_size, 2, "adaptive_avg_pool2d")


def adaptive_avg_pool3d(input: Any, output_size: Any) -> Tensor:
    """Average pooling of input (N, C, D, H, W) or (C, D, H, W) to a fixed output size
    (D_out, H_out, W_out) (None keeps the input's size), over PyTorch's adaptive cells."""
    return _adaptive_avg(input, output_size, 3, "adaptive_avg_pool3d")


def _adaptive_argmax(x: np.ndarray, out: tuple[int, ...]) -> np.ndarray:
    """The flat (row-major) position of each cell's maximum in its input plane: the first
    maximum wins ties, and a NaN wins over numbers (the last NaN of a cell), as PyTorch."""
    dims = len(out)
    lead, spatial = x.shape[:-dims], x.shape[-dims:]
    idx = np.zeros(lead + out, dtype=np.int64)
    bounds = [list(enumerate(_adaptive_bounds(n, m))) for n, m in zip(spatial, out)]
    for cell in itertools.product(*bounds):
        where: tuple = (Ellipsis,) + tuple(slice(a, b) for _, (a, b) in cell)
        block = x[where]
        shape: tuple = block.shape[-dims:]
        flat = block.reshape(lead + (-1,))
        k = np.argmax(flat, axis=-1)
        nan = np.isnan(flat)
        if nan.any():
            last_nan = flat.shape[-1] - 1 - np.argmax(nan[..., ::-1], axis=-1)
            k = np.where(nan.any(axis=-1), last_nan, k)
        pos: Any = 0
        for (_, (a, _)), n, c in zip(cell, spatial, np.unravel_index(k, shape)):
            pos = pos * n + a + c
        at: tuple = (Ellipsis,) + tuple(i for i, _ in cell)
        idx[at] = pos
    return idx


def _adaptive_max(input: Any, output_size: Any, return_indices: bool, dims: int, op: str) -> Any:
    """Adaptive max pooling over ``dims`` spatial axes: the input gathered at each cell's
    maximum, so its gradient scatters g back there."""
    x = as_tensor(input, op)
    out = _adaptive_sizes(x, output_size, dims, op)
    lead = tuple(x.shape[: x.ndim - dims])
    idx = _adaptive_argmax(x._data, out)
    flat_idx = Tensor(idx.reshape(lead + (-1,)))
    y = x.reshape(*lead, -1).gather(-1, flat_idx).reshape(*lead, *out)
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
    return _adaptive_max(input, output_size, return_indices, 1, "adaptive_max_pool1d")


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
    With ``return_indices`` also the flat position (h * W + w) of each maximum in its plane."""
    return _adaptive_max(input, output_size, return_indices, 2, "adaptive_max_pool2d")


@overload
def adaptive_max_pool3d(
    input: Any, output_size: Any, return_indices: Literal[False] = False
) -> Tensor: ...
@overload
def adaptive_max_pool3d(
    input: Any, output_size: Any, return_indices: Literal[True]
) -> tuple[Tensor, Tensor]: ...
@overload
def adaptive_max_pool3d(
    input: Any, output_size: Any, return_indices: bool = False
) -> Tensor | tuple[Tensor, Tensor]: ...
def adaptive_max_pool3d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling of input (N, C, D, H, W) or (C, D, H, W) to a fixed output size
    (None keeps the input's size) over PyTorch's adaptive cells; with ``return_indices`` also
    the flat position ((d * H + h) * W + w) of each maximum in its volume."""
    return _adaptive_max(input, output_size, return_indices, 3, "adaptive_max_pool3d")
