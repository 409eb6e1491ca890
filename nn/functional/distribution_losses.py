"""Losses between a predicted distribution over classes and a target: cross_entropy (on
logits, fused with the softmax), nll_loss (on log-probabilities) and kl_div.

The class axis is axis 1 for inputs of 2 or more dims ((N, C) or (N, C, d1, ...), the
notes' pixel-wise cross-entropy) and axis 0 for a single sample (C,), as in PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Function, Tensor, dual, where
from autograd.function import Context
from autograd.grad_fn import present_as
from autograd.node import Node

from ._losses_common import (
    as_input,
    as_target,
    check_reduction,
    checked_reduction,
    find_bad,
    input_and_target,
    legacy_reduction,
    promoted_for,
)
from ._losses_common import reduce as apply_reduction  # ``reduce`` is also a loss argument


def _log_softmax(z: Any, axis: int) -> Any:
    """log S(z) along ``axis``, shifted by the maximum (the notes' stable softmax); runs on
    ndarrays and on Tensors alike."""
    top = (z._data if isinstance(z, Node) else z).max(axis=axis, keepdims=True)
    shifted = z - top
    return shifted - dual.log(dual.exp(shifted).sum(axis=axis, keepdims=True))


class SoftmaxCrossEntropy(Function):
    """Per sample -sum_c q_c log S(z)_c over the class axis, for a target distribution q
    (already weighted and smoothed).

    d/dz = (sum_c q_c) S - q, the notes' S - y for a one-hot y; d/dq = -log S.
    """

    @staticmethod
    def forward(ctx: Context, z: Any, q: Any, axis: int) -> Any:
        logp = _log_softmax(z, axis)
        ctx.save_for_backward(z, q)
        ctx.logp, ctx.axis = logp, axis
        if (z == -np.inf).any():  # a masked class (logit -inf, S = 0) with q = 0 adds 0
            with np.errstate(invalid="ignore"):
                terms = q * logp
            terms[q == 0] = 0
        else:  # logp is finite or nan (from a nan or +inf logit): no warning to silence
            terms = q * logp
        return -terms.sum(axis=axis)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        z, q = ctx.saved_tensors
        axis = ctx.axis
        logp = _log_softmax(z, axis) if isinstance(z, Node) else ctx.logp
        g = g.reshape(z.shape[:axis] + (1,) + z.shape[axis + 1 :])
        need_z, need_q = ctx.needs_input_grad[:2]
        gz = g * (q.sum(axis=axis, keepdims=True) * dual.exp(logp) - q) if need_z else None
        gq = -g * logp if need_q else None
        return gz, gq, None


class IndexCrossEntropy(Function):
    """cross_entropy at class indices in the common case (every target counted, no class
    weights, no smoothing), reduced in the same op: per entry -log S(z)[target], then
    'none', 'sum' or 'mean'. The same numbers as SoftmaxCrossEntropy with a one-hot q, with
    no one-hot array and no separate reduction nodes.

    d/dz = g (S - onehot), g per entry ('none'), g for 'sum', g / n for 'mean'.
    """

    @staticmethod
    def forward(ctx: Context, z: Any, target: np.ndarray, axis: int, reduction: str) -> Any:
        logp = _log_softmax(z, axis)
        at = _label_index(target, axis)
        ctx.save_for_backward(z)
        ctx.logp, ctx.at, ctx.axis, ctx.reduction = logp, at, axis, reduction
        ctx.kept = target.shape[:axis] + (1,) + target.shape[axis:]
        losses = -logp[at]
        if reduction == "none":
            return losses
        total = np.add.reduce(losses, None)
        if reduction == "sum":
            return np.asarray(total)
        return np.asarray(total / np.asarray(target.size, dtype=logp.dtype))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        (z,) = ctx.saved_tensors
        logp, at, reduction = ctx.logp, ctx.at, ctx.reduction
        if reduction == "none":
            g = g.reshape(ctx.kept)
        elif reduction == "mean":
            g = dual.divide(g, np.asarray(math.prod(ctx.kept), dtype=logp.dtype))
        if isinstance(z, Node):  # create_graph: S - onehot as ops on the saved input
            onehot = np.zeros(logp.shape, dtype=logp.dtype)
            onehot[at] = 1
            return g * (dual.exp(_log_softmax(z, ctx.axis)) - onehot), None, None, None
        s = np.exp(logp)
        s[at] -= 1
        return g * s, None, None, None


def _label_index(target: np.ndarray, axis: int) -> tuple:
    """The index that picks, along the class axis ``axis``, the entry at each label."""
    grids: list[Any] = list(np.indices(target.shape, sparse=True))
    grids.insert(axis, target)
    return tuple(grids)


def _class_axis(op: str, x: Tensor) -> int:
    if x.ndim == 0:
        raise ValueError(f"{op}: input must have a class axis: (C,), (N, C) or (N, C, d1, ...)")
    return 0 if x.ndim == 1 else 1


def _class_weight(op: str, weight: Any, n_classes: int, dtype: Any) -> np.ndarray | None:
    if weight is None:
        return None
    w = np.asarray(weight._data if isinstance(weight, Node) else weight, dtype=dtype)
    if w.shape != (n_classes,):
        raise ValueError(
            f"{op}: weight must have one entry per class, shape ({n_classes},); got "
            f"{tuple(w.shape)}"
        )
    return w


def _index_array(op: str, x: Tensor, target: Any, axis: int) -> np.ndarray:
    """The integer target as an array, checked to have the input's shape without the class
    axis."""
    t = np.asarray(target._data if isinstance(target, Node) else target)
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: target must hold integer class indices, got dtype {t.dtype} "
            "(cross_entropy also takes float class probabilities of the input's shape)"
        )
    expected = x.shape[:axis] + x.shape[axis + 1 :]
    if t.shape != expected:
        raise ValueError(
            f"{op}: target of class indices has shape {tuple(t.shape)}; for input of shape "
            f"{tuple(x.shape)} (class axis {axis}) it must have shape {expected}"
        )
    return t


def _every_target_counted(t: np.ndarray, n_classes: int, ignore_index: int) -> bool:
    """Whether every label is a class in [0, n_classes) that ``ignore_index`` does not skip
    (two reductions, where the general check builds several masks)."""
    if not t.size or 0 <= ignore_index < n_classes:
        return False
    return bool(t.min() >= 0 and t.max() < n_classes)


def _class_indices(op: str, x: Tensor, t: np.ndarray, axis: int, ignore_index: int) -> tuple:
    """The labels ``t`` (see ``_index_array``) with out-of-range ones refused, ignored ones
    replaced by 0, and the mask of entries that count (not ignore_index)."""
    n_classes = x.shape[axis]
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(
            f"{op}: target holds class label {find_bad(bad, t)}, outside [0, {n_classes}) "
            f"for input with C = {n_classes} classes (ignore_index = {ignore_index})"
        )
    return np.where(valid, t, 0), valid


def _index_distribution(
    safe: np.ndarray,
    valid: np.ndarray,
    n_classes: int,
    axis: int,
    w: Any,
    smoothing: float,
    dtype: Any,
) -> tuple[np.ndarray, float]:
    """Class indices as the dense target q of SoftmaxCrossEntropy, plus the divisor of
    PyTorch's 'mean' (the summed weight of the counted targets)."""
    q = (safe[..., None] == np.arange(n_classes)).astype(dtype)  # one-hot along a last axis
    if smoothing:
        q = (1.0 - smoothing) * q + smoothing / n_classes
    if w is not None:
        q *= w
    every = bool(valid.all())
    if not every:
        q *= valid[..., None]
    if w is not None:
        total = float((w[safe] * valid).sum())
    else:
        total = float(valid.size if every else valid.sum())
    return (q if axis == q.ndim - 1 else np.moveaxis(q, -1, axis)), total


def _mean_over(loss: Tensor, total: float, reduction: str) -> Tensor:
    if reduction != "mean":
        return apply_reduction(loss, reduction)
    if total == 0:  # every target ignored: PyTorch's nan loss, with a zero gradient
        return loss.sum() * 0.0 + np.asarray(np.nan, dtype=loss.dtype)
    return loss.sum() / np.asarray(total, dtype=loss.dtype)


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Softmax cross-entropy of logits ``input`` (class axis 1, or 0 for one sample (C,)).

    An integer ``target`` holds class indices (the sparse categorical CE): entries equal to
    ``ignore_index`` are skipped, and 'mean' divides by the summed ``weight`` of the counted
    targets. A float ``target`` of the input's shape holds class probabilities (categorical
    CE); 'mean' divides by the number of samples. ``label_smoothing`` mixes the target with
    the uniform distribution, as PyTorch does. The softmax and the log are fused: stable for
    any logits, with gradient S - y. PyTorch's deprecated ``size_average`` / ``reduce``
    override ``reduction`` when given.
    """
    op = "cross_entropy"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{op}: label_smoothing must be in [0, 1], got {label_smoothing}")
    x = as_input(input)
    axis = _class_axis(op, x)
    n_classes = x.shape[axis]
    w = _class_weight(op, weight, n_classes, x.dtype)
    raw_target = target._data if isinstance(target, Node) else np.asarray(target)
    if raw_target.dtype.kind == "f":
        if ignore_index != -100:  # torch's rule: only its default is allowed here
            raise ValueError(
                f"{op}: ignore_index is not supported for floating point target (class "
                f"probabilities); got ignore_index={ignore_index}"
            )
        return _cross_entropy_probabilities(x, target, axis, w, reduction, label_smoothing)
    t = _index_array(op, x, target, axis)
    if w is None and not label_smoothing and _every_target_counted(t, n_classes, ignore_index):
        out = IndexCrossEntropy.apply(x, t, axis, reduction)
    else:
        safe, valid = _class_indices(op, x, t, axis, ignore_index)
        q, total = _index_distribution(safe, valid, n_classes, axis, w, label_smoothing, x.dtype)
        out = _mean_over(SoftmaxCrossEntropy.apply(x, q, axis), total, reduction)
    present_as(out, _nll_node(x), (("LogSoftmaxBackward0", (x,)),))  # torch: log_softmax, nll
    return out


def _nll_node(x: Tensor) -> str:
    """PyTorch's node for nll_loss: its 2-d kernel serves (N, C, H, W) inputs."""
    return "NllLoss2DBackward0" if x.ndim == 4 else "NllLossBackward0"


