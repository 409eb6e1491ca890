"""Two-class losses: binary cross-entropy on probabilities and on logits, and the hinge loss.

Each takes Tensors, or a Value / list of Values (then it returns a Value).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, overload

import numpy as np

from autograd import Function, Tensor, Value, dual
from autograd.dtypes import torch_name
from autograd.function import Context
from autograd.node import Node

from ._losses_common import check_labels, elementwise_loss, find_bad, legacy_reduction

_LOG_FLOOR = -100.0  # PyTorch clamps BCE's logs here, so p = 0 or 1 costs 100, not inf
_EPS = 1e-12  # PyTorch's floor for p (1 - p) in the BCE gradient


def _clamped_log(p: Any) -> Any:
    """max(log p, -100)."""
    if isinstance(p, Node):
        return p.log().clip(min=_LOG_FLOOR)
    if type(p) is float:
        return math.log(p) if p > 0 else _LOG_FLOOR if p == 0 else math.nan
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(p), _LOG_FLOOR)


def _clamped_log1m(p: Any) -> Any:
    """max(log(1 - p), -100), accurate for small p."""
    if isinstance(p, Node):
        return (1 - p).log().clip(min=_LOG_FLOOR)
    if type(p) is float:
        return math.log1p(-p) if p < 1 else _LOG_FLOOR if p == 1 else math.nan
    with np.errstate(divide="ignore"):
        return np.maximum(np.log1p(-p), _LOG_FLOOR)


def _clamp_min(v: Any, lo: float) -> Any:
    if isinstance(v, Node):
        return v.clip(min=lo)
    if type(v) is float:
        return max(v, lo)
    return np.maximum(v, lo)


def _weighted(loss: Any, w: Any) -> Any:
    return loss if w is None else loss * w


class BinaryCrossEntropy(Function):
    """-w [y log p + (1 - y) log(1 - p)] with the logs clamped at -100 (PyTorch's).

    d/dp = w (p - y) / max(p (1 - p), 1e-12); d/dy = w [log(1 - p) - log p] (clamped logs).
    """

    @staticmethod
    def forward(ctx: Context, p: Any, y: Any, w: Any) -> Any:
        ctx.save_for_backward(p, y)
        ctx.w = w
        return _weighted(-(y * _clamped_log(p) + (1 - y) * _clamped_log1m(p)), w)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        p, y = ctx.saved_tensors
        g = _weighted(g, ctx.w)
        need_p, need_y = ctx.needs_input_grad[:2]
        gp = g * (p - y) / _clamp_min(p * (1 - p), _EPS) if need_p else None
        gy = g * (_clamped_log1m(p) - _clamped_log(p)) if need_y else None
        return gp, gy, None


def _check_probabilities(p: np.ndarray, y: np.ndarray) -> None:
    for name, values in (("input", p), ("target", y)):
        bad = ~((values >= 0) & (values <= 1))
        if bad.any():
            hint = " (apply sigmoid first, or use binary_cross_entropy_with_logits)"
            raise ValueError(
                f"binary_cross_entropy: {name} must hold probabilities in [0, 1]; found "
                f"{find_bad(bad, values)}" + (hint if name == "input" else "")
            )


@overload
def binary_cross_entropy(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor: ...
@overload
def binary_cross_entropy(
    input: Value,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Value: ...
@overload
def binary_cross_entropy(
    input: Sequence[Value],
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: Literal["mean", "sum"] = "mean",
) -> Value: ...
@overload
def binary_cross_entropy(
    input: Sequence[Value],
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    *,
    reduction: Literal["none"],
) -> list[Value]: ...
@overload
def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Any: ...
def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Any:
    """-w [y log p + (1 - y) log(1 - p)] for probabilities p = input in [0, 1].

    The logs are clamped at -100 (PyTorch's), so p = 0 or 1 gives a finite loss. ``weight``
    rescales each element (it broadcasts to the input's shape) and is a constant. PyTorch's
    deprecated ``size_average`` / ``reduce`` override ``reduction`` when given.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if (
        isinstance(input, Tensor)
        and isinstance(target, Tensor)
        and target.dtype.kind == "f"
        and target.dtype != input.dtype
    ):
        # (PyTorch's message: its mixed-dtype rule differs from the other losses')
        raise RuntimeError(
            f"binary_cross_entropy: Found dtype {torch_name(target.dtype)} but expected "
            f"{torch_name(input.dtype)} (the target must have the input's dtype)"
        )
    return elementwise_loss(
        "binary_cross_entropy",
        BinaryCrossEntropy.apply,
        input,
        target,
        reduction,
        constants=(("weight", weight),),
        check=_check_probabilities,
    )


class BCEWithLogits(Function):
    """w [pw y softplus(-z) + (1 - y) softplus(z)]: BCE of sigmoid(z), without computing it.

    d/dz = w [(1 - y) sigmoid(z) - pw y sigmoid(-z)], which is w (sigmoid(z) - y) when
    pos_weight pw = 1; d/dy = w [(pw - 1) softplus(-z) - z].
    """

    @staticmethod
    def forward(ctx: Context, z: Any, y: Any, w: Any, pw: Any) -> Any:
        ctx.save_for_backward(z, y)
        ctx.w, ctx.pw = w, pw
        neg = dual.softplus(-z)  # -log sigmoid(z)
        pos = neg + z  # -log(1 - sigmoid(z))
        hit = y * neg if pw is None else pw * y * neg
        return _weighted(hit + (1 - y) * pos, w)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        z, y = ctx.saved_tensors
        pw = ctx.pw
        g = _weighted(g, ctx.w)
        need_z, need_y = ctx.needs_input_grad[:2]
        gz = gy = None
        if need_z:
            if pw is None:
                gz = g * (dual.sigmoid(z) - y)
            else:
                gz = g * ((1 - y) * dual.sigmoid(z) - pw * y * dual.sigmoid(-z))
        if need_y:
            gy = -g * z if pw is None else g * ((pw - 1) * dual.softplus(-z) - z)
        return gz, gy, None, None


@overload
def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Tensor: ...
@overload
def binary_cross_entropy_with_logits(
    input: Value,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Value: ...
@overload
def binary_cross_entropy_with_logits(
    input: Sequence[Value],
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: Literal["mean", "sum"] = "mean",
    pos_weight: Any = None,
) -> Value: ...
@overload
def binary_cross_entropy_with_logits(
    input: Sequence[Value],
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    *,
    reduction: Literal["none"],
    pos_weight: Any = None,
) -> list[Value]: ...
@overload
def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Any: ...
def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Any:
    """Binary cross-entropy of sigmoid(input), computed from the logits (stable for any |z|).

    ``pos_weight`` multiplies the positive term (one entry per class, broadcast along the
    last axis); ``weight`` rescales each element. Both are constants. The gradient with
    respect to the logits is sigmoid(z) - y (times the weights). PyTorch's deprecated
    ``size_average`` / ``reduce`` override ``reduction`` when given.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    loss = elementwise_loss(
        "binary_cross_entropy_with_logits",
        BCEWithLogits.apply,
        input,
        target,
        reduction,
        constants=(("weight", weight), ("pos_weight", pos_weight)),
    )
    if isinstance(target, Tensor) and target.dtype.kind == "f" and loss.dtype != target.dtype:
        # PyTorch's loss of logits and a floating target of other dtypes is in the target's
        # dtype (the logits' gradient stays in theirs)
        loss = loss.to(target.dtype)
    return loss


@overload
def hinge_loss(
    input: Tensor, target: Any, margin: float = 1.0, reduction: str = "mean"
) -> Tensor: ...
@overload
def hinge_loss(
    input: Value, target: Any, margin: float = 1.0, reduction: str = "mean"
) -> Value: ...
@overload
def hinge_loss(
    input: Sequence[Value],
    target: Any,
    margin: float = 1.0,
    reduction: Literal["mean", "sum"] = "mean",
) -> Value: ...
@overload
def hinge_loss(
    input: Sequence[Value], target: Any, margin: float = 1.0, *, reduction: Literal["none"]
) -> list[Value]: ...
@overload
def hinge_loss(input: Any, target: Any, margin: float = 1.0, reduction: str = "mean") -> Any: ...
def hinge_loss(input: Any, target: Any, margin: float = 1.0, reduction: str = "mean") -> Any:
    """max(0, margin - target * input) for labels target in {-1, 1} (the SVM loss)."""
    return elementwise_loss(
        "hinge_loss",
        lambda x, y: (margin - y * x).relu(),
        input,
        target,
        reduction,
        check=lambda x, y: check_labels("hinge_loss", y, (1.0, -1.0)),
    )
