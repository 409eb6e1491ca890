"""Lazy modules (PyTorch's ``LazyLinear``, ``LazyConv1d/2d/3d``, ``LazyConvTranspose1d/2d/3d``,
``LazyBatchNorm1d/2d/3d``, ``LazyInstanceNorm1d/2d/3d``): the input size is read
from the first input, so ``nn.LazyLinear(10)`` needs no ``in_features``.

Until then the parameters are ``UninitializedParameter`` placeholders. The first forward
gives them their shapes, draws the layer's usual initialisation, and turns the module into
its ordinary class (``type(m) is nn.Linear`` afterwards, as in PyTorch). ``load_state_dict``
into a lazy module takes the shapes from the checkpoint. The parameters are the same objects
before and after, so an optimizer built before the first forward trains them.
"""

from __future__ import annotations

from typing import Any

from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .linear import Linear
from .normalization import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
)
from .parameter import UNINITIALIZED, UninitializedBuffer, UninitializedParameter

__all__ = [
    "LazyModuleMixin",
    "LazyLinear",
    "LazyConv1d",
    "LazyConv2d",
    "LazyConv3d",
    "LazyConvTranspose1d",
    "LazyConvTranspose2d",
    "LazyConvTranspose3d",
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyBatchNorm3d",
    "LazyInstanceNorm1d",
    "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
]