def _cross_entropy_probabilities(
    x: Tensor, target: Any, axis: int, w: Any, reduction: str, smoothing: float
) -> Tensor:
    x = promoted_for(x, target)  # as PyTorch (float32 logits, float64 target: float64)
    if w is not None and not isinstance(w, Tensor):
        w = w.astype(x.dtype, copy=False)
    y = as_target(target, x)
    if y.shape != x.shape:
        raise ValueError(
            f"cross_entropy: a float target holds class probabilities and must have the "
            f"input's shape {tuple(x.shape)}; got {tuple(y.shape)} (for class indices pass "
            f"integers)"
        )
    n_classes = x.shape[axis]
    scale = np.ones(n_classes, dtype=x.dtype) if w is None else w
    scale = scale.reshape((n_classes,) + (1,) * (x.ndim - axis - 1))
    q = y * ((1.0 - smoothing) * scale) + (smoothing / n_classes) * scale
    if not isinstance(q, Node) or not q.requires_grad:
        q = q._data if isinstance(q, Node) else q
    loss = SoftmaxCrossEntropy.apply(x, q, axis)
    return _mean_over(loss, x.numel() // max(n_classes, 1), reduction)


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood -w[y] * input[y] of log-probabilities ``input`` at the class
    indices ``target`` (class axis 1, or 0 for one sample). ``ignore_index`` entries are
    skipped; 'mean' divides by the summed weight of the counted targets, as PyTorch
    (whose deprecated ``size_average`` / ``reduce`` override ``reduction`` when given)."""
    op = "nll_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    x = as_input(input)
    axis = _class_axis(op, x)
    w = _class_weight(op, weight, x.shape[axis], x.dtype)
    safe, valid = _class_indices(op, x, _index_array(op, x, target, axis), axis, ignore_index)
    scale = (valid if w is None else w[safe] * valid).astype(x.dtype)
    picked = x[_label_index(safe, axis)]
    with np.errstate(invalid="ignore"):  # an ignored entry may point at log 0 = -inf
        loss = where(valid, -picked * scale, 0.0)
    out = _mean_over(loss, float(scale.sum()), reduction)
    present_as(out, _nll_node(x), (x,))
    return out


def kl_div(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Pointwise KL divergence target * (log target - input) for log-probabilities ``input``
    (with ``log_target``, ``target`` is a log-probability too: exp(t) * (t - input)).

    'mean' averages over all elements (PyTorch's default); 'batchmean' divides the sum by
    the batch size (the first axis), which is the true KL divergence per sample. PyTorch's
    deprecated ``size_average`` / ``reduce`` override ``reduction`` when given.
    """
    op = "kl_div"
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, op, ("mean", "batchmean", "sum", "none"))
    x, t = input_and_target(op, input, target, promote=True)
    if log_target:
        loss = t.exp() * (t - x)
    else:
        # t log t with 0 log 0 = 0: the log sees 1 where t = 0, so nothing is nan
        loss = t * where(t._data == 0, 1.0, t).log() - t * x
    if reduction == "batchmean":
        total = loss.sum()
        return total / x.shape[0] if x.ndim else total
    return apply_reduction(loss, reduction)
