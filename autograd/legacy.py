"""PyTorch's pre-0.4 names that old tutorials still use: the typed constructors
(``FloatTensor``, ``LongTensor`` ...) and ``Variable``.

``torch.FloatTensor(2, 3)`` makes a 2x3 float32 tensor (zeros here; torch's is uninitialised),
``torch.FloatTensor([1, 2])`` one holding that data; ``isinstance(t, torch.FloatTensor)`` tests
the dtype, and ``t.type(torch.FloatTensor)`` casts. ``Variable(t)`` is ``t`` itself, as in
PyTorch since 0.4 (``requires_grad=True`` sets the flag).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .creation import tensor, zeros
from .size import Size
from .tensor import Tensor


class LegacyTensorType(type):
    """The type of ``FloatTensor`` and friends: calling one makes a Tensor of its dtype."""

    dtype: np.dtype

    def __call__(cls, *args: Any, **kwargs: Any) -> Tensor:  # type: ignore[override]
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


def Variable(data: Any, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # noqa: N802
    """``data`` itself as a Tensor (PyTorch merged Variable into Tensor in 0.4)."""
    t = data if isinstance(data, Tensor) else tensor(data)
    if requires_grad:
        t.requires_grad_(True)
    return t
