"""More of torch.Tensor's shape methods: sliding windows (``unfold``), ``as_strided``, ``ravel``,
``split_with_sizes``, ``hsplit``/``vsplit``/``dsplit``, ``sum_to_size``, ``diagflat`` and the
out-of-place writes ``slice_scatter``, ``select_scatter`` and ``diagonal_scatter``.

All compose recorded ops (indexing, reshapes, sums, index assignment on a copy; unfold is
its own op, autograd/ops/windows.py), so they are differentiable to any order.
"""

from __future__ import annotations

import numbers
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from .ops.as_strided import AsStrided, Gather, strided_positions
from .ops.reductions import normalize_axis
from .ops.windows import Unfold, windows
from .storage import flat_memory
from .views import mark_view, plain_views

if TYPE_CHECKING:
    from .tensor import Tensor


def _int(value: Any, op: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{op}: {name} must be an int, got {type(value).__name__}")
    return int(value)


def _pieces(t: Any, bounds: list[tuple[int, int]], a: int) -> tuple:
    lead = (slice(None),) * a
    return tuple(t[lead + (slice(lo, hi),)] for lo, hi in bounds)


def _split_at(t: Any, indices: Any, a: int) -> tuple:
    """torch.tensor_split at ``indices`` along axis ``a``: the pieces between them."""
    n = t.shape[a]
    cuts = [min(max(int(i) if i >= 0 else int(i) + n, 0), n) for i in indices]
    edges = [0, *cuts, n]
    return _pieces(t, [(lo, max(lo, hi)) for lo, hi in zip(edges, edges[1:])], a)


def _ints(value: Any, op: str, name: str) -> tuple[int, ...]:
    """A tuple or list of ints (torch refuses a bare int for a size or stride list)."""
    if not isinstance(value, (tuple, list)) and not (
        isinstance(value, np.ndarray) and value.ndim == 1
    ):
        raise TypeError(f"{op}: {name} must be a tuple of ints, got {type(value).__name__}")
    return tuple(_int(v, op, f"{name} entry") for v in value)


def _check_strided(size: tuple, stride: tuple, offset: int, memory: np.ndarray) -> None:
    """torch's checks of an ``as_strided`` layout against the storage it views."""
    if len(size) != len(stride):
        raise RuntimeError(
            f"as_strided: mismatch in length of strides and shape (size {list(size)}, "
            f"stride {list(stride)})"
        )
    if any(s < 0 for s in stride):
        raise RuntimeError(
            f"as_strided: Negative strides are not supported at the moment, got strides: "
            f"{list(stride)}"
        )
    if any(n < 0 for n in size):
        raise RuntimeError(f"as_strided: negative size in {list(size)}")
    if offset < 0:
        raise RuntimeError(f"as_strided: invalid storage offset {offset}")
    if 0 in size:
        return
    need = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if need > memory.size:
        item = memory.itemsize
        raise RuntimeError(
            f"as_strided: sizes {list(size)}, strides {list(stride)}, storage offset "
            f"{offset}, and itemsize {item} requiring a storage size of {need * item} are "
            f"out of bounds for storage of size {memory.size * item}"
        )


def _check_src(op: str, src: Any, expected: tuple) -> None:
    got = tuple(np.shape(src._data if hasattr(src, "_ctx") else src))
    if got != tuple(expected):
        raise RuntimeError(
            f"{op}: expected src to have a size equal to the slice of self. src size = "
            f"{list(got)}, slice size = {list(expected)}"
        )


class ShapeMethods:
    """Mixed into Tensor."""

    __slots__ = ()

    if TYPE_CHECKING:
        data: np.ndarray
        _data: np.ndarray

        @property
        def shape(self) -> tuple: ...
        @property
        def ndim(self) -> int: ...
        def reshape(self, *shape: Any) -> Tensor: ...
        def movedim(self, source: Any, destination: Any) -> Tensor: ...
        def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple: ...
        def sum(self, *a: Any, **k: Any) -> Tensor: ...
        def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor: ...
        def diag(self, diagonal: int = 0) -> Tensor: ...
        def clone(self) -> Tensor: ...
        def __getitem__(self, index: Any) -> Tensor: ...

    def unfold(self, dimension: int, size: int, step: int) -> Tensor:
        """The windows of length ``size`` along ``dimension``, ``step`` apart: that dim becomes
        the window count and a new last dim of length ``size`` holds each window. A view: it
        shares the tensor's data, as torch's."""
        size = _int(size, "unfold", "size")
        step = _int(step, "unfold", "step")
        nd = max(self.ndim, 1)
        a = normalize_axis(dimension, nd, "unfold")
        t: Any = self if self.ndim else self.reshape(1)
        length = t.shape[a]
        if size < 0 or size > length:
            raise RuntimeError(
                f"unfold: maximum size for tensor at dimension {a} is {length} but size is {size}"
            )
        if step <= 0:
            raise RuntimeError(f"unfold: step is {step} but must be > 0")
        out = Unfold.apply(t, a, size, step)
        if step >= size:  # windows that do not overlap: changes through them are tracked
            out = mark_view(out, t, lambda x: windows(x, a, size, step))
        return out if self.ndim else out.reshape(size)

    def as_strided(self, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
        """A view of this tensor's storage (``untyped_storage()``) with the given sizes, strides
        in elements (as ``stride()`` reports them) and storage offset (by default this
        tensor's own ``storage_offset()``). The result depends on the layout in memory, as
        torch's does. Its gradient adds up the gradients of entries that read one place
        (overlapping windows accumulate) and gives each entry of this tensor the sum for its
        place.

        The view may only read places that hold entries of this tensor; a view reaching
        beyond them into the rest of a base's storage raises NotImplementedError."""
        t: Any = self
        size = _ints(size, "as_strided", "size")
        stride = _ints(stride, "as_strided", "stride")
        offset = t.storage_offset() if storage_offset is None else storage_offset
        offset = _int(offset, "as_strided", "storage_offset")
        memory = flat_memory(t._data)
        _check_strided(size, stride, offset, memory)
        out_pos = strided_positions(size, stride, offset)
        in_pos = strided_positions(t.shape, t.stride(), t.storage_offset())
        if not np.isin(out_pos, in_pos).all():
            raise NotImplementedError(
                "as_strided: the view reads places of the storage that hold no entry of this "
                "tensor (this tensor is a view of part of a larger one); that is not "
                "supported here. Call as_strided on the base tensor, or on a contiguous() copy"
            )
        gather = Gather(in_pos, out_pos)
        out = AsStrided.apply(t, memory, stride, offset, out_pos, gather)
        source = gather.source
        return mark_view(out, t, lambda x: np.ravel(x)[source])

    @property
    def H(self) -> Tensor:  # noqa: N802 (torch's name)
        """The conjugate transpose of a matrix (the transpose, for real entries); a 0-d tensor
        as it is, as torch."""
        if self.ndim == 0:
            return self.reshape(())
        if self.ndim != 2:
            raise RuntimeError(
                f"tensor.H is only supported on matrices (2-D tensors). Got {self.ndim}-D tensor."
            )
        return self.adjoint()

    @property
    def mH(self) -> Tensor:  # noqa: N802 (torch's name)
        """The conjugate transpose of the last two dims (``mT`` for real entries)."""
        return self.adjoint()

    def adjoint(self) -> Tensor:
        """The conjugate transpose of the last two dims."""
        t: Any = self
        if self.ndim == 0:
            warnings.warn(
                "adjoint() is deprecated on 0-D tensors. Consider using x.conj().",
                UserWarning,
                stacklevel=2,
            )
            return t.conj() if t.dtype.kind == "c" else t
        if self.ndim < 2:
            raise RuntimeError(
                "tensor.adjoint() is only supported on matrices or batches of matrices. "
                f"Got {self.ndim}-D tensor."
            )
        out = t.mT
        return out.conj() if out.dtype.kind == "c" else out

    def unsafe_chunk(self, chunks: int, dim: int = 0) -> tuple:
        """``chunk`` without its check on in-place changes (the pieces are plain views here)."""
        t: Any = self
        return plain_views(t.chunk(chunks, dim))

    def unsafe_split(self, split_size: Any, dim: int = 0) -> tuple:
        """``split`` without its check on in-place changes (the pieces are plain views here)."""
        return plain_views(self.split(split_size, dim))

    def unsafe_split_with_sizes(self, split_sizes: Any, dim: int = 0) -> tuple:
        """``split_with_sizes`` without its check on in-place changes."""
        return plain_views(self.split_with_sizes(split_sizes, dim))

    def narrow_copy(self, dim: int, start: int, length: int) -> Tensor:
        """``narrow`` as a copy."""
        t: Any = self
        return t.narrow(dim, start, length).clone()

    def ravel(self) -> Tensor:
        """The entries as a 1-d tensor."""
        return self.reshape(-1)

    def split_with_sizes(self, split_sizes: Any, dim: int = 0) -> tuple:
        """Pieces of the listed sizes along ``dim`` (which must sum to its length)."""
        a = normalize_axis(dim, self.ndim, "split_with_sizes")
        sizes = [int(s) for s in split_sizes]
        if sum(sizes) != self.shape[a] or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {self.shape[a]} (input "
                f"tensor's size at dimension {a}), but got split_sizes={sizes}"
            )
        return self.split(sizes, a)

    def _direction_split(self, sections: Any, a: int, need: int, op: str) -> tuple:
        if self.ndim < need:
            raise RuntimeError(
                f"torch.{op} requires a tensor with at least {need} dimension, but got a tensor "
                f"with {self.ndim} dimensions!"
            )
        if isinstance(sections, numbers.Integral) and not isinstance(sections, bool):
            n = self.shape[a]
            if sections <= 0 or n % sections:
                raise RuntimeError(
                    f"torch.{op} attempted to split along dimension {a}, but the size of the "
                    f"dimension {n} is not divisible by the split_size {sections}!"
                )
            step, k = n // int(sections), int(sections)  # (an empty dim: k empty pieces)
            return _pieces(self, [(i * step, (i + 1) * step) for i in range(k)], a)
        return _split_at(self, list(sections), a)

    def hsplit(self, sections: Any) -> tuple:
        """Split along dim 1 (dim 0 of a 1-d tensor) into equal parts or at indices."""
        return self._direction_split(sections, 0 if self.ndim == 1 else 1, 1, "hsplit")

    def vsplit(self, sections: Any) -> tuple:
        """Split along dim 0 (of a tensor with at least 2 dims)."""
        return self._direction_split(sections, 0, 2, "vsplit")

    def dsplit(self, sections: Any) -> tuple:
        """Split along dim 2 (of a tensor with at least 3 dims)."""
        return self._direction_split(sections, 2, 3, "dsplit")

    def sum_to_size(self, *size: Any) -> Tensor:
        """Sum over the dims that ``size`` broadcasts along, to that shape."""
        from .tensor import shape_from_args

        target = tuple(shape_from_args(size))
        shape = tuple(self.shape)
        lead = len(shape) - len(target)
        if lead < 0 or any(t not in (1, s) for t, s in zip(target, shape[lead:])):
            raise RuntimeError(
                f"sum_to_size: size {list(target)} is not expandable to size {list(shape)}."
            )
        out: Any = self
        if lead:
            out = out.sum(tuple(range(lead)))
        keep = tuple(i for i, (t, s) in enumerate(zip(target, shape[lead:])) if t == 1 and s != 1)
        return out.sum(keep, keepdims=True) if keep else out

    def diagflat(self, offset: int = 0) -> Tensor:
        """A square matrix with the flattened entries on the ``offset``-th diagonal."""
        return self.flatten().diag(offset)

    def slice_scatter(
        self,
        src: Any,
        dim: int = 0,
        start: int | None = None,
        end: int | None = None,
        step: int = 1,
    ) -> Tensor:
        """A copy of self with ``src`` written into ``self[start:end:step]`` along ``dim``."""
        a = normalize_axis(dim, self.ndim, "slice_scatter")
        index = (slice(None),) * a + (slice(start, end, step),)
        return self._scatter_into(index, src, "slice_scatter")

    def select_scatter(self, src: Any, dim: int, index: int) -> Tensor:
        """A copy of self with ``src`` written at ``index`` along ``dim``."""
        a = normalize_axis(dim, self.ndim, "select_scatter")
        i = _int(index, "select_scatter", "index")
        n = self.shape[a]
        if not -n <= i < n:
            raise IndexError(
                f"select_scatter: index {i} out of range for dimension {a} of size {n}"
            )
        return self._scatter_into((slice(None),) * a + (i,), src, "select_scatter")

    def diagonal_scatter(self, src: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """A copy of self with ``src`` written on the diagonal that ``diagonal(offset, dim1,
        dim2)`` reads (its last dim running along the diagonal)."""
        a = normalize_axis(dim1, self.ndim, "diagonal_scatter")
        b = normalize_axis(dim2, self.ndim, "diagonal_scatter")
        if a == b:
            raise RuntimeError("diagonal_scatter: dim1 and dim2 cannot be the same dimension")
        moved: Any = self.movedim((a, b), (-2, -1))
        rows, cols = moved.shape[-2], moved.shape[-1]
        r0, c0 = (0, offset) if offset >= 0 else (-offset, 0)
        length = max(0, min(rows - r0, cols - c0))
        r = np.arange(length) + r0
        c = np.arange(length) + c0
        out = moved._scatter_into((Ellipsis, r, c), src, "diagonal_scatter")
        return out.movedim((-2, -1), (a, b))

    def _scatter_into(self, index: tuple, src: Any, op: str) -> Tensor:
        _check_src(op, src, np.shape(self._data[index]))
        out: Any = self.clone()
        out[index] = src
        return out
