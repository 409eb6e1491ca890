"""How optimizers read and write a parameter, whether it is a Value or a Tensor.

A Value holds one Python float; a Tensor holds a numpy array that optimizers update in
place (the same array object stays). Everything else in ``optim`` sees plain numpy arrays.
A complex parameter and its gradient are seen as real arrays with a last axis of 2 (real and
imaginary parts, on the same memory), as PyTorch's optimizers view them (``view_as_real``):
each part is updated as a real number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Tensor, Value

Param = Any  # a Value or a Tensor


def check_param(p: object) -> None:
    """Raise TypeError unless ``p`` is a Value or a leaf Tensor."""
    if not isinstance(p, (Value, Tensor)):
        raise TypeError(
            f"optimizer params must be Values or Tensors (or dicts of them), got {type(p).__name__}"
        )
    if isinstance(p, Tensor) and not p.is_leaf:
        raise ValueError("can't optimize a non-leaf Tensor (one made by an op); pass the leaf")


def _as_real(a: Any) -> Any:
    """A complex array as real numbers with a last axis of 2, on its memory; else itself."""
    if not isinstance(a, np.ndarray) or a.dtype.kind != "c":
        return a
    return a.reshape(a.shape + (1,)).view(np.finfo(a.dtype).dtype)


def dtype_of(p: Param) -> np.dtype:
    """The dtype the parameter's values and its optimizer state are kept in."""
    if isinstance(p, Value):
        return np.dtype(np.float64)
    dt = p._data.dtype
    return np.finfo(dt).dtype if dt.kind == "c" else dt


def grad_array(p: Param) -> np.ndarray | None:
    """The parameter's gradient as an array, or None for a Tensor without one."""
    if isinstance(p, Value):
        return np.array(p.grad, dtype=np.float64)
    return None if p.grad is None else _as_real(p.grad._data)


def grad_rows(p: Param) -> np.ndarray | None:
    """The rows the parameter's gradient holds when it came from ``sparse=True`` lookups only
    (what a sparse gradient would hold; see ``autograd.row_grad``), else None."""
    return None if isinstance(p, Value) or p.grad is None else p.grad._sparse_rows


def param_array(p: Param) -> np.ndarray:
    """The parameter's values as an array to update in place: a Tensor's own array, or a 0-d
    float64 copy of a Value's float, which ``store_array`` then writes back."""
    return np.array(p._data, dtype=np.float64) if isinstance(p, Value) else _as_real(p._data)


def store_array(p: Param, x: np.ndarray) -> None:
    """Finish an in-place update of ``x = param_array(p)``: a Value takes the new value (a
    Tensor's array was the one updated)."""
    if isinstance(p, Value):
        p.data = float(x)


def numel(p: Param) -> int:
    """Number of scalars in the parameter."""
    return 1 if isinstance(p, Value) else int(_as_real(p._data).size)


def flat_dtype(params: Sequence[Param]) -> np.dtype:
    """The common dtype of the flattened parameter vector."""
    return np.result_type(*(dtype_of(p) for p in params))


def gather_flat_data(params: Sequence[Param]) -> np.ndarray:
    """All parameter values concatenated into one new 1-d array."""
    dt = flat_dtype(params)
    return np.concatenate([np.asarray(param_array(p), dtype=dt).reshape(-1) for p in params])


def gather_flat_grad(params: Sequence[Param]) -> np.ndarray:
    """All ``.grad`` values concatenated into one new 1-d array (zeros where None)."""
    dt = flat_dtype(params)
    parts = []
    for p in params:
        g = grad_array(p)
        parts.append(np.zeros(numel(p), dt) if g is None else np.asarray(g, dt).reshape(-1))
    return np.concatenate(parts)


def flatten_nodes(nodes: Sequence[Any], params: Sequence[Param]) -> np.ndarray:
    """Concatenate gradient nodes returned by ``autograd.grad`` (None counts as zeros)."""
    dt = flat_dtype(params)
    parts = []
    for node, p in zip(nodes, params, strict=True):
        if node is None:
            parts.append(np.zeros(numel(p), dt))
        else:
            parts.append(np.asarray(_as_real(node._data), dtype=dt).reshape(-1))
    return np.concatenate(parts)


def set_flat_data(params: Sequence[Param], flat: np.ndarray) -> None:
    """Write a flat vector back into the parameters (Tensors in place)."""
    offset = 0
    for p in params:
        n = numel(p)
        x = param_array(p)
        x[...] = flat[offset : offset + n].reshape(x.shape)
        store_array(p, x)
        offset += n


def add_flat(params: Sequence[Param], step: float, direction: np.ndarray) -> None:
    """Move every parameter by ``step * direction`` (direction flat, in parameter order)."""
    offset = 0
    for p in params:
        n = numel(p)
        x = param_array(p)
        x += (step * direction[offset : offset + n]).reshape(x.shape).astype(x.dtype)
        store_array(p, x)
        offset += n


def loss_value(loss: Any) -> float:
    """A closure's loss (Value, Tensor or number) as a Python float."""
    if isinstance(loss, Tensor):
        return float(loss.item())
    if isinstance(loss, Value):
        return float(loss._data)
    return float(loss)
