"""dtypes: PyTorch's names for numpy dtypes, the default floating dtype, and dtype queries.

``autograd.float32`` is ``numpy.dtype('float32')``, so it compares equal to (and is) a
Tensor's ``.dtype``, and works wherever numpy takes a dtype. PyTorch's short names
(``autograd.float``, ``autograd.int``, ``autograd.bool``...) are set as attributes of the
``autograd`` package only (at the end of its ``__init__``), never as names in this module,
so that the builtins ``float``, ``int`` and ``bool`` keep their meaning in the library's code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# The type of every dtype object (torch.dtype): ``isinstance(x.dtype, autograd.dtype)`` holds,
# and ``autograd.dtype('float32')`` is ``autograd.float32``.
dtype = np.dtype

float16 = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
complex64 = np.dtype(np.complex64)
complex128 = np.dtype(np.complex128)
int8 = np.dtype(np.int8)
int16 = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
uint16 = np.dtype(np.uint16)
uint32 = np.dtype(np.uint32)
uint64 = np.dtype(np.uint64)
bool_ = np.dtype(np.bool_)


class _Unsupported:
    """A PyTorch dtype numpy lacks: the name exists, so scripts that only mention it (a table
    of dtypes, ``autocast(dtype=...)``, which runs in full precision here) work; making data of
    it fails, with numpy's "Cannot interpret ... as a data type" naming why."""

    is_floating_point = True
    is_complex = False
    is_signed = True

    def __init__(self, name: str, itemsize: int) -> None:
        self._name = name
        self.itemsize = itemsize

    def __repr__(self) -> str:
        return f"autograd.{self._name} (not supported: numpy has no {self._name})"


# bfloat16 names the dtype CPU autocast defaults to in PyTorch; no data can be made of it
bfloat16 = _Unsupported("bfloat16", 2)


class _Default:
    dtype: np.dtype = np.dtype(np.float32)


def get_default_dtype() -> np.dtype:
    """The dtype Python floats and lists of floats become in a Tensor."""
    return _Default.dtype


def set_default_dtype(dtype: object) -> None:
    """Set the default floating dtype; only float16, float32 and float64 are allowed."""
    dt = np.dtype(dtype)  # type: ignore[call-overload]
    if dt.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating dtype, got {dt}")
    _Default.dtype = dt


def _dtype_of(input: Any, op: str) -> np.dtype:  # noqa: A002
    from .node import Node

    if not isinstance(input, (Node, np.ndarray)) or not hasattr(input, "dtype"):
        raise TypeError(f"{op}(): argument 'input' must be a Tensor, not {type(input).__name__}")
    return np.dtype(input.dtype)


def is_floating_point(input: Any) -> bool:  # noqa: A002
    """True if the Tensor's dtype is a floating-point one (float16/32/64)."""
    return _dtype_of(input, "is_floating_point").kind == "f"


def is_complex(input: Any) -> bool:  # noqa: A002
    """True if the Tensor's dtype is complex."""
    return _dtype_of(input, "is_complex").kind == "c"


def is_tensor(obj: Any) -> bool:
    """True if ``obj`` is an ``autograd.Tensor``."""
    from .tensor import Tensor

    return isinstance(obj, Tensor)


def finfo(type: Any = None) -> np.finfo:  # noqa: A002
    """Machine limits of a floating dtype (numpy's ``finfo``: ``eps``, ``max``, ``min``,
    ``tiny``, ``resolution``, ``bits``); the default dtype when none is given."""
    dt = get_default_dtype() if type is None else np.dtype(type)
    if dt.kind not in "fc":
        raise TypeError(f"finfo: expected a floating dtype, got {dt}")
    return np.finfo(dt)


def iinfo(type: Any) -> np.iinfo:  # noqa: A002
    """Machine limits of an integer dtype (numpy's ``iinfo``: ``min``, ``max``, ``bits``)."""
    dt = np.dtype(type)
    if dt.kind not in "iu":
        raise TypeError(f"iinfo: expected an integer dtype, got {dt}")
    return np.iinfo(dt)


_TORCH_NAMES: dict[np.dtype, str] = {
    float16: "Half",
    float32: "Float",
    float64: "Double",
    complex64: "ComplexFloat",
    complex128: "ComplexDouble",
    int8: "Char",
    int16: "Short",
    int32: "Int",
    int64: "Long",
    uint8: "Byte",
    uint16: "UInt16",
    uint32: "UInt32",
    uint64: "UInt64",
    bool_: "Bool",
}


def torch_name(dtype: Any) -> str:
    """PyTorch's scalar type name of ``dtype`` ('Float', 'Long', 'Bool' ...)."""
    return _TORCH_NAMES[np.dtype(dtype)]


def legacy_type_name(dtype: Any) -> str:
    """PyTorch's tensor type name of ``dtype``: 'torch.FloatTensor', 'torch.LongTensor'..."""
    return f"torch.{torch_name(dtype)}Tensor"


_BY_LEGACY_NAME = {f"torch.{name}Tensor": dt for dt, name in _TORCH_NAMES.items()}


def dtype_of_legacy_type_name(name: str) -> np.dtype:
    """The dtype of a tensor type name such as 'torch.DoubleTensor' (``Tensor.type``'s)."""
    if name in _BY_LEGACY_NAME:
        return _BY_LEGACY_NAME[name]
    if name.startswith("torch.cuda.") and f"torch.{name[11:]}" in _BY_LEGACY_NAME:
        raise RuntimeError(f"type: {name!r} is a CUDA tensor type; this library runs on the CPU")
    raise ValueError(f"invalid type: {name!r}")
