"""Products of a sparse COO matrix with a dense one: ``autograd.sparse.mm``, and ``mm``,
``spmm``, ``matmul`` and ``@`` when an operand is sparse. The result is dense.

For ``S @ D`` (S of shape n x m with entries ``S[r_k, c_k] = v_k``, D of shape m x p):

    out[i]     = sum over k with r_k = i of v_k * D[c_k]     (from the nonzeros only)
    dL/dD[j]   = sum over k with c_k = j of v_k * G[r_k]     (S^T @ G, again from the nonzeros)
    dL/dS      = G @ D^T                                     (dense: mm, spmm, matmul, @)
    dL/dS[r,c] = G[r] . D[c] at S's coalesced entries only   (sparse: autograd.sparse.mm)

which gradient the sparse operand gets follows PyTorch: ``torch.sparse.mm`` documents a sparse
gradient with the input's pattern; ``torch.mm`` and the others give a dense one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..coo_data import COOData, product_rows, refuse
from ..errors import ShapeError
from ..function import Context, Function
from ..node import Node
from ..tensor import Tensor


class SparseDenseMM(Function):
    """``S @ D`` for a 2-d sparse S and a 2-d dense D (see the module's docstring)."""

    @staticmethod
    def torch_nodes(ctx: Context) -> tuple[str, tuple]:
        name = "SparseAddmmBackward0" if ctx.sparse_grad else "MmBackward0"
        return name, tuple(a for a in ctx.inputs if isinstance(a, Node))

    @staticmethod
    def forward(ctx: Context, s: COOData, d: Any, sparse_grad: bool, op: str) -> np.ndarray:  # type: ignore[override]
        d = np.asarray(d)
        if s.ndim != 2 or s.dense_dim != 0 or d.ndim != 2:
            raise ShapeError(
                f"{op}: expected a 2-d sparse matrix (2 sparse dims) and a 2-d dense matrix, "
                f"got sizes {s.shape} ({s.sparse_dim} sparse dims) and {d.shape}"
            )
        if s.shape[1] != d.shape[0]:
            raise ShapeError(
                f"{op}: mat1 and mat2 shapes cannot be multiplied ({s.shape[0]}x{s.shape[1]} "
                f"and {d.shape[0]}x{d.shape[1]})"
            )
        if s.dtype != d.dtype:
            raise RuntimeError(
                f"{op}: expected the sparse and dense matrices to have the same dtype, got "
                f"{s.dtype} and {d.dtype}"
            )
        ctx.sparse_grad = sparse_grad
        ctx.saved_tensors = (s, d)
        return product_rows(s, 0, d, s.shape[0])

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            refuse("backward with create_graph=True (second derivatives)")
        s, d = ctx.saved_tensors
        need_s, need_d = ctx.needs_input_grad[:2]
        gs = gd = None
        if need_s:
            if ctx.sparse_grad:
                c = s.coalesce()
                rows, cols = c.indices
                gs = c.with_values(np.einsum("kj,kj->k", g[rows], d[cols]))
            else:
                gs = g @ d.T
        if need_d:
            gd = product_rows(s, 1, g, s.shape[1])
        return gs, gd, None, None


def _dense_operand(x: Any, op: str) -> Tensor:
    from ..sparse_tensor import SparseCOOTensor

    if isinstance(x, SparseCOOTensor):
        refuse(f"{op} of two sparse tensors")
    return x if isinstance(x, Tensor) else Tensor(np.asarray(x))


def sparse_dense_product(s: Any, other: Any, op: str, sparse_grad: bool) -> Tensor:
    """``s @ other`` for a sparse ``s``; ``other`` 2-d, or 1-d for ``matmul`` (a vector)."""
    d = _dense_operand(other, op)
    if d.ndim == 1 and op == "matmul":
        return SparseDenseMM.apply(s, d.unsqueeze(1), sparse_grad, op).squeeze(1)  # type: ignore[no-any-return]
    return SparseDenseMM.apply(s, d, sparse_grad, op)  # type: ignore[no-any-return]


def dense_sparse_product(other: Any, s: Any, op: str) -> Tensor:
    """``other @ s`` for a sparse 2-d ``s``: ``(s.T @ other.T).T``."""
    d = _dense_operand(other, op)
    if d.ndim == 1 and op == "matmul":
        return sparse_dense_product(s.t(), d, op, sparse_grad=False)
    if d.ndim != 2:
        raise ShapeError(
            f"{op}: a dense operand of a sparse product must be 2-d, got size {tuple(d.shape)}"
        )
    return sparse_dense_product(s.t(), d.t(), op, sparse_grad=False).t()
