"""Convolutions as fused ops over 1, 2 or 3 spatial axes: ``conv1d``, ``conv2d``,
``conv3d`` and the transposed ``conv_transpose1d``, ``conv_transpose2d``,
``conv_transpose3d``.

A convolution is computed by im2col: numpy's stride tricks give a view of every kernel-sized
window of the padded input (any number of spatial axes), which is copied once into a matrix
and multiplied by the weight with BLAS. Three linear maps close under differentiation:

- ``conv(x, w)``                    the forward convolution;
- ``conv_input_grad(g, w)``         its adjoint in x, the transposed convolution;
- ``conv_weight_grad(x, g)``        its adjoint in w.

With B(x, w, g) = <conv(x, w), g>, each of the three is a partial derivative of B, so the
gradient of each is made of the other two (see ``_Conv``, ``_ConvInputGrad`` and
``_ConvWeightGrad``). Backward rules call them as ops when they receive nodes
(``create_graph=True``), so every convolution has derivatives of every order.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from autograd import Function, Tensor
from autograd.errors import ShapeError
from autograd.function import Context
from autograd.node import Node


class ConvParams(NamedTuple):
    """Geometry of a convolution, one entry per spatial axis: stride, padding
    (before, after) and dilation; and groups."""

    stride: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]
    dilation: tuple[int, ...]
    groups: int


# ---------------------------------------------------------------------------------------------
# raw numpy kernels
# ---------------------------------------------------------------------------------------------


def _out_size(size: int, pad: tuple[int, int], k: int, s: int, d: int) -> int:
    return (size + pad[0] + pad[1] - d * (k - 1) - 1) // s + 1


def _windows(x: np.ndarray, kernel: tuple, p: ConvParams) -> np.ndarray:
    """A (N, C, *kernel, *out) view of the kernel windows of the zero-padded ``x``."""
    spatial = x.shape[2:]
    # the size the windows may use; a negative padding after (a transposed convolution's
    # output_padding seen from the other side) leaves the last rows or columns unused
    used = [size + a + b for size, (a, b) in zip(spatial, p.padding)]
    if any(a or b for a, b in p.padding):
        x = np.pad(x, ((0, 0), (0, 0), *((a, max(b, 0)) for a, b in p.padding)))
    out = tuple(
        (u - d * (k - 1) - 1) // s + 1 for u, k, s, d in zip(used, kernel, p.stride, p.dilation)
    )
    steps = x.strides[2:]
    return as_strided(
        x,
        x.shape[:2] + tuple(kernel) + out,
        x.strides[:2]
        + tuple(st * d for st, d in zip(steps, p.dilation))
        + tuple(st * s for st, s in zip(steps, p.stride)),
        writeable=False,
    )


def _columns(x: np.ndarray, kernel: tuple, p: ConvParams) -> np.ndarray:
    """im2col: (N, G, C/G * prod(kernel), prod(out)), one column per output position."""
    win = _windows(x, kernel, p)
    n, c = win.shape[:2]
    g = p.groups
    nd = len(kernel)
    return win.reshape(n, g, (c // g) * math.prod(kernel), math.prod(win.shape[2 + nd :]))


def conv_raw(x: np.ndarray, w: np.ndarray, p: ConvParams, cols: Any = None) -> tuple:
    """(y, cols): the convolution of x (N, C, *spatial) with w (O, C/G, *kernel), and its
    im2col."""
    o, cg, *kernel = w.shape
    n = x.shape[0]
    g = p.groups
    if cols is None:
        cols = _columns(x, tuple(kernel), p)
    out = tuple(
        _out_size(size, pad, k, s, d)
        for size, pad, k, s, d in zip(x.shape[2:], p.padding, kernel, p.stride, p.dilation)
    )
    y = np.matmul(w.reshape(g, o // g, cg * math.prod(kernel)), cols)  # (N, G, O/G, prod(out))
    return y.reshape(n, o, *out), cols


def conv_input_grad_raw(g: np.ndarray, w: np.ndarray, p: ConvParams, x_shape: tuple) -> Any:
    """The transposed convolution: the gradient of conv(x, w) in x (of ``x_shape``) for ``g``."""
    o, cg, *kernel = w.shape
    n, out = g.shape[0], g.shape[2:]
    groups = p.groups
    c = cg * groups
    wt = w.reshape(groups, o // groups, cg * math.prod(kernel)).transpose(0, 2, 1)
    cols = np.matmul(wt, g.reshape(n, groups, o // groups, math.prod(out)))
    cols = cols.reshape(n, c, *kernel, *out)
    spatial = x_shape[2:]
    room = tuple(
        max(size + a, d * (k - 1) + s * (m - 1) + 1)
        for size, (a, _), k, s, d, m in zip(spatial, p.padding, kernel, p.stride, p.dilation, out)
    )
    res = np.zeros((n, c, *room), dtype=np.result_type(g, w))
    every = (slice(None), slice(None))
    for pos in itertools.product(*(range(k) for k in kernel)):
        where = tuple(
            slice(i * d, i * d + s * (m - 1) + 1, s)
            for i, s, d, m in zip(pos, p.stride, p.dilation, out)
        )
        res[every + where] += cols[every + pos]
    return res[every + tuple(slice(a, a + size) for (a, _), size in zip(p.padding, spatial))]


def conv_weight_grad_raw(
    x: np.ndarray, g: np.ndarray, p: ConvParams, w_shape: tuple, cols: Any = None
) -> np.ndarray:
    """The gradient of conv(x, w) in w (of ``w_shape``) for the upstream gradient ``g``."""
    o, cg, *kernel = w_shape
    n = g.shape[0]
    groups = p.groups
    if cols is None:
        cols = _columns(x, tuple(kernel), p)
    gg = g.reshape(n, groups, o // groups, math.prod(g.shape[2:]))  # no -1: N may be 0
    out = np.empty((groups, o // groups, cg * math.prod(kernel)), dtype=np.result_type(x, g))
    for k in range(groups):
        out[k] = np.tensordot(gg[:, k], cols[:, k], axes=([0, 2], [0, 2]))
    return out.reshape(w_shape)


# ---------------------------------------------------------------------------------------------
# the three ops; each one's gradient is made of the other two
# ---------------------------------------------------------------------------------------------


def _conv(x: Any, w: Any, p: ConvParams) -> Any:
    if isinstance(x, Node) or isinstance(w, Node):
        return _Conv.apply(x, w, None, p)
    return conv_raw(x, w, p)[0]


def _input_grad(g: Any, w: Any, p: ConvParams, x_shape: tuple) -> Any:
    if isinstance(g, Node) or isinstance(w, Node):
        return _ConvInputGrad.apply(g, w, p, x_shape)
    return conv_input_grad_raw(g, w, p, x_shape)


def _weight_grad(x: Any, g: Any, p: ConvParams, w_shape: tuple, cols: Any = None) -> Any:
    if isinstance(x, Node) or isinstance(g, Node):
        return _ConvWeightGrad.apply(x, g, p, w_shape)
    return conv_weight_grad_raw(x, g, p, w_shape, cols)


class _Conv(Function):
    """y = conv(x, w) + b; dy/dx is the transposed convolution, dy/dw the weight gradient."""

    @staticmethod
    def forward(ctx: Context, x: Any, w: Any, b: Any, p: ConvParams) -> Any:
        y, cols = conv_raw(x, w, p)
        if b is not None:
            y += b.reshape((1, -1) + (1,) * (y.ndim - 2))
        ctx.p = p
        ctx.cols = cols if ctx.needs_input_grad[1] else None
        ctx.save_for_backward(x, w)
        return y

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        p = ctx.p
        gx = _input_grad(g, w, p, x.shape) if need[0] else None
        gw = _weight_grad(x, g, p, w.shape, ctx.cols) if need[1] else None
        gb = g.sum(axis=(0, *range(2, g.ndim))) if len(need) > 2 and need[2] else None
        ctx.cols = None
        return gx, gw, gb, None


class _ConvInputGrad(Function):
    """z = conv_input_grad(g, w) (a transposed convolution), linear in g and in w."""

    @staticmethod
    def forward(ctx: Context, g: Any, w: Any, p: ConvParams, x_shape: tuple) -> Any:
        ctx.p = p
        ctx.save_for_backward(g, w)
        return conv_input_grad_raw(g, w, p, x_shape)

    @staticmethod
    def backward(ctx: Context, gz: Any) -> tuple:
        g, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        gg = _conv(gz, w, ctx.p) if need[0] else None
        gw = _weight_grad(gz, g, ctx.p, w.shape) if need[1] else None
        return gg, gw, None, None


class _ConvWeightGrad(Function):
    """W = conv_weight_grad(x, g), linear in x and in g."""

    @staticmethod
    def forward(ctx: Context, x: Any, g: Any, p: ConvParams, w_shape: tuple) -> Any:
        ctx.p = p
        ctx.save_for_backward(x, g)
        return conv_weight_grad_raw(x, g, p, w_shape)

    @staticmethod
    def backward(ctx: Context, gw: Any) -> tuple:
        x, g = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = _input_grad(g, gw, ctx.p, x.shape) if need[0] else None
        gg = _conv(x, gw, ctx.p) if need[1] else None
        return gx, gg, None, None


# ---------------------------------------------------------------------------------------------
# argument handling
# ---------------------------------------------------------------------------------------------


def _tuple(v: Any, n: int, name: str, op: str, minimum: int) -> tuple:
    vals = tuple(v) if isinstance(v, (tuple, list)) else (v,) * n
    if len(vals) != n or not all(
        isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= minimum for k in vals
    ):
        raise ValueError(
            f"{op}: {name} must be an integer >= {minimum} or a tuple of {n} of them, got {v!r}"
        )
    return tuple(int(k) for k in vals)


def _padding(padding: Any, n: int, kernel: tuple, stride: tuple, dilation: tuple, op: str) -> tuple:
    """((before, after), ...) per spatial axis; 'same' splits like PyTorch (extra after)."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{op}: padding='same' is not supported for strided convolutions")
            pads = []
            for k, d in zip(kernel, dilation):
                total = d * (k - 1)
                pads.append((total // 2, total - total // 2))
            return tuple(pads)
        raise ValueError(f"{op}: padding must be 'valid', 'same' or integers, got {padding!r}")
    return tuple((q, q) for q in _tuple(padding, n, "padding", op, 0))


def as_tensor(x: Any, op: str, name: str = "input") -> Tensor:
    """``x`` as a Tensor (arrays are wrapped; anything else is refused)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (np.ndarray, list, tuple, float, int)):
        return Tensor(x)
    raise TypeError(f"{op}: {name} must be a Tensor, got {type(x).__name__}")


def _check_weight(
    x_shape: tuple, w: Tensor, groups: int, ndim: int, op: str, transposed: bool = False
) -> None:
    if w.ndim != ndim + 2:
        raise ValueError(f"{op}: weight must be {ndim + 2}-d, got weight of shape {tuple(w.shape)}")
    c = x_shape[1]
    if transposed:
        if w.shape[0] != c or c % groups:
            raise ShapeError(
                f"{op}: input of shape {tuple(x_shape)} has {c} channels but weight of shape "
                f"{tuple(w.shape)} expects {w.shape[0]} input channels (groups={groups})"
            )
    else:
        if w.shape[1] * groups != c:
            raise ShapeError(
                f"{op}: input of shape {tuple(x_shape)} has {c} channels but weight of shape "
                f"{tuple(w.shape)} with groups={groups} expects {w.shape[1] * groups} channels"
            )
        if w.shape[0] % groups:
            raise ValueError(
                f"{op}: out_channels {w.shape[0]} (weight {tuple(w.shape)}) is not divisible "
                f"by groups={groups}"
            )


SPATIAL = {1: "L", 2: "H, W", 3: "D, H, W"}


def _batched(x: Tensor, ndim: int, op: str) -> tuple[Tensor, bool]:
    """x with a batch axis, and whether one was added (PyTorch accepts unbatched input)."""
    if x.ndim == ndim + 1:
        return x.unsqueeze(0), True
    if x.ndim != ndim + 2:
        spatial = SPATIAL[ndim]
        raise ValueError(
            f"{op}: expected a {ndim + 1}-d (unbatched: C, {spatial}) or {ndim + 2}-d "
            f"(batched: N, C, {spatial}) input, got input of shape {tuple(x.shape)}"
        )
    return x, False


def _check_fits(x_shape: tuple, kernel: tuple, p: ConvParams, op: str) -> None:
    for ax, (size, k, pad, d) in enumerate(zip(x_shape[2:], kernel, p.padding, p.dilation)):
        span = d * (k - 1) + 1
        if size + pad[0] + pad[1] < span:
            raise ValueError(
                f"{op}: the kernel (size {k}, dilation {d}, spanning {span}) is larger than the "
                f"padded input along spatial axis {ax} ({size} + padding {pad[0]} + {pad[1]}); "
                f"input of shape {tuple(x_shape)}"
            )


def _params(
    nd: int, kernel: tuple, stride: Any, padding: Any, dilation: Any, groups: Any, op: str
) -> ConvParams:
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive integer, got {groups!r}")
    st = _tuple(stride, nd, "stride", op, 1)
    dl = _tuple(dilation, nd, "dilation", op, 1)
    pd = _padding(padding, nd, kernel, st, dl, op)
    return ConvParams(st, pd, dl, int(groups))


def _checked_bias(bias: Any, out_c: int, w: Tensor, op: str) -> Tensor | None:
    if bias is None:
        return None
    bias = as_tensor(bias, op, "bias")
    if bias.shape != (out_c,):
        raise ValueError(
            f"{op}: bias of shape {tuple(bias.shape)} does not fit weight of shape "
            f"{tuple(w.shape)} ({out_c} output channels, expected bias of shape ({out_c},))"
        )
    return bias


def _checked_weight(weight: Any, nd: int, op: str) -> Tensor:
    w = as_tensor(weight, op, "weight")
    if w.ndim != nd + 2:
        raise ValueError(f"{op}: weight must be {nd + 2}-d, got weight of shape {tuple(w.shape)}")
    return w


def convolution(
    input: Any,
    weight: Any,
    bias: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: Any,
    nd: int,
    op: str,
) -> Tensor:
    """The convolution over ``nd`` spatial axes behind ``conv1d``, ``conv2d`` and ``conv3d``;
    errors name ``op``."""
    x, unbatched = _batched(as_tensor(input, op), nd, op)
    w = _checked_weight(weight, nd, op)
    p = _params(nd, w.shape[2:], stride, padding, dilation, groups, op)
    _check_weight(x.shape, w, p.groups, nd, op)
    _check_fits(x.shape, w.shape[2:], p, op)
    y = _Conv.apply(x, w, _checked_bias(bias, w.shape[0], w, op), p)
    return y.squeeze(0) if unbatched else y


def conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """1-d convolution of input (N, C, L) or (C, L) with weight (out_channels, C / groups, k);
    result (N, out_channels, L_out). Arguments as ``conv2d``, one spatial axis."""
    return convolution(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """2-d convolution (cross-correlation, as PyTorch) of input (N, C, H, W) or (C, H, W)
    with weight (out_channels, C / groups, kH, kW); result (N, out_channels, H_out, W_out).

    ``padding`` is an int, a pair, 'valid' (0) or 'same' (output as large as the input;
    stride 1 only, the odd extra pixel after, as PyTorch). H_out = floor((H + pad_top +
    pad_bottom - dilation * (kH - 1) - 1) / stride) + 1.
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """3-d convolution of input (N, C, D, H, W) or (C, D, H, W) with weight (out_channels,
    C / groups, kD, kH, kW); result (N, out_channels, D_out, H_out, W_out). Arguments as
    ``conv2d``, three spatial axes."""
    return convolution(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def transposed_output_size(
    size: int, kernel: int, stride: int, padding: int, dilation: int, output_padding: int
) -> int:
    """The length of a transposed convolution's output along one spatial axis."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def conv_transpose(
    input: Any,
    weight: Any,
    bias: Any,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: Any,
    dilation: Any,
    nd: int,
    op: str,
) -> Tensor:
    """The transposed convolution over ``nd`` spatial axes behind ``conv_transpose1d``,
    ``conv_transpose2d`` and ``conv_transpose3d``; errors name ``op``."""
    x, unbatched = _batched(as_tensor(input, op), nd, op)
    w = _checked_weight(weight, nd, op)
    if isinstance(padding, str):
        raise ValueError(f"{op}: padding must be integers, got {padding!r}")
    p = _params(nd, w.shape[2:], stride, padding, dilation, groups, op)
    _check_weight(x.shape, w, p.groups, nd, op, transposed=True)
    op_pad = _tuple(output_padding, nd, "output_padding", op, 0)
    for ax in range(nd):
        if op_pad[ax] >= max(p.stride[ax], p.dilation[ax]):
            raise ValueError(
                f"{op}: output_padding {op_pad} must be smaller than stride {p.stride} or "
                f"dilation {p.dilation}"
            )
    out = tuple(
        transposed_output_size(size, k, s, pad[0], d, extra)
        for size, k, s, pad, d, extra in zip(
            x.shape[2:], w.shape[2:], p.stride, p.padding, p.dilation, op_pad
        )
    )
    if any(m < 1 for m in out):
        raise ValueError(
            f"{op}: the output size {out} for input of shape {tuple(x.shape)}, weight "
            f"{tuple(w.shape)}, stride {p.stride}, padding {tuple(a for a, _ in p.padding)} "
            f"is too small"
        )
    # the transposed convolution's padding grows by output_padding after the output
    geo = p._replace(padding=tuple((a, b - e) for (a, b), e in zip(p.padding, op_pad)))
    out_c = w.shape[1] * p.groups
    b = _checked_bias(bias, out_c, w, op)
    y = _ConvInputGrad.apply(x, w, geo, (x.shape[0], out_c, *out))
    if b is not None:
        y = y + b.reshape(1, out_c, *(1,) * nd)
    return y.squeeze(0) if unbatched else y


def conv_transpose1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """Transposed 1-d convolution (the gradient of ``conv1d`` in its input) of input
    (N, C_in, L) or (C_in, L) with weight (C_in, out_channels / groups, k).

    L_out = (L - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1.
    """
    return conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                          dilation, 1, "conv_transpose1d")  # fmt: skip


def conv_transpose2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """Transposed 2-d convolution (the gradient of ``conv2d`` in its input) of input
    (N, C_in, H, W) or (C_in, H, W) with weight (C_in, out_channels / groups, kH, kW).

    H_out = (H - 1) * stride - 2 * padding + dilation * (kH - 1) + output_padding + 1.
    """
    return conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                          dilation, 2, "conv_transpose2d")  # fmt: skip


def conv_transpose3d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """Transposed 3-d convolution (the gradient of ``conv3d`` in its input) of input
    (N, C_in, D, H, W) or (C_in, D, H, W) with weight (C_in, out_channels / groups, kD, kH,
    kW); each output size as ``conv_transpose2d``'s."""
    return conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                          dilation, 3, "conv_transpose3d")  # fmt: skip
