"""``unfold`` (im2col: every sliding block of an image as a column) and ``fold`` (col2im: the
columns summed back into an image), PyTorch's definitions. Each is the other's adjoint, so
each one's gradient is the other and both differentiate to any order."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd import Context, Function, Tensor
from autograd.node import Node


class Blocks(NamedTuple):
    """The sliding blocks' geometry: kernel, dilation, padding and stride, each (h, w)."""

    kernel: tuple[int, int]
    dilation: tuple[int, int]
    padding: tuple[int, int]
    stride: tuple[int, int]

    def counts(self, size: tuple[int, int]) -> tuple[int, int]:
        """How many blocks fit along height and width of an image of ``size``."""
        return tuple(  # type: ignore[return-value]
            (n + 2 * p - d * (k - 1) - 1) // s + 1
            for n, k, d, p, s in zip(size, *self, strict=True)
        )


def _pair(v: Any, name: str, op: str, minimum: int) -> tuple[int, int]:
    vals = tuple(v) if isinstance(v, (tuple, list)) else (v, v)
    if len(vals) != 2 or not all(
        isinstance(a, (int, np.integer)) and not isinstance(a, bool) and a >= minimum for a in vals
    ):
        raise ValueError(f"{op}: {name} must be an int >= {minimum} or a pair of them, got {v!r}")
    return int(vals[0]), int(vals[1])


def _blocks(kernel_size: Any, dilation: Any, padding: Any, stride: Any, op: str) -> Blocks:
    return Blocks(
        _pair(kernel_size, "kernel_size", op, 1),
        _pair(dilation, "dilation", op, 1),
        _pair(padding, "padding", op, 0),
        _pair(stride, "stride", op, 1),
    )


def _slices(b: Blocks, counts: tuple[int, int], i: int, j: int) -> tuple[slice, slice]:
    """Where kernel offset (i, j) reads in the padded image, over all blocks."""
    return tuple(  # type: ignore[return-value]
        slice(o * d, o * d + s * (n - 1) + 1, s)
        for o, d, s, n in zip((i, j), b.dilation, b.stride, counts, strict=True)
    )


def unfold_raw(x: np.ndarray, b: Blocks) -> np.ndarray:
    """(N, C, H, W) -> (N, C * kh * kw, L) on arrays."""
    n, c, h, w = x.shape
    (ph, pw), (kh, kw) = b.padding, b.kernel
    counts = b.counts((h, w))
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else x
    cols = np.empty((n, c, kh, kw, *counts), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = padded[(slice(None), slice(None)) + _slices(b, counts, i, j)]
    return cols.reshape(n, c * kh * kw, counts[0] * counts[1])


def fold_raw(cols: np.ndarray, size: tuple[int, int], b: Blocks) -> np.ndarray:
    """(N, C * kh * kw, L) -> (N, C, H, W) on arrays, overlapping entries summed."""
    (ph, pw), (kh, kw) = b.padding, b.kernel
    counts = b.counts(size)
    n = cols.shape[0]
    c = cols.shape[1] // (kh * kw)
    blocks = cols.reshape(n, c, kh, kw, *counts)
    out = np.zeros((n, c, size[0] + 2 * ph, size[1] + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            out[(slice(None), slice(None)) + _slices(b, counts, i, j)] += blocks[:, :, i, j]
    return out[:, :, ph : ph + size[0], pw : pw + size[1]]


def _unfold(x: Any, b: Blocks) -> Any:
    return _Unfold.apply(x, b) if isinstance(x, Node) else unfold_raw(x, b)


def _fold(cols: Any, size: tuple[int, int], b: Blocks) -> Any:
    return _Fold.apply(cols, size, b) if isinstance(cols, Node) else fold_raw(cols, size, b)


class _Unfold(Function):
    """cols = unfold(x); its gradient is fold of the incoming gradient."""

    @staticmethod
    def forward(ctx: Context, x: Any, b: Blocks) -> Any:
        ctx.b, ctx.size = b, x.shape[2:]
        return unfold_raw(x, b)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return _fold(g, ctx.size, ctx.b), None


class _Fold(Function):
    """x = fold(cols); its gradient is unfold of the incoming gradient."""

    @staticmethod
    def forward(ctx: Context, cols: Any, size: tuple[int, int], b: Blocks) -> Any:
        ctx.b = b
        return fold_raw(cols, size, b)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return _unfold(g, ctx.b), None, None


def _as_tensor(x: Any, op: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    return x


def unfold(
    input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
) -> Tensor:
    """Every sliding ``kernel_size`` block of ``input`` (N, C, H, W) as a column: (N, C * kh *
    kw, L), L the number of blocks; column entries ordered by channel, then kernel row and
    column. A (C, H, W) input gives (C * kh * kw, L)."""
    op = "unfold"
    x = _as_tensor(input, op)
    b = _blocks(kernel_size, dilation, padding, stride, op)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"{op}: only 3-d (C, H, W) or 4-d (N, C, H, W) inputs are supported, got "
            f"{x.ndim}-d of shape {list(x.shape)}"
        )
    batched = x if x.ndim == 4 else x.unsqueeze(0)
    counts = b.counts(batched.shape[2:])
    if min(counts) < 1:
        raise ValueError(
            f"{op}: the kernel {b.kernel} (dilation {b.dilation}, padding {b.padding}) does not "
            f"fit in the input of spatial size {tuple(batched.shape[2:])}"
        )
    out = _unfold(batched, b)
    return out if x.ndim == 4 else out.squeeze(0)


def fold(
    input: Tensor,
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> Tensor:
    """The inverse layout of ``unfold``: columns (N, C * kh * kw, L) summed into an image
    (N, C, *output_size), overlapping entries added. A 2-d input gives (C, *output_size)."""
    op = "fold"
    x = _as_tensor(input, op)
    size = _pair(output_size, "output_size", op, 1)
    b = _blocks(kernel_size, dilation, padding, stride, op)
    if x.ndim not in (2, 3):
        raise ValueError(
            f"{op}: only 2-d (C * kh * kw, L) or 3-d (N, C * kh * kw, L) inputs are supported, "
            f"got {x.ndim}-d of shape {list(x.shape)}"
        )
    batched = x if x.ndim == 3 else x.unsqueeze(0)
    per_block = b.kernel[0] * b.kernel[1]
    if batched.shape[1] % per_block:
        raise ValueError(
            f"{op}: expected size of input's dimension 1 to be divisible by the product of "
            f"kernel_size, but got input.size(1)={batched.shape[1]} and "
            f"kernel_size={b.kernel}"
        )
    counts = b.counts(size)
    if min(counts) < 1 or batched.shape[2] != counts[0] * counts[1]:
        raise ValueError(
            f"{op}: given output_size={size}, kernel_size={b.kernel}, dilation={b.dilation}, "
            f"padding={b.padding}, stride={b.stride}, expected size of input's dimension 2 to "
            f"match the calculated number of sliding blocks {counts[0]} * {counts[1]} = "
            f"{counts[0] * counts[1]}, but got input.size(2)={batched.shape[2]}"
        )
    out = _fold(batched, size, b)
    return out if x.ndim == 3 else out.squeeze(0)
