"""Power-average pooling (``lp_pool1d/2d/3d``): (sum over each window of x^p)^(1/p), PyTorch's
definition (through average pooling, so p = 1 is sum pooling and p = inf max pooling)."""

from __future__ import annotations

import math
from typing import Any

from autograd import Tensor

from .pooling import avg_pool1d, avg_pool2d, avg_pool3d

_AVERAGE = {1: avg_pool1d, 2: avg_pool2d, 3: avg_pool3d}


def _lp_pool(
    input: Tensor, norm_type: float, kernel_size: Any, stride: Any, ceil_mode: bool, nd: int
) -> Tensor:
    kernel = tuple(kernel_size) if isinstance(kernel_size, (tuple, list)) else (kernel_size,) * nd
    out = _AVERAGE[nd](input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    # PyTorch's form: sign(out) * relu(|out|) is out, with gradient 0 where out is 0
    return (out.sign() * out.abs().relu() * math.prod(kernel)).pow(1.0 / norm_type)


def lp_pool1d(
    input: Tensor,
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:
    """(sum of x^p over each window)^(1/p) for (N, C, L) or (C, L) input, p = ``norm_type``;
    ``stride`` defaults to ``kernel_size``."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(
    input: Tensor,
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:
    """``lp_pool1d`` over (N, C, H, W) or (C, H, W) input."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(
    input: Tensor,
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:
    """``lp_pool1d`` over (N, C, D, H, W) or (C, D, H, W) input."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)
