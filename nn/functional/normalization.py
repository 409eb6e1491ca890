"""Normalisation as one fused op: ``layer_norm``, ``batch_norm``, ``instance_norm`` and
``group_norm``; and, written with Tensor ops, ``rms_norm`` and ``local_response_norm``.

The fused ones standardise x over some axes, x_hat = (x - mean) / sqrt(var + eps) with the
biased variance, then scale and shift: y = x_hat * weight + bias. With g_hat = g * weight and
means taken over the normalised axes, the input gradient is

    dx = (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)) / sqrt(var + eps)

and dweight = sum(g * x_hat), dbias = sum(g) over the axes weight is broadcast along.
Group normalisation is the same op on a (N, G, C / G, *) view of x, statistics over the
axes after G, weight and bias viewed as (1, G, C / G, 1, ...); instance normalisation takes
its statistics over the spatial axes of each (sample, channel).
The rule is written with operators and ``mean``/``sum`` that ndarrays and Tensors share; under
``create_graph`` it rebuilds x_hat from the input node, so it is differentiable again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd
from autograd import Function, Tensor
from autograd.dual import sum_to
from autograd.errors import DtypeNotImplemented, ShapeError
from autograd.function import Context
from autograd.node import Node

from .conv import as_tensor


def _standardise(x: Any, axes: tuple, eps: float) -> tuple[Any, Any]:
    """(x_hat, 1 / sqrt(var + eps)) over ``axes``, for arrays and Tensors alike."""
    mean = x.mean(axis=axes, keepdims=True)
    xc = x - mean
    var = (xc * xc).mean(axis=axes, keepdims=True)
    rstd = (var + eps) ** -0.5
    return xc * rstd, rstd


class _Normalize(Function):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, statistics over ``axes``;
    weight and bias (or None) come shaped to broadcast against x."""

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any, axes: tuple, eps: float) -> Any:
        xhat, rstd = _standardise(x, axes, eps)
        ctx.xhat, ctx.rstd, ctx.axes, ctx.eps = xhat, rstd, axes, eps
        ctx.save_for_backward(x, weight, bias)
        y = xhat if weight is None else xhat * weight
        if bias is not None:
            y = y + bias
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, weight, bias = ctx.saved_tensors
        axes = ctx.axes
        if isinstance(g, Node) or isinstance(x, Node):
            xhat, rstd = _standardise(x, axes, ctx.eps)  # as nodes: differentiable again
        else:
            xhat, rstd = ctx.xhat, ctx.rstd
        need = ctx.needs_input_grad
        gx = gw = gb = None
        if need[0]:
            gh = g if weight is None else g * weight
            gx = rstd * (
                gh
                - gh.mean(axis=axes, keepdims=True)
                - xhat * (gh * xhat).mean(axis=axes, keepdims=True)
            )
        if need[1]:
            gw = sum_to(g * xhat, weight.shape)
        if need[2]:
            gb = sum_to(g, bias.shape)
        return gx, gw, gb, None, None


def _floating_input(input: Any, op: str) -> Tensor:
    """``input`` as a Tensor, or PyTorch's NotImplementedError for an integer or bool one (its
    statistics would be cut to integers: PyTorch has no kernel for them)."""
    x = as_tensor(input, op)
    if x.dtype.kind not in "fc":
        raise DtypeNotImplemented(
            f"{op}: expected a floating tensor, got dtype {x.dtype} (PyTorch: not implemented "
            f"for that dtype); convert the input with .float()"
        )
    return x


def _check_param(p: Any, shape: tuple, name: str, op: str) -> Any:
    if p is None:
        return None
    p = as_tensor(p, op, name)
    if tuple(p.shape) != shape:
        raise ValueError(f"{op}: {name} of shape {tuple(p.shape)} should have shape {shape}")
    return p


def layer_norm(
    input: Any,
    normalized_shape: Any,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
) -> Tensor:
    """Standardise each sample over its last ``len(normalized_shape)`` axes (which must have
    that shape), then scale by ``weight`` and shift by ``bias`` (both of that shape)."""
    op = "layer_norm"
    x = _floating_input(input, op)
    shape, axes = _trailing_axes(x, normalized_shape, op)
    w = _check_param(weight, shape, "weight", op)
    b = _check_param(bias, shape, "bias", op)
    return _Normalize.apply(x, w, b, axes, float(eps))


