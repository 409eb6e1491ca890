"""Gathering along a dim by an index tensor and its adjoint, scatter-add (torch.gather and
torch.scatter_add): the gradient of one is the other, so both have derivatives of any order."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Context, Function
from ..node import Node


def _check(op: str, x_shape: tuple, dim: int, index: np.ndarray) -> None:
    if index.dtype.kind not in "iu":
        raise TypeError(f"{op}: index must be an integer tensor, got dtype {index.dtype}")
    if index.ndim != len(x_shape):
        raise ValueError(
            f"{op}: index has {index.ndim} dims but the tensor (shape {x_shape}) has "
            f"{len(x_shape)}; they must match"
        )
    n = x_shape[dim] if x_shape else 1
    if index.size and (index.min() < -n or index.max() >= n):
        raise IndexError(
            f"{op}: index out of range for dim {dim} of size {n} (shape {x_shape}); "
            f"index values span [{index.min()}, {index.max()}]"
        )


def _full_index(index: np.ndarray, dim: int) -> tuple:
    """Index arrays addressing position index[...] along ``dim`` and the same position
    elsewhere (what np.add.at needs)."""
    grids: list[Any] = list(np.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


def gather_raw(x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
    """out[i][j] = x[index[i][j]][j] for dim 0, and so on (index may be smaller than x)."""
    if x.ndim == 0:
        return x[()] * np.ones(index.shape, dtype=x.dtype)
    return x[_full_index(index, dim)]


def scatter_add_raw(base: np.ndarray, dim: int, index: np.ndarray, src: np.ndarray) -> np.ndarray:
    """A copy of ``base`` with src[i][j] added at [index[i][j]][j] (dim 0); repeats add up."""
    out = np.array(base, copy=True)
    if out.ndim == 0:
        out[()] += src.sum()
        return out
    src = src[tuple(slice(0, s) for s in index.shape)]
    np.add.at(out, _full_index(index, dim), src)
    return out


class Gather(Function):
    """torch.gather(x, dim, index); the gradient is scatter-added back (repeats add)."""

    @staticmethod
    def forward(ctx: Context, x: Any, dim: int, index: Any) -> Any:
        index = np.asarray(index)
        _check("gather", x.shape, dim, index)
        ctx.dim, ctx.index, ctx.in_shape = dim, index, x.shape
        return gather_raw(x, dim, index)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        on_graph = isinstance(g, Node)
        if on_graph:
            zeros = np.zeros(ctx.in_shape, dtype=g.dtype)
            return ScatterAdd.apply(zeros, ctx.dim, ctx.index, g), None, None
        base = np.zeros(ctx.in_shape, dtype=g.dtype)
        return scatter_add_raw(base, ctx.dim, ctx.index, g), None, None


class ScatterAdd(Function):
    """torch.scatter_add(base, dim, index, src): base with src added at the indexed places.

    Gradients: g for base; g gathered at the index for src.
    """

    @staticmethod
    def forward(ctx: Context, base: Any, dim: int, index: Any, src: Any) -> Any:
        index = np.asarray(index)
        _check("scatter_add", base.shape, dim, index)
        if src.ndim != index.ndim or any(i > s for i, s in zip(index.shape, src.shape)):
            raise ValueError(
                f"scatter_add: index (shape {index.shape}) must not be larger than src "
                f"(shape {src.shape}) in any dim"
            )
        ctx.dim, ctx.index, ctx.src_shape = dim, index, src.shape
        return scatter_add_raw(base, dim, index, src)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        gs = None
        if ctx.needs_input_grad[3]:
            gs = Gather.apply(g, ctx.dim, ctx.index) if isinstance(g, Node) else None
            if gs is None:
                gs = gather_raw(g, ctx.dim, ctx.index)
            if gs.shape != ctx.src_shape:  # src larger than index: the rest got no gradient
                pad = [(0, s - i) for s, i in zip(ctx.src_shape, gs.shape)]
                gs = _pad(gs, pad)
        return g, None, None, gs


def _pad(g: Any, pad: list) -> Any:
    """``g`` followed by zeros, ``pad[d] = (0, extra)`` along each dim d (raw or node)."""
    on_graph = isinstance(g, Node)
    if not on_graph:
        return np.pad(g, pad)
    from ..functions import cat  # the node form, whose backward slices the zeros away

    for d, (_, extra) in enumerate(pad):
        if extra:
            shape = list(g.shape)
            shape[d] = extra
            g = cat([g, type(g)(np.zeros(shape, dtype=g.dtype))], d)
    return g
