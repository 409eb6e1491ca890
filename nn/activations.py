"""Activation modules (torch.nn's names, arguments and reprs) over ``nn.functional``.

Each module calls its function with the settings it was built with; PReLU holds its slopes
and a trainable Swish its beta as Parameters. ``inplace=`` is accepted for PyTorch
compatibility and ignored (a new node is always returned).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np

from autograd import Tensor, Value
from autograd.devices import check_device
from autograd.dtypes import get_default_dtype

from . import functional as F
from .functional.activations import _implicit_softmax_dim
from .module import Module
from .parameter import Parameter

N = TypeVar("N", Value, Tensor)
S = TypeVar("S", Tensor, list[Value])


class _Activation(Module):
    """Calls ``function(input, **settings)``; the settings are the attributes named in
    ``settings`` and make up the repr."""

    function: ClassVar[Callable[..., Any]]
    settings: ClassVar[tuple[str, ...]] = ()

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Any) -> Any:
        settings = {k: getattr(self, k) for k in self.settings}
        if self.inplace:
            settings["inplace"] = True
        return type(self).function(input, **settings)

    def extra_repr(self) -> str:
        parts = [f"{k}={getattr(self, k)!r}" for k in self.settings]
        if self.inplace:
            parts.append("inplace=True")
        return ", ".join(parts)


class _Elementwise(_Activation):
    """An elementwise activation: a Value gives a Value, a Tensor a Tensor of its shape."""

    if TYPE_CHECKING:

        def forward(self, input: N) -> N: ...


class _NoArguments(_Elementwise):
    """An elementwise activation that takes no arguments (not even ``inplace``)."""

    def __init__(self) -> None:
        super().__init__()


class _InplaceUnshown(_Elementwise):
    """An elementwise activation whose repr does not show inplace (as PyTorch's)."""

    def extra_repr(self) -> str:
        return ""


class _Shrink(_Elementwise):
    """Softshrink and Hardshrink: one argument, ``lambd``, shown bare in the repr."""

    settings = ("lambd",)

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def extra_repr(self) -> str:
        return str(self.lambd)


class _AlongDim(_Activation):
    """Softmax-like: a Tensor gives a Tensor, a list of Values a list of Values."""

    if TYPE_CHECKING:
        # a type variable rather than overloads, so that nn.Sequential ending in a Softmax
        # does not claim a Tensor result (mypy infers an overloaded forward's first return)

        def forward(self, input: S) -> S: ...


class Sigmoid(_Elementwise):
    """1 / (1 + e^-x), elementwise."""

    function = staticmethod(F.sigmoid)


class Tanh(_Elementwise):
    """tanh(x), elementwise."""

    function = staticmethod(F.tanh)


class ReLU(_Elementwise):
    """max(0, x), elementwise."""

    function = staticmethod(F.relu)


class LeakyReLU(_Elementwise):
    """x for x > 0, negative_slope * x otherwise."""

    function = staticmethod(F.leaky_relu)
    settings = ("negative_slope",)

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.negative_slope = negative_slope


class ELU(_Elementwise):
    """x for x > 0, alpha * (e^x - 1) otherwise."""

    function = staticmethod(F.elu)
    settings = ("alpha",)

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.alpha = alpha


class SELU(_Elementwise):
    """scale * elu(x, alpha) with the self-normalising constants."""

    function = staticmethod(F.selu)


class Softplus(_Elementwise):
    """log(1 + e^(beta x)) / beta; x itself where beta * x > threshold."""

    function = staticmethod(F.softplus)
    settings = ("beta", "threshold")

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold


class SiLU(_Elementwise):
    """x * sigmoid(x)."""

    function = staticmethod(F.silu)


class Mish(_Elementwise):
    """x * tanh(softplus(x))."""

    function = staticmethod(F.mish)


class GELU(_Elementwise):
    """x * Phi(x); approximate='tanh' for the tanh formula."""

    function = staticmethod(F.gelu)
    settings = ("approximate",)

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate


class Hardtanh(_Elementwise):
    """x clipped to [min_val, max_val]."""

    function = staticmethod(F.hardtanh)
    settings = ("min_val", "max_val")

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        if not max_val > min_val:
            raise ValueError(
                f"Hardtanh: max_val ({max_val}) must be greater than min_val ({min_val})"
            )
        self.min_val = min_val
        self.max_val = max_val


class Step(_Elementwise):
    """The binary threshold: 1 where x >= 0, else 0 (zero gradient: it does not train)."""

    function = staticmethod(F.step)


class Identity(_Elementwise):
    """Returns its input (as a new node); any constructor arguments are ignored, as PyTorch."""

    function = staticmethod(F.identity)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()


def _softmax_dim(axis: Any, dim: Any, name: str) -> int | None:
    if dim is not None:
        if axis is not None:
            raise TypeError(f"{name}: pass either axis= or dim=, not both")
        return dim
    return axis


class _Softmax(_AlongDim):
    """Softmax and LogSoftmax: along ``dim``; None (the default, as in PyTorch) takes PyTorch's
    implicit choice when called, with its deprecation warning: axis 0 for 0-, 1- and 3-d input,
    else 1 (a list of Values: its only axis)."""

    settings = ("dim",)

    def __init__(self, dim: int | None = None, *, axis: int | None = None) -> None:
        super().__init__()
        self.dim = _softmax_dim(axis, dim, type(self).__name__)

    def forward(self, input: S) -> S:
        dim = self.dim
        if dim is None:
            ndim = input.ndim if isinstance(input, Tensor) else 1
            op = type(self).__name__.lower()
            dim = _implicit_softmax_dim(op, ndim, stacklevel=4)
        return type(self).function(input, dim=dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_Softmax):
    """Softmax along ``dim`` (``axis=`` accepted)."""

    function = staticmethod(F.softmax)


class LogSoftmax(_Softmax):
    """log(softmax(x)) along ``dim`` (``axis=`` accepted)."""

    function = staticmethod(F.log_softmax)


class PReLU(Module):
    """x for x > 0, weight * x otherwise, with learnable slopes (He et al.).

    ``num_parameters`` = 1 shares one slope across all channels; otherwise one slope per
    channel, the channels being axis 1 of the input. Slopes start at ``init`` (0.25, the
    paper's). ``weight`` is a Parameter of shape (num_parameters,).
    """

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__()
        check_device(device, "PReLU")
        if isinstance(num_parameters, bool) or not isinstance(num_parameters, (int, np.integer)):
            raise TypeError(f"PReLU: num_parameters must be an int, got {num_parameters!r}")
        if num_parameters < 1:
            raise ValueError(f"PReLU: num_parameters must be at least 1, got {num_parameters}")
        self.num_parameters = int(num_parameters)
        dt = np.dtype(get_default_dtype() if dtype is None else dtype)
        self.weight = Parameter(np.full((self.num_parameters,), init, dtype=dt))

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Swish(Module):
    """x * sigmoid(beta * x). With ``trainable=True``, beta is a Parameter (0-d, starting at
    ``beta``) that the optimizer trains; otherwise a constant. A trainable beta is a Tensor,
    so such a module works on Tensors (for Values, pass a Value beta to ``F.swish``)."""

    def __init__(self, beta: float = 1.0, trainable: bool = False) -> None:
        super().__init__()
        self.trainable = bool(trainable)
        if self.trainable:
            self.beta: Any = Parameter(np.array(beta, dtype=get_default_dtype()))
        else:
            self.beta = float(beta)

    def forward(self, input: N) -> N:
        return F.swish(input, self.beta)

    def extra_repr(self) -> str:
        beta = self.beta.item() if self.trainable else self.beta
        return f"beta={beta!r}, trainable={self.trainable}"


class ReLU6(Hardtanh):
    """min(max(0, x), 6), elementwise (a Hardtanh with bounds 0 and 6, as in PyTorch)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardsigmoid(_InplaceUnshown):
    """relu6(x + 3) / 6, elementwise."""

    function = staticmethod(F.hardsigmoid)


class Hardswish(_InplaceUnshown):
    """x * relu6(x + 3) / 6, elementwise."""

    function = staticmethod(F.hardswish)


class LogSigmoid(_NoArguments):
    """log(sigmoid(x)), elementwise, finite for every finite x."""

    function = staticmethod(F.logsigmoid)


class Softsign(_NoArguments):
    """x / (1 + |x|), elementwise."""

    function = staticmethod(F.softsign)


class Tanhshrink(_NoArguments):
    """x - tanh(x), elementwise."""

    function = staticmethod(F.tanhshrink)


class CELU(_Elementwise):
    """x for x > 0, alpha * (e^(x / alpha) - 1) otherwise."""

    function = staticmethod(F.celu)
    settings = ("alpha",)

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.alpha = alpha

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Threshold(_Elementwise):
    """x where x > threshold, else ``value``."""

    function = staticmethod(F.threshold)
    settings = ("threshold", "value")

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.threshold = threshold
        self.value = value

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"threshold={self.threshold}, value={self.value}{inplace}"


class Softshrink(_Shrink):
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""

    function = staticmethod(F.softshrink)


class Hardshrink(_Shrink):
    """x outside [-lambd, lambd], 0 inside."""

    function = staticmethod(F.hardshrink)


class Softmin(_AlongDim):
    """softmax(-x) along ``dim`` (None: PyTorch's implicit choice, with its warning)."""

    function = staticmethod(F.softmin)
    settings = ("dim",)

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Any) -> Any:
        return F.softmin(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class GLU(Module):
    """The gated linear unit: a * sigmoid(b), a and b the halves of the input along ``dim``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class RReLU(_Elementwise):
    """x for x > 0, a * x otherwise, a ~ U(lower, upper) per entry while training and
    (lower + upper) / 2 in evaluation. See ``nn.functional.rrelu``."""

    def __init__(
        self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False
    ) -> None:
        super().__init__(inplace)
        self.lower = lower
        self.upper = upper

    def forward(self, input: Any) -> Any:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"lower={self.lower}, upper={self.upper}{inplace}"


class Softmax2d(Module):
    """Softmax over the channels at every location of (N, C, H, W) or (C, H, W) input."""

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D instead")
        return F.softmax(input, dim=-3)
