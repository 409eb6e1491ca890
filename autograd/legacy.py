"""PyTorch's pre-0.4 names that old tutorials still use: the typed constructors
(``FloatTensor``, ``LongTensor`` ...), ``Variable`` and ``set_default_tensor_type``.

``torch.FloatTensor(2, 3)`` makes a 2x3 float32 tensor (zeros here; torch's is uninitialised),
``torch.FloatTensor([1, 2])`` one holding that data; ``isinstance(t, torch.FloatTensor)`` tests
the dtype, and ``t.type(torch.FloatTensor)`` casts. ``Variable(t)`` is ``t`` itself, as in
PyTorch since 0.4 (``requires_grad=True`` sets the flag). ``BFloat16Tensor`` names a dtype
numpy lacks: it makes no tensors, and ``set_default_tensor_type`` refuses it.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .creation import tensor, zeros
from .dtypes import bfloat16, set_default_dtype
from .size import Size
from .tensor import Tensor


class LegacyTensorType(type):
    """The type of ``FloatTensor`` and friends: calling one makes a Tensor of its dtype."""

    dtype: np.dtype

    def __call__(cls, *args: Any, **kwargs: Any) -> Tensor:  # type: ignore[override]
        if not isinstance(cls.dtype, np.dtype):
            raise TypeError(f"{cls.__name__}: {cls.dtype!r}")
        if len(args) == 1 and isinstance(args[0], Size):  # FloatTensor(x.size()): a shape
            args = tuple(args[0])
        if args and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
            return zeros(*args, dtype=cls.dtype, **kwargs)  # sizes
        if len(args) == 1:
            return tensor(args[0], dtype=cls.dtype, **kwargs)  # data
        if not args:
            return zeros(0, dtype=cls.dtype, **kwargs)
        raise TypeError(f"{cls.__name__}(): expected sizes (ints) or one sequence of data")

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __repr__(cls) -> str:
        return f"<class 'autograd.{cls.__name__}'>"


def _typed(name: str, dtype: Any) -> LegacyTensorType:
    return LegacyTensorType(name, (), {"dtype": np.dtype(dtype), "__doc__": f"{dtype} tensors."})


FloatTensor = _typed("FloatTensor", np.float32)
DoubleTensor = _typed("DoubleTensor", np.float64)
HalfTensor = _typed("HalfTensor", np.float16)
LongTensor = _typed("LongTensor", np.int64)
IntTensor = _typed("IntTensor", np.int32)
ShortTensor = _typed("ShortTensor", np.int16)
CharTensor = _typed("CharTensor", np.int8)
ByteTensor = _typed("ByteTensor", np.uint8)
BoolTensor = _typed("BoolTensor", np.bool_)
BFloat16Tensor = LegacyTensorType(
    "BFloat16Tensor", (), {"dtype": bfloat16, "__doc__": "bfloat16 tensors (not supported)."}
)
_BY_NAME = {
    t.__name__: t
    for t in (FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor)
    + (ShortTensor, CharTensor, ByteTensor, BoolTensor)
}


def set_default_tensor_type(t: Any) -> None:
    """PyTorch's deprecated ``set_default_tensor_type(t)``: make the floating dtype of ``t``
    (``DoubleTensor``, or a name such as ``'torch.DoubleTensor'``) the default dtype. Warns
    as PyTorch does; a non-floating type, a CUDA one or ``BFloat16Tensor`` is a TypeError."""
    warnings.warn(
        "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
        "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
        UserWarning,
        stacklevel=2,
    )
    if isinstance(t, str):
        module, _, name = t.rpartition(".")
        if module in ("torch.cuda", "autograd.cuda"):
            raise TypeError(
                f"set_default_tensor_type: type {t} not available (this library runs on the "
                "CPU only)"
            )
        if module not in ("torch", "autograd") or name not in _BY_NAME:
            raise TypeError(f"set_default_tensor_type: invalid type {t!r}")
        t = _BY_NAME[name]
    if not isinstance(t, LegacyTensorType):
        raise TypeError(
            "set_default_tensor_type: invalid type object: only floating-point types are "
            f"supported as the default type (got {t!r})"
        )
    if not isinstance(t.dtype, np.dtype):
        raise TypeError(f"set_default_tensor_type: {t.dtype!r}")
    if t.dtype.kind != "f":
        raise TypeError(
            "set_default_tensor_type: only floating-point types are supported as the default "
            f"type (got {t.__name__})"
        )
    set_default_dtype(t.dtype)


def Variable(data: Any, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # noqa: N802
    """``data`` itself as a Tensor (PyTorch merged Variable into Tensor in 0.4)."""
    t = data if isinstance(data, Tensor) else tensor(data)
    if requires_grad:
        t.requires_grad_(True)
    return t
