"""Margin losses on scores: ``soft_margin_loss``, ``multilabel_soft_margin_loss``,
``hinge_embedding_loss`` and ``multi_margin_loss`` (PyTorch's formulas and shapes)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, where
from autograd.node import Node

from ._losses_common import (
    as_constant,
    as_input,
    checked_reduction,
    input_and_target,
    reduce,
)
from .activations import logsigmoid, softplus


def soft_margin_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """log(1 + exp(-target * input)) per element, for targets +-1 (the logistic loss),
    computed stably as softplus(-target * input) (PyTorch's overflows to inf past
    exp's range; this stays finite)."""
    op = "soft_margin_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    if isinstance(target, Tensor) and target.requires_grad:
        raise ValueError(
            f"{op} is not differentiable with respect to target (as in PyTorch); pass "
            "target.detach()"
        )
    x, y = input_and_target(op, input, target)
    return _reduce(softplus(-(y * x), threshold=float("inf")), reduction)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    return reduce(loss, reduction)


def _hinge(z: Tensor, counted: np.ndarray) -> Tensor:
    """The hinge terms max(0, z) of the multi-class margin losses where ``counted``: a term
    counts where z > 0 only, so nan (from nan or inf scores) adds nothing, as torch's."""
    return where(counted & (z._data > 0), z, 0.0)


def multilabel_soft_margin_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """-(y log sigmoid(x) + (1 - y) log sigmoid(-x)), times ``weight`` (per class), averaged
    over the class axis (the last): one loss per sample, then reduced."""
    op = "multilabel_soft_margin_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    if as_input(input).ndim == 0:
        raise ValueError(f"{op}: input needs a class axis: (C,) or (N, C), got a 0-d input")
    x, y = input_and_target(op, input, target, promote=True)
    loss = -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x))
    if weight is not None:
        w = weight if isinstance(weight, Tensor) and weight.requires_grad else None
        loss = loss * (w if w is not None else as_constant(weight, x.shape, x.dtype, op, "weight"))
    return _reduce(loss.sum(-1) / x.shape[-1], reduction)


def hinge_embedding_loss(
    input: Any,
    target: Any,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """input where target is 1, max(0, margin - input) where target is -1 (input is
    typically a distance); as PyTorch, a target other than +-1 adds both terms."""
    op = "hinge_embedding_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    x, y = input_and_target(op, input, target)
    labels = y._data
    loss = where(labels != 1, (margin - x).clip(min=0.0), 0.0) + where(labels != -1, x, 0.0)
    return _reduce(loss, reduction)


def multi_margin_loss(
    input: Any,
    target: Any,
    p: int = 1,
    margin: float = 1.0,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The multi-class hinge loss: for input (N, C) or (C,) and class indices ``target``
    (N,) or (), sum over j != y of max(0, margin - x[y] + x[j])^p * weight[y], divided by C."""
    op = "multi_margin_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    if p not in (1, 2) or isinstance(p, bool):
        raise ValueError(f"{op}: only p == 1 and p == 2 supported, got p={p!r}")
    x, t = _scores_and_class_indices(op, input, target)
    n, c = (1, x.shape[0]) if x.ndim == 1 else x.shape
    if t.ndim > 1 or t.size != n:
        raise ValueError(
            f"{op}: target of shape {tuple(t.shape)} does not fit input of shape "
            f"{tuple(x.shape)} (expected {n} class indices)"
        )
    if t.size and (t.min() < 0 or t.max() >= c):
        bad = t[(t < 0) | (t >= c)].ravel()[0]
        raise IndexError(f"{op}: target {int(bad)} is out of range for {c} classes")
    w = None
    if weight is not None:
        w = np.asarray(weight._data if isinstance(weight, Node) else weight)
        if w.ndim != 1 or w.shape[0] != c:
            raise ValueError(
                f"{op}: weight must be one-dimensional with one entry per class ({c}), got "
                f"shape {tuple(w.shape)}"
            )
    rows = x.reshape(n, c)
    idx = t.reshape(n).astype(np.int64)
    picked = rows[np.arange(n), idx].reshape(n, 1)  # x[y] per row; its gradient gathers back
    others = np.ones((n, c), dtype=bool)
    others[np.arange(n), idx] = False
    z = _hinge(margin - picked + rows, others)
    h = z if p == 1 else z * z
    if w is not None:
        h = h * w.astype(x.dtype)[idx].reshape(n, 1)
    loss = h.sum(-1) / c
    loss = loss.reshape(t.shape) if reduction == "none" else loss
    return _reduce(loss, reduction)


def multilabel_margin_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The multi-label hinge loss: for input (N, C) or (C,) and ``target`` of the same shape
    holding each sample's label indices (ended by the first -1), the sum over labels j and
    non-labels i of max(0, 1 - (x[j] - x[i])), divided by C."""
    op = "multilabel_margin_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    x, t = _scores_and_class_indices(op, input, target)
    if t.shape != tuple(x.shape):
        raise ValueError(
            f"{op}: inconsistent target size: {tuple(t.shape)} for input of size {tuple(x.shape)}"
        )
    n, c = (1, x.shape[0]) if x.ndim == 1 else x.shape
    labels = t.reshape(n, c).astype(np.int64)
    ended = np.cumsum(labels == -1, axis=1) > 0  # from the first -1 on, nothing counts
    if np.any(((labels < -1) | (labels >= c)) & ~ended):
        raise IndexError(f"{op}: target holds an index out of range for {c} classes")
    counts = np.zeros((n, c), dtype=x.dtype)  # how often each class is listed as a label
    rows = np.nonzero(~ended)[0]
    np.add.at(counts, (rows, labels[~ended]), 1)
    others = counts == 0
    rows_x = x.reshape(n, c)
    weight = counts[:, :, None] * others[:, None, :]
    margins = _hinge(1 - rows_x.unsqueeze(2) + rows_x.unsqueeze(1), weight > 0)  # [n, j, i]
    loss = (margins * Tensor(weight)).sum((1, 2)) / c
    loss = loss.reshape(t.shape[:-1]) if reduction == "none" else loss
    return _reduce(loss, reduction)


def _scores_and_class_indices(op: str, input: Any, target: Any) -> tuple[Tensor, np.ndarray]:  # noqa: A002
    """The (C,) or (N, C) scores as a node and the integer class indices in ``target``, both
    checked, for the multi-class margin losses."""
    x = as_input(input)
    if x.ndim not in (1, 2):
        raise ValueError(
            f"{op}: expected a 1-d (C,) or 2-d (N, C) input, got input of shape {tuple(x.shape)}"
        )
    t = np.asarray(target._data if isinstance(target, Node) else target)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{op}: target must hold integer class indices, got dtype {t.dtype}")
    return x, t
