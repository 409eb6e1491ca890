"""PyTorch's ``torch.sparse`` namespace: ``mm``, ``addmm``, ``sum``, ``softmax``,
``log_softmax`` and the legacy constructors ``FloatTensor / DoubleTensor / LongTensor``.
The sparse COO tensor itself, what it supports and what it refuses:
``autograd.sparse_tensor``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .coo_data import COOData, refuse
from .function import Context
from .grad_fn import present_as
from .node import Node
from .ops.sparse_products import sparse_dense_product
from .ops.sparse_softmax import sparse_softmax
from .sparse_tensor import SparseCOOTensor, SparseFunction, sparse_coo_tensor
from .tensor import Tensor

__all__ = [
    "mm",
    "addmm",
    "sum",
    "softmax",
    "log_softmax",
    "FloatTensor",
    "DoubleTensor",
    "LongTensor",
]


def _sparse(x: Any, op: str) -> SparseCOOTensor:
    if not isinstance(x, SparseCOOTensor):
        raise TypeError(f"{op}: expected a sparse COO tensor, got {type(x).__name__}")
    return x


def mm(mat1: Any, mat2: Any, reduce: str = "sum") -> Tensor:
    """``mat1 @ mat2`` for a sparse 2-d ``mat1`` and a dense 2-d ``mat2`` (dense result);
    ``mat1``'s gradient is sparse, with ``mat1``'s coalesced pattern (PyTorch's)."""
    if reduce != "sum":
        raise NotImplementedError(f"sparse.mm: reduce={reduce!r} is not supported (only 'sum')")
    return sparse_dense_product(_sparse(mat1, "sparse.mm"), mat2, "sparse.mm", sparse_grad=True)


def addmm(mat: Any, mat1: Any, mat2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """``beta * mat + alpha * (mat1 @ mat2)`` for a sparse ``mat1`` and dense ``mat`` and
    ``mat2`` (``sparse.mm``'s gradients)."""
    product = mm(mat1, mat2)
    if alpha != 1:
        product = product * alpha
    out = product if beta == 0 else (mat if beta == 1 else mat * beta) + product
    present_as(out, "SparseAddmmBackward0", [mat, mat1, mat2])
    return out


def spmm(input: Any, mat2: Any) -> Tensor:  # noqa: A002
    """``torch.spmm``: ``input @ mat2`` for a sparse ``input`` (dense gradients, as ``mm``)."""
    return sparse_dense_product(_sparse(input, "spmm"), mat2, "spmm", sparse_grad=False)


class _SumDims(SparseFunction):
    """Sparse entries summed over some dims (sparse dims: their indices dropped and equal
    ones merged; dense dims: each value summed). The gradient is each entry's share: the
    output's gradient at the entry's remaining index, on the coalesced pattern."""

    torch_name = "SparseSumBackward0"

    @staticmethod
    def forward(ctx: Context, data: COOData, dims: tuple) -> COOData:  # type: ignore[override]
        c = data.coalesce()
        sd = c.sparse_dim
        kept = [d for d in range(sd) if d not in dims]
        value_axes = tuple(d - sd + 1 for d in dims if d >= sd)
        shape = tuple(n for d, n in enumerate(c.shape) if d not in dims)
        values = c.values.sum(axis=value_axes) if value_axes else c.values
        out = COOData(c.indices[kept], values, shape, len(kept) == sd).coalesce()
        ctx.c, ctx.kept, ctx.value_axes, ctx.shape = c, kept, value_axes, shape
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        if isinstance(g, Node):
            refuse("backward with create_graph=True (second derivatives)")
        c = ctx.c
        at = COOData(c.indices[ctx.kept], c.values, ctx.shape, False)
        share = at.gather_sparse(g) if isinstance(g, COOData) else at.gather(g)
        share = np.expand_dims(share, ctx.value_axes) if ctx.value_axes else share
        return c.with_values(np.broadcast_to(share, c.values.shape).astype(c.dtype)), None


def sum(input: Any, dim: Any = None, dtype: Any = None) -> Tensor:  # noqa: A001, A002
    """The sum of a sparse tensor's entries: all of them (a dense 0-d tensor), or over
    ``dim`` (one or several dims): sparse while some sparse dim remains, else dense."""
    s = _sparse(input, "sparse.sum")
    if dtype is not None:
        s = s.to(dtype)
    n = s.ndim
    if dim is None:
        dims = tuple(range(n))
    else:
        raw = (dim,) if isinstance(dim, int) else tuple(dim)
        for d in raw:
            if not -n <= d < n:
                raise IndexError(
                    f"sparse.sum: Dimension out of range (expected to be in range of "
                    f"[{-n}, {n - 1}], but got {d})"
                )
        dims = tuple(sorted({d % n for d in raw}))
    out = _SumDims.apply_sparse(s, dims)
    if out.sparse_dim():
        return out
    dense = out.to_dense()
    present_as(dense, "SumBackward0" if dim is None else "SparseSumBackward0", [input])
    return dense


def softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:  # noqa: A002
    """The softmax along ``dim`` over the entries a sparse tensor holds (those it does not
    hold count as -inf): a sparse result with the input's coalesced pattern."""
    return sparse_softmax(_sparse(input, "sparse.softmax"), dim, dtype, log=False)


def log_softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:  # noqa: A002
    """The log of ``softmax``, computed stably: a sparse result with the input's coalesced
    pattern."""
    return sparse_softmax(_sparse(input, "sparse.log_softmax"), dim, dtype, log=True)


def _legacy(dtype: Any) -> Any:
    def make(*args: Any, device: Any = None) -> SparseCOOTensor:
        if args and all(isinstance(a, int) for a in args):  # sizes: an empty sparse tensor
            return sparse_coo_tensor(
                np.zeros((len(args), 0), np.int64), np.zeros(0, dtype), args, device=device
            )
        if len(args) in (2, 3):
            return sparse_coo_tensor(*args, device=device)
        raise TypeError(
            "sparse tensor constructor: expected (indices, values), (indices, values, size) "
            "or sizes"
        )

    return make


# PyTorch's legacy constructors (deprecated there): indices, values and size as
# sparse_coo_tensor takes them (the values keep their dtype, as PyTorch's do), or sizes alone
# for an empty tensor of the named dtype
FloatTensor = _legacy(np.float32)
DoubleTensor = _legacy(np.float64)
LongTensor = _legacy(np.int64)