class LazyModuleMixin:
    """What lazy modules share: ``has_uninitialized_params()``, ``initialize_parameters(input)``
    on the first call, then the switch to ``cls_to_become``."""

    cls_to_become: type

    def has_uninitialized_params(self) -> bool:
        """True while any parameter or buffer is still a placeholder."""
        m: Any = self
        own = list(m._parameters.values()) + list(m._buffers.values())
        return any(isinstance(t, UNINITIALIZED) for t in own)

    def initialize_parameters(self, input: Any) -> None:
        """Read the missing size from ``input``, materialize the placeholders, initialise."""
        raise NotImplementedError

    def _sizes_from_parameters(self) -> None:
        """Set the inferred size from parameters a checkpoint has materialized."""
        raise NotImplementedError

    def forward(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        if self.has_uninitialized_params():
            self.initialize_parameters(input)
        else:  # load_state_dict gave the shapes
            self._sizes_from_parameters()
        m: Any = self
        m.__class__ = self.cls_to_become
        return m.forward(input, *args, **kwargs)

    def reset_parameters(self) -> None:
        """The layer's initialisation, once the sizes are known (nothing before)."""
        if not self.has_uninitialized_params() and self._size_known():
            super().reset_parameters()  # type: ignore[misc]

    def _size_known(self) -> bool:
        raise NotImplementedError


class LazyLinear(LazyModuleMixin, Linear):  # type: ignore[misc]  # forward(input, ...)
    """``Linear`` whose ``in_features`` is the last dimension of the first input."""

    cls_to_become = Linear

    def __init__(
        self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__(0, out_features, bias, dtype=dtype)
        self.weight = UninitializedParameter(dtype=self.weight.dtype)
        if bias:
            self.bias = UninitializedParameter(dtype=self.weight.dtype)

    def _size_known(self) -> bool:
        return self.in_features != 0

    def initialize_parameters(self, input: Any) -> None:
        m: Any = self
        self.in_features = int(input.shape[-1])
        m.weight.materialize((self.out_features, self.in_features))
        if m.bias is not None:
            m.bias.materialize((self.out_features,))
        self.reset_parameters()

    def _sizes_from_parameters(self) -> None:
        self.in_features = int(self.weight.shape[1])


class _LazyConv(LazyModuleMixin):
    """In-channels of a convolution read from the first input: axis 1 of a batch, axis 0
    of one unbatched sample."""

    _n: int
    _transposed: bool

    def _lazy_init(self) -> None:
        m: Any = self
        m.in_channels = 0
        m.weight = UninitializedParameter(dtype=m.weight.dtype)
        if m.bias is not None:
            m.bias = UninitializedParameter(dtype=m.weight.dtype)

    def _size_known(self) -> bool:
        m: Any = self
        return bool(m.in_channels != 0)

    def initialize_parameters(self, input: Any) -> None:
        m: Any = self
        batched = len(input.shape) == self._n + 2
        m.in_channels = int(input.shape[1] if batched else input.shape[0])
        if m.in_channels % m.groups:
            raise ValueError(
                f"{type(self).__name__}: in_channels ({m.in_channels}) must be divisible "
                f"by groups ({m.groups})"
            )
        if self._transposed:
            shape = (m.in_channels, m.out_channels // m.groups, *m.kernel_size)
        else:
            shape = (m.out_channels, m.in_channels // m.groups, *m.kernel_size)
        m.weight.materialize(shape)
        if m.bias is not None:
            m.bias.materialize((m.out_channels,))
        self.reset_parameters()

    def _sizes_from_parameters(self) -> None:
        m: Any = self
        w = m.weight.shape
        m.in_channels = int(w[0] if self._transposed else w[1] * m.groups)


def _conv_kwargs(groups: int, bias: bool) -> dict:
    # the parent validates in_channels; ``groups`` channels pass every check until the
    # real count is read from the input
    return {"in_channels": groups, "bias": bias}


class _LazyPlainConv(_LazyConv):
    """The constructor of LazyConv1d/2d/3d: the plain convolution's, without in_channels."""

    def __init__(
        self,
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
        super().__init__(  # type: ignore[call-arg]  # the convolution class next in the MRO
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            groups=groups,
            padding_mode=padding_mode,
            dtype=dtype,
            **_conv_kwargs(groups, bias),
        )
        self._lazy_init()


class _LazyTransposedConv(_LazyConv):
    """The constructor of LazyConvTranspose1d/2d/3d: the transposed convolution's, without
    in_channels."""

    def __init__(
        self,
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
        super().__init__(  # type: ignore[call-arg]  # the convolution class next in the MRO
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            output_padding=output_padding,
            groups=groups,
            dilation=dilation,
            padding_mode=padding_mode,
            dtype=dtype,
            **_conv_kwargs(groups, bias),
        )
        self._lazy_init()


class LazyConv1d(_LazyPlainConv, Conv1d):  # type: ignore[misc]  # forward(input, ...)
    """``Conv1d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyPlainConv, Conv2d):  # type: ignore[misc]  # forward(input, ...)
    """``Conv2d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = Conv2d


class LazyConv3d(_LazyPlainConv, Conv3d):  # type: ignore[misc]  # forward(input, ...)
    """``Conv3d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = Conv3d


class LazyConvTranspose1d(_LazyTransposedConv, ConvTranspose1d):  # type: ignore[misc]
    """``ConvTranspose1d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyTransposedConv, ConvTranspose2d):  # type: ignore[misc]
    """``ConvTranspose2d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = ConvTranspose2d


class LazyConvTranspose3d(_LazyTransposedConv, ConvTranspose3d):  # type: ignore[misc]
    """``ConvTranspose3d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = ConvTranspose3d


class _LazyBatchNorm(LazyModuleMixin):
    """``num_features`` of a batch norm read from axis 1 of the first input."""

    def _lazy_init(self) -> None:
        m: Any = self
        m.num_features = 0
        if m.affine:
            m.weight = UninitializedParameter(dtype=m.weight.dtype)
            m.bias = UninitializedParameter(dtype=m.weight.dtype)
        if m.track_running_stats:
            m.running_mean = UninitializedBuffer(dtype=m.running_mean.dtype)
            m.running_var = UninitializedBuffer(dtype=m.running_var.dtype)

    def _size_known(self) -> bool:
        m: Any = self
        return bool(m.num_features != 0)

    def initialize_parameters(self, input: Any) -> None:
        m: Any = self
        m.num_features = int(input.shape[1])
        for t in (m.weight, m.bias, m.running_mean, m.running_var):
            if isinstance(t, UNINITIALIZED):
                t.materialize((m.num_features,))
        self.reset_parameters()

    def _sizes_from_parameters(self) -> None:
        m: Any = self
        for t in (m.weight, m.running_mean):
            if t is not None:
                m.num_features = int(t.shape[0])
                return


class _LazyBatchNormNd(_LazyBatchNorm):
    """The constructor of LazyBatchNorm1d/2d/3d: batch norm's, without num_features."""

    def __init__(
        self,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(0, eps, momentum, affine, track_running_stats, dtype=dtype)  # type: ignore[call-arg]
        self._lazy_init()


class LazyBatchNorm1d(_LazyBatchNormNd, BatchNorm1d):  # type: ignore[misc]  # forward(input, ...)
    """``BatchNorm1d`` whose ``num_features`` is read from the first input."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyBatchNormNd, BatchNorm2d):  # type: ignore[misc]  # forward(input, ...)
    """``BatchNorm2d`` whose ``num_features`` is read from the first input."""

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyBatchNormNd, BatchNorm3d):  # type: ignore[misc]  # forward(input, ...)
    """``BatchNorm3d`` whose ``num_features`` is read from the first input."""

    cls_to_become = BatchNorm3d


class _LazyInstanceNormNd(_LazyBatchNormNd):
    """The lazy instance norms: batch norm's lazy constructor (affine and running statistics
    by default, as torch's), ``num_features`` read from the channel axis of a batched or
    unbatched first input."""

    def initialize_parameters(self, input: Any) -> None:
        m: Any = self
        rank = len(input.shape)
        if rank not in m._dims:
            name = type(self).__name__
            raise ValueError(
                f"{name}: expected {m._dims[0]}D or {m._dims[1]}D input {m._layout}, got input "
                f"of shape {tuple(input.shape)}"
            )
        m.num_features = int(input.shape[rank - m._dims[0]])
        for t in (m.weight, m.bias, m.running_mean, m.running_var):
            if isinstance(t, UNINITIALIZED):
                t.materialize((m.num_features,))
        self.reset_parameters()


class LazyInstanceNorm1d(_LazyInstanceNormNd, InstanceNorm1d):  # type: ignore[misc]
    """``InstanceNorm1d`` whose ``num_features`` is read from the first input."""

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyInstanceNormNd, InstanceNorm2d):  # type: ignore[misc]
    """``InstanceNorm2d`` whose ``num_features`` is read from the first input."""

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyInstanceNormNd, InstanceNorm3d):  # type: ignore[misc]
    """``InstanceNorm3d`` whose ``num_features`` is read from the first input."""

    cls_to_become = InstanceNorm3d
