"""``as_strided``: a view of a tensor's storage with sizes, strides (in elements) and an
offset given explicitly, and its gradient.

Positions below are places in the storage, in elements. The output's entry at index i reads
the storage at ``offset + sum(i[k] * stride[k])``; the input's entries sit at the positions
its own strides and offset give. The gradient of the input is torch's: the output's gradient
added up per storage position (windows that overlap accumulate), then read at the input's
positions, shared equally among input entries that alias one position (an expanded input).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..function import Context, Function
from ..node import Node
from .indexing import ScatterAdd, scatter_add
from .view_write import TakeView


def strided_positions(shape: Sequence[int], strides: Sequence[int], offset: int) -> np.ndarray:
    """The storage position of each entry of a strided layout, as an int64 array of
    ``shape``."""
    pos = np.full(tuple(shape), offset, dtype=np.int64)
    for axis, (n, s) in enumerate(zip(shape, strides, strict=True)):
        step = np.arange(n, dtype=np.int64) * s
        pos += step.reshape((n,) + (1,) * (len(shape) - axis - 1))
    return pos


def strided_view(memory: np.ndarray, strides: tuple, offset: int, pos: np.ndarray) -> np.ndarray:
    """The view of the one-dimensional ``memory`` whose entries sit at ``pos`` (laid out by
    ``strides`` from ``offset``); writable when ``memory`` is and no two entries share a
    position."""
    n = pos.size
    writeable = memory.flags.writeable and np.unique(pos).size == n
    return np.lib.stride_tricks.as_strided(
        memory[min(offset, memory.size) :],
        shape=pos.shape,
        strides=tuple(s * memory.itemsize for s in strides),
        writeable=writeable,
    )


class Gather:
    """The linear map from the output's gradient to the input's, for one call: where each
    output entry lands among the input's distinct positions (``slots``), which of those each
    input entry reads (``reads``), and the share each input entry takes (``share``, None when
    no two input entries alias). ``source``: for each output entry, the flat index of an
    input entry at its position."""

    def __init__(self, in_pos: np.ndarray, out_pos: np.ndarray) -> None:
        distinct, first, reads, counts = np.unique(
            in_pos.reshape(-1), return_index=True, return_inverse=True, return_counts=True
        )
        self.n = distinct.size
        self.reads = reads.reshape(in_pos.shape)
        self.slots = np.searchsorted(distinct, out_pos)
        self.source = first[self.slots]
        self.share = None if np.all(counts == 1) else (1.0 / counts)[self.reads]

    def __call__(self, g: Any) -> Any:
        if isinstance(g, Node):
            per_position = ScatterAdd.apply(g, self.slots, (self.n,))
            out = TakeView.apply(per_position, self.reads)
        else:
            out = scatter_add(g, self.slots, (self.n,))[self.reads]
        return out if self.share is None else out * self.share.astype(out.dtype)


class AsStrided(Function):
    """The strided view of x's storage; its gradient is ``Gather`` (every position the
    output reads is one of x's, as ``Tensor.as_strided`` checks)."""

    _complex_grads = True

    @staticmethod
    def forward(
        ctx: Context,
        x: Any,
        memory: np.ndarray,
        stride: tuple,
        offset: int,
        pos: np.ndarray,
        gather: Gather,
    ) -> Any:
        ctx.gather = gather
        return strided_view(memory, stride, offset, pos)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        return ctx.gather(g), None, None, None, None, None
