"""``Value``: a scalar node holding one Python float (micrograd-compatible)."""

from __future__ import annotations

from typing import Any

from .engine import local_backward
from .node import Node

# micrograd's spelling of each op (others: the op's name in lower case)
_MICROGRAD_SYMBOLS = {
    "Add": "+",
    "Sub": "-",
    "Mul": "*",
    "Div": "/",
    "Neg": "-",
    "ReLU": "ReLU",
}


class Value(Node):
    """One float in a computation graph: ``.data``, ``.grad`` (0.0 until backward), ``.label``.

    Every Value takes part in differentiation: after ``backward()`` each one reached holds
    d(root)/d(itself) in ``.grad`` (accumulated, as in micrograd).
    """

    __slots__ = ("data", "grad", "label")
    data: float
    grad: float
    label: str
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

    def zero_grad(self) -> None:
        """Set ``.grad`` back to 0.0."""
        self.grad = 0.0

    def item(self) -> float:
        """The data as a Python float."""
        return self.data

    def __float__(self) -> float:
        return self.data

    # --- micrograd's teaching interface: walk and run the graph by hand ---
    @property
    def _prev(self) -> set[Value]:
        """The Values this one was computed from (empty for a leaf), as micrograd's ``_prev``."""
        if self._ctx is None:
            return set()
        return {a for a in self._ctx.inputs if isinstance(a, Value)}

    @property
    def _op(self) -> str:
        """The op that made this Value, spelled as micrograd does (``'+'``, ``'*'``, ``'**2'``,
        ``'tanh'``, ``'exp'``, ``'ReLU'``...); ``''`` for a leaf."""
        ctx = self._ctx
        if ctx is None:
            return ""
        name = ctx.fn.__name__
        if name == "Pow":
            exponent = ctx.inputs[1]
            return "**" if isinstance(exponent, Value) else f"**{exponent}"
        return _MICROGRAD_SYMBOLS.get(name, name.lower())

    def _backward(self) -> None:
        """One step of backprop by hand: add this Value's current ``.grad``, times the local
        derivative, into its inputs' ``.grad`` (as micrograd's ``_backward`` closure does)."""
        if self._ctx is not None:
            for parent, g in local_backward(self, self.grad):
                parent.grad += g

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"


Value._result_type = Value
