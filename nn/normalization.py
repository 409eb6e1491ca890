"""Normalisation layers: ``LayerNorm``, ``GroupNorm``, ``BatchNorm1d``, ``BatchNorm2d``
(PyTorch's arguments, parameters, buffers and state_dict keys)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.devices import check_device
from autograd.dtypes import get_default_dtype

from .functional.conv import as_tensor
from .functional.normalization import batch_norm, group_norm, layer_norm
from .module import Module
from .parameter import Parameter


def _float_dtype(dtype: Any, layer: str) -> np.dtype:
    dt = np.dtype(get_default_dtype() if dtype is None else dtype)
    if dt.kind != "f":
        raise TypeError(f"{layer}: dtype must be a floating dtype, got {dt}")
    return dt


def _affine(m: Module, shape: tuple[int, ...], affine: bool, bias: bool, dt: np.dtype) -> None:
    """Give ``m`` its ``weight`` (ones) and ``bias`` (zeros) of ``shape``; None for each it
    goes without (bias=False: a learned scale only, as PyTorch 2.x)."""
    if affine:
        m.weight = Parameter(np.ones(shape, dtype=dt))
        if bias:
            m.bias = Parameter(np.zeros(shape, dtype=dt))
        else:
            m.register_parameter("bias", None)
    else:
        m.register_parameter("weight", None)
        m.register_parameter("bias", None)


def _reset_affine(m: Module) -> None:
    """weight = 1, bias = 0 (where the layer has them)."""
    if m.weight is not None:
        m.weight.data[...] = 1
    if m.bias is not None:
        m.bias.data[...] = 0


class LayerNorm(Module):
    """Standardise each sample over its last axes (``normalized_shape``), then scale by
    ``weight`` (ones) and shift by ``bias`` (zeros), both of shape ``normalized_shape``."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(int(s) for s in shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        dt = _float_dtype(dtype, "LayerNorm")
        _affine(self, self.normalized_shape, elementwise_affine, bias, dt)

    def reset_parameters(self) -> None:
        """weight = 1, bias = 0."""
        _reset_affine(self)

    def forward(self, input: Any) -> Tensor:
        x = as_tensor(input, "LayerNorm")
        k = len(self.normalized_shape)
        if x.ndim < k or tuple(x.shape[x.ndim - k :]) != self.normalized_shape:
            raise ValueError(
                f"LayerNorm(normalized_shape={self.normalized_shape}): the input's last "
                f"{k} dimension(s) must be {self.normalized_shape}, got input of shape "
                f"{tuple(x.shape)}"
            )
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


class GroupNorm(Module):
    """Standardise each sample's channels in ``num_groups`` groups (see ``F.group_norm``),
    then scale by ``weight`` (ones) and shift by ``bias`` (zeros), both (num_channels,);
    input (N, num_channels, *)."""

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        for arg, v in (("num_groups", num_groups), ("num_channels", num_channels)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"GroupNorm: {arg} must be a positive integer, got {v!r}")
        if num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                f"({num_groups})"
            )
        check_device(device, "GroupNorm")
        self.num_groups = int(num_groups)
        self.num_channels = int(num_channels)
        self.eps = eps
        self.affine = affine
        _affine(self, (self.num_channels,), affine, bias, _float_dtype(dtype, "GroupNorm"))

    def reset_parameters(self) -> None:
        """weight = 1, bias = 0."""
        _reset_affine(self)

    def forward(self, input: Any) -> Tensor:
        x = as_tensor(input, "GroupNorm")
        if x.ndim < 2 or x.shape[1] != self.num_channels:
            raise ValueError(
                f"GroupNorm(num_channels={self.num_channels}): expected input of shape "
                f"(N, {self.num_channels}, *), got input of shape {tuple(x.shape)}"
            )
        try:
            return group_norm(x, self.num_groups, self.weight, self.bias, self.eps)
        except ValueError as e:
            raise ValueError(str(e).replace("group_norm:", "GroupNorm:", 1)) from None

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )


class _BatchNorm(Module):
    """Per-channel standardisation with running statistics (PyTorch's BatchNorm)."""

    _dims: tuple[int, ...] = (4,)
    _layout = "(N, C, H, W)"
    _optional_state = ("num_batches_tracked",)

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        if isinstance(num_features, bool) or not isinstance(num_features, (int, np.integer)):
            raise ValueError(f"{name}: num_features must be an integer, got {num_features!r}")
        self.num_features = int(num_features)
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        dt = _float_dtype(dtype, name)
        _affine(self, (self.num_features,), affine, bias, dt)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros((self.num_features,), dt)))
            self.register_buffer("running_var", Tensor(np.ones((self.num_features,), dt)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        """running_mean = 0, running_var = 1, num_batches_tracked = 0."""
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def reset_parameters(self) -> None:
        """Reset the running statistics, weight = 1 and bias = 0."""
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input(self, x: Tensor) -> None:
        name = type(self).__name__
        if x.ndim not in self._dims:
            want = " or ".join(f"{d}-d" for d in self._dims)
            raise ValueError(
                f"{name}(num_features={self.num_features}): expected {want} input "
                f"{self._layout}, got input of shape {tuple(x.shape)}"
            )
        if x.shape[1] != self.num_features:
            raise ValueError(
                f"{name}(num_features={self.num_features}): the input of shape "
                f"{tuple(x.shape)} has {x.shape[1]} channels (axis 1), expected "
                f"{self.num_features}"
            )

    def forward(self, input: Any) -> Tensor:
        x = as_tensor(input, type(self).__name__)
        self._check_input(x)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.data += 1
            if self.momentum is None:  # a cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked.data)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        track = not self.training or self.track_running_stats
        try:
            return batch_norm(
                x,
                self.running_mean if track else None,
                self.running_var if track else None,
                self.weight,
                self.bias,
                use_batch,
                factor,
                self.eps,
            )
        except ValueError as e:
            raise ValueError(str(e).replace("batch_norm:", f"{type(self).__name__}:", 1)) from None

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of input (N, C) or (N, C, L) over N (and L), per channel C.

    Training mode normalises with the batch's statistics and updates ``running_mean`` and
    ``running_var`` (unbiased) with ``momentum`` (None: a cumulative average);
    evaluation mode uses the running statistics. Buffers and state_dict keys as PyTorch's:
    running_mean, running_var, num_batches_tracked.
    """

    _dims = (2, 3)
    _layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of input (N, C, H, W) over N, H and W, per channel C (see
    ``BatchNorm1d`` for training and evaluation mode)."""

    _dims = (4,)
    _layout = "(N, C, H, W)"
