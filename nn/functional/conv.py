"""Convolutions as fused ops: ``conv1d``, ``conv2d``, ``conv_transpose2d``.

A 2-d convolution is computed by im2col: numpy's stride tricks give a view of every
kernel-sized window of the padded input, which is copied once into a matrix and multiplied by
the weight with BLAS. Three linear maps close under differentiation:

- ``conv(x, w)``                    the forward convolution;
- ``conv_input_grad(g, w)``         its adjoint in x, the transposed convolution;
- ``conv_weight_grad(x, g)``        its adjoint in w.

With B(x, w, g) = <conv(x, w), g>, each of the three is a partial derivative of B, so the
gradient of each is made of the other two (see ``_Conv``, ``_ConvInputGrad`` and
``_ConvWeightGrad``). Backward rules call them as ops when they receive nodes
(``create_graph=True``), so every convolution has derivatives of every order.
A 1-d convolution is a 2-d one over a height of 1.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from autograd import Function, Tensor
from autograd.function import Context
from autograd.node import Node


class ConvParams(NamedTuple):
    """Geometry of a 2-d convolution: stride, padding ((top, bottom), (left, right)),
    dilation and groups."""

    stride: tuple[int, int]
    padding: tuple[tuple[int, int], tuple[int, int]]
    dilation: tuple[int, int]
    groups: int


# ---------------------------------------------------------------------------------------------
# raw numpy kernels
# ---------------------------------------------------------------------------------------------


def _out_size(size: int, pad: tuple[int, int], k: int, s: int, d: int) -> int:
    return (size + pad[0] + pad[1] - d * (k - 1) - 1) // s + 1


def _windows(x: np.ndarray, kh: int, kw: int, p: ConvParams) -> np.ndarray:
    """A (N, C, KH, KW, OH, OW) view of the kernel windows of the zero-padded ``x``."""
    (pt, pb), (pl, pr) = p.padding
    # the size the windows may use; a negative padding after (a transposed convolution's
    # output_padding seen from the other side) leaves the last rows or columns unused
    hp, wp = x.shape[2] + pt + pb, x.shape[3] + pl + pr
    if pt or pb or pl or pr:
        x = np.pad(x, ((0, 0), (0, 0), (pt, max(pb, 0)), (pl, max(pr, 0))))
    n, c = x.shape[:2]
    (sh, sw), (dh, dw) = p.stride, p.dilation
    oh = (hp - dh * (kh - 1) - 1) // sh + 1
    ow = (wp - dw * (kw - 1) - 1) // sw + 1
    s0, s1, s2, s3 = x.strides
    return as_strided(
        x,
        (n, c, kh, kw, oh, ow),
        (s0, s1, s2 * dh, s3 * dw, s2 * sh, s3 * sw),
        writeable=False,
    )


def _columns(x: np.ndarray, kh: int, kw: int, p: ConvParams) -> np.ndarray:
    """im2col: (N, G, C/G * KH * KW, OH * OW), one column per output position."""
    win = _windows(x, kh, kw, p)
    n, c = win.shape[:2]
    g = p.groups
    return win.reshape(n, g, (c // g) * kh * kw, win.shape[4] * win.shape[5])


def conv_raw(x: np.ndarray, w: np.ndarray, p: ConvParams, cols: Any = None) -> tuple:
    """(y, cols): the convolution of x (N, C, H, W) with w (O, C/G, KH, KW), and its im2col."""
    o, cg, kh, kw = w.shape
    n, _, h, wd = x.shape
    g = p.groups
    if cols is None:
        cols = _columns(x, kh, kw, p)
    oh = _out_size(h, p.padding[0], kh, p.stride[0], p.dilation[0])
    ow = _out_size(wd, p.padding[1], kw, p.stride[1], p.dilation[1])
    y = np.matmul(w.reshape(g, o // g, cg * kh * kw), cols)  # (N, G, O/G, OH*OW)
    return y.reshape(n, o, oh, ow), cols


def conv_input_grad_raw(g: np.ndarray, w: np.ndarray, p: ConvParams, x_shape: tuple) -> Any:
    """The transposed convolution: the gradient of conv(x, w) in x (of ``x_shape``) for ``g``."""
    o, cg, kh, kw = w.shape
    n, _, oh, ow = g.shape
    groups = p.groups
    c = cg * groups
    (pt, pb), (pl, pr) = p.padding
    (sh, sw), (dh, dw) = p.stride, p.dilation
    wt = w.reshape(groups, o // groups, cg * kh * kw).transpose(0, 2, 1)
    cols = np.matmul(wt, g.reshape(n, groups, o // groups, oh * ow))  # (N, G, Cg*KH*KW, OH*OW)
    cols = cols.reshape(n, c, kh, kw, oh, ow)
    h, wd = x_shape[2], x_shape[3]
    hp = max(h + pt, dh * (kh - 1) + sh * (oh - 1) + 1)
    wp = max(wd + pl, dw * (kw - 1) + sw * (ow - 1) + 1)
    out = np.zeros((n, c, hp, wp), dtype=np.result_type(g, w))
    for i in range(kh):
        rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
        for j in range(kw):
            out[:, :, rows, j * dw : j * dw + sw * (ow - 1) + 1 : sw] += cols[:, :, i, j]
    return out[:, :, pt : pt + h, pl : pl + wd]


def conv_weight_grad_raw(
    x: np.ndarray, g: np.ndarray, p: ConvParams, w_shape: tuple, cols: Any = None
) -> np.ndarray:
    """The gradient of conv(x, w) in w (of ``w_shape``) for the upstream gradient ``g``."""
    o, cg, kh, kw = w_shape
    n = g.shape[0]
    groups = p.groups
    if cols is None:
        cols = _columns(x, kh, kw, p)
    gg = g.reshape(n, groups, o // groups, int(np.prod(g.shape[2:])))  # no -1: N may be 0
    out = np.empty((groups, o // groups, cg * kh * kw), dtype=np.result_type(x, g))
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
            y += b.reshape(1, -1, 1, 1)
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
        gb = g.sum(axis=(0, 2, 3)) if len(need) > 2 and need[2] else None
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
            raise ValueError(
                f"{op}: input of shape {tuple(x_shape)} has {c} channels but weight of shape "
                f"{tuple(w.shape)} expects {w.shape[0]} input channels (groups={groups})"
            )
    else:
        if w.shape[1] * groups != c:
            raise ValueError(
                f"{op}: input of shape {tuple(x_shape)} has {c} channels but weight of shape "
                f"{tuple(w.shape)} with groups={groups} expects {w.shape[1] * groups} channels"
            )
        if w.shape[0] % groups:
            raise ValueError(
                f"{op}: out_channels {w.shape[0]} (weight {tuple(w.shape)}) is not divisible "
                f"by groups={groups}"
            )


def _batched(x: Tensor, ndim: int, op: str) -> tuple[Tensor, bool]:
    """x with a batch axis, and whether one was added (PyTorch accepts unbatched input)."""
    if x.ndim == ndim + 1:
        return x.unsqueeze(0), True
    if x.ndim != ndim + 2:
        spatial = "L" if ndim == 1 else "H, W"
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
    x_shape: tuple,
    kernel: tuple,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: Any,
    op: str,
) -> ConvParams:
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive integer, got {groups!r}")
    st = _tuple(stride, 2, "stride", op, 1)
    dl = _tuple(dilation, 2, "dilation", op, 1)
    pd = _padding(padding, 2, kernel, st, dl, op)
    return ConvParams(st, pd, dl, int(groups))


def _as_2d_args(v: Any) -> Any:
    """A 1-d convolution's stride/padding/dilation as a 2-d one's (height 1)."""
    if isinstance(v, str):
        return v
    if isinstance(v, (tuple, list)):
        if len(v) != 1:
            return v  # let the checks name it
        v = v[0]
    return v


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
    op = "conv2d"
    x, w = as_tensor(input, op), as_tensor(weight, op, "weight")
    x, unbatched = _batched(x, 2, op)
    if w.ndim != 4:
        raise ValueError(f"{op}: weight must be 4-d, got weight of shape {tuple(w.shape)}")
    p = _params(x.shape, w.shape[2:], stride, padding, dilation, groups, op)
    _check_weight(x.shape, w, p.groups, 2, op)
    _check_fits(x.shape, w.shape[2:], p, op)
    if bias is not None:
        bias = as_tensor(bias, op, "bias")
        if bias.shape != (w.shape[0],):
            raise ValueError(
                f"{op}: bias of shape {tuple(bias.shape)} does not fit weight of shape "
                f"{tuple(w.shape)} (expected ({w.shape[0]},))"
            )
        y = _Conv.apply(x, w, bias, p)
    else:
        y = _Conv.apply(x, w, None, p)
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
    op = "conv1d"
    x, w = as_tensor(input, op), as_tensor(weight, op, "weight")
    x, unbatched = _batched(x, 1, op)
    if w.ndim != 3:
        raise ValueError(f"{op}: weight must be 3-d, got weight of shape {tuple(w.shape)}")
    st, pd, dl = (_as_2d_args(v) for v in (stride, padding, dilation))
    for name, v in (("stride", st), ("dilation", dl)):
        _tuple(v, 1, name, op, 1)
    if not isinstance(pd, str):
        _tuple(pd, 1, "padding", op, 0)
    try:
        y = conv2d(
            x.unsqueeze(2),
            w.unsqueeze(2),
            bias,
            (1, st),
            pd if isinstance(pd, str) else (0, pd),
            (1, dl),
            groups,
        )
    except ValueError as e:
        msg = str(e).replace("conv2d", op).replace("spatial axis 1", "the length axis")
        raise ValueError(
            msg + f" (input of shape {tuple(x.shape)}, weight {tuple(w.shape)})"
        ) from None
    y = y.squeeze(2)
    return y.squeeze(0) if unbatched else y


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
    op = "conv_transpose2d"
    x, w = as_tensor(input, op), as_tensor(weight, op, "weight")
    x, unbatched = _batched(x, 2, op)
    if isinstance(padding, str):
        raise ValueError(f"{op}: padding must be integers, got {padding!r}")
    p = _params(
        x.shape, w.shape[2:] if w.ndim == 4 else (1, 1), stride, padding, dilation, groups, op
    )
    _check_weight(x.shape, w, p.groups, 2, op, transposed=True)
    op_pad = _tuple(output_padding, 2, "output_padding", op, 0)
    for ax in range(2):
        if op_pad[ax] >= max(p.stride[ax], p.dilation[ax]):
            raise ValueError(
                f"{op}: output_padding {op_pad} must be smaller than stride {p.stride} or "
                f"dilation {p.dilation}"
            )
    n, _, h, wd = x.shape
    kh, kw = w.shape[2:]
    out_h = (h - 1) * p.stride[0] - 2 * p.padding[0][0] + p.dilation[0] * (kh - 1) + op_pad[0] + 1
    out_w = (wd - 1) * p.stride[1] - 2 * p.padding[1][0] + p.dilation[1] * (kw - 1) + op_pad[1] + 1
    if out_h < 1 or out_w < 1:
        raise ValueError(
            f"{op}: the output size ({out_h}, {out_w}) for input of shape {tuple(x.shape)}, "
            f"weight {tuple(w.shape)}, stride {p.stride}, padding "
            f"{(p.padding[0][0], p.padding[1][0])} is too small"
        )
    # the transposed convolution's padding grows by output_padding after the output
    geo = ConvParams(
        p.stride,
        (
            (p.padding[0][0], p.padding[0][1] - op_pad[0]),
            (p.padding[1][0], p.padding[1][1] - op_pad[1]),
        ),
        p.dilation,
        p.groups,
    )
    out_c = w.shape[1] * p.groups
    y = _ConvInputGrad.apply(x, w, geo, (n, out_c, out_h, out_w))
    if bias is not None:
        bias = as_tensor(bias, op, "bias")
        if bias.shape != (out_c,):
            raise ValueError(
                f"{op}: bias of shape {tuple(bias.shape)} does not fit {out_c} output channels"
            )
        y = y + bias.reshape(1, out_c, 1, 1)
    return y.squeeze(0) if unbatched else y
