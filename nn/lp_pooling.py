"""``LPPool1d/2d/3d``: ``nn.functional.lp_pool*`` as modules."""

from __future__ import annotations

from typing import Any, ClassVar

from autograd import Tensor

from . import functional as F
from .module import Module


class _LPPoolNd(Module):
    function: ClassVar[Any]

    def __init__(
        self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
    ) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        return type(self).function(
            input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode
        )

    def extra_repr(self) -> str:
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
            f"ceil_mode={self.ceil_mode}"
        )


class LPPool1d(_LPPoolNd):
    """(sum of x^p over each window)^(1/p) over (N, C, L) input."""

    function = staticmethod(F.lp_pool1d)


class LPPool2d(_LPPoolNd):
    """(sum of x^p over each window)^(1/p) over (N, C, H, W) input."""

    function = staticmethod(F.lp_pool2d)


class LPPool3d(_LPPoolNd):
    """(sum of x^p over each window)^(1/p) over (N, C, D, H, W) input."""

    function = staticmethod(F.lp_pool3d)
