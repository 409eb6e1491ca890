"""torch.Tensor's out-of-place writes at indices: ``index_fill``, ``index_copy``,
``index_put``, ``masked_scatter`` and ``put`` (their in-place ``_`` forms are the generic
ones in tensor.py).

Each is the recorded ``IndexPut`` (a copy with values written at an index) or, when values
accumulate, ``index_add``: the written-over entries get no gradient, the written values get
the gradient of the places they went to.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import DtypeError
from .node import Node
from .ops.index_put import IndexPut
from .ops.reductions import normalize_axis
from .scalar_conversion import checked_scalar

if TYPE_CHECKING:
    from .tensor import Tensor


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Node) else x


def _value(v: Any) -> Any:
    """A value to write: a Tensor that needs no gradient is written as its data."""
    if isinstance(v, Node) and not v.requires_grad:
        return v._data
    return v


def _flat(x: Any) -> Any:
    """``x``'s entries as a 1-d tensor (recorded) or array."""
    return x.reshape(-1) if hasattr(x, "_ctx") else np.ravel(x)


def _long_index(index: Any, op: str, ndim_max: int = 1) -> np.ndarray:
    idx = np.asarray(_raw(index))
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"{op}: Expected a long tensor for index, but got {idx.dtype}")
    if idx.ndim > ndim_max:
        raise RuntimeError(
            f"{op}: Index is supposed to be a vector (at most {ndim_max}-d), got shape {idx.shape}"
        )
    return idx.astype(np.int64, copy=False)


def _in_range(idx: np.ndarray, n: int, op: str) -> np.ndarray:
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = idx[(idx < -n) | (idx >= n)][0]
        raise IndexError(f"{op}: index {bad} is out of range for a dimension of size {n}")
    return np.where(idx < 0, idx + n, idx)


def _same_dtype(t: Any, values: Any, message: str) -> None:
    """torch writes a tensor of values only into a tensor of its own dtype (numbers are
    cast); ``message`` names the op."""
    if isinstance(values, Node) and values._data.dtype != t.dtype:
        raise RuntimeError(
            f"{message}: got {t.dtype} for self and {values.data.dtype} for the values"
        )


def _dim_index(t: Any, dim: int, index: Any, op: str) -> tuple:
    """The numpy index selecting ``index`` (0-d or 1-d) along ``dim``."""
    a = normalize_axis(dim, max(t.ndim, 1), op)
    n = t.shape[a] if t.ndim else 1
    idx = _in_range(_long_index(index, op).reshape(-1), n, op)
    if t.ndim == 0:
        return () if idx.size else (np.bool_(False),)
    return (slice(None),) * a + (idx,)


