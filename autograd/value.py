"""``Value``: a scalar node holding one Python float (micrograd-compatible)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from . import grad_mode
from .engine import local_backward
from .function import INPUTS, Context, Function, _next_seq
from .node import FOLDED, NO_INPUT, Node

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

    # A Value made by an op (an OpValue, one object per op) also uses the last four slots: they
    # are declared here so that each node's slots sit in one class (see Node)
    __slots__ = ("_ctx", "data", "grad", "label", "_a", "_b", "saved_tensors", "seq")
    data: float
    grad: float
    label: str
    requires_grad = True
    _keeps_grad = True
    _broadcasts = False
    _float_grad = True

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
        return self._data

    def __float__(self) -> float:
        return self._data

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


if TYPE_CHECKING:

    class _IndexSlot:
        """What type checkers see of ``OpValue._fn_index``: a slot holding an int."""

        def __get__(self, node: Any, owner: Any) -> int: ...
        def __set__(self, node: Any, index: int) -> None: ...


_label_slot = Value.__dict__["label"]


class OpValue(Value):
    """A Value made by a built-in op that is also that op's context (one object per op).

    ``_ctx`` reads as the Value itself, so the engine, ``grad_fn`` and the graph tools see
    ``fn``, ``inputs``, ``parents``, ``saved_tensors``... as on a Context. It is a property,
    not a stored reference, so the node does not refer to itself (no reference cycle).
    """

    # The op's inputs sit in two slots rather than a tuple: one object per op for the collector
    # to track. ``_b`` is NO_INPUT for a one-input op. Few slots: each costs every collection
    # that walks the node (``fn`` below reuses one, needs_input_grad is derived).
    __slots__ = ()  # its slots are Value's (see there)
    # An OpValue's ``_ctx`` is itself, so the ``_ctx`` slot is free: it holds the index of the
    # op's Function in FOLDED (see there), read and written as ``_fn_index``
    _fn_index = cast("_IndexSlot", Value.__dict__["_ctx"])
    _a: Any
    _b: Any
    saved_tensors: tuple
    seq: int
    versions: tuple = ()  # Values have no in-place ops to check

    @property  # type: ignore[override]
    def _ctx(self) -> OpValue:
        return self

    # An op leaves its node's ``label`` slot empty, so that the collector has one slot fewer
    # to walk in each node; it reads as "" until one is given
    @property  # type: ignore[override]
    def label(self) -> str:
        try:
            return _label_slot.__get__(self)
        except AttributeError:
            return ""

    @label.setter
    def label(self, text: str) -> None:
        _label_slot.__set__(self, text)

    @property
    def fn(self) -> type[Function]:
        """The op's Function class."""
        return FOLDED[self._fn_index]

    @fn.setter
    def fn(self, fn: type[Function]) -> None:
        self._fn_index = FOLDED.index(fn)

    @property
    def inputs(self) -> tuple:
        """The op's inputs as given (Values and constants)."""
        return (self._a,) if self._b is NO_INPUT else (self._a, self._b)

    @property
    def needs_input_grad(self) -> tuple:
        """For each input, whether it needs a gradient: every Value does, a constant not."""
        return tuple(isinstance(a, Node) for a in self.inputs)

    @property
    def parents(self) -> tuple:
        """The inputs that need a gradient."""
        return tuple(a for a in self.inputs if isinstance(a, Node))

    def __reduce__(self) -> tuple:
        # copied or pickled, a computed Value is a plain one (its history is not kept)
        return (Value, (self._data, self.label), (None, {"grad": self.grad}))


Value._result_type = Value
# the ``data`` slot under the name Tensor gives its array, for code shared by both kinds
Value._data = Value.__dict__["data"]  # type: ignore[attr-defined]
Value._folded = OpValue


# --- the operators on Values: function.record's folded path, inlined for the common cases ---
_new = OpValue.__new__
_new_value = Value.__new__
# what forward sees as ctx under no_grad (nothing it saves is kept)
_SCRATCH = Context()
_STATE = grad_mode.STATE
_OFF = grad_mode.OFF  # threads with grad mode off: read _STATE only when some are


