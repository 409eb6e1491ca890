"""``Value``: a scalar node holding one Python float (micrograd-compatible)."""

from __future__ import annotations

from typing import Any

from .function import intern_needs, record
from .node import Node
from .ops import activations as act
from .ops import arithmetic as ar

_BOTH = intern_needs((True, True))
_FIRST = intern_needs((True, False))
_SECOND = intern_needs((False, True))
_ONE = intern_needs((True,))


def _binary(fn: Any) -> Any:
    """``self OP other`` for a Value, without the generic input scan of ``Function.apply``."""

    def op(self: Value, other: Any) -> Any:
        if type(other) is Value:
            args = (self, other)
            return record(fn, args, args, (self.data, other.data), _BOTH, Value)
        if type(other) is float or type(other) is int:
            return record(fn, (self, other), (self,), (self.data, other), _FIRST, Value)
        return fn.apply(self, other)

    return op


def _reflected(fn: Any) -> Any:
    """``other OP self`` for a Value and a plain number."""

    def op(self: Value, other: Any) -> Any:
        if type(other) is float or type(other) is int:
            return record(fn, (other, self), (self,), (other, self.data), _SECOND, Value)
        return fn.apply(other, self)

    return op


def _unary(fn: Any) -> Any:
    def op(self: Value) -> Any:
        args = (self,)
        return record(fn, args, args, (self.data,), _ONE, Value)

    op.__doc__ = fn.__doc__
    return op


class Value(Node):
    """One float in a computation graph: ``.data``, ``.grad`` (0.0 until backward), ``.label``.

    Every Value takes part in differentiation: after ``backward()`` each one reached holds
    d(root)/d(itself) in ``.grad`` (accumulated, as in micrograd).
    """

    __slots__ = ("data", "grad", "label")
    requires_grad = True
    _keeps_grad = True
    _broadcasts = False

    def __init__(self, data: Any, label: str = "") -> None:
        if isinstance(data, Node):
            raise TypeError(f"Value(data): expected a number, got a {type(data).__name__}")
        try:
            self.data = float(data)
        except (TypeError, ValueError):
            raise TypeError(f"Value(data): expected a real number, got {data!r}") from None
        self.grad = 0.0
        self.label = label
        self._ctx = None

    @classmethod
    def _from_op(cls, data: Any, ctx: Any) -> Value:
        v = cls.__new__(cls)
        v.data = data if type(data) is float else float(data)
        v.grad = 0.0
        v.label = ""
        v._ctx = ctx
        return v

    def _store_grad(self, g: Any, interior: bool) -> None:
        self.grad += g

    def _default_seed(self) -> float:
        return 1.0

    def _seed(self, grad: Any) -> Any:
        return 1.0 if grad is None else float(grad)

    __add__ = _binary(ar.Add)
    __radd__ = _reflected(ar.Add)
    __sub__ = _binary(ar.Sub)
    __rsub__ = _reflected(ar.Sub)
    __mul__ = _binary(ar.Mul)
    __rmul__ = _reflected(ar.Mul)
    __truediv__ = _binary(ar.Div)
    __rtruediv__ = _reflected(ar.Div)
    __pow__ = _binary(ar.Pow)
    __rpow__ = _reflected(ar.Pow)
    __neg__ = _unary(ar.Neg)
    tanh = _unary(act.Tanh)
    relu = _unary(act.ReLU)
    sigmoid = _unary(act.Sigmoid)

    def zero_grad(self) -> None:
        """Set ``.grad`` back to 0.0."""
        self.grad = 0.0

    def item(self) -> float:
        """The data as a Python float."""
        return self.data

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"


Value._result_type = Value
