"""``autograd.sparse.softmax`` and ``log_softmax``: a softmax over each group of a sparse
tensor's entries that differ only in the index along ``dim`` (the entries it does not hold
count as -inf, so they stay out). The result has the coalesced input's pattern.

For a group with values x, softmax y = exp(x - max x) / sum exp(x - max x), and with output
gradient g the input's gradient is y * (g - sum(g * y)); for log_softmax
z = x - max x - log sum exp(x - max x) and the gradient is g - exp(z) * sum(g). Dense dims of
the values are softmaxed separately, position by position.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..coo_data import COOData, refuse
from ..function import Context
from ..node import Node
from ..sparse_tensor import SparseFunction


def _groups(c: COOData, dim: int) -> tuple[np.ndarray, int]:
    """Each entry's group (entries equal but along ``dim``) and the number of groups."""
    others = [d for d in range(c.sparse_dim) if d != dim]
    if not others:
        return np.zeros(c.nnz, np.int64), 1
    keys = np.ravel_multi_index(tuple(c.indices[others]), tuple(c.shape[d] for d in others))
    unique, group = np.unique(keys, return_inverse=True)
    return group.reshape(-1), len(unique)


def _group_sum(x: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n,) + x.shape[1:], x.dtype)
    np.add.at(out, group, x)
    return out[group]


class SparseSoftmax(SparseFunction):
    """softmax (or log_softmax) of the values within each group (see the module's
    docstring)."""

    @staticmethod
    def forward(ctx: Context, data: COOData, dim: int, log: bool) -> COOData:  # type: ignore[override]
        c = data.coalesce()
        group, n = _groups(c, dim)
        top = np.full((n,) + c.values.shape[1:], -np.inf, c.dtype)
        np.maximum.at(top, group, c.values)
        shifted = c.values - top[group]
        total = _group_sum(np.exp(shifted), group, n)
        y = shifted - np.log(total) if log else np.exp(shifted) / total
        ctx.c, ctx.group, ctx.n, ctx.y, ctx.log = c, group, n, y, log
        ctx.torch_name = "SparseLogSoftmaxBackward0" if log else "SparseSoftmaxBackward0"
        return c.with_values(y)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        if isinstance(g, Node):
            refuse("backward with create_graph=True (second derivatives)")
        c, group, n, y = ctx.c, ctx.group, ctx.n, ctx.y
        gy = c.gather_sparse(g) if isinstance(g, COOData) else c.gather(g)
        if ctx.log:
            gx = gy - np.exp(y) * _group_sum(gy, group, n)
        else:
            gx = y * (gy - _group_sum(gy * y, group, n))
        return c.with_values(gx), None, None


def sparse_softmax(input: Any, dim: int, dtype: Any, log: bool) -> Any:  # noqa: A002
    """``softmax`` / ``log_softmax`` of a sparse tensor along sparse dim ``dim``."""
    op = "sparse.log_softmax" if log else "sparse.softmax"
    sd, n = input.sparse_dim(), input.ndim
    if not -n <= dim < n:
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-n}, {n - 1}], but "
            f"got {dim})"
        )
    dim %= n
    if dim >= sd:
        refuse(f"{op} along a dense dim")
    if input.dtype.kind != "f" and dtype is None:
        raise RuntimeError(f"{op}: expected a floating-point sparse tensor, got {input.dtype}")
    s = input if dtype is None else input.to(dtype)
    return SparseSoftmax.apply_sparse(s, dim, log)
