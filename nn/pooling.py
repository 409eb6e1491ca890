"""Pooling layers: ``MaxPool1d``, ``MaxPool2d``, ``AvgPool1d``, ``AvgPool2d``,
``AdaptiveAvgPool1d``, ``AdaptiveAvgPool2d``, ``AdaptiveMaxPool1d``, ``AdaptiveMaxPool2d``
(PyTorch's arguments and reprs)."""

from __future__ import annotations

from typing import Any

from autograd import Tensor

from .functional.pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from .module import Module


def _renamed(e: ValueError, fn: str, layer: str) -> ValueError:
    return ValueError(str(e).replace(f"{fn}:", f"{layer}:", 1))


class _MaxPoolNd(Module):
    """What MaxPool1d and MaxPool2d share: their arguments, stored as given, and repr."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    """The maximum of each kernel window along L (see ``F.max_pool1d``); no parameters."""

    def forward(self, input: Any) -> Any:
        try:
            return max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices)  # fmt: skip
        except ValueError as e:
            raise _renamed(e, "max_pool1d", "MaxPool1d") from None


class MaxPool2d(_MaxPoolNd):
    """The maximum of each kernel window (see ``F.max_pool2d``); no parameters."""

    def forward(self, input: Any) -> Any:
        try:
            return max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices)  # fmt: skip
        except ValueError as e:
            raise _renamed(e, "max_pool2d", "MaxPool2d") from None


def _single(v: Any) -> tuple:
    """PyTorch's ``_single``: a sequence as a tuple, anything else as a 1-tuple."""
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


class AvgPool1d(Module):
    """The mean of each kernel window along L (see ``F.avg_pool1d``); no parameters.
    kernel_size, stride and padding are kept as 1-tuples, as PyTorch keeps them."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input: Any) -> Tensor:
        try:
            return avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                              self.count_include_pad)  # fmt: skip
        except ValueError as e:
            raise _renamed(e, "avg_pool1d", "AvgPool1d") from None

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """The mean of each kernel window (see ``F.avg_pool2d``); no parameters."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: Any = None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Any) -> Tensor:
        try:
            return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                              self.count_include_pad, self.divisor_override)  # fmt: skip
        except ValueError as e:
            raise _renamed(e, "avg_pool2d", "AvgPool2d") from None

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size (see ``F.adaptive_avg_pool2d``)."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Any) -> Tensor:
        try:
            return adaptive_avg_pool2d(input, self.output_size)
        except ValueError as e:
            raise _renamed(e, "adaptive_avg_pool2d", "AdaptiveAvgPool2d") from None

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(Module):
    """Average pooling to a fixed output length (see ``F.adaptive_avg_pool1d``)."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Any) -> Tensor:
        try:
            return adaptive_avg_pool1d(input, self.output_size)
        except ValueError as e:
            raise _renamed(e, "adaptive_avg_pool1d", "AdaptiveAvgPool1d") from None

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class _AdaptiveMaxPoolNd(Module):
    """What AdaptiveMaxPool1d and AdaptiveMaxPool2d share: arguments and repr."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed output size (see ``F.adaptive_max_pool2d``)."""

    def forward(self, input: Any) -> Any:
        try:
            return adaptive_max_pool2d(input, self.output_size, self.return_indices)
        except ValueError as e:
            raise _renamed(e, "adaptive_max_pool2d", "AdaptiveMaxPool2d") from None


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed output length (see ``F.adaptive_max_pool1d``)."""

    def forward(self, input: Any) -> Any:
        try:
            return adaptive_max_pool1d(input, self.output_size, self.return_indices)
        except ValueError as e:
            raise _renamed(e, "adaptive_max_pool1d", "AdaptiveMaxPool1d") from None
