"""``FractionalMaxPool2d`` / ``FractionalMaxPool3d``: ``nn.functional.fractional_max_pool*``
as modules (PyTorch's arguments, attributes and repr)."""

from __future__ import annotations

from typing import Any, ClassVar

from autograd import Tensor

from . import functional as F
from .module import Module


class _FractionalMaxPoolNd(Module):
    """What the 2d and 3d layers share: sizes stored as d-tuples, the samples as the buffer
    ``_random_samples`` (None: fresh samples on every call)."""

    d: ClassVar[int]
    function: ClassVar[Any]

    def __init__(
        self,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Any = None,
    ) -> None:
        super().__init__()
        self.kernel_size = self._tuple(kernel_size)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = None if output_size is None else self._tuple(output_size)
        self.output_ratio = None if output_ratio is None else self._tuple(output_ratio)
        if output_size is None and output_ratio is None:
            raise ValueError(
                f"{type(self).__name__} requires specifying either an output size, or a "
                "pooling ratio"
            )
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def _tuple(self, value: Any) -> tuple:
        return tuple(value) if isinstance(value, (tuple, list)) else (value,) * self.d

    def forward(self, input: Tensor) -> Any:  # noqa: A002
        return type(self).function(
            input,
            self.kernel_size,
            self.output_size,
            self.output_ratio,
            self.return_indices,
            _random_samples=self._random_samples,
        )


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """Max over kh x kw windows at pseudo-random steps, (N?, C, H, W) -> (N?, C, oH, oW)."""

    d = 2
    function = staticmethod(F.fractional_max_pool2d)


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """Max over kt x kh x kw windows at pseudo-random steps, (N?, C, T, H, W) -> (N?, C, oT,
    oH, oW)."""

    d = 3
    function = staticmethod(F.fractional_max_pool3d)
