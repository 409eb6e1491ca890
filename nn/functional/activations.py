"""Activation functions with torch.nn.functional's names, arguments and defaults.

The elementwise ones take a Value or a Tensor and return the same kind; softmax and
log_softmax take a Tensor (or a list of Values, giving a list). Each is an engine primitive:
the derivatives live in ``autograd/ops/activations.py``. ``inplace=`` is accepted so that
PyTorch code runs unchanged, and ignored: a new node is always returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, overload

from autograd import Tensor, Value
from autograd.node import Node
from autograd.ops import activations as act

N = TypeVar("N", Value, Tensor)


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
    return _node(input, "relu").relu()


def leaky_relu(input: N, negative_slope: float = 0.01, inplace: bool = False) -> N:
    """x for x > 0, negative_slope * x otherwise."""
    return _node(input, "leaky_relu").leaky_relu(negative_slope)


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
    return _node(input, "elu").elu(alpha)


def selu(input: N, inplace: bool = False) -> N:
    """scale * elu(x, alpha), scale = 1.0507..., alpha = 1.6732... (self-normalising)."""
    return _node(input, "selu").selu()


def softplus(input: N, beta: float = 1.0, threshold: float = 20.0) -> N:
    """log(1 + e^(beta x)) / beta, and x itself where beta * x > threshold."""
    return _node(input, "softplus").softplus(beta, threshold)


def silu(input: N, inplace: bool = False) -> N:
    """x * sigmoid(x) (Swish with beta = 1)."""
    return _node(input, "silu").silu()


def swish(input: N, beta: Any = 1.0) -> N:
    """x * sigmoid(beta * x). ``beta`` is a number, or a Value/Tensor to train it."""
    return _node(input, "swish").swish(beta)


def mish(input: N, inplace: bool = False) -> N:
    """x * tanh(softplus(x))."""
    return _node(input, "mish").mish()


def gelu(input: N, approximate: str = "none") -> N:
    """x * Phi(x) with the exact normal CDF, or its tanh approximation (approximate='tanh')."""
    return _node(input, "gelu").gelu(approximate)


def hardtanh(input: N, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> N:
    """x clipped to [min_val, max_val]; gradient 1 strictly inside, else 0."""
    return _node(input, "hardtanh").hardtanh(min_val, max_val)


def step(input: N) -> N:
    """The binary threshold: 1 where x >= 0, else 0. Its gradient is 0, so it does not train."""
    return _node(input, "step").step()


def identity(input: N) -> N:
    """x itself, as a node of its own (the linear activation); gradient 1."""
    return act.Identity.apply(_node(input, "identity"))


def _axis(axis: Any, dim: Any, op: str) -> Any:
    if dim is None:
        return -1 if axis is None else axis
    if axis is not None and axis != -1:
        raise TypeError(f"{op}: pass either axis= or dim=, not both")
    return dim


def _value_softmax(values: Sequence[Any], log: bool, op: str) -> list[Value]:
    """Softmax of a list of Values, composed from Value ops (shifted by the maximum)."""
    if not values or not all(isinstance(v, Value) for v in values):
        raise TypeError(f"{op}: expected a Tensor or a non-empty list of Values")
    top = max(v.data for v in values)
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
    return (act.LogSoftmax if log else act.Softmax).apply(input, _axis(axis, dim, op))


@overload
def softmax(
    input: Tensor, axis: int | None = -1, *, dim: int | None = None, dtype: Any = None
) -> Tensor: ...
@overload
def softmax(
    input: Sequence[Value], axis: int | None = -1, *, dim: int | None = None, dtype: Any = None
) -> list[Value]: ...
def softmax(input: Any, axis: int | None = -1, *, dim: int | None = None, dtype: Any = None) -> Any:
    """e^x_i / sum_j e^x_j along ``axis`` (``dim`` as in PyTorch), shifted by the maximum
    so that no exponential overflows. A list of Values gives a list of Values."""
    return _softmax(input, axis, dim, log=False, dtype=dtype)


@overload
def log_softmax(
    input: Tensor, axis: int | None = -1, *, dim: int | None = None, dtype: Any = None
) -> Tensor: ...
@overload
def log_softmax(
    input: Sequence[Value], axis: int | None = -1, *, dim: int | None = None, dtype: Any = None
) -> list[Value]: ...
def log_softmax(
    input: Any, axis: int | None = -1, *, dim: int | None = None, dtype: Any = None
) -> Any:
    """log(softmax(x)) along ``axis``, computed as (x - m) - log sum e^(x - m): finite for
    any finite input. A list of Values gives a list of Values."""
    return _softmax(input, axis, dim, log=True, dtype=dtype)
