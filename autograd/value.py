"""``Value``: a scalar node holding one Python float (micrograd-compatible)."""

from __future__ import annotations

from typing import Any

from .node import Node


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
        if isinstance(data, (Node, str, bytes, bytearray)):
            # float('3') would accept a string: a string is not a number
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
