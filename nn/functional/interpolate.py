"""``interpolate``: resize the spatial dims of (N, C, *spatial) input (PyTorch's
``F.interpolate``), by nearest neighbour, (bi/tri)linearly, bicubically or by area averaging.

Output sizes are ``size`` or floor(in * scale_factor). Source positions follow PyTorch:
nearest takes floor(i * scale) ('nearest-exact': floor((i + 0.5) * scale)); the linear modes
read position (i + 0.5) * scale - 0.5 (clamped at 0), or i * (in - 1) / (out - 1) with
``align_corners=True``, and mix the two neighbours. Bicubic reads the same positions (not
clamped) and mixes four neighbours (indices clamped into the input) with Keys' cubic
convolution weights, A = -0.75. ``scale`` is 1 / scale_factor when one is given (unless
``recompute_scale_factor``), else in / out. 'area' is adaptive average pooling to the output
size. Every mode is separable: one 1-d resampling per axis. Nearest, linear and bicubic are
gathers of the input, so gradients come from indexing; area is a product with an averaging
matrix. Integer input: nearest modes copy entries (any integer dtype); uint8 images resample
bilinearly or bicubically as PyTorch's uint8 kernel does (``uint8_resampling``); the other
integer cases are refused, as in PyTorch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import DtypeNotImplemented, ShapeError

from .conv import as_tensor
from .pooling import _averaging_matrix
from .uint8_resampling import resample_uint8

# the interpolating modes (align_corners applies) and their number of spatial dims
_LINEAR = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
_NEAREST = ("nearest", "nearest-exact")
_AREA = "area"
_CUBIC_A = -0.75  # PyTorch's (Keys' a = -0.5 is the other common choice)


def _per_axis(value: Any, n: int, what: str) -> list | None:
    if value is None:
        return None
    if isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, str):
        values = list(value)
        if len(values) != n:
            raise ValueError(
                f"interpolate: {what} has {len(values)} entries for {n} spatial dims "
                f"(input of {n + 2} dims)"
            )
        return values
    return [value] * n


def _output_sizes(x: Tensor, size: Any, scale_factor: Any) -> tuple[list[int], list | None]:
    n = x.ndim - 2
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    if size is not None:
        sizes = [int(s) for s in _per_axis(size, n, "size") or []]
        return sizes, None
    scales = [float(s) for s in _per_axis(scale_factor, n, "scale_factor") or []]
    if any(s <= 0 for s in scales):
        raise ValueError(f"interpolate: scale_factor must be positive, got {scale_factor}")
    return [math.floor(d * s) for d, s in zip(x.shape[2:], scales)], scales


def _scale(n_in: int, n_out: int, factor: float | None, align_corners: bool) -> float:
    """How far the source moves per output step (PyTorch's area_pixel_compute_scale)."""
    if align_corners:
        return (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    return 1.0 / factor if factor is not None else n_in / n_out


def _nearest_axis(x: Tensor, axis: int, n_out: int, factor: float | None, exact: bool) -> Tensor:
    n_in = x.shape[axis]
    i = np.arange(n_out, dtype=np.float32)
    # float32 arithmetic, as PyTorch's kernel (its scale is a float)
    scale = np.float32(1.0 / factor) if factor is not None else np.float32(n_in) / np.float32(n_out)
    if exact:
        src = np.floor((i + np.float32(0.5)) * scale).astype(np.int64)
    elif n_out == n_in or n_out == 2 * n_in:  # PyTorch's exact shortcuts for these sizes
        src = np.arange(n_out) * n_in // n_out
    else:
        src = np.floor(i * scale).astype(np.int64)
    return x.index_select(axis, np.minimum(src, n_in - 1))


def _linear_axis(x: Tensor, axis: int, n_out: int, scale: float, align_corners: bool) -> Tensor:
    n_in = x.shape[axis]
    i = np.arange(n_out, dtype=np.float64)
    pos = i * scale if align_corners else np.maximum((i + 0.5) * scale - 0.5, 0.0)
    lo = np.minimum(pos.astype(np.int64), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = (pos - lo).astype(x.dtype)
    shape = [1] * x.ndim
    shape[axis] = n_out
    frac = frac.reshape(shape)
    return x.index_select(axis, lo) * (1 - frac) + x.index_select(axis, hi) * frac


def _cubic_weights(t: np.ndarray) -> list[np.ndarray]:
    """Weights of the neighbours at offsets -1, 0, 1, 2 from floor(position), t the
    fractional part: Keys' cubic convolution kernel with A = -0.75."""
    a = _CUBIC_A

    def near(d: np.ndarray) -> np.ndarray:  # |d| <= 1
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d: np.ndarray) -> np.ndarray:  # 1 < |d| < 2
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _cubic_axis(x: Tensor, axis: int, n_out: int, scale: float, align_corners: bool) -> Tensor:
    n_in = x.shape[axis]
    i = np.arange(n_out, dtype=np.float64)
    pos = i * scale if align_corners else (i + 0.5) * scale - 0.5
    start = np.floor(pos)
    shape = [1] * x.ndim
    shape[axis] = n_out
    out: Tensor | None = None
    for k, w in enumerate(_cubic_weights(pos - start)):
        idx = np.clip(start.astype(np.int64) - 1 + k, 0, n_in - 1)
        term = x.index_select(axis, idx) * w.astype(x.dtype).reshape(shape)
        out = term if out is None else out + term
    assert out is not None
    return out


def _area_axis(x: Tensor, axis: int, n_out: int) -> Tensor:
    """Adaptive average pooling of one axis to ``n_out`` cells."""
    m = _averaging_matrix(x.shape[axis], n_out, x.dtype)
    return (x.movedim(axis, -1) @ m.T).movedim(-1, axis)


def interpolate(
    input: Any,  # noqa: A002 (PyTorch's name)
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Resize the spatial dims of ``input`` (N, C, *spatial) to ``size`` or by
    ``scale_factor``; ``mode`` is 'nearest', 'nearest-exact', 'area' (adaptive average
    pooling), 'linear' (3-d input), 'bilinear' or 'bicubic' (4-d) or 'trilinear' (5-d)."""
    x = as_tensor(input, "interpolate")
    if mode not in _NEAREST and mode not in _LINEAR and mode != _AREA:
        raise NotImplementedError(
            f"interpolate: mode {mode!r} is not supported (nearest, nearest-exact, area, "
            "linear, bilinear, bicubic, trilinear)"
        )
    if mode in _LINEAR and x.ndim != _LINEAR[mode] + 2:
        raise ValueError(
            f"interpolate: mode {mode!r} needs a {_LINEAR[mode] + 2}-d input, got shape "
            f"{tuple(x.shape)}"
        )
    if x.ndim < 3:
        raise ValueError(
            f"interpolate: expected (N, C, *spatial) input, got shape {tuple(x.shape)}"
        )
    if mode not in _LINEAR and align_corners is not None:
        raise ValueError(
            "interpolate: align_corners can only be set with the interpolating modes: "
            "linear | bilinear | bicubic | trilinear"
        )
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    sizes, factors = _output_sizes(x, size, scale_factor)
    if any(s < 1 for s in sizes):
        raise ShapeError(f"interpolate: output sizes must be positive, got {sizes}")
    if recompute_scale_factor:
        factors = None  # index by in / out, as the sizes were computed
    if x.dtype.kind in "iub" and mode not in _NEAREST:
        if x.dtype == np.uint8 and mode in ("bilinear", "bicubic"):
            return _uint8_images(x, sizes, factors, mode, bool(align_corners))
        raise DtypeNotImplemented(
            f"interpolate: mode {mode!r} is not implemented for dtype {x.dtype} (PyTorch "
            f"takes floating tensors, and uint8 images in 'bilinear' and 'bicubic'); convert "
            f"with .float()"
        )
    out = x
    for k, n_out in enumerate(sizes):
        axis = k + 2
        factor = None if factors is None else factors[k]
        if mode in _NEAREST:
            out = _nearest_axis(out, axis, n_out, factor, mode == "nearest-exact")
        elif mode == _AREA:
            out = _area_axis(out, axis, n_out)
        else:
            scale = _scale(x.shape[axis], n_out, factor, bool(align_corners))
            resample = _cubic_axis if mode == "bicubic" else _linear_axis
            out = resample(out, axis, n_out, scale, bool(align_corners))
    return out


def _uint8_images(
    x: Tensor, sizes: list[int], factors: list | None, mode: str, align_corners: bool
) -> Tensor:
    """A uint8 image resized as PyTorch's uint8 kernel does: the float weights of each axis
    (this module's, read off by resampling an identity matrix) applied in fixed point."""
    resample = _cubic_axis if mode == "bicubic" else _linear_axis
    weights: list[np.ndarray | None] = []
    for k, n_out in enumerate(sizes):
        n_in = x.shape[k + 2]
        if n_in == n_out:
            weights.append(None)
            continue
        factor = None if factors is None else factors[k]
        scale = _scale(n_in, n_out, factor, align_corners)
        identity = Tensor(np.eye(n_in, dtype=np.float64))
        weights.append(resample(identity, 1, n_out, scale, align_corners)._data.T)
    return Tensor(resample_uint8(x._data, weights))
