"""Regression losses on the error d = input - target: L1 (MAE), MSE (L2), Huber, smooth L1,
log-cosh. Each takes Tensors, or a Value / list of Values (then it returns a Value)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, overload

import numpy as np

from autograd import Function, Tensor, Value, dual
from autograd.function import Context

from ._losses_common import elementwise_loss, legacy_reduction

_LOG2 = math.log(2.0)


def _absolute_error(x: Any, y: Any) -> Any:
    return (x - y).abs()


def _squared_error(x: Any, y: Any) -> Any:
    d = x - y
    return d * d


def _huber(x: Any, y: Any, delta: float) -> Any:
    # with c = d clipped to [-delta, delta]: 0.5 d^2 inside, delta * (|d| - delta / 2)
    # outside, in one formula made of ops Values and Tensors share. The quadratic part is
    # c * c, not |d| * |d|, so that the second derivative at d = 0 is 1 (abs has none there);
    # at |d| = delta the quadratic branch's derivatives are used, as in PyTorch
    d = x - y
    c = d.clip(-delta, delta)
    return 0.5 * c * c + delta * (d.abs() - c.abs())


@overload
def l1_loss(
    input: Tensor,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor: ...
@overload
def l1_loss(
    input: Value, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Value: ...
@overload
def l1_loss(
    input: Sequence[Value],
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: Literal["mean", "sum"] = "mean",
) -> Value: ...
@overload
def l1_loss(
    input: Sequence[Value],
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    *,
    reduction: Literal["none"],
) -> list[Value]: ...
@overload
def l1_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Any: ...
def l1_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Any:
    """Mean absolute error |input - target| (reduction='sum' gives the notes' L1 loss);
    PyTorch's deprecated ``size_average`` / ``reduce`` override ``reduction`` when given."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    return elementwise_loss("l1_loss", _absolute_error, input, target, reduction)


@overload
def mse_loss(
    input: Tensor,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor: ...
@overload
def mse_loss(
    input: Value, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Value: ...
@overload
def mse_loss(
    input: Sequence[Value],
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: Literal["mean", "sum"] = "mean",
) -> Value: ...
@overload
def mse_loss(
    input: Sequence[Value],
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    *,
    reduction: Literal["none"],
) -> list[Value]: ...
@overload
def mse_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Any: ...
def mse_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Any:
    """Mean squared error (input - target)^2 (reduction='sum' gives the notes' L2 loss);
    PyTorch's deprecated ``size_average`` / ``reduce`` override ``reduction`` when given."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    return elementwise_loss("mse_loss", _squared_error, input, target, reduction)


@overload
def huber_loss(
    input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0
) -> Tensor: ...
@overload
def huber_loss(input: Value, target: Any, reduction: str = "mean", delta: float = 1.0) -> Value: ...
@overload
def huber_loss(
    input: Sequence[Value],
    target: Any,
    reduction: Literal["mean", "sum"] = "mean",
    delta: float = 1.0,
) -> Value: ...
@overload
def huber_loss(
    input: Sequence[Value], target: Any, reduction: Literal["none"], delta: float = 1.0
) -> list[Value]: ...
@overload
def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0) -> Any: ...
def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0) -> Any:
    """0.5 d^2 where |d| < delta, else delta * (|d| - 0.5 delta); d = input - target."""
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    return elementwise_loss(  # in the input's dtype, as PyTorch's
        "huber_loss", lambda x, y: _huber(x, y, delta), input, target, reduction, promote=False
    )


@overload
def smooth_l1_loss(
    input: Tensor,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor: ...
@overload
def smooth_l1_loss(
    input: Value,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Value: ...
@overload
def smooth_l1_loss(
    input: Sequence[Value],
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: Literal["mean", "sum"] = "mean",
    beta: float = 1.0,
) -> Value: ...
@overload
def smooth_l1_loss(
    input: Sequence[Value],
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    *,
    reduction: Literal["none"],
    beta: float = 1.0,
) -> list[Value]: ...
@overload
def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Any: ...
def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Any:
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (Huber / beta; L1 for beta = 0);
    PyTorch's deprecated ``size_average`` / ``reduce`` override ``reduction`` when given."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    if beta == 0:
        return elementwise_loss("smooth_l1_loss", _absolute_error, input, target, reduction)
    return elementwise_loss(
        "smooth_l1_loss", lambda x, y: _huber(x, y, beta) * (1.0 / beta), input, target, reduction
    )


def _log_cosh_raw(d: Any) -> Any:
    # log cosh d = |d| + log(1 + e^(-2|d|)) - log 2: no cosh to overflow for large |d|
    if type(d) is float:
        a = abs(d)
        return a + math.log1p(math.exp(-2.0 * a)) - _LOG2
    a = np.abs(d)
    return a + np.log1p(np.exp(-2.0 * a)) - _LOG2


class LogCosh(Function):
    """log(cosh(d)), stable for large |d|; derivative tanh(d)."""

    @staticmethod
    def forward(ctx: Context, d: Any) -> Any:
        ctx.save_for_backward(d)
        return _log_cosh_raw(d)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (d,) = ctx.saved_tensors
        return g * dual.tanh(d)


@overload
def log_cosh_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor: ...
@overload
def log_cosh_loss(input: Value, target: Any, reduction: str = "mean") -> Value: ...
@overload
def log_cosh_loss(
    input: Sequence[Value], target: Any, reduction: Literal["mean", "sum"] = "mean"
) -> Value: ...
@overload
def log_cosh_loss(
    input: Sequence[Value], target: Any, reduction: Literal["none"]
) -> list[Value]: ...
@overload
def log_cosh_loss(input: Any, target: Any, reduction: str = "mean") -> Any: ...
def log_cosh_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """log(cosh(input - target)): about d^2 / 2 for small errors, |d| - log 2 for large ones."""
    return elementwise_loss(
        "log_cosh_loss", lambda x, y: LogCosh.apply(x - y), input, target, reduction
    )
