"""Ranking and embedding losses: margin ranking, triplet margin, contrastive and cosine
embedding. Embeddings lie along the last axis: (N, D) for a batch or (D,) for one pair."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from autograd import Tensor, minimum, where

from ._losses_common import (
    as_input,
    as_target,
    check_labels,
    check_reduction,
    check_same_shape,
    checked_reduction,
)
from ._losses_common import reduce as apply_reduction  # ``reduce`` is also a loss argument

_COSINE_EPS = 1e-12  # PyTorch's, added to each squared norm in cosine_embedding_loss


def _embeddings(op: str, names: tuple[str, ...], *xs: Any) -> list[Tensor]:
    """The inputs as Tensors of one shape with an embedding axis."""
    ts = [as_input(x) for x in xs]
    for name, t in zip(names[1:], ts[1:]):
        check_same_shape(op, ts[0], t, (names[0], name))
    if ts[0].ndim == 0:
        raise ValueError(f"{op}: {names[0]} needs an embedding axis: (D,) or (N, D)")
    return ts


def _pair_target(op: str, target: Any, like: Tensor, allowed: tuple[float, float]) -> Tensor:
    """A per-pair label Tensor of shape ``like.shape[:-1]``, checked against ``allowed``."""
    y = as_target(target, like)
    expected = like.shape[:-1]
    if y.shape != expected:
        raise ValueError(
            f"{op}: target has shape {tuple(y.shape)}; for embeddings of shape "
            f"{tuple(like.shape)} it must "
            f"have one label per pair, shape {expected}"
        )
    check_labels(op, y._data, allowed)
    return y


def margin_ranking_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, -target * (input1 - input2) + margin): target 1 asks input1 to rank higher,
    -1 asks input2 to (PyTorch's deprecated ``size_average`` / ``reduce`` override
    ``reduction`` when given)."""
    op = "margin_ranking_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    x1, x2 = as_input(input1), as_input(input2)
    y = as_target(target, x1)
    check_same_shape(op, x1, x2, ("input1", "input2"))
    check_same_shape(op, x1, y, ("input1", "target"))
    check_labels(op, y._data, (1.0, -1.0))
    return apply_reduction((margin - y * (x1 - x2)).clip(min=0.0), reduction)


def _distance(a: Tensor, b: Tensor, p: float, eps: float) -> Tensor:
    """PyTorch's pairwise_distance: the p-norm of a - b + eps over the last axis."""
    v = a - b + eps
    if p == 2:
        return (v * v).sum(axis=-1).sqrt()
    if p == 1:
        return v.abs().sum(axis=-1)
    if math.isinf(p):
        return v.abs().amax(dim=-1)
    return (v.abs() ** p).sum(axis=-1) ** (1.0 / p)


def _squared_distance(a: Tensor, b: Tensor) -> Tensor:
    v = a - b
    return (v * v).sum(axis=-1)


def triplet_margin_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    squared: bool = False,
) -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin) per triplet.

    d is PyTorch's pairwise distance (the p-norm of the difference plus ``eps``);
    ``squared=True`` uses the notes' squared Euclidean distance ||a - b||^2 instead (p must
    be 2; no eps is needed). ``swap`` uses min(d(a, n), d(p, n)) as the negative distance.
    PyTorch's deprecated ``size_average`` / ``reduce`` override ``reduction`` when given.
    """
    op = "triplet_margin_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    if not margin > 0:
        raise ValueError(f"{op}: margin must be greater than 0, got {margin}")
    if not p > 0:
        raise ValueError(f"{op}: p must be positive, got {p}")
    if squared and p != 2:
        raise ValueError(f"{op}: squared=True uses squared Euclidean distances, so p must be 2")
    a, pos, neg = _embeddings(op, ("anchor", "positive", "negative"), anchor, positive, negative)

    def dist(u: Tensor, v: Tensor) -> Tensor:
        return _squared_distance(u, v) if squared else _distance(u, v, p, eps)

    d_neg = dist(a, neg)
    if swap:
        d_neg = minimum(d_neg, dist(pos, neg))
    return apply_reduction((dist(a, pos) - d_neg + margin).clip(min=0.0), reduction)


def triplet_margin_with_distance_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    *,
    distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin) per triplet, d = ``distance_function`` (PyTorch's
    pairwise distance when None); ``swap`` uses min(d(a, n), d(p, n)) as the negative
    distance."""
    op = "triplet_margin_with_distance_loss"
    check_reduction(reduction, op)
    if not margin > 0:
        raise ValueError(f"{op}: margin must be greater than 0, got {margin}")
    a, pos, neg = (as_input(x) for x in (anchor, positive, negative))
    if not (a.ndim == pos.ndim == neg.ndim):
        raise ValueError(
            f"{op}: the anchor, positive and negative tensors are expected to have the same "
            f"number of dimensions, got {a.ndim}, {pos.ndim} and {neg.ndim}"
        )
    dist = distance_function or (lambda u, v: _distance(u, v, 2.0, 1e-6))
    d_neg = dist(a, neg)
    if swap:
        d_neg = minimum(d_neg, dist(pos, neg))
    return apply_reduction((dist(a, pos) - d_neg + margin).clip(min=0.0), reduction)


def contrastive_loss(
    x1: Any, x2: Any, target: Any, margin: float = 1.0, reduction: str = "mean"
) -> Tensor:
    """0.5 * (y d^2 + (1 - y) max(0, margin - d)^2) per pair, d = ||x1 - x2|| over the last
    axis, y = 1 for a similar pair and 0 for a dissimilar one; 'mean' is the notes'
    1/(2N) sum. The gradient at d = 0 is 0 (d^2 needs no square root; the margin term's
    direction is undefined there and taken as 0)."""
    op = "contrastive_loss"
    check_reduction(reduction, op)
    a, b = _embeddings(op, ("x1", "x2"), x1, x2)
    y = _pair_target(op, target, a, (1.0, 0.0))
    sq = _squared_distance(a, b)
    apart = sq._data > 0
    # the square root only ever sees positive numbers, so its derivative is never inf * 0
    d = where(apart, where(apart, sq, 1.0).sqrt(), 0.0)
    short = (margin - d).relu()
    return apply_reduction(0.5 * (y * sq + (1 - y) * short * short), reduction)


def cosine_embedding_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """1 - cos(x1, x2) for target 1, max(0, cos(x1, x2) - margin) for target -1 (PyTorch's,
    with its 1e-12 added to each squared norm; its deprecated ``size_average`` / ``reduce``
    override ``reduction`` when given)."""
    op = "cosine_embedding_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    a, b = _embeddings(op, ("input1", "input2"), input1, input2)
    y = _pair_target(op, target, a, (1.0, -1.0))
    dot = (a * b).sum(axis=-1)
    norms = (((a * a).sum(axis=-1) + _COSINE_EPS) * ((b * b).sum(axis=-1) + _COSINE_EPS)).sqrt()
    cos = dot / norms
    return apply_reduction(where(y._data == 1, 1 - cos, (cos - margin).clip(min=0.0)), reduction)
