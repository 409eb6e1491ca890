"""Resampling uint8 images the way PyTorch's uint8 kernel does (``F.interpolate`` of a uint8
tensor in 'bilinear' or 'bicubic' mode): one pass per spatial axis, the last axis first,
each a product with that axis's weights rounded to 16-bit fixed point, the sums rounded
(half up) and clamped to 0..255 before the next pass. Computing in floating point and
rounding once gives values one apart from PyTorch's on a few percent of the pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_MAX_PRECISION = 22  # PyTorch's bound on the fractional bits of the weights
_INT16_LIMIT = 1 << 15


def fixed_point(weights: np.ndarray) -> tuple[np.ndarray, int]:
    """(weights scaled by 2**precision and rounded half away from zero, as int64; precision):
    the most fractional bits (under 22) for which twice the largest weight still fits int16."""
    largest = float(np.abs(weights).max()) if weights.size else 0.0
    precision = 0
    while precision < _MAX_PRECISION and int(0.5 + largest * (1 << (precision + 1))) < _INT16_LIMIT:
        precision += 1
    scaled = weights * (1 << precision)
    return np.trunc(scaled + np.where(weights < 0, -0.5, 0.5)).astype(np.int64), precision


def resample_uint8(data: np.ndarray, axis_weights: Sequence[np.ndarray | None]) -> np.ndarray:
    """``data`` (N, C, *spatial) of uint8 resampled: ``axis_weights[k]`` (out, in) for spatial
    axis k, or None to leave that axis (PyTorch makes no pass where the size is unchanged)."""
    out = data.astype(np.int64)
    for k in reversed(range(len(axis_weights))):
        weights = axis_weights[k]
        if weights is None:
            continue
        ints, precision = fixed_point(weights)
        axis = k + 2
        sums = np.moveaxis(np.moveaxis(out, axis, -1) @ ints.T, -1, axis)
        half = (1 << (precision - 1)) if precision else 0
        out = np.clip((sums + half) >> precision, 0, 255)
    return out.astype(np.uint8)
