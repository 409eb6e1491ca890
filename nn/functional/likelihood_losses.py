"""Negative log-likelihood losses of two distributions: ``poisson_nll_loss`` (counts) and
``gaussian_nll_loss`` (a mean and a variance per prediction), PyTorch's formulas."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor, where
from autograd.node import Node

from ._losses_common import (
    as_target,
    check_reduction,
    checked_reduction,
    input_and_target,
    reduce,
)


def poisson_nll_loss(
    input: Any,
    target: Any,
    log_input: bool = True,
    full: bool = False,
    size_average: bool | None = None,
    eps: float = 1e-8,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Poisson negative log-likelihood of ``target`` counts with rate ``input``:
    exp(input) - target * input with ``log_input`` (input is the log-rate), else
    input - target * log(input + eps). ``full`` adds Stirling's approximation of log(target!),
    target log(target) - target + 0.5 log(2 pi target), where target > 1 (0 elsewhere)."""
    op = "poisson_nll_loss"
    reduction = checked_reduction(op, size_average, reduce, reduction)
    x, y = input_and_target(op, input, target, promote=True)
    loss = x.exp() - y * x if log_input else x - y * (x + eps).log()
    if full:
        big = y._data > 1
        safe = where(big, y, 1.0)  # the log only ever sees targets > 1 (no log 0, no inf * 0)
        stirling = safe * safe.log() - safe + 0.5 * (2 * math.pi * safe).log()
        loss = loss + where(big, stirling, 0.0)
    return _reduce(loss, reduction)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    return reduce(loss, reduction)


def _variance(op: str, var: Any, x: Tensor) -> Tensor:
    """``var`` checked and shaped as PyTorch's gaussian_nll_loss does: input's shape, or
    input's shape without its last axis (unsqueezed), or input's shape with exactly one axis
    of size 1 (broadcast); a number is used for every entry."""
    if isinstance(var, (int, float, np.floating, np.integer)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError(f"{op}: var has negative entry/entries (var={var})")
        return Tensor(np.full(x.shape, float(var), dtype=x.dtype))
    v = as_target(var, x)
    raw = v._data if isinstance(v, Node) else np.asarray(v)
    if np.any(raw < 0):
        raise ValueError(f"{op}: var has negative entry/entries")
    if v.shape != x.shape:
        if x.shape[:-1] == v.shape:
            v = v.unsqueeze(-1)
        elif v.ndim == x.ndim and sum(b for a, b in zip(x.shape, v.shape) if a != b) == 1:
            pass  # one axis of size 1, broadcast against input
        else:
            raise ValueError(
                f"{op}: var is of incorrect size: var of shape {tuple(v.shape)} for input of "
                f"shape {tuple(x.shape)} (expected the input's shape, the input's shape "
                "without its last axis, or the input's shape with one axis of size 1)"
            )
    return v


def gaussian_nll_loss(
    input: Any,
    target: Any,
    var: Any,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    """Gaussian negative log-likelihood of ``target`` under mean ``input`` and variance
    ``var``: 0.5 (log(max(var, eps)) + (input - target)^2 / max(var, eps)), plus
    0.5 log(2 pi) with ``full``.

    As PyTorch, the clamp at ``eps`` does not stop the gradient: var's gradient is the
    derivative at the clamped value."""
    op = "gaussian_nll_loss"
    x, y = input_and_target(op, input, target, promote=True)
    v = _variance(op, var, x)
    check_reduction(reduction, op)
    # clamp the value only: v + (max(v, eps) - v) passes the gradient straight through
    raw = np.asarray(v._data)
    v = v + Tensor(np.maximum(raw, eps).astype(raw.dtype) - raw)
    loss = 0.5 * (v.log() + (x - y) ** 2 / v)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce(loss, reduction)
