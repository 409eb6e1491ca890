"""torch.Tensor's questions about a tensor and its memory, and the no-op device and
complex-view methods of a CPU library for real numbers: ``is_signed()``, ``get_device()``,
``stride()``, ``storage()``, ``data_ptr()``, ``nbytes``, ``retains_grad``, ``real`` /
``conj()`` on a real tensor, ``pin_memory()`` ..., plus ``resize_`` and
``register_post_accumulate_grad_hook``.

Strides and offsets are those of the numpy array holding the data, in elements (torch's
unit): a transpose or an expand is a view with the strides torch reports; ops that copy in
one library and view in the other may differ.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from . import grad_mode, hooks, inplace
from .ops import complex_parts
from .storage import TypedStorage, UntypedStorage, memory_owner, typed_storage, untyped_storage

if TYPE_CHECKING:
    from .tensor import Tensor


def _address(arr: np.ndarray) -> int:
    return int(arr.__array_interface__["data"][0])


class TensorInfo:
    """Mixed into Tensor."""

    __slots__ = ()

    if TYPE_CHECKING:
        _data: np.ndarray
        _ctx: Any
        _keeps_grad: bool
        requires_grad: bool
        __dict__: dict[str, Any]

        @property
        def data(self) -> np.ndarray: ...
        @property
        def is_leaf(self) -> bool: ...

    # --- dtype and device questions ---
    def is_complex(self) -> bool:
        """True for complex64/complex128 tensors."""
        return self._data.dtype.kind == "c"

    def is_signed(self) -> bool:
        """True unless the dtype is unsigned (uint8 ...) or bool."""
        return self._data.dtype.kind in "fic"

    @property
    def is_cpu(self) -> bool:
        """Always True: every tensor lives on the CPU."""
        return True

    def get_device(self) -> int:
        """-1, torch's answer for a CPU tensor."""
        return -1

    def is_same_size(self, other: Any) -> bool:
        """True when ``other`` has this tensor's shape."""
        return tuple(self._data.shape) == tuple(np.shape(_raw(other)))

    def is_nonzero(self) -> bool:
        """The single entry as a bool (an error for empty or many-valued tensors)."""
        n = self._data.size
        if n != 1:
            what = "no values" if n == 0 else "more than one value"
            raise RuntimeError(f"is_nonzero: Boolean value of Tensor with {what} is ambiguous")
        return bool(self._data.reshape(()) != 0)

    def is_inference(self) -> bool:
        """False: inference-mode tensors are ordinary tensors here."""
        return False

    # --- memory ---
    @property
    def nbytes(self) -> int:
        """The bytes the elements take (numel * itemsize)."""
        return int(self._data.size * self._data.itemsize)

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return int(self._data.itemsize)

    def stride(self, dim: int | None = None) -> Any:
        """Elements to step in memory for one step along each dim (or along ``dim``). A
        tensor without elements reports the contiguous strides of its shape with each size
        taken as at least 1, as torch."""
        if self._data.size:
            steps = tuple(s // self._data.itemsize for s in self._data.strides)
        else:
            sizes = [max(n, 1) for n in self._data.shape]
            steps = tuple(int(np.prod(sizes[i + 1 :], dtype=np.int64)) for i in range(len(sizes)))
        if dim is None:
            return steps
        from .ops.reductions import normalize_axis

        return steps[normalize_axis(dim, max(self._data.ndim, 1), "stride")] if steps else 1

    def storage_offset(self) -> int:
        """Where the first element sits in the memory this tensor views, in elements."""
        offset = _address(self._data) - _address(memory_owner(self._data))
        return offset // self._data.itemsize

    def untyped_storage(self) -> UntypedStorage:
        """The bytes of the memory this tensor views, shared with it and with every other
        view of that memory (writes through the storage show in the tensors)."""
        return untyped_storage(self._data)

    def storage(self) -> TypedStorage:
        """The memory this tensor views as elements of its dtype, shared as
        ``untyped_storage()`` is. Deprecated in PyTorch, which warns; so does this."""
        return typed_storage(self._data)

    def data_ptr(self) -> int:
        """The address of the first element."""
        return _address(self._data)

    def share_memory_(self) -> Tensor:
        """Returns self: the data is an ordinary array, shared with other processes by
        pickling (``torch.multiprocessing``'s shared memory is not modelled)."""
        return self  # type: ignore[return-value]

    def pin_memory(self) -> Tensor:
        """Returns self: there is no accelerator to pin CPU memory for."""
        return self  # type: ignore[return-value]

    def is_pinned(self) -> bool:
        """False: memory is never pinned."""
        return False

    def is_shared(self) -> bool:
        """False: see ``share_memory_``."""
        return False

    def resize_(self, *sizes: Any) -> Tensor:
        """Give this tensor the shape ``sizes``, keeping its leading elements in row-major
        order (new elements, when it grows, are zeros); refused on a tensor that requires
        grad, as in torch."""
        from .tensor import shape_from_args

        shape = tuple(int(s) for s in shape_from_args(sizes))
        if any(s < 0 for s in shape):
            raise RuntimeError(f"resize_: sizes must be non-negative, got {shape}")
        if self.requires_grad:
            raise RuntimeError("resize_: cannot resize variables that require grad")
        n = math.prod(shape)
        t: Any = self
        flat = t._data.reshape(-1)
        if n <= flat.size:
            t._data = flat[:n].reshape(shape)
        else:
            grown = np.zeros(n, dtype=flat.dtype)
            grown[: flat.size] = flat
            t._data = grown.reshape(shape)
        inplace.bump_version(t)
        return t

    def resize_as_(self, the_template: Any) -> Tensor:
        """``resize_`` to ``the_template``'s shape."""
        return self.resize_(tuple(np.shape(_raw(the_template))))

    # --- complex parts (autograd/ops/complex_parts.py) ---
    @property
    def real(self) -> Tensor:
        """Self for a real tensor; the real parts of a complex one."""
        if not self.is_complex():
            return self  # type: ignore[return-value]
        return complex_parts.Real.apply(self)

    @property
    def imag(self) -> Tensor:
        """The imaginary parts of a complex tensor; an error for a real one."""
        if not self.is_complex():
            raise RuntimeError(
                "imag is not implemented for tensors with non-complex dtypes (dtype "
                f"{self._data.dtype})"
            )
        return complex_parts.Imag.apply(self)

    def conj(self) -> Tensor:
        """Self for a real tensor; the complex conjugate of a complex one."""
        if not self.is_complex():
            return self  # type: ignore[return-value]
        return complex_parts.Conj.apply(self)

    def conj_physical(self) -> Tensor:
        """``conj()`` (conjugation is never lazy here)."""
        return self.conj()

    def resolve_conj(self) -> Tensor:
        """Self: conjugation is never lazy here."""
        return self  # type: ignore[return-value]

    def resolve_neg(self) -> Tensor:
        """Self: negation is never lazy here."""
        return self  # type: ignore[return-value]

    def is_conj(self) -> bool:
        """False: conjugation is never lazy here."""
        return False

    def is_neg(self) -> bool:
        """False: negation is never lazy here."""
        return False

    # --- gradient bookkeeping ---
    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf tensor after ``retain_grad()`` (its ``.grad`` is kept)."""
        return bool(self._keeps_grad and self._ctx is not None)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Any], None]) -> Any:
        """Call ``hook(self)`` after backward has accumulated this leaf's ``.grad`` (e.g. to
        step an optimizer per parameter). Returns a handle whose ``remove()`` unregisters it."""
        if not callable(hook):
            raise TypeError(
                f"register_post_accumulate_grad_hook: expected a callable, got "
                f"{type(hook).__name__}"
            )
        if not self.requires_grad:
            raise RuntimeError(
                "register_post_accumulate_grad_hook: cannot register a hook on a tensor that "
                "doesn't require gradient"
            )
        if self._ctx is not None:
            raise RuntimeError(
                "register_post_accumulate_grad_hook: post accumulate grad hooks cannot be "
                "registered on non-leaf tensors"
            )
        table = self.__dict__.setdefault("_post_accumulate_hooks", {})
        hooks.REGISTERED[0] += 1
        key = hooks.REGISTERED[0]
        table[key] = hook
        return hooks.RemovableHandle(table, key)

    def _run_post_accumulate_hooks(self) -> None:
        table = self.__dict__.get("_post_accumulate_hooks")
        if table:
            with grad_mode.no_grad():
                for hook in list(table.values()):
                    hook(self)


def _raw(x: Any) -> Any:
    return x._data if hasattr(x, "_ctx") else x
