"""Pooling layers: ``MaxPool2d``, ``AvgPool2d``, ``AdaptiveAvgPool2d`` (PyTorch's arguments)."""

from __future__ import annotations

from typing import Any

from autograd import Tensor

from .functional.pooling import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from .module import Module


def _renamed(e: ValueError, fn: str, layer: str) -> ValueError:
    return ValueError(str(e).replace(f"{fn}:", f"{layer}:", 1))


class MaxPool2d(Module):
    """The maximum of each kernel window (see ``F.max_pool2d``); no parameters."""

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

    def forward(self, input: Any) -> Any:
        try:
            return max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices)  # fmt: skip
        except ValueError as e:
            raise _renamed(e, "max_pool2d", "MaxPool2d") from None

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


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
