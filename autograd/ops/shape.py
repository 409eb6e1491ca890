"""Ops that move data without changing it: reshape, transpose, broadcast, concatenate, flip,
roll."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dual import sum_to
from ..errors import DimError, ShapeError
from ..function import Context, Function
from ..node import Node


class Reshape(Function):
    """The same data in a new shape; the gradient is reshaped back."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, shape: tuple) -> Any:
        ctx.in_shape = x.shape
        try:
            return x.reshape(shape)
        except ValueError:
            raise ShapeError(
                f"reshape: cannot reshape a tensor of shape {x.shape} ({x.size} elements) "
                f"into shape {shape}"
            ) from None

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return g.reshape(ctx.in_shape), None


class Transpose(Function):
    """Permute axes (numpy's transpose)."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, axes: tuple) -> Any:
        if sorted(axes) != list(range(x.ndim)):
            raise ValueError(
                f"transpose: axes {axes} are not a permutation of the {x.ndim} axes of a "
                f"tensor of shape {x.shape}"
            )
        ctx.inverse = tuple(sorted(range(len(axes)), key=axes.__getitem__))
        return x.transpose(axes)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            return Transpose.apply(g, ctx.inverse), None
        return g.transpose(ctx.inverse), None


class BroadcastTo(Function):
    """Repeat along new leading axes and axes of length 1; the gradient sums the repeats."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, shape: tuple) -> Any:
        ctx.in_shape = x.shape
        try:
            return np.broadcast_to(x, shape)
        except ValueError:
            raise ShapeError(
                f"broadcast_to: cannot broadcast a tensor of shape {x.shape} to shape {shape}"
            ) from None

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return sum_to(g, ctx.in_shape), None


class Concatenate(Function):
    """Join tensors along an existing axis; called as ``Concatenate.apply(axis, *tensors)``.

    As torch's cat, 1-d empty inputs (shape ``(0,)``) are left out whatever the others'
    shapes (``torch.cat((torch.empty(0), x))`` is ``x``, the idiom of DINO's multi-crop
    loop); they still take part in the dtype and get empty gradients."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, axis: int, *xs: Any) -> Any:
        # the dtype of each input left out (its empty gradient's), None for the others
        ctx.skipped = [x.dtype if x.shape == (0,) else None for x in xs]
        kept = [x for x, skip in zip(xs, ctx.skipped, strict=True) if skip is None]
        if not kept:  # all of them empty: torch's result is empty and 1-d, whatever the axis
            ctx.axis, ctx.bounds = 0, np.zeros(len(xs) + 1, dtype=np.int64)
            return np.concatenate(xs)
        try:
            out = np.concatenate(kept, axis=axis)
        except (ValueError, IndexError) as e:
            shapes = ", ".join(str(x.shape) for x in xs)
            kind = DimError if "out of bounds" in str(e) else ShapeError
            raise kind(f"concatenate along axis {axis}: {e} (shapes {shapes})") from None
        if len(kept) < len(xs):  # numpy's dtype of them all (then made torch's, as for any op)
            out = out.astype(np.result_type(*xs), copy=False)
        ctx.axis = axis % out.ndim
        widths = [x.shape[ctx.axis] if skip is None else 0 for x, skip in zip(xs, ctx.skipped)]
        ctx.bounds = np.cumsum([0] + widths)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        lead = (slice(None),) * ctx.axis
        b = ctx.bounds
        # (a left-out input's empty gradient is a constant, with create_graph too)
        return (None,) + tuple(
            g[lead + (slice(b[i], b[i + 1]),)] if skip is None else np.zeros((0,), skip)
            for i, skip in enumerate(ctx.skipped)
        )


class Flip(Function):
    """Reverse the order along ``dims``; the gradient is flipped back."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, dims: tuple) -> Any:
        ctx.dims = dims
        return np.flip(x, dims).copy() if dims else x.copy()

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if not ctx.dims:
            return g, None
        return Flip.apply(g, ctx.dims) if isinstance(g, Node) else np.flip(g, ctx.dims), None


class Repeat(Function):
    """torch's repeat (numpy's tile): ``reps[i]`` copies along dim i, new leading dims for
    extra reps, in new memory; the gradient adds up the copies."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, reps: tuple) -> Any:
        ctx.in_shape, ctx.reps = x.shape, reps
        ctx.shape = (1,) * (len(reps) - x.ndim) + x.shape
        return np.tile(x, reps)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        copies_apart = tuple(v for r, s in zip(ctx.reps, ctx.shape) for v in (r, s))
        summed = g.reshape(copies_apart).sum(tuple(range(0, len(copies_apart), 2)))
        return summed.reshape(ctx.in_shape), None


class Roll(Function):
    """Shift entries cyclically by ``shifts`` along ``dims`` (None: the flattened tensor);
    the gradient is rolled back by -shifts."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, shifts: Any, dims: Any) -> Any:
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        back = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        if isinstance(g, Node):
            return Roll.apply(g, back, ctx.dims), None, None
        return np.roll(g, back, ctx.dims), None, None


def diagonal_of(x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """The diagonal of dims (dim1, dim2) as a view of ``x`` (writable when ``x`` is)."""
    d = np.diagonal(x, offset, dim1, dim2)
    if x.flags.writeable:
        d.flags.writeable = True  # numpy hands it out read-only; the memory is x's
    return d


class Diagonal(Function):
    """The diagonal of two dims, appended as the last dim (a view); the gradient is placed
    on that diagonal of a zero tensor."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, offset: int, dim1: int, dim2: int) -> Any:
        ctx.in_shape = x.shape
        ctx.where = (offset, dim1, dim2)
        return diagonal_of(x, offset, dim1, dim2)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            return DiagonalEmbed.apply(g, ctx.in_shape, *ctx.where), None, None, None
        return _on_diagonal(g, ctx.in_shape, ctx.where), None, None, None


def _on_diagonal(g: np.ndarray, shape: tuple, where: tuple) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    diagonal_of(out, *where)[...] = g
    return out


class DiagonalEmbed(Function):
    """``g`` on the diagonal of a zero tensor of ``shape``: the adjoint of ``Diagonal``."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, g: Any, shape: tuple, offset: int, dim1: int, dim2: int) -> Any:
        ctx.where = (offset, dim1, dim2)
        return _on_diagonal(g, shape, ctx.where)

    @staticmethod
    def backward(ctx: Context, gg: Any) -> tuple:
        if isinstance(gg, Node):
            return Diagonal.apply(gg, *ctx.where), None, None, None, None
        return np.diagonal(gg, *ctx.where).copy(), None, None, None, None
