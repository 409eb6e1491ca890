"""Operands of one dtype, as torch's linalg solvers and factorisations require (they do not
promote). Products (matmul, mm, linear...) promote here where torch refuses mixed dtypes: a
``Tensor(ndarray)`` keeps a float64 array's dtype (API.md) where ``torch.Tensor`` makes
float32, so a ported script's float64 data meets float32 weights (README, what differs)."""

from __future__ import annotations

from typing import Any

from .node import Node


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def require_same_dtype(op: str, **operands: Any) -> None:
    """Raise torch's RuntimeError, naming ``op`` and the operands, when the tensors among
    ``operands`` (keyword name: tensor; other values are not checked) differ in dtype."""
    tensors: dict[str, Any] = {name: t for name, t in operands.items() if isinstance(t, Node)}
    dtypes = [str(t.dtype) for t in tensors.values()]
    if len(set(dtypes)) > 1:
        raise RuntimeError(
            f"{op}: expected {_listing(list(tensors))} to have the same dtype, got "
            f"{_listing(dtypes)}"
        )
