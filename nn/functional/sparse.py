"""Lookups by integer index: ``embedding`` (a fused gather with a scatter-add gradient) and
``one_hot``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Function, Tensor
from autograd.function import Context
from autograd.node import Node
from autograd.ops.indexing import ScatterAdd

from .conv import as_tensor


def _indices(input: Any, op: str) -> np.ndarray:
    idx = input.data if isinstance(input, Tensor) else np.asarray(input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers, got dtype {idx.dtype}")
    return idx


class _Embedding(Function):
    """Rows of ``weight`` picked by ``idx``; the gradient adds each row's upstream gradients
    (times ``scale`` per lookup: 0 for padding_idx, 1 / count with scale_grad_by_freq)."""

    @staticmethod
    def forward(ctx: Context, weight: Any, idx: np.ndarray, scale: Any) -> Any:
        ctx.idx, ctx.scale, ctx.shape = idx.reshape(-1), scale, weight.shape
        return weight[idx]

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        rows = g.reshape((-1, ctx.shape[1]))
        if ctx.scale is not None:
            rows = rows * ctx.scale
        if isinstance(rows, Node):
            return ScatterAdd.apply(rows, ctx.idx, ctx.shape), None, None
        out = np.zeros(ctx.shape, dtype=rows.dtype)
        np.add.at(out, ctx.idx, rows)
        return out, None, None


def _renorm_(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale the looked-up rows whose norm exceeds max_norm down to it, in place (no grad)."""
    rows = np.unique(idx)
    w = weight.data
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        w[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(w.dtype)


def embedding(
    input: Any,
    weight: Any,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Rows of ``weight`` (num_embeddings, embedding_dim) at the integer ``input``: result
    input.shape + (embedding_dim,). ``padding_idx``'s row gets no gradient; ``max_norm``
    renormalises the looked-up rows in place first; ``scale_grad_by_freq`` divides each
    row's gradient by how often it occurs in the batch."""
    op = "embedding"
    idx = _indices(input, op)
    w = as_tensor(weight, op, "weight")
    if w.ndim != 2:
        raise ValueError(f"{op}: weight must be 2-d, got weight of shape {tuple(w.shape)}")
    n = w.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx.min() if idx.min() < 0 else idx.max()
        raise IndexError(
            f"{op}: index {int(bad)} is out of range for num_embeddings={n} (weight of shape "
            f"{tuple(w.shape)}, input of shape {idx.shape})"
        )
    if sparse:
        raise ValueError(f"{op}: sparse gradients are not supported (use sparse=False)")
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise ValueError(f"{op}: padding_idx {padding_idx} must be within num_embeddings={n}")
        padding_idx %= n
    if max_norm is not None:
        _renorm_(w, idx, float(max_norm), float(norm_type))
    scale = None
    flat = idx.reshape(-1)
    if scale_grad_by_freq and flat.size:
        counts = np.bincount(flat, minlength=n)
        scale = (1.0 / counts[flat]).astype(w.dtype)[:, None]
    if padding_idx is not None:
        keep = (flat != padding_idx).astype(w.dtype)[:, None]
        scale = keep if scale is None else scale * keep
    return _Embedding.apply(w, idx, scale)


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """int64 one-hot encoding: result tensor.shape + (num_classes,) (-1: max + 1)."""
    op = "one_hot"
    idx = _indices(tensor, op)
    if idx.size and idx.min() < 0:
        raise ValueError(f"{op}: class values must be non-negative, got {int(idx.min())}")
    if num_classes == -1:
        if idx.size == 0:
            raise ValueError(f"{op}: cannot infer num_classes from an empty tensor")
        num_classes = int(idx.max()) + 1
    elif idx.size and idx.max() >= num_classes:
        raise ValueError(
            f"{op}: class value {int(idx.max())} is out of range for num_classes={num_classes}"
        )
    out = np.zeros(idx.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, idx[..., None].astype(np.intp), 1, axis=-1)
    return Tensor(out)
