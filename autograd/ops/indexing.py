"""Indexing (``t[index]``) and its adjoint, scattering a gradient back with repeats added."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Context, Function
from ..node import Node


def has_integer_arrays(index: Any) -> bool:
    """True when ``index`` uses integer arrays or lists, which may repeat positions."""
    parts = index if isinstance(index, tuple) else (index,)
    for p in parts:
        if isinstance(p, (list, np.ndarray)) and np.asarray(p).dtype != bool:
            return True
    return False


class GetItem(Function):
    """``x[index]`` (numpy indexing); the gradient is scattered back, repeats added."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, index: Any) -> Any:
        ctx.in_shape = x.shape
        ctx.index = index
        try:
            return np.asarray(x[index])
        except IndexError as e:
            raise IndexError(f"indexing a tensor of shape {x.shape} with {index!r}: {e}") from None

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            return ScatterAdd.apply(g, ctx.index, ctx.in_shape), None
        return scatter_add(g, ctx.index, ctx.in_shape), None

    @staticmethod
    def torch_nodes(ctx: Context) -> tuple[str, tuple]:
        """How ``grad_fn`` shows ``x[index]``: the nodes PyTorch records (asked for only when
        ``grad_fn`` is read)."""
        return torch_index_nodes(ctx.inputs[0], ctx.index, ctx.in_shape)


def _is_full(part: slice, size: int) -> bool:
    """PyTorch skips a slice of a multi-part index that keeps the whole dim as written
    (``:``, ``0:``, ``0:n`` or past n, step 1); ``-n:`` it records."""
    return (
        part.start in (None, 0)
        and part.step in (None, 1)
        and (part.stop is None or part.stop >= size)
    )


def torch_index_nodes(x: Any, index: Any, shape: tuple) -> tuple[str, tuple]:
    """The backward nodes PyTorch records for ``x[index]`` (``index`` as ``Tensor.__getitem__``
    passes it: basic indices end in ``...``), as ``present_as`` takes them. PyTorch applies
    the parts left to right: an int selects (``SelectBackward0``), a slice slices
    (``SliceBackward0``; a whole-dim slice among several parts is skipped), None or a Python
    bool unsqueezes; integer arrays, lists and masks make one ``IndexBackward0`` last; an
    index that changes nothing gives an ``AliasBackward0``. ``x[:]`` alone records a slice
    (and so here does ``x[:, ...]``, which PyTorch shows as an alias: the two arrive alike)."""
    parts = index if isinstance(index, tuple) else (index,)
    single_slice = len(parts) == 2 and type(parts[0]) is slice and parts[1] is Ellipsis
    consumed = sum(
        1
        for p in parts
        if p is not None
        and p is not Ellipsis
        and not isinstance(p, bool)
        and not (isinstance(p, np.ndarray) and p.dtype == bool)
    ) + sum(p.ndim for p in parts if isinstance(p, np.ndarray) and p.dtype == bool)
    node: Any = x
    advanced = False
    dim = 0
    for p in parts:
        if p is Ellipsis:
            dim += len(shape) - consumed
        elif p is None:
            node = ("UnsqueezeBackward0", (node,))
        elif isinstance(p, bool):
            node = ("UnsqueezeBackward0", (node,))
            advanced = True
        elif isinstance(p, (int, np.integer)):
            node = ("SelectBackward0", (node,))
            dim += 1
        elif isinstance(p, slice):
            if single_slice or dim >= len(shape) or not _is_full(p, shape[dim]):
                node = ("SliceBackward0", (node,))
            dim += 1
        else:  # integer arrays, lists, masks
            advanced = True
            dim += np.asarray(p).ndim if np.asarray(p).dtype == bool else 1
    if advanced:
        return ("IndexBackward0", (node,))
    return node if isinstance(node, tuple) else ("AliasBackward0", (x,))


def scatter_add(g: Any, index: Any, shape: tuple) -> np.ndarray:
    """A zero array of ``shape`` with ``g`` added at ``index`` (repeated positions add up)."""
    out = np.zeros(shape, dtype=g.dtype)
    if has_integer_arrays(index):
        np.add.at(out, index, g)
    else:
        out[index] = g
    return out


class ScatterAdd(Function):
    """The adjoint of indexing, as an op so that indexing has second derivatives."""

    _complex_grads = True  # linear with real coefficients: the same rule for complex entries

    @staticmethod
    def forward(ctx: Context, g: Any, index: Any, shape: tuple) -> Any:
        ctx.index = index
        return scatter_add(g, index, shape)

    @staticmethod
    def backward(ctx: Context, gg: Any) -> tuple:
        return gg[ctx.index], None, None