class IndexWriteMethods:
    """Mixed into Tensor."""

    __slots__ = ()

    if TYPE_CHECKING:
        data: np.ndarray
        _data: np.ndarray

        @property
        def dtype(self) -> np.dtype: ...

        @property
        def shape(self) -> tuple: ...
        @property
        def ndim(self) -> int: ...
        def reshape(self, *shape: Any) -> Tensor: ...
        def index_add(self, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor: ...

    def index_fill(self, dim: int, index: Any, value: Any) -> Tensor:
        """A copy of self with ``value`` (a number or 0-d tensor) at the positions ``index``
        names along ``dim``."""
        if isinstance(value, Node) and value._data.ndim != 0:
            raise RuntimeError(
                "index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.data.ndim} dimension(s)."
            )
        where = _dim_index(self, dim, index, "index_fill")
        if isinstance(value, complex) and self._data.dtype.kind != "c":
            raise DtypeError(
                "index_fill_(): Converting complex Scalar to non-complex type is not supported"
            )
        value = checked_scalar(value, self._data.dtype, "index_fill")
        return IndexPut.apply(self, where, _value(value))

    def index_copy(self, dim: int, index: Any, source: Any) -> Tensor:
        """A copy of self with the slices of ``source`` along ``dim`` written at the positions
        ``index`` names (one per slice)."""
        where = _dim_index(self, dim, index, "index_copy")
        _same_dtype(self, source, "index_copy_(): self and source expected to have the same dtype")
        expected = np.shape(self._data[where])
        if tuple(np.shape(_raw(source))) != tuple(expected):
            raise RuntimeError(
                f"index_copy_(): source of shape {tuple(np.shape(_raw(source)))} does not fit: "
                f"index and dim {dim} of a tensor of shape {tuple(self.shape)} select "
                f"{tuple(expected)}"
            )
        return IndexPut.apply(self, where, _value(source))

    def index_put(self, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
        """A copy of self with ``values`` written at ``self[indices]`` (a tuple of index
        tensors for the leading dims); with ``accumulate`` repeated positions add up."""
        if not isinstance(indices, (tuple, list)):
            raise TypeError("index_put(): indices must be a tuple of tensors")
        index = tuple(np.asarray(_raw(i)) for i in indices)
        for i in index:
            if i.dtype.kind not in "iub":
                raise IndexError(
                    f"index_put: tensors used as indices must be long, int, byte or bool "
                    f"tensors, got {i.dtype}"
                )
        _check_index_fits(self, index)
        _same_dtype(self, values, "Index put requires the source and destination dtypes match")
        if not accumulate:
            return IndexPut.apply(self, index, _value(values))
        return _accumulate(self, index, values)

    def masked_scatter(self, mask: Any, source: Any) -> Tensor:
        """A copy of self with the entries of ``source`` (in order) written where ``mask``
        (broadcast to self's shape) is True."""
        m = np.asarray(_raw(mask))
        if m.dtype != bool:
            raise RuntimeError(f"masked_scatter: expected a bool mask, got {m.dtype}")
        try:
            full = np.broadcast_to(m, self.shape)
        except ValueError:
            raise RuntimeError(
                f"masked_scatter: the mask of shape {m.shape} does not broadcast to the tensor's "
                f"shape {tuple(self.shape)}"
            ) from None
        k = int(full.sum())
        src: Any = source
        if getattr(src, "dtype", self.dtype) != self.dtype:
            raise RuntimeError(
                f"masked_scatter: expected self and source to have same dtypes but got "
                f"{self.dtype} and {src.dtype}"
            )
        if int(np.size(_raw(src))) < k:
            raise RuntimeError(
                f"masked_scatter: expected source to have at least as many elements "
                f"({np.size(_raw(src))}) as the ones in mask ({k})"
            )
        picked = _flat(src)[:k]
        return IndexPut.apply(self, full, _value(picked))

    def put(self, index: Any, source: Any, accumulate: bool = False) -> Tensor:
        """A copy of self with ``source``'s entries written at the flat (row-major) positions
        ``index``; with ``accumulate`` they add up."""
        idx = _long_index(index, "put", ndim_max=64).reshape(-1)
        n = math.prod(self.shape)
        idx = _in_range(idx, n, "put")
        if int(np.size(_raw(source))) != idx.size:
            raise RuntimeError(
                f"put: expected source to have {idx.size} elements (one per index), got "
                f"{np.size(_raw(source))}"
            )
        src = _flat(source)
        if getattr(src, "dtype", self.dtype) != self.dtype:
            raise RuntimeError(
                f"put: self and source expected to have the same dtype, but got self.dtype = "
                f"{self.dtype} and source.dtype = {src.dtype}"
            )
        flat: Any = self.reshape(-1)
        if accumulate:
            out = flat.index_add(0, idx, src)
        else:
            out = IndexPut.apply(flat, idx, _value(src))
        return out.reshape(self.shape)


def _check_index_fits(t: Any, index: tuple) -> None:
    """torch's IndexError for index_put's indices: more than ``t`` has dims (an index covers
    one dim, a mask as many as it has; a 0-d tensor takes none), or a mask whose shape is not
    that of the dims it covers."""
    d = 0
    for i in index:
        span = i.ndim if i.dtype == bool and i.ndim else 1
        if d + span > t.ndim:
            raise IndexError(
                f"index_put: too many indices for tensor of dimension {t.ndim} (got {len(index)})"
            )
        if i.dtype == bool and i.ndim and i.shape != tuple(t.shape[d : d + span]):
            raise IndexError(
                f"index_put: the shape of the mask {list(i.shape)} does not match the shape of "
                f"the indexed tensor {list(t.shape)} at index {d}"
            )
        d += span


def _accumulate(t: Any, index: tuple, values: Any) -> Tensor:
    """``t`` with ``values`` added at ``t[index]``, repeats adding up: the leading dims that
    ``index`` addresses are flattened into one, and ``index_add`` does the rest."""
    if any(i.dtype == bool for i in index):
        index = tuple(np.nonzero(i) if i.dtype == bool else (i,) for i in index)
        index = tuple(j for group in index for j in group)
    k = len(index)
    lead = tuple(t.shape[:k])
    pos = [np.where(i < 0, i + n, i) for i, n in zip(np.broadcast_arrays(*index), lead)]
    for p, n in zip(pos, lead):
        if p.size and (p.min() < 0 or p.max() >= n):
            raise IndexError(f"index_put: index out of range for a dimension of size {n}")
    rows = np.ravel_multi_index(tuple(pos), lead).reshape(-1) if pos else np.zeros(1, np.int64)
    rest = tuple(t.shape[k:])
    from .tensor import Tensor

    vals = values if isinstance(values, Tensor) else Tensor(np.asarray(values, dtype=t.dtype))
    where = np.shape(pos[0]) if pos else ()
    vals = vals.broadcast_to(where + rest).reshape((math.prod(where),) + rest)
    out = t.reshape((math.prod(lead),) + rest).index_add(0, rows, vals)
    return out.reshape(t.shape)
