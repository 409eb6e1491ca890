"""A tensor's storage, as ``Tensor.storage()`` and ``Tensor.untyped_storage()`` give it in
PyTorch: the one-dimensional memory that a tensor and all its views share, as elements of
the tensor's dtype (``TypedStorage``, deprecated in PyTorch, which warns) or as bytes
(``UntypedStorage``).

A storage is a live window on that memory: writing through it changes every tensor that
views it, and ``data_ptr()`` names its first byte, so two tensors share memory exactly when
their storages' ``data_ptr()`` agree. An expanded tensor's storage holds only the elements it
repeats; a view's holds the whole of its base (its place in it is ``storage_offset()``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from .devices import device
from .dtypes import torch_name


def memory_owner(arr: np.ndarray) -> np.ndarray:
    """The array that owns the memory ``arr`` views (through numpy's views, and through the
    wrapper that numpy's stride tricks put between a strided view and its source)."""
    while True:
        base = arr.base
        if not isinstance(base, np.ndarray):
            base = getattr(base, "base", None)
        if not isinstance(base, np.ndarray):
            return arr
        arr = base


def flat_memory(arr: np.ndarray) -> np.ndarray:
    """All of the memory ``arr`` views, as a one-dimensional array of ``arr``'s dtype that
    shares it (its first element is the owner's first byte)."""
    owner = memory_owner(arr)
    if not (owner.flags.c_contiguous or owner.flags.f_contiguous):
        raise RuntimeError("storage: the memory under this tensor is not one contiguous block")
    as_bytes = owner.ravel(order="K").view(np.uint8)
    whole = as_bytes.size - as_bytes.size % arr.dtype.itemsize
    return as_bytes[:whole].view(arr.dtype)


def _typename(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


class _Storage:
    """What typed and untyped storages share: a one-dimensional array on the memory."""

    __slots__ = ("_array",)

    def __init__(self, array: np.ndarray) -> None:
        self._array = array

    @property
    def device(self) -> device:
        """The CPU: every storage lives there."""
        return device("cpu")

    @property
    def is_cuda(self) -> bool:
        """False: there is no accelerator."""
        return False

    def size(self) -> int:
        """The number of elements (bytes for an untyped storage)."""
        return int(self._array.size)

    def __len__(self) -> int:
        return self.size()

    def element_size(self) -> int:
        """Bytes per element (1 for an untyped storage)."""
        return int(self._array.itemsize)

    def nbytes(self) -> int:
        """The storage's size in bytes."""
        return int(self._array.nbytes)

    def data_ptr(self) -> int:
        """The address of the first byte."""
        return int(self._array.__array_interface__["data"][0])

    def _index(self, idx: Any) -> int:
        if isinstance(idx, bool) or not isinstance(idx, int | np.integer):
            raise RuntimeError(f"can't index a {type(self)} with {type(idx)}")
        n = self.size()
        if not -n <= idx < n:
            raise IndexError(f"index {idx} out of range for storage of size {n}")
        return int(idx) % n

    def __getitem__(self, idx: Any) -> Any:
        return self._array[self._index(idx)].item()

    def __setitem__(self, idx: Any, value: Any) -> None:
        key = idx if isinstance(idx, slice) else self._index(idx)
        self._array[key] = np.asarray(getattr(value, "_data", value))

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())

    def tolist(self) -> list:
        """The elements as Python numbers."""
        return list(self._array.tolist())

    def fill_(self, value: Any) -> Any:
        """Set every element to ``value``; returns the storage."""
        self._array[...] = value
        return self

    def clone(self) -> Any:
        """A storage on new memory with the same contents."""
        return type(self)(self._array.copy())

    def cpu(self) -> Any:
        """The same memory (it is on the CPU already), in a new storage object."""
        return type(self)(self._array)

    def is_shared(self) -> bool:
        """False: memory is never in shared memory here (see ``Tensor.share_memory_``)."""
        return False

    def is_pinned(self) -> bool:
        """False: memory is never pinned."""
        return False

    def _header(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        items = " " + "\n ".join(str(v) for v in self.tolist())
        return f"{items}\n[{self._header()} of size {self.size()}]"

    __repr__ = __str__


class UntypedStorage(_Storage):
    """The bytes of a tensor's memory (``Tensor.untyped_storage()``); indexing gives ints
    0-255 and a slice a storage on the same bytes."""

    __slots__ = ()

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            if idx.step not in (None, 1):
                raise RuntimeError(
                    "UntypedStorage: slices with a step other than 1 are not supported"
                )
            return UntypedStorage(self._array[idx])
        return super().__getitem__(idx)

    def untyped(self) -> UntypedStorage:
        """Itself."""
        return self

    def _header(self) -> str:
        return f"{_typename(self)}(device={self.device})"


class TypedStorage(_Storage):
    """A tensor's memory as elements of its dtype (``Tensor.storage()``); indexing gives
    Python numbers. Slices can be assigned to but not read (as in PyTorch)."""

    __slots__ = ()

    @property
    def dtype(self) -> np.dtype:
        """The element type."""
        return self._array.dtype

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        return super().__getitem__(idx)

    def untyped(self) -> UntypedStorage:
        """The same memory as bytes."""
        return UntypedStorage(self._array.view(np.uint8))

    def type(self) -> str:
        """PyTorch's legacy storage type name: 'torch.FloatStorage', 'torch.LongStorage'..."""
        return f"torch.{torch_name(self.dtype)}Storage"

    def _header(self) -> str:
        return f"{_typename(self)}(dtype=autograd.{self.dtype}, device={self.device})"


def typed_storage(arr: np.ndarray) -> TypedStorage:
    """``Tensor.storage()``: PyTorch deprecates typed storages and warns; so does this."""
    warnings.warn(
        "TypedStorage is deprecated, as in PyTorch: use tensor.untyped_storage() for the "
        "memory as bytes",
        UserWarning,
        stacklevel=3,
    )
    return TypedStorage(flat_memory(arr))


def untyped_storage(arr: np.ndarray) -> UntypedStorage:
    """``Tensor.untyped_storage()``."""
    return UntypedStorage(flat_memory(arr).view(np.uint8))
