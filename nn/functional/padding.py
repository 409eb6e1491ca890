"""``pad``: extend (or crop) the last axes of a tensor, PyTorch's ``F.pad``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Function, Tensor
from autograd.errors import ShapeError
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
        if not x.ndim:  # a 0-d input (nothing to pad): a copy
            return x.copy()
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


def check_torch_combination(n_pad: int, ndim: int) -> None:
    """Refuse, as PyTorch's pad does for its modes other than 'constant', a padding of
    ``n_pad`` amounts for an input of ``ndim`` axes unless it pads the last 1, 2 or 3 axes
    of an input with one or two more axes (``pad`` itself also takes the other cases)."""
    if n_pad not in (2, 4, 6) or ndim not in (n_pad // 2 + 1, n_pad // 2 + 2):
        raise NotImplementedError(
            f"Padding size {n_pad} is not supported for {ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )


def pad(input: Any, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last ``len(pad) // 2`` axes: ``pad = (left, right)`` for the last axis, then
    ``(top, bottom)`` for the one before, and so on (PyTorch's order).

    ``mode``: 'constant' (``value``, default 0), 'reflect' (mirror without repeating the
    edge), 'replicate' (repeat the edge), 'circular' (wrap around); negative amounts crop,
    as PyTorch.
    """
    op = "pad"
    if not isinstance(input, Tensor):
        input = Tensor(input)
    if not isinstance(pad, (tuple, list)) or not all(
        isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pad
    ):
        raise TypeError(f"{op}: pad must be a tuple of ints, got {pad!r}")
    if len(pad) % 2:
        raise ShapeError(
            f"{op}: pad must hold an even number of integers (a pair per padded axis), got "
            f"{tuple(pad)}"
        )
    k = len(pad) // 2
    if k > input.ndim:
        raise ShapeError(
            f"{op}: pad {tuple(pad)} covers {k} axes but the input of shape "
            f"{tuple(input.shape)} has only {input.ndim}"
        )
    widths = [(0, 0)] * input.ndim
    for i in range(k):
        widths[input.ndim - 1 - i] = (int(pad[2 * i]), int(pad[2 * i + 1]))
    widths_t = tuple(widths)
    if mode == "constant":
        for n, (a, b) in zip(input.shape, widths_t):
            if max(-a, 0) + max(-b, 0) > n:
                raise ShapeError(
                    f"{op}: pad {tuple(pad)} crops more than the input of shape "
                    f"{tuple(input.shape)} holds"
                )
        return _ConstantPad.apply(input, widths_t, 0.0 if value is None else float(value))
    if mode not in _NUMPY_MODES:
        raise NotImplementedError(
            f"{op}: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}"
        )
    if value not in (None, 0, 0.0):
        raise RuntimeError(f"{op}: value is only used with mode='constant' (got mode={mode!r})")
    check_torch_combination(len(pad), input.ndim)
    _check_non_constant_sizes(mode, tuple(input.shape), k, widths_t[input.ndim - k :])
    empty = any(n + a + b == 0 for n, (a, b) in zip(input.shape, widths_t))
    index = [
        _source_positions(n, a, b, mode, ax, tuple(input.shape), empty)
        for ax, (n, (a, b)) in enumerate(zip(input.shape, widths_t))
    ]
    # gather every output position's source: its gradient scatters back (repeats added)
    return input[np.ix_(*index)]


def _check_non_constant_sizes(mode: str, shape: tuple, k: int, widths: tuple) -> None:
    """PyTorch's size rules for reflect and replicate padding of the last ``k`` axes: every
    axis but the batch axis (the first, when there is one besides the channel axis) non-empty,
    and the output not empty in all the padded axes."""
    if mode == "circular":
        return
    batch = len(shape) == k + 2
    if any(n == 0 for n in shape[int(batch) :]):
        raise ShapeError(
            f"pad: {mode} padding of {k} axes needs an input of {k + 1} or {k + 2} (batched) "
            f"dims whose dims other than the batch dim are not empty, got shape {shape}"
        )
    sizes = [n + a + b for n, (a, b) in zip(shape[len(shape) - k :], widths)]
    if all(s < 1 for s in sizes):
        axes = tuple(range(len(shape) - k, len(shape)))
        raise ShapeError(
            f"pad: {mode} padding leaves the padded axes {axes} of the input of shape {shape} "
            f"with {tuple(sizes)} entries (at least one must keep some)"
        )


def _source_positions(
    n: int, a: int, b: int, mode: str, ax: int, shape: tuple, empty: bool
) -> np.ndarray:
    """For axis ``ax`` of length ``n`` padded by (a, b) (negative amounts crop) in ``mode``,
    the input position each output position copies, as PyTorch: reflect and replicate pad
    the whole axis and then crop; circular crops first and wraps the part that is left
    (``empty``: the output has no entries, so nothing is copied and any cropping goes)."""
    op = "pad"
    grow, cut = (max(a, 0), max(b, 0)), (max(-a, 0), max(-b, 0))
    if not (a or b):
        return np.arange(n)
    if mode == "reflect" and max(grow) >= n:
        raise ShapeError(
            f"{op}: reflect padding ({a}, {b}) must be smaller than the size {n} of axis "
            f"{ax} (input of shape {shape})"
        )
    if mode == "circular" and max(grow) > n:
        raise ShapeError(
            f"{op}: circular padding ({a}, {b}) can be at most the size {n} of axis {ax} "
            f"(input of shape {shape})"
        )
    size = n + a + b
    if size < 0:
        raise ShapeError(
            f"{op}: padding ({a}, {b}) leaves axis {ax} of the input of shape {shape} with "
            f"{size} entries (mode {mode!r})"
        )
    if n == 0:
        raise ShapeError(f"{op}: cannot pad the empty axis {ax} in mode {mode!r}")
    if mode == "circular":
        kept = np.arange(cut[0], n - cut[1])
        if not kept.size and max(grow):
            if empty:
                return np.zeros(size, dtype=np.int64)
            raise ShapeError(
                f"{op}: circular padding ({a}, {b}) crops axis {ax} of the input of shape "
                f"{shape} to nothing and then wraps it"
            )
        if not kept.size:
            return kept
        return kept[np.arange(-grow[0], kept.size + grow[1]) % kept.size]
    full = np.pad(np.arange(n), grow, mode=_NUMPY_MODES[mode])  # type: ignore[call-overload]
    return full[cut[0] : full.size - cut[1]]
