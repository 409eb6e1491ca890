"""LeCun, Bottou, Bengio and Haffner's energy criteria (Gradient-Based Learning Applied to
Document Recognition, 1998): the maximum-likelihood criterion on the RBF
output penalties ("energies", lower = better), and its discriminative form with the
constant j that brings in competition between the classes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor

from ._losses_common import as_input, check_reduction, find_bad
from .distribution_losses import _mean_over


def _energies(op: str, energies: Any) -> Tensor:
    e = as_input(energies)
    if e.ndim not in (1, 2):
        raise ValueError(
            f"{op}: energies must have shape (N, C) (one energy per class for each of N "
            f"samples) or (C,) for one sample; got shape {tuple(e.shape)}"
        )
    if e.shape[-1] == 0:
        raise ValueError(f"{op}: energies has no classes (shape {tuple(e.shape)})")
    return e


def _class_indices(op: str, target: Any, e: Tensor) -> np.ndarray:
    t = np.asarray(target._data if isinstance(target, Tensor) else target)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{op}: target must hold integer class indices, got dtype {t.dtype}")
    expected = e.shape[:-1]
    if t.shape != expected:
        raise ValueError(
            f"{op}: target has shape {tuple(t.shape)}; for energies of shape "
            f"{tuple(e.shape)} it must have "
            f"one class index per sample, shape {expected}"
        )
    n_classes = e.shape[-1]
    bad = (t < 0) | (t >= n_classes)
    if bad.any():
        raise IndexError(
            f"{op}: target holds class {find_bad(bad, t)}, outside [0, {n_classes}) for "
            f"energies with C = {n_classes} classes"
        )
    return t.astype(np.int64)


def _constant_j(op: str, j: Any, like: Tensor) -> Tensor | float:
    if isinstance(j, Tensor):
        if j._data.size != 1:
            raise ValueError(
                f"{op}: j must be a single number; got a Tensor of shape {tuple(j.shape)}"
            )
        if not np.isfinite(j._data).all():
            raise ValueError(f"{op}: j must be finite, got {j.data.item()!r}")
        return j.reshape(()) if j.requires_grad else float(j._data.item())
    try:
        value = float(j)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: j must be a number or None, got {type(j).__name__}") from None
    if not math.isfinite(value):
        raise ValueError(f"{op}: j must be finite, got {value!r}")
    return value


def energy_loss(energies: Any, target: Any, j: Any = None, reduction: str = "mean") -> Tensor:
    """E_target + log(e^-j + sum_i e^-E_i) per sample; without ``j`` just E_target.

    ``energies``: ``(N, C)`` penalties y_i(Z^p, W) of each class for each sample (or
    ``(C,)`` for one); ``target``: ``(N,)`` integer indices of the correct classes D^p (or
    a single index). With the default ``reduction='mean'`` the result is the paper's
    criterion E(W) = 1/P sum_p (...); 'sum' and 'none' as for the other losses.

    Without ``j`` this is the maximum-likelihood criterion: there is no competition between
    the classes, and with RBF outputs it has the trivial solution where every energy is 0.
    With ``j`` (a number, or a one-element Tensor, which then gets a gradient too) the
    second term pushes up the energies of the wrong classes: the loss is then a softmax
    cross-entropy on the negated energies with an extra "rubbish" class of energy j. The
    log-sum-exp is shifted by its largest exponent, so energies of any size (1e4 or -1e4)
    give a finite loss and finite gradients. The gradient of one sample's loss with respect
    to E_i is [i = target] - e^-E_i / (e^-j + sum_k e^-E_k).
    """
    op = "energy_loss"
    check_reduction(reduction, op)
    e = _energies(op, energies)
    t = _class_indices(op, target, e)
    if e.ndim == 1:
        correct = e[int(t)]
    else:
        correct = e[np.arange(e.shape[0]), t]
    if j is None:
        return _batch_reduce(correct, reduction)
    jj = _constant_j(op, j, e)
    j_data = jj._data if isinstance(jj, Tensor) else np.asarray(jj)
    # the shift m = max(-j, max_i -E_i) is a constant: it cancels in the exact result
    # (and so in every derivative), and makes each exponent <= 0
    neg = -e._data
    m = np.maximum(neg.max(axis=-1), -j_data).astype(e.dtype)
    rubbish = (-jj - m).exp() if isinstance(jj, Tensor) else np.exp(-jj - m)
    total = (-e - m[..., None]).exp().sum(axis=-1) + rubbish
    return _batch_reduce(correct + m + total.log(), reduction)


def _batch_reduce(per_sample: Tensor, reduction: str) -> Tensor:
    """'mean' | 'sum' | 'none' over the samples; the mean of no samples is nan (PyTorch's)."""
    return _mean_over(per_sample, float(per_sample._data.size), reduction)
