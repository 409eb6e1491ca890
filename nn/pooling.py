"""Pooling layers in 1, 2 and 3 dimensions: ``MaxPool1d/2d/3d``, ``AvgPool1d/2d/3d``,
``AdaptiveAvgPool1d/2d/3d``, ``AdaptiveMaxPool1d/2d/3d`` and ``MaxUnpool1d/2d/3d``
(PyTorch's arguments and reprs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import Tensor

from .functional.pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    adaptive_max_pool3d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
)
from .functional.unpooling import max_unpool1d, max_unpool2d, max_unpool3d
from .module import Module


class _Pool(Module):
    """What every pooling layer shares: ``_pool`` calls its functional form ``_fn``, and the
    errors name the layer (the function's name in CamelCase: max_pool1d -> MaxPool1d)."""

    _fn: Callable[..., Any]

    def _pool(self, *args: Any) -> Any:
        fn = self._fn
        try:
            return fn(*args)
        except ValueError as e:
            layer = "".join(w.capitalize() for w in fn.__name__.split("_"))
            raise ValueError(str(e).replace(f"{fn.__name__}:", f"{layer}:", 1)) from None


class _MaxPoolNd(_Pool):
    """What MaxPool1d, MaxPool2d and MaxPool3d share: their arguments, stored as given, and repr."""

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
        return self._pool(input, self.kernel_size, self.stride, self.padding, self.dilation,
                          self.ceil_mode, self.return_indices)  # fmt: skip

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    """The maximum of each kernel window along L (see ``F.max_pool1d``); no parameters."""

    _fn = staticmethod(max_pool1d)


class MaxPool2d(_MaxPoolNd):
    """The maximum of each kernel window (see ``F.max_pool2d``); no parameters."""

    _fn = staticmethod(max_pool2d)


class MaxPool3d(_MaxPoolNd):
    """The maximum of each kernel window of a volume (see ``F.max_pool3d``); no parameters."""

    _fn = staticmethod(max_pool3d)


def _single(v: Any) -> tuple:
    """PyTorch's ``_single``: a sequence as a tuple, anything else as a 1-tuple."""
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


class AvgPool1d(_Pool):
    """The mean of each kernel window along L (see ``F.avg_pool1d``); no parameters.
    kernel_size, stride and padding are kept as 1-tuples, as PyTorch keeps them."""

    _fn = staticmethod(avg_pool1d)

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
        return self._pool(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad)  # fmt: skip

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AvgPoolNd(_Pool):
    """What AvgPool2d and AvgPool3d share: their arguments, stored as given, and repr."""

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
        return self._pool(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)  # fmt: skip

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPoolNd):
    """The mean of each kernel window (see ``F.avg_pool2d``); no parameters."""

    _fn = staticmethod(avg_pool2d)


class AvgPool3d(_AvgPoolNd):
    """The mean of each kernel window of a volume (see ``F.avg_pool3d``); no parameters."""

    _fn = staticmethod(avg_pool3d)


class _AdaptivePoolNd(_Pool):
    """What the adaptive pooling layers share: ``output_size``, forward and repr."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Any) -> Tensor:
        return self._pool(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptivePoolNd):
    """Average pooling to a fixed output size (see ``F.adaptive_avg_pool2d``)."""

    _fn = staticmethod(adaptive_avg_pool2d)


class AdaptiveAvgPool1d(_AdaptivePoolNd):
    """Average pooling to a fixed output length (see ``F.adaptive_avg_pool1d``)."""

    _fn = staticmethod(adaptive_avg_pool1d)


class AdaptiveAvgPool3d(_AdaptivePoolNd):
    """Average pooling of a volume to a fixed output size (see ``F.adaptive_avg_pool3d``)."""

    _fn = staticmethod(adaptive_avg_pool3d)


class _AdaptiveMaxPoolNd(_AdaptivePoolNd):
    """What the adaptive max pooling layers add: ``return_indices``."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Any) -> Any:
        return self._pool(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed output size (see ``F.adaptive_max_pool2d``)."""

    _fn = staticmethod(adaptive_max_pool2d)


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed output length (see ``F.adaptive_max_pool1d``)."""

    _fn = staticmethod(adaptive_max_pool1d)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """Max pooling of a volume to a fixed output size (see ``F.adaptive_max_pool3d``)."""

    _fn = staticmethod(adaptive_max_pool3d)


class _MaxUnpoolNd(_Pool):
    """MaxUnpool1d/2d/3d: kernel_size, stride (default kernel_size) and padding kept as
    ``_n``-tuples, as PyTorch keeps them; ``forward(input, indices, output_size=None)``."""

    _n: int

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        n = self._n
        as_tuple = lambda v: tuple(v) if isinstance(v, (tuple, list)) else (v,) * n  # noqa: E731
        self.kernel_size = as_tuple(kernel_size)
        self.stride = as_tuple(stride if stride is not None else kernel_size)
        self.padding = as_tuple(padding)

    def forward(self, input: Any, indices: Any, output_size: Any = None) -> Tensor:
        return self._pool(input, indices, self.kernel_size, self.stride, self.padding,
                          output_size)  # fmt: skip

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """The partial inverse of MaxPool1d (see ``F.max_unpool1d``); no parameters."""

    _n = 1
    _fn = staticmethod(max_unpool1d)


class MaxUnpool2d(_MaxUnpoolNd):
    """The partial inverse of MaxPool2d (see ``F.max_unpool2d``); no parameters."""

    _n = 2
    _fn = staticmethod(max_unpool2d)


class MaxUnpool3d(_MaxUnpoolNd):
    """The partial inverse of MaxPool3d (see ``F.max_unpool3d``); no parameters."""

    _n = 3
    _fn = staticmethod(max_unpool3d)
