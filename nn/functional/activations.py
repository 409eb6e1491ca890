"""Activation functions with torch.nn.functional's names, arguments and defaults.

The elementwise ones take a Value or a Tensor and return the same kind; softmax and
log_softmax (and softmin) take a Tensor (or a list of Values, giving a list); glu takes a
Tensor. The first group are engine primitives, their derivatives in
``autograd/ops/activations.py``; the rest (relu6 to softmin, at the end) are short
compositions of those and of Tensor ops, so they differentiate to every order.
``inplace=True`` on a Tensor writes the result into the input itself, as PyTorch's in-place
forms (``x.relu_()``): the Tensor takes the result's values and history, with PyTorch's rules
(autograd/inplace.py). On a Value it is ignored (a Value is immutable).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, overload

from autograd import Tensor, Value, where
from autograd.node import Node
from autograd.ops import activations as act
from autograd.ops.reductions import normalize_axis

from .in_place import maybe_in_place

N = TypeVar("N", Value, Tensor)


def _result(input: Any, inplace: bool, op: str, compute: Callable[[Any], Any]) -> Any:
    return maybe_in_place(_node(input, op), inplace, op, compute)


def _node(input: Any, op: str) -> Any:
    if not isinstance(input, Node):
        raise TypeError(
            f"{op}: expected a Value or a Tensor, got {type(input).__name__} "
            "(wrap arrays in autograd.Tensor, numbers in autograd.Value)"
        )
    return input


def sigmoid(input: N) -> N:
    """1 / (1 + e^-x)."""
    return _node(input, "sigmoid").sigmoid()


def tanh(input: N) -> N:
    """Hyperbolic tangent."""
    return _node(input, "tanh").tanh()


def relu(input: N, inplace: bool = False) -> N:
    """max(0, x); gradient 0 at 0."""
    return _result(input, inplace, "relu", lambda x: x.relu())


def leaky_relu(input: N, negative_slope: float = 0.01, inplace: bool = False) -> N:
    """x for x > 0, negative_slope * x otherwise."""
    return _result(input, inplace, "leaky_relu", lambda x: x.leaky_relu(negative_slope))


def prelu(input: N, weight: Any) -> N:
    """x for x > 0, weight * x otherwise, with learnable slopes.

    For a Tensor, ``weight`` has one element (shared) or one per channel, the channels being
    axis 1 of the input (PyTorch's layout); its gradient sums over the positions sharing a
    slope. For a Value, ``weight`` is a Value (or a number).
    """
    x = _node(input, "prelu")
    if isinstance(x, Value) and isinstance(weight, Tensor):
        raise TypeError("prelu: a Value input needs a Value weight, got a Tensor")
    return act.PReLU.apply(x, weight)


def elu(input: N, alpha: float = 1.0, inplace: bool = False) -> N:
    """x for x > 0, alpha * (e^x - 1) otherwise.

    The derivative is 1 for x > 0 and alpha * e^x for x <= 0, so at x = 0 it is alpha, as
    in PyTorch. The notes (002) write ELU'(z) = 1 for z >= 0, which differs at 0 when
    alpha != 1; the two one-sided derivatives meet there only for alpha = 1.
    """
    return _result(input, inplace, "elu", lambda x: x.elu(alpha))


def selu(input: N, inplace: bool = False) -> N:
    """scale * elu(x, alpha), scale = 1.0507..., alpha = 1.6732... (self-normalising)."""
    return _result(input, inplace, "selu", lambda x: x.selu())


def softplus(input: N, beta: float = 1.0, threshold: float = 20.0) -> N:
    """log(1 + e^(beta x)) / beta, and x itself where beta * x > threshold."""
    return _node(input, "softplus").softplus(beta, threshold)


def silu(input: N, inplace: bool = False) -> N:
    """x * sigmoid(x) (Swish with beta = 1)."""
    return _result(input, inplace, "silu", lambda x: x.silu())


def swish(input: N, beta: Any = 1.0) -> N:
    """x * sigmoid(beta * x). ``beta`` is a number, or a Value/Tensor to train it."""
    return _node(input, "swish").swish(beta)


def mish(input: N, inplace: bool = False) -> N:
    """x * tanh(softplus(x))."""
    return _result(input, inplace, "mish", lambda x: x.mish())


def gelu(input: N, approximate: str = "none") -> N:
    """x * Phi(x) with the exact normal CDF, or its tanh approximation (approximate='tanh')."""
    return _node(input, "gelu").gelu(approximate)


def hardtanh(input: N, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> N:
    """x clipped to [min_val, max_val]; gradient 1 strictly inside, else 0."""
    return _result(input, inplace, "hardtanh", lambda x: x.hardtanh(min_val, max_val))


def step(input: N) -> N:
    """The binary threshold: 1 where x >= 0, else 0. Its gradient is 0, so it does not train."""
    return _node(input, "step").step()


def identity(input: N) -> N:
    """x itself, as a node of its own (the linear activation); gradient 1."""
    return act.Identity.apply(_node(input, "identity"))


def _axis(axis: Any, dim: Any, op: str, ndim: int) -> Any:
    if dim is None:
        # no axis at all: PyTorch's implicit (deprecated) one, which is not always the last
        return _implicit_softmax_dim(op, ndim, stacklevel=5) if axis is None else axis
    if axis is not None:
        raise TypeError(f"{op}: pass either axis= or dim=, not both")
    return dim


def _value_softmax(values: Sequence[Any], log: bool, op: str) -> list[Value]:
    """Softmax of a list of Values, composed from Value ops (shifted by the maximum)."""
    if not values or not all(isinstance(v, Value) for v in values):
        raise TypeError(f"{op}: expected a Tensor or a non-empty list of Values")
    top = max(v._data for v in values)
    shifted = [v - top for v in values]
    exps = [s.exp() for s in shifted]
    total = exps[0]
    for e in exps[1:]:
        total = total + e
    if log:
        log_total = total.log()
        return [s - log_total for s in shifted]
    return [e / total for e in exps]


def _softmax(input: Any, axis: Any, dim: Any, log: bool, dtype: Any = None) -> Any:
    op = "log_softmax" if log else "softmax"
    if isinstance(input, (list, tuple)):
        return _value_softmax(input, log, op)
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor or a list of Values, got {type(input).__name__}")
    if dtype is not None:
        input = input.to(dtype)  # PyTorch's: the input is cast before the op
    return (act.LogSoftmax if log else act.Softmax).apply(input, _axis(axis, dim, op, input.ndim))


@overload
def softmax(
    input: Tensor, axis: int | None = None, *, dim: int | None = None, dtype: Any = None
) -> Tensor: ...
@overload
def softmax(
    input: Sequence[Value], axis: int | None = None, *, dim: int | None = None, dtype: Any = None
) -> list[Value]: ...
def softmax(
    input: Any, axis: int | None = None, *, dim: int | None = None, dtype: Any = None
) -> Any:
    """e^x_i / sum_j e^x_j along ``axis`` (``dim`` as in PyTorch), shifted by the maximum
    so that no exponential overflows. Without an axis, PyTorch's implicit one (0 for 0-, 1-
    and 3-d input, else 1) with its deprecation warning. A list of Values gives a list of
    Values."""
    return _softmax(input, axis, dim, log=False, dtype=dtype)


@overload
def log_softmax(
    input: Tensor, axis: int | None = None, *, dim: int | None = None, dtype: Any = None
) -> Tensor: ...
@overload
def log_softmax(
    input: Sequence[Value], axis: int | None = None, *, dim: int | None = None, dtype: Any = None
) -> list[Value]: ...
def log_softmax(
    input: Any, axis: int | None = None, *, dim: int | None = None, dtype: Any = None
) -> Any:
    """log(softmax(x)) along ``axis``, computed as (x - m) - log sum e^(x - m): finite for
    any finite input. Without an axis, PyTorch's implicit one (as ``softmax``). A list of
    Values gives a list of Values."""
    return _softmax(input, axis, dim, log=True, dtype=dtype)


# --- PyTorch's remaining activations, composed from the primitives above ----------------------
# Piecewise ones select their pieces with ``where`` on the input's data (a constant mask), so
# the gradient at a kink is the piece PyTorch's backward picks there, and an unselected piece
# passes back an exact 0 (no inf * 0 from the branch that was not taken).


def _data(x: Any) -> Any:
    """The raw data of a Value (a float) or a Tensor (an ndarray), for masks."""
    return x._data


def relu6(input: N, inplace: bool = False) -> N:
    """min(max(0, x), 6); gradient 1 strictly between 0 and 6, else 0 (PyTorch's)."""
    return _result(input, inplace, "relu6", lambda x: x.hardtanh(0.0, 6.0))


def hardsigmoid(input: N, inplace: bool = False) -> N:
    """relu6(x + 3) / 6: 0 for x <= -3, 1 for x >= 3, x / 6 + 1/2 between; gradient 1/6
    strictly between -3 and 3, else 0 (PyTorch's; its float64 gradient is float32's 1/6)."""
    return _result(input, inplace, "hardsigmoid", _hardsigmoid)


def _hardsigmoid(x: Any) -> Any:
    d = _data(x)
    return where(d <= -3, 0.0, where(d >= 3, 1.0, (x + 3) / 6))


def hardswish(input: N, inplace: bool = False) -> N:
    """x * relu6(x + 3) / 6: 0 for x <= -3, x for x >= 3; gradient x / 3 + 1/2 strictly
    between -3 and 3, 0 at and below -3, 1 at and above 3 (PyTorch's). 0 at x = -inf, where
    PyTorch's formula gives nan (-inf * 0)."""
    return _result(input, inplace, "hardswish", _hardswish)


def _hardswish(x: Any) -> Any:
    d = _data(x)
    low, high = d <= -3, d >= 3
    # the middle piece on an input with the outer entries zeroed, so that an infinite input
    # never meets a zero gradient in x * (x + 3) (nan); nan stays in the middle piece
    xm = where(low | high, 0.0, x)
    return where(low, 0.0, where(high, x, xm * (xm + 3) / 6))


def logsigmoid(input: N) -> N:
    """log(sigmoid(x)), computed as -softplus(-x): finite for every finite x; gradient
    sigmoid(-x)."""
    x = _node(input, "logsigmoid")
    return -((-x).softplus(1.0, math.inf))


def softsign(input: N) -> N:
    """x / (1 + |x|)."""
    x = _node(input, "softsign")
    return x / (abs(x) + 1)


def tanhshrink(input: N) -> N:
    """x - tanh(x)."""
    x = _node(input, "tanhshrink")
    return x - x.tanh()


def celu(input: N, alpha: float = 1.0, inplace: bool = False) -> N:
    """x for x > 0, alpha * (e^(x / alpha) - 1) otherwise; gradient 1 at 0 (PyTorch's).
    ``alpha`` must be nonzero."""
    alpha = float(alpha)
    if alpha == 0:
        raise ValueError("celu: alpha cannot be 0 (the function divides by it)")
    return _result(input, inplace, "celu", lambda x: _celu(x, alpha))


def _celu(x: Any, alpha: float) -> Any:
    # the negative piece on min(x, 0), so that e^(x / alpha) of a large positive x is never
    # taken; for alpha > 0 it is elu's expm1 branch (no lost digits near 0)
    z = x.clip(None, 0.0) * (1.0 / alpha)
    negative = z.elu(1.0) if alpha > 0 else z.exp() - 1
    return where(_data(x) > 0, x, negative * alpha)


def threshold(input: N, threshold: float, value: float, inplace: bool = False) -> N:
    """x where x > threshold, else ``value``; gradient 1 where x > threshold, else 0."""
    return _result(input, inplace, "threshold", lambda x: where(_data(x) <= threshold, value, x))


def _check_lambd(lambd: float, op: str) -> float:
    lambd = float(lambd)
    if not lambd >= 0:
        raise ValueError(f"{op}: lambd must be at least 0, got {lambd}")
    return lambd


def softshrink(input: N, lambd: float = 0.5) -> N:
    """x - lambd for x > lambd, x + lambd for x < -lambd, 0 between (bounds included);
    gradient 1 outside [-lambd, lambd], else 0. ``lambd`` must be at least 0."""
    x = _node(input, "softshrink")
    lambd = _check_lambd(lambd, "softshrink")
    d = _data(x)
    return where(abs(d) <= lambd, 0.0, where(d > lambd, x - lambd, x + lambd))


def hardshrink(input: N, lambd: float = 0.5) -> N:
    """x outside [-lambd, lambd], 0 inside (bounds included); gradient 1 outside, else 0.
    ``lambd`` must be at least 0."""
    x = _node(input, "hardshrink")
    lambd = _check_lambd(lambd, "hardshrink")
    d = _data(x)
    return where((d >= -lambd) & (d <= lambd), 0.0, x)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """The gated linear unit: a * sigmoid(b), where a and b are the first and second halves
    of ``input`` along ``dim`` (whose size must be even)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"glu: expected a Tensor, got {type(input).__name__}")
    if input.ndim == 0:
        raise ValueError("glu: a 0-d tensor cannot be halved; give it at least one dimension")
    axis = normalize_axis(dim, input.ndim, "glu")
    size = input.shape[axis]
    if size % 2:
        raise ValueError(
            f"glu: halving dimension must be even, but dimension {axis} is size {size}"
        )
    a, b = input.chunk(2, axis)
    return a * b.sigmoid()


def _implicit_softmax_dim(op: str, ndim: int, stacklevel: int) -> int:
    """PyTorch's (deprecated) choice of axis when none is given: 0 for 0-, 1- and 3-d input,
    else 1; with its warning."""
    warnings.warn(
        f"Implicit dimension choice for {op} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


@overload
def softmin(
    input: Tensor,
    dim: int | None = None,
    _stacklevel: int = 3,
    dtype: Any = None,
    *,
    axis: int | None = None,
) -> Tensor: ...
@overload
def softmin(
    input: Sequence[Value],
    dim: int | None = None,
    _stacklevel: int = 3,
    dtype: Any = None,
    *,
    axis: int | None = None,
) -> list[Value]: ...
def softmin(
    input: Any,
    dim: int | None = None,
    _stacklevel: int = 3,
    dtype: Any = None,
    *,
    axis: int | None = None,
) -> Any:
    """softmax(-x) along ``dim`` (``axis=`` accepted); the input is first cast to ``dtype``
    if one is given. Without a dim, PyTorch's implicit choice (with its deprecation warning):
    axis 0 for 0-, 1- and 3-d input, else 1. A list of Values gives a list of Values."""
    if isinstance(input, (list, tuple)):
        if not input or not all(isinstance(v, Value) for v in input):
            raise TypeError("softmin: expected a Tensor or a non-empty list of Values")
        return _value_softmax([-v for v in input], False, "softmin")
    if not isinstance(input, Tensor):
        raise TypeError(
            f"softmin: expected a Tensor or a list of Values, got {type(input).__name__}"
        )
    if axis is not None:
        if dim is not None:
            raise TypeError("softmin: pass either axis= or dim=, not both")
        dim = axis
    if dim is None:
        dim = _implicit_softmax_dim("softmin", input.ndim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return act.Softmax.apply(-input, dim)
