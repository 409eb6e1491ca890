"""The dtype rule of torch's products: matmul and its relatives (mm, bmm, mv, dot, inner,
addmm, addbmm, baddbmm, addmv, linear, bilinear, tensordot, einsum's contractions, cross,
cdist and the linalg products) do not promote, they refuse operands of different dtypes
(outer, addr, kron and the elementwise ops do promote)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .node import Node
from .promotion import promote_types


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


def require_einsum_dtypes(inputs: list[str], output: str, dtypes: list[Any]) -> None:
    """Torch's einsum rule: operands are multiplied left to right; a step that sums over a
    label shared by the product so far and the next operand is a batched matrix product (the
    same dtype needed), one that sums over none an elementwise product (which promotes)."""
    labels, dtype = set(inputs[0]), np.dtype(dtypes[0])
    for k in range(1, len(inputs)):
        kept = set(output).union(*inputs[k + 1 :])
        summed = (labels & set(inputs[k])) - kept
        if summed and dtype != np.dtype(dtypes[k]):
            raise RuntimeError(
                f"einsum: operand {k} ({np.dtype(dtypes[k])}) and the product of the operands "
                f"before it ({dtype}) are contracted over {_listing(sorted(summed))}, which "
                "needs the same dtype"
            )
        dtype = promote_types(dtype, dtypes[k])
        labels = (labels | set(inputs[k])) & kept
