"""Normalisation layers: ``LayerNorm``, ``RMSNorm``, ``GroupNorm``, ``BatchNorm1d/2d/3d``,
``InstanceNorm1d/2d/3d`` and ``LocalResponseNorm`` (PyTorch's arguments, parameters,
buffers, state_dict keys and reprs)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.devices import check_device
from autograd.dtypes import get_default_dtype

from .functional.conv import as_tensor
from .functional.normalization import (
    batch_norm,
    group_norm,
    instance_norm,
    layer_norm,
    local_response_norm,
    rms_norm,
)
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
        m.weight._data[...] = 1
    if m.bias is not None:
        m.bias._data[...] = 0


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


class _NormBase(Module):
    """Per-channel weight and bias (``affine``) and, with ``track_running_stats``, the
    buffers running_mean, running_var and num_batches_tracked (PyTorch's _NormBase)."""

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
            self.running_mean._data[...] = 0
            self.running_var._data[...] = 1
            self.num_batches_tracked._data[...] = 0

    def reset_parameters(self) -> None:
        """Reset the running statistics, weight = 1 and bias = 0."""
        self.reset_running_stats()
        _reset_affine(self)

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class _BatchNorm(_NormBase):
    """Per-channel standardisation over the batch, with running statistics (PyTorch's
    BatchNorm)."""

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
                factor = 1.0 / float(self.num_batches_tracked._data)
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


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of input (N, C, D, H, W) over N, D, H and W, per channel C (see
    ``BatchNorm1d`` for training and evaluation mode)."""

    _dims = (5,)
    _layout = "(N, C, D, H, W)"


class _InstanceNorm(_NormBase):
    """Per-(sample, channel) standardisation over the spatial axes (PyTorch's InstanceNorm):
    defaults affine=False, track_running_stats=False; unbatched input accepted."""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias
        )

    def forward(self, input: Any) -> Tensor:
        name = type(self).__name__
        x = as_tensor(input, name)
        unbatched = self._dims[0]
        if x.ndim not in self._dims:
            raise ValueError(
                f"{name}: expected {self._dims[0]}D or {self._dims[1]}D input {self._layout}, "
                f"got input of shape {tuple(x.shape)}"
            )
        feature_dim = x.ndim - unbatched
        if x.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(
                    f"{name}: expected input's size at dim={feature_dim} to match "
                    f"num_features ({self.num_features}), got input of shape {tuple(x.shape)}"
                )
            warnings.warn(
                f"{name}: input's size at dim={feature_dim} does not match num_features. You "
                "can silence this warning by not passing in num_features, which is not used "
                "because affine=False",
                UserWarning,
                stacklevel=2,
            )
        if x.ndim == unbatched:
            return self._normalize(x.unsqueeze(0)).squeeze(0)
        return self._normalize(x)

    def _normalize(self, x: Tensor) -> Tensor:
        try:
            return instance_norm(
                x,
                self.running_mean,
                self.running_var,
                self.weight,
                self.bias,
                self.training or not self.track_running_stats,
                0.0 if self.momentum is None else self.momentum,  # None: PyTorch's, no update
                self.eps,
            )
        except ValueError as e:
            raise ValueError(
                str(e).replace("instance_norm:", f"{type(self).__name__}:", 1)
            ) from None


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of input (N, C, L) or (C, L): each channel of each sample
    standardised over L; then weight and bias (with ``affine``), both (C,).

    With ``track_running_stats`` training also updates running_mean and running_var (batch
    averages of the instances' means and unbiased variances, with ``momentum``) and evaluation
    mode uses them; otherwise each input's own statistics are used in both modes.
    """

    _dims = (2, 3)
    _layout = "(C, L) or (N, C, L)"


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of input (N, C, H, W) or (C, H, W) over H and W (see
    ``InstanceNorm1d``)."""

    _dims = (3, 4)
    _layout = "(C, H, W) or (N, C, H, W)"


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of input (N, C, D, H, W) or (C, D, H, W) over D, H and W (see
    ``InstanceNorm1d``)."""

    _dims = (4, 5)
    _layout = "(C, D, H, W) or (N, C, D, H, W)"


class RMSNorm(Module):
    """y = x / sqrt(mean(x ** 2) + eps) * weight over the last axes (``normalized_shape``);
    weight (ones) of that shape when ``elementwise_affine``; ``eps=None``: the machine
    epsilon of the input's dtype."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float | None = None,
        elementwise_affine: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "RMSNorm")
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(int(s) for s in shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            dt = _float_dtype(dtype, "RMSNorm")
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=dt))
        else:
            self.register_parameter("weight", None)

    def reset_parameters(self) -> None:
        """weight = 1."""
        if self.weight is not None:
            self.weight._data[...] = 1

    def forward(self, input: Any) -> Tensor:
        try:
            return rms_norm(input, self.normalized_shape, self.weight, self.eps)
        except ValueError as e:
            raise ValueError(str(e).replace("rms_norm:", "RMSNorm:", 1)) from None

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class LocalResponseNorm(Module):
    """Local response normalisation across channels (AlexNet's), see
    ``F.local_response_norm``; input (N, C, *) with at least one further axis."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0):
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Any) -> Tensor:
        try:
            return local_response_norm(input, self.size, self.alpha, self.beta, self.k)
        except ValueError as e:
            raise ValueError(
                str(e).replace("local_response_norm:", "LocalResponseNorm:", 1)
            ) from None

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
