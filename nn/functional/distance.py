"""Norms of vectors along an axis: ``normalize``, ``cosine_similarity``, ``pairwise_distance``,
``pdist`` (composed from differentiable ops, so they have derivatives of every order)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Function, Tensor, where
from autograd.function import Context

from .conv import as_tensor


def _safe_root(s: Tensor, power: float) -> Tensor:
    """s ** power with gradient 0 (not inf * 0) where s == 0, as PyTorch's norm."""
    zero = s._data == 0
    if not zero.any():
        return s**power
    return where(zero, 0.0, where(zero, 1.0, s) ** power)


def vector_norm(x: Tensor, p: float, dim: Any, keepdim: bool) -> Tensor:
    """The p-norm along ``dim`` (p = inf: the largest absolute value)."""
    if p == 2:
        return _safe_root((x * x).sum(axis=dim, keepdims=keepdim), 0.5)
    if p == 1:
        return abs(x).sum(axis=dim, keepdims=keepdim)
    if p == math.inf:
        return abs(x).amax(dim, keepdim)
    if not p > 0:
        raise ValueError(f"norm: p must be positive, got {p}")
    return _safe_root(_safe_root(abs(x), p).sum(axis=dim, keepdims=keepdim), 1.0 / p)


def normalize(
    input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None
) -> Tensor:
    """input / max(||input||_p, eps) along ``dim``."""
    if out is not None:
        raise ValueError("normalize: out= is not supported")
    x = as_tensor(input, "normalize")
    if x.ndim == 0:
        raise ValueError("normalize: input must have at least one dimension")
    return x / vector_norm(x, p, dim, keepdim=True).clip(eps, None)


def _clamped_norm(x: Tensor, dim: int, eps: float) -> Tensor:
    """max(||x||, eps) in value, with the derivative of ||x|| (straight through the clamp)."""
    n = vector_norm(x, 2, dim, keepdim=True)
    # lifted by a constant where below eps (an infinite norm stays inf: n - n would be nan)
    short = n._data < eps
    if not short.any():
        return n
    return n + np.where(short, eps - n._data, 0.0).astype(n.dtype)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """x1 . x2 / (max(||x1||, eps) max(||x2||, eps)) along ``dim`` of the inputs' common
    broadcast shape (the norms are taken after broadcasting, as PyTorch).

    As PyTorch, the clamp to ``eps`` changes the norms' values only: the gradient flows
    through each norm as if it were not clamped (PyTorch clamps in place under no_grad)."""
    op = "cosine_similarity"
    a, b = as_tensor(x1, op, "x1"), as_tensor(x2, op, "x2")
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
        a, b = a.broadcast_to(shape), b.broadcast_to(shape)
        a_n = a / _clamped_norm(a, dim, eps)
        b_n = b / _clamped_norm(b, dim, eps)
        return (a_n * b_n).sum(axis=dim)
    except ValueError:
        raise ValueError(
            f"{op}: x1 of shape {tuple(a.shape)} and x2 of shape {tuple(b.shape)} do not "
            f"broadcast along dim {dim}"
        ) from None


def pairwise_distance(
    x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """||x1 - x2 + eps||_p over the last axis (inputs broadcast), as PyTorch."""
    op = "pairwise_distance"
    a, b = as_tensor(x1, op, "x1"), as_tensor(x2, op, "x2")
    try:
        diff = a - b + eps
    except ValueError:
        raise ValueError(
            f"{op}: x1 of shape {tuple(a.shape)} and x2 of shape {tuple(b.shape)} do not broadcast"
        ) from None
    if diff.ndim == 0:
        return abs(diff)
    return vector_norm(diff, p, -1, keepdim)


def pdist(input: Any, p: float = 2.0) -> Tensor:  # noqa: A002
    """The p-norm distances between the rows of an (N, M) tensor, for each pair i < j in
    row-major order: a vector of N (N - 1) / 2 (p = 0 counts the differing entries)."""
    x = as_tensor(input, "pdist", "input")
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    if not p >= 0:
        raise RuntimeError(f"pdist only supports non-negative p values, got {p}")
    n = x.shape[0]
    i, j = np.triu_indices(n, 1)
    diff = x[i] - x[j]
    if p == 0:  # a count: in the graph (as PyTorch's), with gradient 0
        # min(ceil|d|, 1) counts a nonzero difference as 1 and lets nan through, as torch
        counts = np.minimum(np.ceil(np.abs(diff._data)), 1).sum(axis=-1).astype(x.dtype)
        return where(np.zeros(diff.shape, dtype=bool), diff, 0.0).sum(-1) + counts
    if p == math.inf:
        return _LargestEach.apply(abs(diff))
    return vector_norm(diff, p, -1, False)


class _LargestEach(Function):
    """The largest entry along the last axis, each entry equal to it receiving the whole
    gradient (PyTorch's pdist with p = inf; amax splits it among ties)."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        top = a.max(axis=-1, initial=0)  # a >= 0 (abs); no entries: 0
        ctx.saved_tensors = ((a == top[..., None]).astype(a.dtype),)
        return top

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (hit,) = ctx.saved_tensors
        return g.reshape(g.shape + (1,)) * hit
