"""``max_unpool1d``, ``max_unpool2d``, ``max_unpool3d``: the partial inverse of max pooling,
which writes each value at the flat position its index names (the indices of
``max_pool*d(..., return_indices=True)``) in an output of zeros.

Where several entries name the same position (overlapping pooling windows), one of them is
written, as PyTorch; their values are equal when they came from one maximum. The gradient
gathers g at the indices, so each entry receives the gradient of the place it was written to.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Function, Tensor
from autograd.function import Context

from .pooling import _ints, checked_input


class _MaxUnpool(Function):
    """x written at ``idx`` (flat positions per plane) into zeros of ``shape``."""

    @staticmethod
    def forward(ctx: Context, x: Any, idx: np.ndarray, shape: tuple) -> Any:
        lead = x.shape[:2]
        out = np.zeros(lead + (math.prod(shape[2:]),), dtype=x.dtype)
        np.put_along_axis(out, idx, x.reshape(lead + (-1,)), axis=-1)
        ctx.idx, ctx.x_shape = idx, x.shape
        return out.reshape(shape)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        lead = ctx.x_shape[:2]
        gx: Any
        if isinstance(g, Tensor):  # create_graph: gather as an op
            gx = g.reshape(*lead, -1).gather(-1, Tensor(ctx.idx)).reshape(*ctx.x_shape)
        else:
            gx = np.take_along_axis(g.reshape(lead + (-1,)), ctx.idx, axis=-1)
            gx = gx.reshape(ctx.x_shape)
        return gx, None, None


def _output_size(
    spatial: tuple, kernel: tuple, stride: tuple, padding: tuple, output_size: Any, op: str
) -> tuple[int, ...]:
    """The output's spatial size: (in - 1) * stride - 2 * padding + kernel per axis, or the
    requested ``output_size`` (its last entries, if it also names batch and channels) when it
    lies strictly within one stride of that."""
    dims = len(kernel)
    default = tuple((n - 1) * s - 2 * p + k for n, k, s, p in zip(spatial, kernel, stride, padding))
    if output_size is None:
        sizes = default
    else:
        sizes = tuple(int(s) for s in tuple(output_size))
        if len(sizes) == dims + 2:
            sizes = sizes[2:]
        if len(sizes) != dims:
            raise ValueError(
                f"{op}: output_size should be a sequence of {dims} or {dims + 2} elements, got "
                f"{tuple(output_size)}"
            )
        for ax, (want, d, s) in enumerate(zip(sizes, default, stride)):
            if not d - s < want < d + s:
                raise ValueError(
                    f'{op}: invalid output_size "{tuple(output_size)}" (dim {ax} must be '
                    f"between {d - s + 1} and {d + s - 1})"
                )
    if any(s < 0 for s in sizes):
        raise ValueError(
            f"{op}: the output size {sizes} is negative (output_size must contain non-negative "
            "spatial dimensions)"
        )
    return sizes


def max_unpool(
    input: Any,
    indices: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    output_size: Any,
    dims: int,
    op: str,
) -> Tensor:
    """``max_unpool1d``, ``max_unpool2d`` or ``max_unpool3d`` (``dims`` spatial axes)."""
    x = checked_input(input, dims, op)
    idx = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    if idx.shape != tuple(x.shape):
        raise ValueError(
            f"{op}: indices of shape {idx.shape} must have the shape of the input {tuple(x.shape)}"
        )
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers, got dtype {idx.dtype}")
    k = _ints(kernel_size, dims, "kernel_size", op, 1)
    empty = stride is None or (isinstance(stride, (tuple, list)) and not stride)
    s = k if empty else _ints(stride, dims, "stride", op, 1)
    p = _ints(padding, dims, "padding", op, 0)
    unbatched = x.ndim == dims + 1
    if unbatched:
        x, idx = x.unsqueeze(0), idx[None]
    out = _output_size(tuple(x.shape[2:]), k, s, p, output_size, op)
    size = math.prod(out)
    lead = tuple(x.shape[:2])
    if size == 0:  # nothing to write: torch checks no index (the gradient is 0)
        y = x.flatten(2)[..., :0].reshape(lead + out)
        return y.squeeze(0) if unbatched else y
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        bad = idx.min() if idx.min() < 0 else idx.max()
        raise ValueError(
            f"{op}: found an invalid max index {bad} (the output planes {out} hold {size})"
        )
    y = _MaxUnpool.apply(x, idx.reshape(lead + (-1,)).astype(np.int64), lead + out)
    return y.squeeze(0) if unbatched else y


def max_unpool1d(
    input: Any,
    indices: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
) -> Tensor:
    """The partial inverse of ``max_pool1d``: input (N, C, L) or (C, L) written at
    ``indices`` along an output of length (L - 1) * stride - 2 * padding + kernel_size (or
    ``output_size``), zeros elsewhere."""
    return max_unpool(input, indices, kernel_size, stride, padding, output_size, 1,
                      "max_unpool1d")  # fmt: skip


def max_unpool2d(
    input: Any,
    indices: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
) -> Tensor:
    """The partial inverse of ``max_pool2d``: input (N, C, H, W) or (C, H, W) written at the
    flat positions ``indices`` (h * W_out + w) of an output plane of size (H - 1) * stride -
    2 * padding + kernel_size per axis (or ``output_size``), zeros elsewhere."""
    return max_unpool(input, indices, kernel_size, stride, padding, output_size, 2,
                      "max_unpool2d")  # fmt: skip


def max_unpool3d(
    input: Any,
    indices: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
) -> Tensor:
    """The partial inverse of ``max_pool3d``: input (N, C, D, H, W) or (C, D, H, W) written
    at the flat positions ``indices`` of each output volume, zeros elsewhere; sizes as
    ``max_unpool2d``."""
    return max_unpool(input, indices, kernel_size, stride, padding, output_size, 3,
                      "max_unpool3d")  # fmt: skip
