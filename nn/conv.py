"""Convolution layers: ``Conv1d``, ``Conv2d``, ``Conv3d``, ``ConvTranspose1d``,
``ConvTranspose2d``, ``ConvTranspose3d`` (PyTorch's arguments, parameter shapes and
initialisation)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.dtypes import get_default_dtype

from . import init
from .functional.conv import (
    SPATIAL,
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    transposed_output_size,
)
from .functional.padding import pad as _pad
from .module import Module
from .parameter import Parameter

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _ntuple(v: Any, n: int, name: str, layer: str) -> tuple:
    vals = tuple(v) if isinstance(v, (tuple, list)) else (v,) * n
    if len(vals) != n or not all(
        isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in vals
    ):
        raise ValueError(f"{layer}: {name} must be an integer or a tuple of {n}, got {v!r}")
    return tuple(int(k) for k in vals)


class _ConvNd(Module):
    """What every convolution layer shares: arguments, parameters and initialisation."""

    _n: int = 2
    _transposed: bool = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        output_padding: Any = 0,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        n = self._n
        for arg, v in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name}: {arg} must be a positive integer, got {v!r}")
        if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
            raise ValueError(f"{name}: groups must be a positive integer, got {groups!r}")
        if in_channels % groups:
            raise ValueError(f"{name}: in_channels ({in_channels}) must be divisible by groups")
        if out_channels % groups:
            raise ValueError(f"{name}: out_channels ({out_channels}) must be divisible by groups")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"{name}: padding_mode must be one of {_PADDING_MODES}, got {padding_mode!r}"
            )
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.kernel_size = _ntuple(kernel_size, n, "kernel_size", name)
        if any(k < 1 for k in self.kernel_size):
            raise ValueError(f"{name}: kernel_size must be positive, got {kernel_size!r}")
        self.stride = _ntuple(stride, n, "stride", name)
        self.dilation = _ntuple(dilation, n, "dilation", name)
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: padding must be 'same', 'valid' or integers")
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(
                    f"{name}: padding='same' is not supported for strided convolutions"
                )
            self.padding: Any = padding
        else:
            self.padding = _ntuple(padding, n, "padding", name)
        self.output_padding = _ntuple(output_padding, n, "output_padding", name)
        self.groups = int(groups)
        self.padding_mode = padding_mode
        dt = np.dtype(get_default_dtype() if dtype is None else dtype)
        if dt.kind != "f":
            raise TypeError(f"{name}: dtype must be a floating dtype, got {dt}")
        if self._transposed:
            shape = (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        else:
            shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=dt))
        if bias:
            self.bias = Parameter(np.empty((self.out_channels,), dtype=dt))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's initialisation: weight kaiming_uniform_(a=sqrt(5)), i.e.
        U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and bias from the same interval."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def _padded(self, x: Any) -> tuple[Any, Any]:
        """(input, padding for the convolution): other padding modes pad here first."""
        if self.padding_mode == "zeros":
            return x, self.padding
        if isinstance(self.padding, str):
            if self.padding == "valid":
                return x, 0
            amounts = []
            for k, d in zip(self.kernel_size, self.dilation):
                total = d * (k - 1)
                amounts.append((total // 2, total - total // 2))
        else:
            amounts = [(p, p) for p in self.padding]
        flat = tuple(a for pair in reversed(amounts) for a in pair)
        return _pad(x, flat, self.padding_mode), 0

    def extra_repr(self) -> str:
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0,) * self._n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self._n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self._n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s

    def _check_input(self, x: Any) -> Tensor:
        name = type(self).__name__
        if not isinstance(x, Tensor):
            x = Tensor(x)
        n = self._n
        if x.ndim not in (n + 1, n + 2):
            spatial = SPATIAL[n]
            raise ValueError(
                f"{name}: expected a {n + 1}-d (unbatched: C, {spatial}) or {n + 2}-d (batched: "
                f"N, C, {spatial}) input, got input of shape {tuple(x.shape)}"
            )
        c = x.shape[-n - 1]
        if c != self.in_channels:
            raise ValueError(
                f"{name}(in_channels={self.in_channels}): the input of shape {tuple(x.shape)} "
                f"has {c} channels (axis {-n - 1}), expected {self.in_channels}"
            )
        return x


class _PlainConvNd(_ConvNd):
    """Conv1d, Conv2d and Conv3d: the functional form applied after the layer's own padding mode."""

    @staticmethod
    def _conv(*args: Any) -> Tensor:
        raise NotImplementedError

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            padding_mode, device, dtype,
        )  # fmt: skip

    def forward(self, input: Any) -> Tensor:
        x, padding = self._padded(self._check_input(input))
        conv = type(self)._conv
        try:
            return conv(x, self.weight, self.bias, self.stride, padding, self.dilation,
                        self.groups)  # fmt: skip
        except ValueError as e:
            # the functional form names itself (conv2d:); the user called the layer
            raise ValueError(
                str(e).replace(f"{conv.__name__}:", f"{type(self).__name__}:", 1)
            ) from None


