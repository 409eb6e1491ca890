"""Conversions between probabilities and logits (PyTorch's ``distributions.utils``)."""

from __future__ import annotations

from typing import Any

from ..dtypes import finfo
from ..tensor import Tensor


def clamp_probs(probs: Tensor) -> Tensor:
    """Probabilities kept in [eps, 1 - eps] (eps the dtype's resolution), so logs stay
    finite."""
    eps = float(finfo(probs.dtype).eps)
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """Sigmoid of binary logits; softmax over the last axis otherwise."""
    if is_binary:
        return logits.sigmoid()
    return logits.softmax(dim=-1)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """log(p) (and log(p) - log(1 - p) for binary), with p clamped away from 0 and 1."""
    ps = clamp_probs(probs)
    if is_binary:
        return ps.log() - (-ps).log1p()
    return ps.log()


def check_probs_or_logits(probs: Any, logits: Any) -> None:
    """A distribution given by ``probs`` or by ``logits`` takes exactly one of them."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