def _trailing_axes(x: Tensor, normalized_shape: Any, op: str) -> tuple[tuple, tuple]:
    """``normalized_shape`` as a tuple and the axes of ``x`` it covers (its last ones), or
    ValueError unless x ends with that shape."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or x.ndim < k or tuple(x.shape[x.ndim - k :]) != shape:
        raise ShapeError(
            f"{op}: input of shape {tuple(x.shape)} does not end with normalized_shape {shape}"
        )
    return shape, tuple(range(x.ndim - k, x.ndim))


def _buffer_array(b: Any) -> np.ndarray | None:
    if b is None:
        return None
    return b._data if isinstance(b, Tensor) else b


def _channel_params(
    x: Tensor, weight: Any, bias: Any, running_mean: Any, running_var: Any, op: str
) -> tuple:
    """Check input (N, C, *) and its per-channel weight, bias and running statistics; return
    (C, weight, bias viewed as (1, C, 1, ...), running_mean, running_var as arrays)."""
    if x.ndim < 2:
        raise ValueError(f"{op}: expected input of shape (N, C, *), got {tuple(x.shape)}")
    c = x.shape[1]
    w = _check_param(weight, (c,), "weight", op)
    b = _check_param(bias, (c,), "bias", op)
    rm, rv = _buffer_array(running_mean), _buffer_array(running_var)
    for name, r in (("running_mean", rm), ("running_var", rv)):
        if r is not None and r.shape != (c,):
            raise ValueError(
                f"{op}: {name} of shape {r.shape} does not fit {c} channels "
                f"(input of shape {tuple(x.shape)})"
            )
    bshape = (1, c) + (1,) * (x.ndim - 2)
    wb = None if w is None else w.reshape(bshape)
    bb = None if b is None else b.reshape(bshape)
    return c, wb, bb, rm, rv


def _update_running(
    rm: np.ndarray | None, rv: np.ndarray | None, mean: Any, var: Any, momentum: float
) -> None:
    """In place: r = (1 - momentum) r + momentum * s, for the mean and the (unbiased) var."""
    m = float(momentum)
    for r, s in ((rm, mean), (rv, var)):
        if r is not None:
            r *= 1 - m
            r += m * s


def _with_running_stats(
    x: Tensor, rm: Any, rv: Any, wb: Any, bb: Any, eps: float, op: str
) -> Tensor:
    """Normalise each channel with the given running mean and variance (evaluation mode)."""
    if rm is None or rv is None:
        raise ValueError(f"{op}: running_mean and running_var are needed when not training")
    bshape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    scale = (1.0 / np.sqrt(rv + eps)).astype(x.dtype)
    shift = (-rm * scale).astype(x.dtype)
    if wb is not None:
        y = x * (wb * scale.reshape(bshape)) + (shift.reshape(bshape) * wb)
    else:
        y = x * scale.reshape(bshape) + shift.reshape(bshape)
    return y if bb is None else y + bb


def batch_norm(
    input: Any,
    running_mean: Any,
    running_var: Any,
    weight: Any = None,
    bias: Any = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Standardise each channel (axis 1) of input (N, C, *) over the batch and the other axes.

    In training the batch's statistics are used, and running_mean/running_var (if given) are
    updated in place: r = (1 - momentum) r + momentum * s, with the unbiased variance. In
    evaluation the running statistics are used instead. weight and bias have shape (C,).
    """
    op = "batch_norm"
    x = _floating_input(input, op)
    c, wb, bb, rm, rv = _channel_params(x, weight, bias, running_mean, running_var, op)
    if not training:
        return _with_running_stats(x, rm, rv, wb, bb, eps, op)
    axes = (0,) + tuple(range(2, x.ndim))
    n = x._data.size // c if c else 0
    if n <= 1:
        raise ValueError(
            f"{op}: expected more than 1 value per channel when training, got input of "
            f"shape {tuple(x.shape)}"
        )
    y = _Normalize.apply(x, wb, bb, axes, float(eps))
    if rm is not None or rv is not None:
        data = x._data
        _update_running(rm, rv, data.mean(axis=axes), data.var(axis=axes, ddof=1), momentum)
    return y


