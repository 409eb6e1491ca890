"""``pad``: extend (or crop) the last axes of a tensor, PyTorch's ``F.pad``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Function, Tensor
from autograd.function import Context

_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


class _ConstantPad(Function):
    """Pad with a constant (negative amounts crop); the gradient is the inner part of g."""

    @staticmethod
    def forward(ctx: Context, x: Any, widths: tuple, value: float) -> Any:
        crop = tuple(slice(max(-a, 0), n - max(-b, 0)) for n, (a, b) in zip(x.shape, widths))
        x = x[crop]
        grow = tuple((max(a, 0), max(b, 0)) for a, b in widths)
        ctx.inner = tuple(slice(a, a + n) for (a, _), n in zip(grow, x.shape))
        ctx.widths = widths
        return np.pad(x, grow, constant_values=value)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        inner = g[ctx.inner]
        if any(a < 0 or b < 0 for a, b in ctx.widths):
            # cropped entries get no gradient: pad the inner part back with zeros
            back = tuple((max(-a, 0), max(-b, 0)) for a, b in ctx.widths)
            return pad_zeros(inner, back), None, None
        return inner, None, None


def pad_zeros(g: Any, widths: tuple) -> Any:
    """``g`` with zeros added around it (an op on nodes, numpy's pad on arrays)."""
    if isinstance(g, Tensor):
        return _ConstantPad.apply(g, widths, 0.0)
    return np.pad(g, widths)


def pad(input: Any, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last ``len(pad) // 2`` axes: ``pad = (left, right)`` for the last axis, then
    ``(top, bottom)`` for the one before, and so on (PyTorch's order).

    ``mode``: 'constant' (``value``, default 0; negative amounts crop), 'reflect' (mirror
    without repeating the edge), 'replicate' (repeat the edge), 'circular' (wrap around).
    """
    op = "pad"
    if not isinstance(input, Tensor):
        input = Tensor(input)
    if (
        not isinstance(pad, (tuple, list))
        or len(pad) % 2
        or not all(isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pad)
    ):
        raise ValueError(f"{op}: pad must be a tuple of an even number of integers, got {pad!r}")
    k = len(pad) // 2
    if k > input.ndim:
        raise ValueError(
            f"{op}: pad {tuple(pad)} covers {k} axes but the input of shape "
            f"{tuple(input.shape)} has only {input.ndim}"
        )
    widths = [(0, 0)] * input.ndim
    for i in range(k):
        widths[input.ndim - 1 - i] = (int(pad[2 * i]), int(pad[2 * i + 1]))
    widths_t = tuple(widths)
    if mode == "constant":
        for n, (a, b) in zip(input.shape, widths_t):
            if n + a + b < 0:
                raise ValueError(
                    f"{op}: pad {tuple(pad)} crops more than the input of shape "
                    f"{tuple(input.shape)} holds"
                )
        return _ConstantPad.apply(input, widths_t, 0.0 if value is None else float(value))
    if mode not in _NUMPY_MODES:
        raise ValueError(
            f"{op}: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}"
        )
    if value not in (None, 0, 0.0):
        raise ValueError(f"{op}: value is only used with mode='constant' (got mode={mode!r})")
    index = []
    for ax, (n, (a, b)) in enumerate(zip(input.shape, widths_t)):
        if a < 0 or b < 0:
            raise ValueError(f"{op}: mode {mode!r} needs non-negative padding, got {tuple(pad)}")
        if mode == "reflect" and (a >= n or b >= n) and (a or b):
            raise ValueError(
                f"{op}: reflect padding ({a}, {b}) must be smaller than the size {n} of axis "
                f"{ax} (input of shape {tuple(input.shape)})"
            )
        if mode == "circular" and (a > n or b > n):
            raise ValueError(
                f"{op}: circular padding ({a}, {b}) can be at most the size {n} of axis {ax} "
                f"(input of shape {tuple(input.shape)})"
            )
        if (a or b) and n == 0:
            raise ValueError(f"{op}: cannot pad the empty axis {ax} in mode {mode!r}")
        index.append(np.pad(np.arange(n), (a, b), mode=_NUMPY_MODES[mode]))  # type: ignore[call-overload]
    # gather every output position's source: its gradient scatters back (repeats added)
    return input[np.ix_(*index)]