def _value_binary(fn: type[Function], generic: Any) -> Any:
    """``self OP other`` on a Value: one OpValue made here for another Value or a number;
    anything else (and grad mode off) goes to the generic method ``generic``."""
    # an OpValue is its own context: forward gets it where a Context is declared
    forward: Callable[..., Any] = fn.forward
    on_floats, saved = _float_path(fn)
    index = FOLDED.index(fn)

    def op(self: Value, other: Any) -> Any:
        # identity tests: ``t in (a, b)`` compares type objects through their rich compare
        t = type(other)
        if t is OpValue or t is Value:
            b = other._data
        elif t is float or t is int:
            b = other
        else:
            return generic(self, other)
        if _OFF and not _STATE.enabled:
            return _constant(forward(_SCRATCH, self._data, b))
        node = _new(OpValue)
        if on_floats is None:
            node.saved_tensors = ()
            out = forward(node, self._data, b)
            node.data = out if type(out) is float else _as_output(node, out)
        else:
            node.saved_tensors = saved
            node.data = on_floats(self._data, b)
        node.grad = 0.0
        node._fn_index = index
        node._a = self
        node._b = other
        node.seq = _next_seq()
        return node

    op.__doc__ = generic.__doc__
    return op


def _value_reflected(fn: type[Function], generic: Any) -> Any:
    """``other OP self`` for a number ``other`` (see ``_value_binary``)."""
    # an OpValue is its own context: forward gets it where a Context is declared
    forward: Callable[..., Any] = fn.forward
    on_floats, saved = _float_path(fn)
    index = FOLDED.index(fn)

    def op(self: Value, other: Any) -> Any:
        t = type(other)
        if t is not float and t is not int:
            return generic(self, other)
        if _OFF and not _STATE.enabled:
            return _constant(forward(_SCRATCH, other, self._data))
        node = _new(OpValue)
        if on_floats is None:
            node.saved_tensors = ()
            out = forward(node, other, self._data)
            node.data = out if type(out) is float else _as_output(node, out)
        else:
            node.saved_tensors = saved
            node.data = on_floats(other, self._data)
        node.grad = 0.0
        node._fn_index = index
        node._a = other
        node._b = self
        node.seq = _next_seq()
        return node

    op.__doc__ = generic.__doc__
    return op


def _value_unary(fn: type[Function], generic: Any) -> Any:
    """``OP(self)`` (see ``_value_binary``)."""
    # an OpValue is its own context: forward gets it where a Context is declared
    forward: Callable[..., Any] = fn.forward
    on_floats, saved = _float_path(fn)
    index = FOLDED.index(fn)

    def op(self: Value) -> Any:
        if _OFF and not _STATE.enabled:
            return _constant(forward(_SCRATCH, self._data))
        node = _new(OpValue)
        if on_floats is None:
            node.saved_tensors = ()
            out = forward(node, self._data)
            node.data = out if type(out) is float else _as_output(node, out)
        else:
            node.saved_tensors = saved
            node.data = on_floats(self._data)
        node.grad = 0.0
        node._fn_index = index
        node._a = self
        node._b = NO_INPUT
        node.seq = _next_seq()
        return node

    op.__doc__ = generic.__doc__
    return op


def _float_path(fn: type[Function]) -> tuple[Callable[..., Any] | None, Any]:
    """``fn``'s forward on floats as a builtin, or None (call forward), and what its node's
    ``saved_tensors`` starts as on that path (see ``Function._on_floats``)."""
    return fn._on_floats, INPUTS if fn._saves_inputs else ()


def _constant(out: Any) -> Value:
    """The result of an op under no_grad: a leaf Value."""
    v = _new_value(Value)
    v.data = out if type(out) is float else float(out)
    v.grad = 0.0
    v.label = ""
    v._ctx = None
    return v


def _as_output(node: OpValue, out: Any) -> float:
    """``out`` as the node's float data; what forward saved of ``out`` follows the conversion."""
    data = float(out)
    if node.saved_tensors:
        node.saved_tensors = tuple(data if s is out else s for s in node.saved_tensors)
    return data


for _name, _method in list(vars(Node).items()):
    _fn = getattr(_method, "op_function", None)
    if _fn is None or not _fn._folds:
        continue
    _kind = _method.op_kind
    _make = (
        _value_binary
        if _kind == "binary"
        else _value_reflected
        if _kind == "reflected"
        else _value_unary
    )
    setattr(Value, _name, _make(_fn, _method))
