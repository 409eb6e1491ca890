"""Lookups by integer index: ``embedding`` (a fused gather with a scatter-add gradient),
``embedding_bag`` (sums, means or maxima of bags of embeddings) and ``one_hot``."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd
from autograd import Function, Tensor
from autograd.errors import ShapeError
from autograd.function import Context
from autograd.node import Node
from autograd.ops.indexing import ScatterAdd
from autograd.row_grad import row_grad

from .conv import as_tensor


def _indices(input: Any, op: str) -> np.ndarray:
    idx = input._data if isinstance(input, Tensor) else np.asarray(input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers, got dtype {idx.dtype}")
    return idx


class _Embedding(Function):
    """Rows of ``weight`` picked by ``idx``; the gradient adds each row's upstream gradients
    (times ``scale`` per lookup: 0 for padding_idx, 1 / count with scale_grad_by_freq). With
    ``sparse_rows`` (the looked-up rows, padding_idx's left out) the gradient is a RowGrad
    holding them: what a sparse gradient would hold."""

    @staticmethod
    def forward(
        ctx: Context,
        weight: Any,
        idx: np.ndarray,
        scale: Any,
        sparse_rows: Any = None,
        refusal: str | None = None,
    ) -> Any:
        ctx.idx, ctx.scale, ctx.shape = idx.reshape(-1), scale, weight.shape
        ctx.sparse_rows, ctx.refusal = sparse_rows, refusal
        return weight[idx]

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if ctx.refusal is not None:  # what PyTorch's backward refuses (its forward runs)
            raise RuntimeError(ctx.refusal)
        rows = g.reshape((-1, ctx.shape[1]))
        if ctx.scale is not None:
            rows = rows * ctx.scale
        if isinstance(rows, Node):
            return ScatterAdd.apply(rows, ctx.idx, ctx.shape), None, None, None, None
        out = np.zeros(ctx.shape, dtype=rows.dtype)
        np.add.at(out, ctx.idx, rows)
        if ctx.sparse_rows is not None:
            return row_grad(out, ctx.sparse_rows), None, None, None, None
        return out, None, None, None, None


def _sparse_rows(sparse: bool, w: Tensor, flat: np.ndarray, padding_idx: int | None) -> Any:
    """The rows a sparse gradient of ``w`` would hold (None for a dense one): the looked-up
    rows but padding_idx's. Recorded for a leaf weight only (what optimizers see as .grad)."""
    if not sparse or not w.requires_grad or w._ctx is not None:
        return None
    if padding_idx is not None:
        flat = flat[flat != padding_idx]
    return np.unique(flat)


def _renorm_(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale the looked-up rows whose norm exceeds max_norm down to it, in place (no grad)."""
    rows = np.unique(idx)
    w = weight._data
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
    row's gradient by how often it occurs in the batch. ``sparse=True``: the gradient is still
    dense (zero outside the looked-up rows); a leaf weight's ``.grad`` records which rows it
    holds, for ``optim.SparseAdam`` and ``optim.Adagrad`` (see ``autograd.row_grad``)."""
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
    refusal = None
    if sparse and scale_grad_by_freq:
        refusal = "embedding_backward: scale_grad_by_freq not supported with sparse gradients"
    return _Embedding.apply(w, idx, scale, _sparse_rows(sparse, w, flat, padding_idx), refusal)


def _bags(idx: np.ndarray, offsets: Any, include_last_offset: bool, op: str) -> tuple:
    """(flat indices, the bag of each, number of bags) for 2-d input or 1-d input + offsets."""
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError(
                f"{op}: if input is 2D, then offsets has to be None, as input is treated as a "
                f"mini-batch of fixed length sequences; got offsets of type "
                f"{type(offsets).__name__}"
            )
        nb, length = idx.shape
        return idx.reshape(-1), np.repeat(np.arange(nb), length), nb
    if idx.ndim != 1:
        raise ValueError(f"{op}: input has to be 1D or 2D, got input of shape {idx.shape}")
    if offsets is None:
        raise ValueError(f"{op}: with 1D input, offsets has to be a 1D tensor but got None")
    off = _indices(offsets, op + " offsets")
    if off.ndim != 1:
        raise ValueError(f"{op}: offsets has to be a 1D tensor, got shape {off.shape}")
    if include_last_offset and off.size < 1:
        raise ValueError(f"{op}: include_last_offset=True needs at least one offset")
    if off.size and off[0] != 0:
        raise RuntimeError(
            f"{op}: offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to "
            f"start from position 0; got {int(off[0])}"
        )
    if off.size and off[-1] > idx.size:  # the closing offset too (include_last_offset)
        raise RuntimeError(
            f"{op}: offsets[-1] can not be greater than input's length {idx.size} but got "
            f"offsets[-1] of {int(off[-1])}"
        )
    if include_last_offset:
        off = off[:-1]
    if np.any(np.diff(off) < 0):
        raise ValueError(f"{op}: offsets must be non-decreasing, got {off.tolist()}")
    nb = int(off.size)
    # bag i holds input[offsets[i]:offsets[i+1]]; the last bag runs to the end of input (as
    # PyTorch, also with include_last_offset, whose final offset only counts the bags)
    bag = np.searchsorted(off, np.arange(idx.size), side="right") - 1
    return idx, bag, nb


def embedding_bag(
    input: Any,
    weight: Any,
    offsets: Any = None,
    max_norm: float | None = None,
    norm_type: float = 2,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Any = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    """Sums, means or maxima of bags of rows of ``weight`` (num_embeddings, embedding_dim),
    as ``torch.nn.functional.embedding_bag``; result (number of bags, embedding_dim).

    Bags: the rows of a 2-d ``input`` (B, N), or, for a 1-d ``input``, the pieces
    ``input[offsets[i]:offsets[i+1]]`` (the last to the end; with ``include_last_offset`` the
    final offset closes the last bag and is not a bag of its own). Entries equal to
    ``padding_idx`` are left out of their bag (and out of a mean's count); an empty bag gives
    zeros. ``per_sample_weights`` (input's shape, mode='sum' only) weights each entry and gets
    a gradient too. ``mode='max'`` takes the maximum per coordinate; its gradient goes to the
    first entry holding it. ``max_norm`` renormalises the looked-up rows in place first.
    ``sparse=True`` (not with mode='max') records the gradient's rows as ``embedding`` does."""
    op = "embedding_bag"
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"{op}: mode has to be one of sum, mean or max, got {mode!r}")
    idx = _indices(input, op)
    w = as_tensor(weight, op, "weight")
    if w.ndim != 2:
        raise ValueError(f"{op}: weight must be 2-d, got weight of shape {tuple(w.shape)}")
    if sparse and mode == "max":
        raise ValueError(f"{op}: max mode does not support sparse weights")
    if scale_grad_by_freq:
        if mode == "max":
            raise ValueError(
                f"{op}: max mode does not support scaling the gradient by the frequency"
            )
        raise NotImplementedError(
            f"{op}: scale_grad_by_freq is not supported (PyTorch's CPU gradient for it does not "
            f"divide by each index's frequency; use scale_grad_by_freq=False)"
        )
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            f"{op}: per_sample_weights was not None. per_sample_weights is only supported for "
            f"mode='sum' (got mode={mode!r})"
        )
    n = w.shape[0]
    flat, bag, nb = _bags(idx, offsets, include_last_offset, op)
    if flat.size and (flat.min() < 0 or flat.max() >= n):
        bad = flat.min() if flat.min() < 0 else flat.max()
        raise IndexError(
            f"{op}: index {int(bad)} is out of range for num_embeddings={n} (weight of shape "
            f"{tuple(w.shape)}, input of shape {idx.shape})"
        )
    psw = None
    if per_sample_weights is not None:
        psw = as_tensor(per_sample_weights, op, "per_sample_weights")
        if tuple(psw.shape) != idx.shape:
            raise ValueError(
                f"{op}: per_sample_weights must have the input's shape {idx.shape}, got "
                f"{tuple(psw.shape)}"
            )
        if psw.dtype != w.dtype:
            raise TypeError(
                f"{op}: per_sample_weights ({psw.dtype}) must have weight's dtype ({w.dtype})"
            )
        psw = psw.reshape(-1)
    keep = np.arange(flat.size)
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise ValueError(f"{op}: padding_idx {padding_idx} must be within num_embeddings={n}")
        keep = np.flatnonzero(flat != padding_idx % n)
    if max_norm is not None:  # every looked-up row, padding_idx's included (as torch)
        _renorm_(w, flat, float(max_norm), float(norm_type))
    flat, bag = flat[keep], bag[keep]
    dim = w.shape[1]
    if mode == "max":
        return _bag_max(w, flat, bag, nb)
    rows = _Embedding.apply(w, flat, None, _sparse_rows(sparse, w, flat, None))  # (entries, dim)
    if psw is not None:
        rows = rows * psw[keep].unsqueeze(1)
    if mode == "mean":
        counts = np.bincount(bag, minlength=nb)
        rows = rows * (1.0 / counts[bag]).astype(w.dtype)[:, None]
    full = np.broadcast_to(bag[:, None], (bag.size, dim))
    return ScatterAdd.apply(rows, (full, np.arange(dim)[None, :]), (nb, dim))


def _bag_max(w: Tensor, flat: np.ndarray, bag: np.ndarray, nb: int) -> Tensor:
    """Per bag and coordinate, the value of the first entry holding the bag's maximum (a NaN
    entry, if any); an empty bag gives zeros."""
    dim = w.shape[1]
    cols = np.arange(dim)[None, :]
    nonempty = np.bincount(bag, minlength=nb) > 0
    first = np.zeros((nb, dim), dtype=np.intp)
    if flat.size:
        vals = w._data[flat]  # (entries, dim), in bag order
        starts = np.searchsorted(bag, np.arange(nb)[nonempty])
        best = np.maximum.reduceat(vals, starts, axis=0)[np.cumsum(nonempty)[bag] - 1]
        hit = (vals == best) | (np.isnan(vals) & np.isnan(best))
        pos = np.where(hit, np.arange(flat.size)[:, None], flat.size)
        first[nonempty] = np.minimum.reduceat(pos, starts, axis=0)
    rows = flat[first] if flat.size else first  # the row of weight behind each output entry
    out = w[rows, cols]
    if nonempty.all():
        return out
    return autograd.where(nonempty[:, None], out, np.zeros((), dtype=w.dtype))


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
        raise ShapeError(
            f"{op}: class value {int(idx.max())} is out of range for num_classes={num_classes}"
        )
    out = np.zeros(idx.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, idx[..., None].astype(np.intp), 1, axis=-1)
    return Tensor(out)