class Conv1d(_PlainConvNd):
    """1-d convolution over input (N, C_in, L) or (C_in, L): weight (out_channels,
    in_channels / groups, kernel_size), bias (out_channels,). See ``F.conv1d``."""

    _n = 1
    _conv = staticmethod(conv1d)


class Conv2d(_PlainConvNd):
    """2-d convolution over input (N, C_in, H, W) or (C_in, H, W): weight (out_channels,
    in_channels / groups, kH, kW), bias (out_channels,). See ``F.conv2d``."""

    _conv = staticmethod(conv2d)


class Conv3d(_PlainConvNd):
    """3-d convolution over input (N, C_in, D, H, W) or (C_in, D, H, W): weight
    (out_channels, in_channels / groups, kD, kH, kW), bias (out_channels,). See
    ``F.conv3d``."""

    _n = 3
    _conv = staticmethod(conv3d)


class _ConvTransposeNd(_ConvNd):
    """ConvTranspose1d/2d/3d: the adjoint of the plain convolution of the same geometry;
    ``forward(input, output_size)`` picks the output_padding that reaches ``output_size``."""

    _transposed = True

    @staticmethod
    def _conv(*args: Any) -> Tensor:
        raise NotImplementedError

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        name = type(self).__name__
        if padding_mode != "zeros":
            raise ValueError(
                f"{name}: only padding_mode='zeros' is supported (as PyTorch), got {padding_mode!r}"
            )
        if isinstance(padding, str):
            raise ValueError(f"{name}: padding must be integers, got {padding!r}")
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            padding_mode, device, dtype, output_padding,
        )  # fmt: skip

    def _output_padding(self, x: Tensor, output_size: Any) -> tuple:
        """The output_padding that makes the output's spatial size ``output_size``."""
        name, n = type(self).__name__, self._n
        if output_size is None:
            return self.output_padding
        sizes = tuple(int(s) for s in tuple(output_size))
        if len(sizes) not in (n, x.ndim):
            raise ValueError(
                f"{name}: output_size must have {n} or {x.ndim} elements (input of shape "
                f"{tuple(x.shape)}), got {tuple(output_size)}"
            )
        want = sizes[-n:]
        extras = []
        for ax in range(n):
            k, s, p, d = (self.kernel_size[ax], self.stride[ax], self.padding[ax],
                          self.dilation[ax])  # fmt: skip
            smallest = transposed_output_size(x.shape[x.ndim - n + ax], k, s, p, d, 0)
            extra = want[ax] - smallest
            if not 0 <= extra < max(s, d):
                raise ValueError(
                    f"{name}: requested output_size {want} is not reachable from input of "
                    f"shape {tuple(x.shape)} (sizes {smallest} to {smallest + max(s, d) - 1} "
                    f"along spatial axis {ax})"
                )
            extras.append(extra)
        return tuple(extras)

    def forward(self, input: Any, output_size: Any = None) -> Tensor:
        x = self._check_input(input)
        output_padding = self._output_padding(x, output_size)
        conv = type(self)._conv
        try:
            return conv(x, self.weight, self.bias, self.stride, self.padding, output_padding,
                        self.groups, self.dilation)  # fmt: skip
        except ValueError as e:
            raise ValueError(
                str(e).replace(f"{conv.__name__}:", f"{type(self).__name__}:", 1)
            ) from None


class ConvTranspose1d(_ConvTransposeNd):
    """Transposed 1-d convolution (the adjoint of Conv1d) over (N, C_in, L) or (C_in, L):
    weight (in_channels, out_channels / groups, kernel_size), bias (out_channels,). See
    ``F.conv_transpose1d``."""

    _n = 1
    _conv = staticmethod(conv_transpose1d)


class ConvTranspose2d(_ConvTransposeNd):
    """Transposed 2-d convolution (the adjoint of Conv2d) over (N, C_in, H, W) or
    (C_in, H, W): weight (in_channels, out_channels / groups, kH, kW), bias (out_channels,).
    See ``F.conv_transpose2d``."""

    _conv = staticmethod(conv_transpose2d)


class ConvTranspose3d(_ConvTransposeNd):
    """Transposed 3-d convolution (the adjoint of Conv3d) over (N, C_in, D, H, W) or
    (C_in, D, H, W): weight (in_channels, out_channels / groups, kD, kH, kW), bias
    (out_channels,). See ``F.conv_transpose3d``."""

    _n = 3
    _conv = staticmethod(conv_transpose3d)
