"""``Parameter``: a Tensor that a Module owns and an optimizer trains; ``Buffer``: a Tensor that
registers itself as a module's buffer when assigned; ``UninitializedParameter`` and
``UninitializedBuffer``: placeholders of the lazy modules until their shape is known."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.dtypes import get_default_dtype
from autograd.errors import DtypeError


class Parameter(Tensor):
    """A leaf Tensor that requires grad and registers itself when assigned to a Module.

    ``data`` may be a Tensor, whose memory (and version counter) the parameter shares, as in
    PyTorch (``nn.Parameter(t)``, ``Embedding.from_pretrained(t)``: training writes through to
    ``t``), or an ndarray or (lists of) numbers, which are copied. Python floats get the
    default float dtype (float32). A parameter that requires grad must hold floating-point or
    complex numbers (PyTorch's rule); integer data is refused rather than silently converted.
    ``Parameter()`` is an empty float tensor, as in PyTorch.
    """

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.empty((0,), dtype=get_default_dtype())
        arr = data._data if isinstance(data, Tensor) else np.asarray(data)
        if requires_grad and arr.dtype.kind not in "fc":
            raise DtypeError(
                f"Parameter(data): a parameter that requires grad needs floating-point or "
                f"complex data, got dtype {arr.dtype} (convert it first, e.g. "
                f"np.asarray(data, np.float32))"
            )
        if isinstance(data, Tensor):
            shared = data.detach()
            self._init_node(shared._data, None, False)
            self._vc = shared._vc
            self.requires_grad = bool(requires_grad)
        else:
            super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class _BufferMeta(type):
    """``isinstance(t, Buffer)``: a Tensor made by ``Buffer(...)`` (which is a plain Tensor)."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and bool(obj.__dict__.get("_is_buffer", False))


class Buffer(metaclass=_BufferMeta):
    """``Buffer(data, persistent=True)``: ``data`` detached, as a plain Tensor marked to be
    registered as a buffer when assigned to a Module attribute (``self.mask = nn.Buffer(m)``
    is ``self.register_buffer("mask", m, persistent)``, PyTorch 2's form)."""

    def __new__(cls, data: Any = None, *, persistent: bool = True) -> Any:  # type: ignore[misc]
        if data is None:
            data = Tensor(np.empty((0,), dtype=get_default_dtype()))
        t = data.detach() if isinstance(data, Tensor) else Tensor(data)
        if isinstance(data, Tensor) and data.requires_grad:
            t.requires_grad_(True)
        t.__dict__["_is_buffer"] = True
        t.__dict__["persistent"] = bool(persistent)
        return t


def _materialize(t: Any, shape: Any, dtype: Any, becomes: type) -> None:
    """Give the placeholder ``t`` storage of ``shape`` (zeros) and make it a ``becomes``."""
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    dt = t._data.dtype if dtype is None else np.dtype(getattr(dtype, "dtype", dtype))
    t.data = np.zeros(shape, dtype=dt)
    t.__class__ = becomes


def _placeholder_dtype(dtype: Any) -> np.dtype:
    return np.dtype(get_default_dtype() if dtype is None else getattr(dtype, "dtype", dtype))


class UninitializedParameter(Parameter):
    """A parameter of a lazy module before its first forward (or ``load_state_dict``): an
    empty placeholder until ``materialize(shape)`` gives it storage of that shape (zeros)
    and turns it into a ``Parameter`` in place, so an optimizer holding it sees the result."""

    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(np.empty((0,), dtype=_placeholder_dtype(dtype)), requires_grad)

    def materialize(self, shape: Any, device: Any = None, dtype: Any = None) -> None:
        """Give this parameter ``shape`` (an int or a tuple); it becomes a ``Parameter``."""
        _materialize(self, shape, dtype, self.cls_to_become)

    def __repr__(self) -> str:
        return "<UninitializedParameter>"


class UninitializedBuffer(Tensor):
    """A buffer of a lazy module (BatchNorm's running statistics) before its first forward;
    ``materialize(shape)`` turns it into a plain Tensor of that shape in place."""

    __slots__ = ()
    cls_to_become = Tensor

    def __init__(self, requires_grad: bool = False, device: Any = None, dtype: Any = None) -> None:
        super().__init__(np.empty((0,), dtype=_placeholder_dtype(dtype)), requires_grad)

    def materialize(self, shape: Any, device: Any = None, dtype: Any = None) -> None:
        """Give this buffer ``shape`` (an int or a tuple); it becomes a plain Tensor."""
        _materialize(self, shape, dtype, self.cls_to_become)

    def __repr__(self) -> str:
        return "<UninitializedBuffer>"


UNINITIALIZED = (UninitializedParameter, UninitializedBuffer)  # for isinstance checks
