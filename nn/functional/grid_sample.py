"""``affine_grid`` and ``grid_sample``: spatial transformers' sampling (PyTorch's semantics).

A grid holds, for each output location, a point of the input in normalised coordinates: -1 and
1 are the centres of the edge pixels (``align_corners=True``) or their outer edges (False).
Sampling is built from recorded ops (gather, floor, arithmetic), so gradients reach both the
input and the grid, and can be differentiated again.

Where a sample falls exactly on a pixel centre (everywhere, for the identity transform a
spatial transformer starts from) the gradient to the grid is one-sided, and which side is
decided by the last bit of the point. So the grid's points and the source coordinates are
rounded as PyTorch's CPU kernels round them (linspace's fused multiply-add, theta's products
summed left to right, the fused unnormalisation in float64), and the gradients agree.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np

import autograd
from autograd import Tensor
from autograd.creation import _linspace_values
from autograd.fused_multiply_add import fma

from .conv import as_tensor

_MODES = ("bilinear", "nearest")
_PADDINGS = ("zeros", "border", "reflection")


def _align(align_corners: bool | None, op: str) -> bool:
    if align_corners is None:
        warnings.warn(
            f"{op}: the default align_corners is False (since PyTorch 1.3.0); pass "
            "align_corners=True for the old behaviour, or False to silence this warning.",
            UserWarning,
            stacklevel=3,
        )
        return False
    return bool(align_corners)


def _base_coordinates(n: int, align_corners: bool, dtype: np.dtype) -> np.ndarray:
    """Normalised coordinates of ``n`` pixel centres along one axis, computed as PyTorch
    does (its linspace from -1 to 1, scaled by (n - 1) / n when not aligning corners), so
    that they agree to the last bit: grid_sample's gradient to the grid is one-sided where a
    point falls on a pixel centre, which an identity transform does everywhere."""
    if n <= 1:
        return np.zeros(1, dtype)
    points = _linspace_values(-1.0, 1.0, n, np.dtype(dtype))
    if align_corners:
        return points
    return points * dtype.type(n - 1) / dtype.type(n)


def affine_grid(theta: Tensor, size: Any, align_corners: bool | None = None) -> Tensor:
    """The sampling grid of the affine maps ``theta`` (N, 2, 3) for an output of ``size``
    (N, C, H, W), shape (N, H, W, 2); or ``theta`` (N, 3, 4) and ``size`` (N, C, D, H, W),
    shape (N, D, H, W, 3). Each point is ``theta @ [x, y, (z,) 1]``."""
    align = _align(align_corners, "affine_grid")
    theta = as_tensor(theta, "affine_grid", "theta")
    size = tuple(int(s) for s in size)
    if len(size) not in (4, 5):
        raise ValueError(
            f"affine_grid: size must be (N, C, H, W) or (N, C, D, H, W), got {list(size)}"
        )
    d = len(size) - 2
    if theta.dtype.kind != "f":
        raise ValueError(f"affine_grid: theta must be floating point, got {theta.dtype}")
    if theta.ndim != 3 or theta.shape != (size[0], d, d + 1):
        raise ValueError(
            f"affine_grid: expected theta of shape {[size[0], d, d + 1]} for size {list(size)}, "
            f"got {list(theta.shape)}"
        )
    if min(size[2:]) <= 0:
        raise ValueError(f"affine_grid: size's spatial dimensions must be positive: {size}")
    # base[..., k]: x (last axis) first, then y, (z), and a column of ones
    axes = [_base_coordinates(n, align, theta.dtype) for n in size[2:]]
    mesh = np.meshgrid(*axes, indexing="ij")  # each (D,) H, W
    base = np.stack([*reversed(mesh), np.ones_like(mesh[0])], axis=-1).reshape(-1, d + 1)
    # theta @ [x, y, (z,) 1] summed left to right, rounded as torch's affine_grid rounds it
    grid = None
    for k in range(d + 1):
        term = Tensor(base[None, :, k, None]) * theta[:, :, k].unsqueeze(1)  # (N, points, d)
        grid = term if grid is None else grid + term
    assert grid is not None
    return grid.reshape(size[0], *size[2:], d)


def _unnormalise(coord: Tensor, n: int, align: bool) -> Tensor:
    """Pixel coordinates from normalised ones, rounded as PyTorch's CPU kernel rounds them
    (in float64 without aligned corners, (coord + 1) * n / 2 - 0.5 with one rounding of the
    multiply-add), so that points on pixel centres take the same side of them."""
    if align:
        return (coord + 1) * ((n - 1) / 2)
    if coord.dtype != np.float64:
        return ((coord + 1) * n - 1) / 2
    shifted = coord + 1
    x = shifted * (n / 2) - 0.5
    exact = fma(shifted._data, n / 2, -0.5)
    return x + Tensor(exact - x._data)  # at most an ulp apart: the difference is exact


def _reflect(x: Tensor, twice_low: int, twice_high: int) -> Tensor:
    """``x`` reflected back and forth into [twice_low / 2, twice_high / 2]; its derivative is
    +1 or -1 by the parity of the reflections (+1 on a mirror, as torch's)."""
    v = x._data
    if twice_low == twice_high:
        return autograd.where(Tensor(np.zeros(v.shape, bool)), x, 0.0)
    low = twice_low / 2
    span = (twice_high - twice_low) / 2
    below = v - low < 0
    dist = np.abs(v - low)
    extra = np.fmod(dist, span)
    even = np.fmod(np.floor(dist / span), 2) == 0
    value = np.where(even, extra + low, span - extra + low)
    slope = np.where(below, -1.0, 1.0) * np.where(even, 1.0, -1.0)
    return x * Tensor(slope.astype(v.dtype)) + Tensor((value - v * slope).astype(v.dtype))


def _clip(x: Tensor, n: int) -> Tensor:
    """``x`` clipped to [0, n - 1], with derivative 0 on and beyond the bounds (torch's)."""
    v = x._data
    inside = (v > 0) & (v < n - 1)
    return autograd.where(Tensor(inside), x, Tensor(np.clip(v, 0, n - 1)))


def _source_coordinate(coord: Tensor, n: int, padding: str, align: bool) -> Tensor:
    x = _unnormalise(coord, n, align)
    if padding == "reflection":
        x = _reflect(x, 0, 2 * (n - 1)) if align else _reflect(x, -1, 2 * n - 1)
    if padding != "zeros":
        x = _clip(x, n)
    return x


def _gather(flat: Tensor, index: np.ndarray, valid: np.ndarray) -> Tensor:
    """``flat`` (N, C, S) at flat positions ``index`` (N, P) where ``valid``; 0 elsewhere."""
    n, c = flat.shape[:2]
    safe = np.where(valid, index, 0)
    idx = np.broadcast_to(safe[:, None, :], (n, c, safe.shape[1]))
    picked = autograd.gather(flat, 2, Tensor(np.ascontiguousarray(idx)))
    return picked if valid.all() else picked * Tensor(valid[:, None, :].astype(flat.dtype))


def grid_sample(
    input: Tensor,
    grid: Tensor,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
) -> Tensor:
    """Sample ``input`` (N, C, H, W) at the points of ``grid`` (N, Ho, Wo, 2), giving
    (N, C, Ho, Wo); or (N, C, D, H, W) with a grid (N, Do, Ho, Wo, 3). ``grid[..., 0]`` is x
    (width), then y (height) and z (depth), normalised to [-1, 1]. ``mode`` 'bilinear'
    (trilinear for 5-d) or 'nearest'; ``padding_mode`` 'zeros', 'border' or 'reflection'
    says what points outside the input read."""
    if mode not in _MODES:
        raise ValueError(
            f"grid_sample: expected mode to be 'bilinear' or 'nearest', got {mode!r}"
            + (" (bicubic is not supported)" if mode == "bicubic" else "")
        )
    if padding_mode not in _PADDINGS:
        raise ValueError(
            "grid_sample: expected padding_mode to be 'zeros', 'border', or 'reflection', "
            f"but got: {padding_mode!r}"
        )
    align = _align(align_corners, "grid_sample")
    x = as_tensor(input, "grid_sample")
    grid = as_tensor(grid, "grid_sample", "grid")
    if x.ndim not in (4, 5) or grid.ndim != x.ndim:
        raise ValueError(
            "grid_sample: expected a 4-d input with a 4-d grid or a 5-d input with a 5-d grid, "
            f"got input of shape {list(x.shape)} and grid of shape {list(grid.shape)}"
        )
    d = x.ndim - 2
    if grid.shape[-1] != d:
        raise ValueError(
            f"grid_sample: expected grid to have size {d} in last dimension, but got grid with "
            f"sizes {list(grid.shape)}"
        )
    if grid.shape[0] != x.shape[0]:
        raise ValueError(
            "grid_sample: expected grid and input to have same batch size, but got input with "
            f"sizes {list(x.shape)} and grid with sizes {list(grid.shape)}"
        )
    if min(x.shape[2:]) <= 0:
        raise ValueError(f"grid_sample: input's spatial dimensions must be positive: {x.shape}")
    n, c = x.shape[:2]
    sizes = x.shape[2:]  # (D,) H, W
    out_spatial = grid.shape[1:-1]
    points = grid.reshape(n, -1, d)
    # source coordinates per input axis, in the input's axis order (z, y, x)
    coords = [
        _source_coordinate(points[:, :, d - 1 - axis], sizes[axis], padding_mode, align)
        for axis in range(d)
    ]
    flat = x.reshape(n, c, -1)
    strides = [int(np.prod(sizes[axis + 1 :])) for axis in range(d)]
    if mode == "nearest":
        # round half to even, as torch's nearbyint; the gradient to the grid is zero
        nearest = [np.rint(cd._data).astype(np.int64) for cd in coords]
        valid = np.ones(nearest[0].shape, bool)
        for axis, k in enumerate(nearest):
            valid &= (k >= 0) & (k < sizes[axis])
        index = sum(k * s for k, s in zip(nearest, strides, strict=True))
        out = _gather(flat, np.asarray(index), valid)
        never = Tensor(np.zeros(coords[0].shape, bool))
        for cd in coords:  # a zero-gradient path to the grid (torch's grid.grad is zeros)
            out = out + autograd.where(never, cd, 0.0).unsqueeze(1)
    else:
        lows = [np.floor(cd._data).astype(np.int64) for cd in coords]
        fracs = [cd - Tensor(lo.astype(cd.dtype)) for cd, lo in zip(coords, lows, strict=True)]
        terms = []
        for corner in itertools.product((0, 1), repeat=d):
            ks = [lo + b for lo, b in zip(lows, corner, strict=True)]
            valid = np.ones(ks[0].shape, bool)
            for axis, k in enumerate(ks):
                valid &= (k >= 0) & (k < sizes[axis])
            index = sum(k * s for k, s in zip(ks, strides, strict=True))
            weight = None
            for b, frac in zip(corner, fracs, strict=True):
                w = frac if b else 1 - frac
                weight = w if weight is None else weight * w
            assert weight is not None
            terms.append(_gather(flat, np.asarray(index), valid) * weight.unsqueeze(1))
        out = terms[0]
        for term in terms[1:]:
            out = out + term
    return out.reshape(n, c, *out_spatial)
