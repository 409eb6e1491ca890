"""Making Tensors: tensor, zeros, ones, full, randn, rand, arange and the *_like forms."""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import get_default_dtype
from .random import default_generator
from .tensor import Tensor, shape_from_args


def _float(dtype: Any) -> Any:
    return get_default_dtype() if dtype is None else dtype


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A new Tensor (a copy of ``data``), with PyTorch's dtype rules."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A Tensor of zeros (default float dtype)."""
    return Tensor(
        np.zeros(shape_from_args(shape), dtype=_float(dtype)), requires_grad=requires_grad
    )


def ones(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A Tensor of ones (default float dtype)."""
    return Tensor(np.ones(shape_from_args(shape), dtype=_float(dtype)), requires_grad=requires_grad)


def full(shape: Any, fill_value: float, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A Tensor filled with ``fill_value`` (default float dtype)."""
    return Tensor(
        np.full(shape_from_args((shape,)), fill_value, dtype=_float(dtype)),
        requires_grad=requires_grad,
    )


def randn(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Standard normal samples from the library's generator (``autograd.manual_seed``)."""
    data = default_generator().standard_normal(shape_from_args(shape)).astype(_float(dtype))
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Uniform samples in [0, 1) from the library's generator."""
    data = default_generator().random(shape_from_args(shape)).astype(_float(dtype))
    return Tensor(data, requires_grad=requires_grad)


def arange(
    start: float,
    stop: float | None = None,
    step: float = 1,
    *,
    requires_grad: bool = False,
    dtype: Any = None,
) -> Tensor:
    """Evenly spaced values in [start, stop); int64 for integer arguments, as PyTorch."""
    if stop is None:
        start, stop = 0, start
    if dtype is None and all(isinstance(v, int) for v in (start, stop, step)):
        dtype = np.int64
    return Tensor(np.arange(start, stop, step, dtype=_float(dtype)), requires_grad=requires_grad)


def zeros_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    """Zeros of ``t``'s shape and dtype."""
    return Tensor(np.zeros_like(t.data), requires_grad=requires_grad)


def ones_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    """Ones of ``t``'s shape and dtype."""
    return Tensor(np.ones_like(t.data), requires_grad=requires_grad)
