"""``Linear``: the fully connected layer y = x W^T + b; ``Bilinear``: y = x1^T A x2 + b."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.devices import check_device
from autograd.dtypes import get_default_dtype
from autograd.errors import ShapeError

from . import init
from .functional.linear import bilinear, linear
from .module import Module
from .parameter import Parameter


class Linear(Module):
    """y = x @ weight.T + bias for x of shape (*, in_features); y has shape (*, out_features).

    ``weight`` has shape (out_features, in_features), ``bias`` (out_features,) or None.
    Initialised as PyTorch does: weight by ``kaiming_uniform_(a=sqrt(5))``, i.e.
    U(-1/sqrt(in_features), 1/sqrt(in_features)), and bias from the same interval.
    ``dtype`` defaults to the default float dtype (float32); ``device`` may only be the CPU.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "Linear")
        for arg, n in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise ValueError(f"Linear: {arg} must be a non-negative integer, got {n!r}")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        dt = np.dtype(get_default_dtype() if dtype is None else dtype)
        if dt.kind != "f":
            raise TypeError(f"Linear: dtype must be a floating dtype, got {dt}")
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype=dt))
        if bias:
            self.bias = Parameter(np.empty((self.out_features,), dtype=dt))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights and bias (PyTorch's default initialisation)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Any) -> Tensor:
        shape = getattr(x, "shape", None)
        if shape is None:  # a list: numbers in the layer's dtype (a tensor must match it)
            x = Tensor(np.asarray(x, dtype=self.weight.dtype))
            shape = x.shape
        if len(shape) == 0 or shape[-1] != self.in_features:
            raise ShapeError(
                f"Linear(in_features={self.in_features}): the input's last dimension must be "
                f"{self.in_features}, got input of shape {tuple(shape)}"
            )
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Bilinear(Module):
    """y = x1^T A x2 + b per output feature: input1 (*, in1_features), input2 (*,
    in2_features) -> (*, out_features); see ``F.bilinear``.

    ``weight`` has shape (out_features, in1_features, in2_features), ``bias`` (out_features,)
    or None; both drawn from U(-1/sqrt(in1_features), 1/sqrt(in1_features)), as PyTorch.
    """

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "Bilinear")
        for arg, n in (
            ("in1_features", in1_features),
            ("in2_features", in2_features),
            ("out_features", out_features),
        ):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise ValueError(f"Bilinear: {arg} must be a non-negative integer, got {n!r}")
        if in1_features == 0:  # the init bound is 1/sqrt(in1_features); torch refuses too
            raise ValueError("Bilinear: in1_features must be > 0, but got (in1_features=0)")
        self.in1_features = int(in1_features)
        self.in2_features = int(in2_features)
        self.out_features = int(out_features)
        dt = np.dtype(get_default_dtype() if dtype is None else dtype)
        if dt.kind != "f":
            raise TypeError(f"Bilinear: dtype must be a floating dtype, got {dt}")
        shape = (self.out_features, self.in1_features, self.in2_features)
        self.weight = Parameter(np.empty(shape, dtype=dt))
        if bias:
            self.bias = Parameter(np.empty((self.out_features,), dtype=dt))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights and bias from U(-1/sqrt(in1_features), 1/sqrt(in1_features))."""
        bound = 1 / math.sqrt(self.in1_features) if self.in1_features > 0 else 0.0
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Any, input2: Any) -> Tensor:
        try:
            return bilinear(input1, input2, self.weight, self.bias)
        except ValueError as e:
            raise ValueError(str(e).replace("bilinear:", "Bilinear:", 1)) from None

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