def instance_norm(
    input: Any,
    running_mean: Any = None,
    running_var: Any = None,
    weight: Any = None,
    bias: Any = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Standardise each channel of each sample of input (N, C, *) over its spatial axes, then
    scale by ``weight`` and shift by ``bias`` (both (C,)).

    With ``use_input_stats`` (the default) each instance's own statistics are used, and
    running_mean/running_var (if given) are updated in place with the batch averages of the
    instances' means and unbiased variances: r = (1 - momentum) r + momentum * s. Without it,
    the running statistics are used instead.
    """
    op = "instance_norm"
    x = _floating_input(input, op)
    _, wb, bb, rm, rv = _channel_params(x, weight, bias, running_mean, running_var, op)
    if not use_input_stats:
        return _with_running_stats(x, rm, rv, wb, bb, eps, op)
    axes = tuple(range(2, x.ndim))
    if int(np.prod(x.shape[2:])) <= 1:
        raise ValueError(
            f"{op}: expected more than 1 spatial element when training, got input of shape "
            f"{tuple(x.shape)}"
        )
    y = _Normalize.apply(x, wb, bb, axes, float(eps))
    if rm is not None or rv is not None:
        data = x._data
        mean, var = data.mean(axis=axes).mean(axis=0), data.var(axis=axes, ddof=1).mean(axis=0)
        _update_running(rm, rv, mean, var, momentum)
    return y


def group_norm(
    input: Any,
    num_groups: int,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
) -> Tensor:
    """Split the channels (axis 1) of input (N, C, *) into ``num_groups`` groups of
    C / num_groups and standardise each sample's group over its channels and the other
    axes; then scale by ``weight`` and shift by ``bias``, both (C,), per channel."""
    op = "group_norm"
    x = _floating_input(input, op)
    if x.ndim < 2:
        raise ValueError(f"{op}: expected input of shape (N, C, *), got {tuple(x.shape)}")
    if isinstance(num_groups, bool) or not isinstance(num_groups, (int, np.integer)):
        raise ValueError(f"{op}: num_groups must be a positive integer, got {num_groups!r}")
    n, c, rest = x.shape[0], x.shape[1], tuple(x.shape[2:])
    if num_groups < 1 or c % num_groups:
        raise ValueError(
            f"{op}: the {c} channels of input of shape {tuple(x.shape)} must be divisible by "
            f"num_groups={num_groups}"
        )
    if n * (c // num_groups) * int(np.prod(rest)) == 1:  # PyTorch's check, as it makes it
        raise ValueError(
            f"{op}: expected more than 1 value per channel, got input of shape "
            f"{tuple(x.shape)} with num_groups={num_groups}"
        )
    w = _check_param(weight, (c,), "weight", op)
    b = _check_param(bias, (c,), "bias", op)
    grouped = (n, num_groups, c // num_groups) + rest
    bshape = (1, num_groups, c // num_groups) + (1,) * len(rest)
    wb = None if w is None else w.reshape(bshape)
    bb = None if b is None else b.reshape(bshape)
    axes = tuple(range(2, len(grouped)))
    return _Normalize.apply(x.reshape(grouped), wb, bb, axes, float(eps)).reshape(x.shape)


def rms_norm(
    input: Any,
    normalized_shape: Any,
    weight: Any = None,
    eps: float | None = None,
) -> Tensor:
    """y = x / sqrt(mean(x ** 2) + eps) * weight, the mean over the last
    ``len(normalized_shape)`` axes (which must have that shape); ``weight`` has that shape.
    ``eps=None`` means the machine epsilon of input's dtype (``finfo(dtype).eps``)."""
    op = "rms_norm"
    x = _floating_input(input, op)
    shape, axes = _trailing_axes(x, normalized_shape, op)
    w = _check_param(weight, shape, "weight", op)
    e = float(np.finfo(x.dtype).eps) if eps is None else float(eps)
    y = x * ((x * x).mean(dim=axes, keepdim=True) + e).rsqrt()
    return y if w is None else y * w


def local_response_norm(
    input: Any,
    size: int,
    alpha: float = 1e-4,
    beta: float = 0.75,
    k: float = 1.0,
) -> Tensor:
    """AlexNet's local response normalisation across channels of input (N, C, *):
    y_c = x_c / (k + alpha / size * sum of x_c'^2) ** beta, the sum over the ``size``
    channels c' from c - size // 2 to c + (size - 1) // 2 (those outside count as 0)."""
    op = "local_response_norm"
    x = as_tensor(input, op)
    if x.ndim < 3:
        raise ValueError(
            f"{op}: expected 3-d or higher dimensional input (N, C, *), got input of shape "
            f"{tuple(x.shape)}"
        )
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"{op}: size must be a positive integer, got {size!r}")
    if x._data.size == 0:
        return x
    c = x.shape[1]
    sq = x * x

    def zeros(n: int) -> list[Tensor]:
        return [Tensor(np.zeros((x.shape[0], n) + tuple(x.shape[2:]), x.dtype))] if n else []

    parts = zeros(size // 2) + [sq] + zeros((size - 1) // 2)
    padded = autograd.cat(parts, 1) if len(parts) > 1 else sq
    total = padded.narrow(1, 0, c)
    for i in range(1, size):
        total = total + padded.narrow(1, i, c)
    return x / (total * (alpha / size) + k) ** beta
