"""PyTorch's type promotion: the dtype an op on several operands computes in.

Operands fall into three groups: Tensors with dimensions, 0-d Tensors, and Python numbers
(``bool`` is bool, ``int`` int64, ``float`` the default dtype, ``complex`` its complex
counterpart). Within a group the dtypes promote as usual; a group only changes the result
when its category (bool < integer < floating < complex) is higher than that of the groups
before it (dimensioned, then 0-d, then Python numbers). So ``int32 vector + int64 0-d`` is
int32 and ``float16 vector + 1.5`` float16, but ``int32 vector + 1.5`` is float32.

numpy's rules (NEP 50) treat Python numbers alike within a category but let 0-d arrays
widen the result, and make integers combined with floats float64: ops compute with numpy,
then ``Function`` ops declaring ``_promotes`` get their output cast to ``result_type`` when
numpy chose otherwise (see ``function.record``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import get_default_dtype, torch_name
from .node import Node

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}
_COMPLEX_OF: dict[np.dtype, np.dtype] = {
    np.dtype(np.float16): np.dtype(np.complex64),  # (no complex32 here)
    np.dtype(np.float32): np.dtype(np.complex64),
    np.dtype(np.float64): np.dtype(np.complex128),
}
_BOOL = np.dtype(np.bool_)
_INT64 = np.dtype(np.int64)
_ndarray = np.ndarray


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """The smallest dtype both ``type1`` and ``type2`` convert to (``torch.promote_types``):
    an integer or bool dtype with a floating or complex one gives the latter."""
    a, b = np.dtype(type1), np.dtype(type2)
    if a == b:
        return a
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca >= 2 > cb:
        return a
    if cb >= 2 > ca:
        return b
    return np.promote_types(a, b)


def _python_dtype(x: Any) -> np.dtype | None:
    """The dtype a Python (or numpy) scalar takes as an operand; None if ``x`` is no number."""
    if isinstance(x, (bool, np.bool_)):
        return _BOOL
    if isinstance(x, (int, np.integer)):
        return _INT64
    if isinstance(x, (float, np.floating)):
        return get_default_dtype()
    if isinstance(x, (complex, np.complexfloating)):
        return _COMPLEX_OF[get_default_dtype()]
    return None


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """The result of a higher-priority group's dtype with a lower-priority one's: the lower
    group counts only where its category is above the higher group's."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    ch, cl = _CATEGORY[higher.kind], _CATEGORY[lower.kind]
    if ch == 3:
        return higher
    if cl == 3:
        # a complex lower group keeps the precision of a floating higher group
        return _COMPLEX_OF[higher] if ch == 2 else lower
    if ch == 2:
        return higher
    if ch == 0 or cl == 2:
        return promote_types(higher, lower)
    return higher


def result_type(tensor1: Any, tensor2: Any) -> np.dtype:
    """The dtype an elementwise op on ``tensor1`` and ``tensor2`` (Tensors or numbers) gives,
    as ``torch.result_type``."""
    return operands_result_type(tensor1, tensor2)


def operands_result_type(*operands: Any) -> np.dtype:
    """``result_type`` of any number of operands (Tensors, arrays, numbers)."""
    dims = zero = wrapped = None
    for x in operands:
        if isinstance(x, Node):
            x = x._data
        if isinstance(x, _ndarray):
            dt = x.dtype
            if x.ndim:
                dims = dt if dims is None else promote_types(dims, dt)
            else:
                zero = dt if zero is None else promote_types(zero, dt)
            continue
        dt = _python_dtype(x)
        if dt is None:
            if isinstance(x, (list, tuple)):
                arr = np.asarray(x)
                dims = arr.dtype if dims is None else promote_types(dims, arr.dtype)
                continue
            raise TypeError(f"result_type: expected Tensors or numbers, got {type(x).__name__}")
        wrapped = dt if wrapped is None else promote_types(wrapped, dt)
    out = _combine(dims, _combine(zero, wrapped))
    if out is None:
        raise TypeError("result_type: expected at least one operand")
    return out


def can_cast(from_: Any, to: Any) -> bool:
    """True if ``torch.can_cast`` allows it: no cast to a lower category (complex to float,
    float to integer, a non-bool to bool)."""
    a, b = np.dtype(from_), np.dtype(to)
    return _CATEGORY[a.kind] <= _CATEGORY[b.kind]


def promoted_output(out: np.ndarray, raw: Any, start: int, to_float: bool) -> np.ndarray:
    """``out``, numpy's result of an op on the operands ``raw[start]`` and ``raw[start + 1]``,
    in PyTorch's dtype: their ``result_type``, or for ``to_float`` ops (true division) the
    default floating dtype where that is an integer or bool one."""
    a, b = raw[start], raw[start + 1]
    dtype = out.dtype
    for ref in (a, b):
        if type(ref) is _ndarray and ref.dtype is dtype and (ref.ndim or not out.ndim):
            return out  # the dtype of a dimensioned operand (or of 0-d ones only): right
    rt = operands_result_type(a, b)
    if to_float and rt.kind in "biu":
        rt = get_default_dtype()
    return out if dtype == rt else out.astype(rt)


def wrap_python_ints(raw: Any, start: int) -> list:
    """``raw`` with the Python ints among the operands ``raw[start]`` and ``raw[start + 1]`` as
    0-d arrays of their ``result_type``, wrapped around as PyTorch does (int8 data + 1000 adds
    -24)."""
    rt = operands_result_type(raw[start], raw[start + 1])
    out = list(raw)
    for i in (start, start + 1):
        if type(out[i]) is int:
            out[i] = np.array(out[i]).astype(rt)
    return out


def common_operands(a: np.ndarray, b: Any) -> tuple[np.ndarray, Any]:
    """``a`` and ``b`` with the arrays among them in their ``result_type``, for ops whose
    result dtype is not the promoted one (comparisons): torch compares in that dtype
    (``float32 vector == float64 0-d`` compares in float32). Python numbers stay as they are
    (numpy's treatment of them matches)."""
    if type(b) is _ndarray:
        if b.dtype is a.dtype:
            return a, b
    elif not isinstance(b, _ndarray):
        return a, b
    rt = result_type(a, b)
    return (a if a.dtype == rt else a.astype(rt)), (b if b.dtype == rt else b.astype(rt))


def inplace_cast_error(op: str, result: np.dtype, target: np.dtype) -> RuntimeError:
    """torch's error for an in-place op whose result is of a higher category than the tensor."""
    return RuntimeError(
        f"{op}: result type {torch_name(result)} can't be cast to the desired output type "
        f"{torch_name(target)}"
    )
