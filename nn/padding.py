"""Padding layers: ``ZeroPad1d/2d/3d``, ``ConstantPad1d/2d/3d``, ``ReflectionPad1d/2d/3d``,
``ReplicationPad1d/2d/3d`` and ``CircularPad1d/2d/3d`` (PyTorch's arguments and reprs), each
``F.pad`` with its mode."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor

from .functional.padding import check_torch_combination, pad
from .module import Module


def _ntuple(padding: Any, n: int, layer: str) -> tuple:
    """PyTorch's ``_ntuple(n)``: a sequence as a tuple (of ints, any count: ``F.pad`` checks
    it against the input, as PyTorch), an int repeated n times."""
    vals = tuple(padding) if isinstance(padding, (tuple, list)) else (padding,) * n
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in vals):
        raise ValueError(f"{layer}: padding must be an integer or {n} integers, got {padding!r}")
    return vals


class _PadNd(Module):
    """A padding layer: ``F.pad(input, self.padding, mode)`` on inputs of the allowed ranks."""

    mode = "constant"
    axes = 1  # spatial axes padded: 1 for the *1d layers, 2 for the *2d ones

    def __init__(self, padding: Any) -> None:
        super().__init__()
        self.padding = _ntuple(padding, 2 * self.axes, type(self).__name__)

    def _check(self, input: Any) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(input)
        ranks = (self.axes + 1, self.axes + 2)
        if x.ndim not in ranks:
            raise ValueError(
                f"{type(self).__name__}: expected {ranks[0]}D or {ranks[1]}D input (got "
                f"{x.ndim}D input of shape {tuple(x.shape)})"
            )
        return x

    def forward(self, input: Any) -> Tensor:
        x = self._check(input)
        check_torch_combination(len(self.padding), x.ndim)
        try:
            return pad(x, self.padding, self.mode)
        except ValueError as e:
            raise ValueError(str(e).replace("pad:", f"{type(self).__name__}:", 1)) from None

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    """Pad with ``value`` (negative amounts crop)."""

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Any) -> Tensor:
        # PyTorch's constant padding takes any rank; only the reflect/replicate ones check it
        x = input if isinstance(input, Tensor) else Tensor(input)
        try:
            return pad(x, self.padding, "constant", self.value)
        except ValueError as e:
            raise ValueError(str(e).replace("pad:", f"{type(self).__name__}:", 1)) from None

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last axis with ``value``: ``padding`` is an int or (left, right)."""


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two axes with ``value``: ``padding`` is an int or (left, right, top,
    bottom)."""

    axes = 2


class ZeroPad1d(ConstantPad1d):
    """Pad the last axis with zeros: ``padding`` is an int or (left, right)."""

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad the last two axes with zeros: ``padding`` is an int or (left, right, top, bottom)."""

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_PadNd):
    """Mirror (C, L) or (N, C, L) input at its ends, without repeating the edge; each amount
    must be smaller than L."""

    mode = "reflect"


class ReflectionPad2d(_PadNd):
    """Mirror (C, H, W) or (N, C, H, W) input at its borders, without repeating the edge."""

    mode = "reflect"
    axes = 2


class ReplicationPad1d(_PadNd):
    """Repeat the end values of (C, L) or (N, C, L) input."""

    mode = "replicate"


class ReplicationPad2d(_PadNd):
    """Repeat the border values of (C, H, W) or (N, C, H, W) input."""

    mode = "replicate"
    axes = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three axes with ``value``: ``padding`` is an int or (left, right, top,
    bottom, front, back)."""

    axes = 3


class ZeroPad3d(ConstantPad3d):
    """Pad the last three axes with zeros: ``padding`` is an int or a 6-tuple."""

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad3d(_PadNd):
    """Mirror (C, D, H, W) or (N, C, D, H, W) input at its borders, without repeating the
    edge."""

    mode = "reflect"
    axes = 3


class ReplicationPad3d(_PadNd):
    """Repeat the border values of (C, D, H, W) or (N, C, D, H, W) input."""

    mode = "replicate"
    axes = 3


class CircularPad1d(_PadNd):
    """Wrap (C, L) or (N, C, L) input around: the left pad repeats the last entries."""

    mode = "circular"


class CircularPad2d(_PadNd):
    """Wrap (C, H, W) or (N, C, H, W) input around in both spatial axes."""

    mode = "circular"
    axes = 2


class CircularPad3d(_PadNd):
    """Wrap (C, D, H, W) or (N, C, D, H, W) input around in the three spatial axes."""

    mode = "circular"
    axes = 3
