"""``pixel_shuffle`` and ``pixel_unshuffle`` (channels traded for space and back, PyTorch's
sub-pixel rearrangement) and ``channel_shuffle``: rearrangements composed from reshape and
permute, so their gradients are the inverse rearrangement."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor


def _factor(r: Any, name: str, op: str) -> int:
    if isinstance(r, bool) or not isinstance(r, (int, np.integer)) or r < 1:
        raise ValueError(f"{op}: {name} must be a positive integer, got {r!r}")
    return int(r)


def _checked(input: Any, op: str) -> Tensor:
    x = input if isinstance(input, Tensor) else Tensor(input)
    if x.ndim < 3:
        raise ValueError(
            f"{op}: expected an input of at least 3 dimensions (*, C, H, W), got input of shape "
            f"{tuple(x.shape)}"
        )
    return x


def pixel_shuffle(input: Any, upscale_factor: int) -> Tensor:
    """(*, C r^2, H, W) -> (*, C, H r, W r):
    out[c, h r + i, w r + j] = in[c r^2 + i r + j, h, w]."""
    op = "pixel_shuffle"
    x = _checked(input, op)
    r = _factor(upscale_factor, "upscale_factor", op)
    *lead, c, h, w = x.shape
    if c % (r * r):
        raise ValueError(
            f"{op}: the channel dimension {c} of input of shape {tuple(x.shape)} must be "
            f"divisible by upscale_factor**2 = {r * r}"
        )
    n = len(lead)
    y = x.reshape(*lead, c // (r * r), r, r, h, w)
    y = y.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return y.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input: Any, downscale_factor: int) -> Tensor:
    """(*, C, H r, W r) -> (*, C r^2, H, W), the inverse of ``pixel_shuffle``."""
    op = "pixel_unshuffle"
    x = _checked(input, op)
    r = _factor(downscale_factor, "downscale_factor", op)
    *lead, c, h, w = x.shape
    if h % r or w % r:
        raise ValueError(
            f"{op}: the height {h} and width {w} of input of shape {tuple(x.shape)} must be "
            f"divisible by downscale_factor {r}"
        )
    n = len(lead)
    y = x.reshape(*lead, c, h // r, r, w // r, r)
    y = y.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return y.reshape(*lead, c * r * r, h // r, w // r)


def channel_shuffle(input: Any, groups: int) -> Tensor:
    """ShuffleNet's channel shuffle of (N, C, *) input, C = g k for g = ``groups``: the
    (g, k) grid of channels transposed, out[:, i g + j] = in[:, j k + i]."""
    op = "channel_shuffle"
    x = input if isinstance(input, Tensor) else Tensor(input)
    g = _factor(groups, "groups", op)
    if x.ndim < 3:
        raise ValueError(
            f"{op}: expected an input of at least 3 dimensions (N, C, *), got shape "
            f"{tuple(x.shape)}"
        )
    n, c, *rest = x.shape
    if c % g:
        raise ValueError(
            f"{op}: number of channels must be divisible by groups. Got {c} channels and {g} "
            "groups."
        )
    return x.reshape(n, g, c // g, *rest).transpose(1, 2).reshape(n, c, *rest)
