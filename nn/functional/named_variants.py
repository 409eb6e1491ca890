"""PyTorch's other names for functional ops: the in-place activations (``F.relu_(x)`` is
``F.relu(x, inplace=True)``) and the pooling forms that always return the indices
(``F.max_pool2d_with_indices(x, 2)`` is ``F.max_pool2d(x, 2, return_indices=True)``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .activations import celu, elu, hardtanh, leaky_relu, relu, selu, threshold
from .pooling import (
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    adaptive_max_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
)
from .stochastic_activations import rrelu


def _in_place(fn: Callable[..., Any]) -> Callable[..., Any]:
    def in_place(input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        return fn(input, *args, inplace=True, **kwargs)

    in_place.__name__ = in_place.__qualname__ = fn.__name__ + "_"
    in_place.__doc__ = f"``{fn.__name__}(input, ..., inplace=True)``: writes into ``input``."
    return in_place


def _with_indices(fn: Callable[..., Any]) -> Callable[..., Any]:
    def with_indices(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("return_indices", None)
        return fn(*args, return_indices=True, **kwargs)

    with_indices.__name__ = with_indices.__qualname__ = fn.__name__ + "_with_indices"
    with_indices.__doc__ = f"``{fn.__name__}(..., return_indices=True)``: (output, indices)."
    return with_indices


relu_ = _in_place(relu)
elu_ = _in_place(elu)
leaky_relu_ = _in_place(leaky_relu)
hardtanh_ = _in_place(hardtanh)
selu_ = _in_place(selu)
celu_ = _in_place(celu)
rrelu_ = _in_place(rrelu)
threshold_ = _in_place(threshold)
max_pool1d_with_indices = _with_indices(max_pool1d)
max_pool2d_with_indices = _with_indices(max_pool2d)
max_pool3d_with_indices = _with_indices(max_pool3d)
adaptive_max_pool1d_with_indices = _with_indices(adaptive_max_pool1d)
adaptive_max_pool2d_with_indices = _with_indices(adaptive_max_pool2d)
adaptive_max_pool3d_with_indices = _with_indices(adaptive_max_pool3d)

__all__ = [
    "relu_",
    "elu_",
    "leaky_relu_",
    "hardtanh_",
    "selu_",
    "celu_",
    "rrelu_",
    "threshold_",
    "max_pool1d_with_indices",
    "max_pool2d_with_indices",
    "max_pool3d_with_indices",
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices",
]
