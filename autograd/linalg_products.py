"""``torch.linalg``'s products and matrix-shaped helpers: ``matrix_exp``, ``cross``,
``diagonal``, ``matmul``, ``multi_dot``, ``vecdot`` and ``vander``. Each composes recorded
Tensor ops, so all are differentiable to any order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import ShapeError
from .linalg_inputs import as_tensor, same_dtype
from .node import Node
from .product_dtypes import require_same_dtype
from .tensor import Tensor


def matrix_exp(A: Any) -> Tensor:  # noqa: N803 (torch's argument names)
    """The exponential of square matrices (batched)."""
    a = as_tensor(A)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"linalg.matrix_exp: A must be batches of square matrices, got shape {tuple(a.shape)}"
        )
    return a.matrix_exp()


def cross(input: Any, other: Any, *, dim: int = -1) -> Tensor:  # noqa: A002
    """The cross product of 3-vectors along ``dim`` (default the last), the other dims
    broadcast; both inputs need the same number of dims."""
    a, b = as_tensor(input), as_tensor(other)
    require_same_dtype("linalg.cross", input=a, other=b)
    if a.ndim != b.ndim:
        raise ShapeError(
            f"linalg.cross: inputs must have the same number of dimensions, got shapes "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    if a.ndim and -a.ndim <= dim < a.ndim and (a.shape[dim] != 3 or b.shape[dim] != 3):
        raise ShapeError(
            f"linalg.cross: inputs dimension {dim} must have length 3, got "
            f"{a.shape[dim]} and {b.shape[dim]}"
        )
    return a.cross(b, dim=dim)


def diagonal(A: Any, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: N803
    """The diagonals of the matrices in dims (dim1, dim2) (``offset`` above the main one),
    as the last dim."""
    return as_tensor(A).diagonal(offset, dim1, dim2)


def matmul(input: Any, other: Any) -> Tensor:  # noqa: A002
    """The matrix product, as ``torch.matmul``."""
    return as_tensor(input) @ other


def _chain_order(dims: list[int]) -> list[list[int]]:
    """The cheapest split points for the product of matrices ``dims[i] x dims[i + 1]``
    (the classic dynamic programme over the number of scalar multiplications)."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = -1
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] < 0 or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def multi_dot(tensors: Sequence[Any]) -> Tensor:
    """The product of two or more matrices, multiplied in the cheapest order; the first may
    be a row vector (1-d) and the last a column vector (1-d), dropped from the result."""
    if isinstance(tensors, Node):
        raise TypeError("multi_dot(): expected a sequence of tensors, got a tensor")
    ts = [as_tensor(t) for t in tensors]
    if len(ts) < 2:
        raise ShapeError(f"multi_dot(): expected at least 2 tensors but got {len(ts)}")
    for i, t in enumerate(ts):
        if t.dtype != ts[0].dtype:
            raise RuntimeError(
                f"multi_dot(): all tensors must have the same dtype but tensor 0 is "
                f"{ts[0].dtype} and tensor {i} is {t.dtype}"
            )
        edge = i in (0, len(ts) - 1)
        if t.ndim != 2 and not (edge and t.ndim == 1):
            which = "first" if i == 0 else "last" if i == len(ts) - 1 else None
            need = "1D or 2D" if which else "2D"
            name = f"the {which} tensor" if which else f"tensor {i}"
            raise ShapeError(f"multi_dot(): {name} must be {need} but got {t.ndim}D")
    first_vector, last_vector = ts[0].ndim == 1, ts[-1].ndim == 1
    mats = list(ts)
    if first_vector:
        mats[0] = mats[0].unsqueeze(0)
    if last_vector:
        mats[-1] = mats[-1].unsqueeze(-1)
    for i in range(len(mats) - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            raise ShapeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {tuple(ts[i].shape)} and "
                f"{tuple(ts[i + 1].shape)} cannot be multiplied"
            )
    split = _chain_order([m.shape[0] for m in mats] + [mats[-1].shape[1]])

    def product(i: int, j: int) -> Tensor:
        if i == j:
            return mats[i]
        k = split[i][j]
        return product(i, k) @ product(k + 1, j)

    out = product(0, len(mats) - 1)
    if first_vector:
        out = out.squeeze(0)
    if last_vector:
        out = out.squeeze(-1)
    return out


def vecdot(x: Any, y: Any, *, dim: int = -1) -> Tensor:
    """The dot product of vectors along ``dim`` (x conjugated), the other dims broadcast."""
    a, b = as_tensor(x), as_tensor(y)
    same_dtype("vecdot", a, b, ("x", "y"))
    if a.ndim == 1 and b.ndim == 1 and a.shape[0] != b.shape[0]:  # (torch's dot: no broadcast)
        raise ShapeError(
            f"linalg.vecdot: inconsistent tensor size, expected tensors of the same number of "
            f"elements, got {a.shape[0]} and {b.shape[0]}"
        )
    if a.dtype.kind == "c":
        a = a.conj()
    return (a * b).sum(dim)


def vander(x: Any, *, N: int | None = None) -> Tensor:  # noqa: N803
    """The Vandermonde matrices of the vectors in the last dim of ``x`` (batched over the
    leading dims): column j holds x ** j, j = 0 .. N - 1 (N defaults to x's last size)."""
    v = as_tensor(x)
    if v.dtype.kind == "b":
        raise TypeError(
            "linalg.vander supports floating point, complex, and integer tensors, but got bool"
        )
    if v.ndim == 0:  # one value (torch's)
        v = v.reshape(1)
    n = v.shape[-1] if N is None else int(N)
    if n <= 1:
        raise ShapeError(f"linalg.vander: N must be greater than 1, got {n}")
    if v.dtype.kind in "iu":  # integer powers in int64, as torch
        v = v.long()
    from .functions import stack

    powers = [Tensor(np.ones(v.shape, dtype=v.dtype)), v]
    while len(powers) < n:
        powers.append(powers[-1] * v)
    return stack(powers, -1)
