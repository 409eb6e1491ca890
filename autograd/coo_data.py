"""``COOData``: the raw storage of a sparse COO tensor (what a dense Tensor's ndarray is to it).

A sparse tensor of shape ``shape`` with ``sparse_dim`` sparse dims holds ``indices``, an int64
array of shape ``(sparse_dim, nnz)``, and ``values``, of shape ``(nnz, *shape[sparse_dim:])``:
entry ``k`` says that ``dense[tuple(indices[:, k])] += values[k]``. Duplicate index columns
are allowed (their values add up); a *coalesced* COOData has its columns sorted
lexicographically and unique.

A COOData is also what the engine carries as the gradient of a sparse tensor when that
gradient is sparse (``autograd.sparse.mm``, ``to_dense``): adding two gives their entries
together, adding one to an ndarray gives the dense sum. Every other numpy use of it (a dense
op handed a sparse tensor) is refused, naming the op and the layout, so that a sparse operand
never gives a silently wrong dense answer.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class SparseLayoutError(NotImplementedError, AttributeError):
    """A dense-only op met a sparse COO tensor (PyTorch raises NotImplementedError; an
    AttributeError too, so that ``hasattr(sparse, "T")`` answers False)."""


def _refusal(op: str) -> NotImplementedError:
    return SparseLayoutError(
        f"{op}: not supported for a tensor with layout autograd.sparse_coo (sparse COO "
        "tensors support to_dense(), coalesce(), products with dense matrices "
        "(autograd.sparse.mm, mm, spmm, matmul, @), sums, scaling and addition; call "
        ".to_dense() first for other ops)"
    )


def refuse(op: str) -> Any:
    """Raise the error a dense-only ``op`` gives for a sparse COO operand."""
    raise _refusal(op)


class COOData:
    """Indices, values and shape of a sparse COO tensor (see the module's docstring)."""

    __slots__ = ("indices", "values", "shape", "coalesced", "_sorted")

    def __init__(
        self, indices: np.ndarray, values: np.ndarray, shape: tuple, coalesced: bool
    ) -> None:
        self.indices = indices
        self.values = values
        self.shape = tuple(int(s) for s in shape)
        self.coalesced = coalesced
        self._sorted: dict[int, tuple] = {}

    def sorted_by(self, dim: int) -> tuple:
        """(keys, other indices, values, run starts) of a 2-d tensor's entries in order of
        ``indices[dim]`` (stable). The order is remembered for the next call; the values are
        read afresh (they may have been changed in place)."""
        found = self._sorted.get(dim)
        if found is None:
            keys, other = self.indices[dim], self.indices[1 - dim]
            order = None
            if np.any(keys[1:] < keys[:-1]):
                order = np.argsort(keys, kind="stable")
                keys, other = keys[order], other[order]
            found = self._sorted[dim] = (keys, other, order, _run_starts(keys))
        keys, other, order, starts = found
        return keys, other, self.values if order is None else self.values[order], starts

    # --- what the tensor reports ---
    @property
    def dtype(self) -> np.dtype:
        return self.values.dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def nnz(self) -> int:
        return int(self.indices.shape[1])

    @property
    def sparse_dim(self) -> int:
        return int(self.indices.shape[0])

    @property
    def dense_dim(self) -> int:
        return self.values.ndim - 1

    # --- conversions ---
    def linear_indices(self) -> np.ndarray:
        """Each entry's position in the sparse dims read row-major, as one int64 number."""
        if self.sparse_dim == 0:
            return np.zeros(self.nnz, np.int64)
        return np.ravel_multi_index(tuple(self.indices), self.shape[: self.sparse_dim])

    def coalesce(self) -> COOData:
        """The same tensor with sorted, unique index columns (duplicates' values summed)."""
        if self.coalesced:
            return self
        linear = self.linear_indices()
        order = np.argsort(linear, kind="stable")
        ordered = linear[order]
        starts = _run_starts(ordered)
        if len(ordered):
            values = np.add.reduceat(self.values[order], starts, axis=0)
        else:
            values = self.values.copy()
        unique = ordered[starts]
        sparse_shape = self.shape[: self.sparse_dim]
        indices = np.zeros((self.sparse_dim, len(unique)), np.int64)
        if self.sparse_dim:
            indices[:] = np.unravel_index(unique, sparse_shape)
        return COOData(indices, values, self.shape, True)

    def to_dense(self) -> np.ndarray:
        """The dense array this tensor stands for."""
        if self.sparse_dim == 0:
            return self.values.sum(axis=0)
        out = np.zeros(self.shape, self.values.dtype)
        np.add.at(out, tuple(self.indices), self.values)
        return out

    def gather(self, dense: np.ndarray) -> np.ndarray:
        """``dense`` read at each entry's index (one row of values per entry)."""
        dense = np.asarray(dense)
        if self.sparse_dim == 0:
            return np.broadcast_to(dense, (self.nnz,) + dense.shape).copy()
        return dense[tuple(self.indices)]

    def gather_sparse(self, other: COOData) -> np.ndarray:
        """``other`` (a sparse array of the same shape) read at each of this tensor's entries:
        its summed values where it has the index, zeros elsewhere. On the very same indices
        (a gradient made entry by entry for this tensor), its values as they are."""
        if other.indices is self.indices:
            return other.values
        c = other.coalesce()
        theirs = c.linear_indices()
        mine = self.linear_indices()
        pos = np.searchsorted(theirs, mine)
        pos = np.minimum(pos, max(len(theirs) - 1, 0))
        found = (theirs[pos] == mine) if len(theirs) else np.zeros(len(mine), bool)
        out = np.zeros((len(mine),) + c.values.shape[1:], c.values.dtype)
        out[found] = c.values[pos[found]]
        return out

    def with_values(self, values: np.ndarray) -> COOData:
        """The same indices (and coalesced flag) holding ``values``."""
        return COOData(self.indices, values, self.shape, self.coalesced)

    def astype(self, dtype: Any) -> COOData:
        return self.with_values(self.values.astype(dtype))

    # --- gradients meeting in the engine ---
    def __add__(self, other: Any) -> Any:
        if isinstance(other, COOData):
            if other.shape != self.shape:
                raise ValueError(
                    f"add: sparse tensors of sizes {self.shape} and {other.shape} cannot be added"
                )
            if other.indices is self.indices:  # (keeps gradients made entry by entry so)
                return self.with_values(self.values + other.values)
            return COOData(
                np.concatenate([self.indices, other.indices], axis=1),
                np.concatenate([self.values, other.values]),
                self.shape,
                False,
            )
        if isinstance(other, np.ndarray) and other.shape == self.shape:
            out = other.astype(np.result_type(other, self.values), copy=True)
            np.add.at(out, tuple(self.indices), self.values)
            return out
        return refuse("add")

    __radd__ = __add__

    # --- every other numpy use refused ---
    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise _refusal("conversion to a dense array")

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if ufunc is np.add and method == "__call__" and len(inputs) == 2 and not kwargs:
            a, b = inputs
            return a + b if isinstance(a, COOData) else b + a
        return refuse(ufunc.__name__)

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        if func is np.ndim:
            return self.ndim
        if func is np.shape:
            return self.shape
        return refuse(func.__name__)

    def __getitem__(self, index: Any) -> Any:
        return refuse("indexing")

    def __setitem__(self, index: Any, value: Any) -> None:
        refuse("index assignment")

    def __iter__(self) -> Any:
        return refuse("iteration")

    def __bool__(self) -> bool:
        return refuse("bool")  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return refuse(name)

    def __repr__(self) -> str:
        return f"COOData(shape={self.shape}, nnz={self.nnz}, coalesced={self.coalesced})"


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal numbers starts in a sorted array."""
    if len(ordered) == 0:
        return np.zeros(0, np.intp)
    return np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))


def product_rows(data: COOData, by: int, dense: np.ndarray, n: int) -> np.ndarray:
    """``out[i] = sum over entries k with indices[by, k] == i of values[k] * dense[j_k]``,
    where ``j_k`` is the entry's other index (a 2-d ``data``): ``S @ dense`` for ``by=0``,
    ``S^T @ dense`` for ``by=1``, from the nonzeros only.

    The entries are taken in order of ``indices[by]`` (the sort is kept on ``data``, which a
    graph's fixed adjacency reuses every step) and each run of equal keys is summed by numpy's
    ``add.reduceat`` along contiguous memory (the products laid out one row per column of
    ``dense``)."""
    out = np.zeros((n, dense.shape[1]), np.result_type(data.values, dense))
    if data.nnz == 0:
        return out
    keys, other, weights, starts = data.sorted_by(by)
    products = np.take(np.ascontiguousarray(dense.T), other, axis=1)
    products *= weights
    out[keys[starts]] = np.add.reduceat(products, starts, axis=1).T
    return out
