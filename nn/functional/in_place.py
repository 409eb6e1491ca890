"""The ``inplace=`` argument of activations and dropouts, with PyTorch's meaning."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import Tensor


def maybe_in_place(x: Any, inplace: bool, op: str, compute: Callable[[Any], Any]) -> Any:
    """``compute(x)``; with ``inplace`` and a Tensor ``x``, that result written into ``x``
    itself and ``x`` returned, as PyTorch's in-place forms (``x.relu_()``): ``x`` takes the
    result's values and history under PyTorch's rules (autograd/inplace.py). A Value is
    immutable, so for it ``inplace`` changes nothing."""
    if inplace and isinstance(x, Tensor):
        return x._inplace(compute, op + "_")
    return compute(x)
