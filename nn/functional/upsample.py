"""PyTorch's deprecated resizing functions, still called by older segmentation code (PSPNet-
and FCN-style heads' ``F.upsample(x, size, mode='bilinear')``): each warns as PyTorch does
and is ``interpolate`` with its mode."""

from __future__ import annotations

import warnings
from typing import Any

from autograd import Tensor

from .interpolate import interpolate


def _deprecated(name: str) -> None:
    warnings.warn(
        f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` instead.",
        UserWarning,
        stacklevel=3,
    )


def upsample(
    input: Any,  # noqa: A002 (PyTorch's name)
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
) -> Tensor:
    """``interpolate(input, size, scale_factor, mode, align_corners)``, with PyTorch's
    deprecation warning."""
    _deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(
    input: Any,  # noqa: A002 (PyTorch's name)
    size: Any = None,
    scale_factor: Any = None,
) -> Tensor:
    """Nearest-neighbour ``interpolate``, with PyTorch's deprecation warning."""
    _deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(
    input: Any,  # noqa: A002 (PyTorch's name)
    size: Any = None,
    scale_factor: Any = None,
) -> Tensor:
    """Bilinear ``interpolate`` with ``align_corners=True``, with PyTorch's deprecation
    warning."""
    _deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
