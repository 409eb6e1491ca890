"""``Node``: what Value and Tensor share — the recorded op, backward(), and the operators
and elementwise functions that both node types offer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11; only read by checkers


class _NoInput:
    """The second input slot of a one-input op's node (see ``value.OpValue``)."""

    def __repr__(self) -> str:
        return "NO_INPUT"


NO_INPUT = _NoInput()

# The Functions whose output node can be its own context (``Function._folds``, filled below).
# Such a node (a Value's ``OpValue``) names its op by its index here: a small int, which the
# cyclic collector passes over at each collection (a Function class, it would have to check).
FOLDED: list[type[Function]] = []
FOLDED_BACKWARD: list[Any] = []  # their ``backward``s, in the same order (for the engine)


class Node:
    """A graph node: data, plus the context of the op that made it (``None`` for a leaf)."""

    # each node type declares its slots, ``_ctx`` among them, in one class: the cyclic
    # collector walks a node's slots class by class, so fewer classes with slots make each
    # collection cheaper per node
    __slots__ = ()
    _ctx: Any
    data: Any
    _data: Any  # the same as data: a slot or a fast property on each node type
    grad: Any
    requires_grad: bool
    _result_type: type
    _keeps_grad: bool  # does backward write this node's gradient when it is not a leaf?
    _broadcasts: bool  # may a gradient arrive in another shape (to be summed down)?
    _versioned = False  # do in-place changes need checking at backward? (Tensors)
    # the node class that is its own context for ops with Function._folds (None: a Context each)
    _folded: type | None = None
    _float_grad = False  # is .grad a float that backward adds to on every node (Values)?
    # [(seq, old value)] of a tensor changed in place while ops that could not be found used
    # it: an op recorded before seq used that old value (see function.reroute)
    _history: list | None = None

    # --- hooks the engine and Function.apply use; each node type defines them ---
    @classmethod
    def _from_op(cls, data: Any, ctx: Any) -> Any:
        raise NotImplementedError

    def _conform_grad(self, g: Any) -> Any:
        return g

    def _store_grad(self, g: Any, interior: bool) -> None:
        raise NotImplementedError

    def _default_seed(self) -> Any:
        raise NotImplementedError

    def _seed(self, grad: Any) -> Any:
        return self._default_seed() if grad is None else grad

    @property
    def is_leaf(self) -> bool:
        """True for nodes made by the user rather than by an op."""
        return self._ctx is None

    @property
    def grad_fn(self) -> Any:
        """The backward node of the op that made this node (PyTorch's: prints as
        ``<MulBackward0 object at ...>``, with ``name()``, ``next_functions`` and ``fn``, the
        Function class), or None for a leaf."""
        if self._ctx is None:
            return None
        from .grad_fn import grad_fn_of

        return grad_fn_of(self)

    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
        *,
        grad: Any = None,
    ) -> None:
        """Accumulate d(self)/d(node) * gradient into ``.grad`` of the nodes that need it (only
        of ``inputs`` when given). ``create_graph=True`` makes those gradients differentiable
        (Tensors); the graph is kept when ``retain_graph`` (default: create_graph)."""
        if grad is not None:
            if gradient is not None:
                raise TypeError("backward(): pass gradient or grad (its alias), not both")
            gradient = grad
        if not self.requires_grad:
            raise RuntimeError(
                f"backward() on a {type(self).__name__} that does not require grad: nothing "
                "that made it requires grad (or it was made under no_grad)"
            )
        seed = self._seed(gradient)
        if create_graph:
            if self._float_grad:
                raise NotImplementedError(
                    "Value.backward(create_graph=True): a Value's .grad is a float; use "
                    "autograd.grad(out, inputs, create_graph=True) for differentiable gradients"
                )
            seed = type(self)._from_op(seed, None)
        retain = create_graph if retain_graph is None else retain_graph
        if inputs is None:
            run_backward([self], [seed], retain_graph=retain, create_graph=create_graph)
            return
        targets = [inputs] if isinstance(inputs, Node) else list(inputs)
        for i, x in enumerate(targets):
            if not isinstance(x, Node) or not x.requires_grad:
                raise RuntimeError(f"backward(): inputs[{i}] is not a node that requires grad")
        found = run_backward(
            [self], [seed], retain_graph=retain, create_graph=create_graph, capture=targets
        )
        for x, g in (found or {}).items():
            x._store_grad(g, interior=x._ctx is not None)

    # Operators (+ - * / ** and unary -) and the one-input functions exp, log, sqrt, abs,
    # sigmoid, tanh and relu are attached below the class, once the ops are imported.
    if TYPE_CHECKING:

        def __add__(self, other: Any) -> Self: ...
        def __radd__(self, other: Any) -> Self: ...
        def __sub__(self, other: Any) -> Self: ...
        def __rsub__(self, other: Any) -> Self: ...
        def __mul__(self, other: Any) -> Self: ...
        def __rmul__(self, other: Any) -> Self: ...
        def __truediv__(self, other: Any) -> Self: ...
        def __rtruediv__(self, other: Any) -> Self: ...
        def __pow__(self, other: Any) -> Self: ...
        def __rpow__(self, other: Any) -> Self: ...
        def __neg__(self) -> Self: ...
        def __abs__(self) -> Self: ...
        def exp(self) -> Self: ...
        def log(self) -> Self: ...
        def sqrt(self) -> Self: ...
        def abs(self) -> Self: ...
        def sigmoid(self) -> Self: ...
        def tanh(self) -> Self: ...
        def relu(self) -> Self: ...

    def __pos__(self) -> Self:
        return self

    # --- elementwise functions (exp log sqrt abs sigmoid tanh relu are attached below) ---
    def clip(self, min: Any = None, max: Any = None) -> Self:  # noqa: A002 (numpy's names)
        """Limit to [min, max]; gradient 1 inside (bounds included), 0 outside."""
        return ew.Clip.apply(self, min, max)

    clamp = clip

    # --- activations (derivatives in autograd/ops/activations.py) ---
    def leaky_relu(self, negative_slope: float = 0.01) -> Self:
        """x for x >= 0, negative_slope * x below."""
        return act.LeakyReLU.apply(self, negative_slope)

    def elu(self, alpha: float = 1.0) -> Self:
        """x for x > 0, alpha * (e^x - 1) below."""
        return act.ELU.apply(self, alpha)

    def selu(self) -> Self:
        """scale * elu(x, alpha) with the self-normalising constants."""
        return act.SELU.apply(self)

    def softplus(self, beta: float = 1.0, threshold: float = 20.0) -> Self:
        """log(1 + e^(beta x)) / beta; linear where beta * x > threshold."""
        return act.Softplus.apply(self, beta, threshold)

    def silu(self) -> Self:
        """x * sigmoid(x)."""
        return act.SiLU.apply(self)

    def swish(self, beta: Any = 1.0) -> Self:
        """x * sigmoid(beta * x); beta may be a node (trainable)."""
        return act.Swish.apply(self, beta)

    def mish(self) -> Self:
        """x * tanh(softplus(x))."""
        return act.Mish.apply(self)

    def gelu(self, approximate: str = "none") -> Self:
        """x * Phi(x); approximate='tanh' uses the tanh formula."""
        return act.GELU.apply(self, approximate)

    def hardtanh(self, min_val: float = -1.0, max_val: float = 1.0) -> Self:
        """x clipped to [min_val, max_val]."""
        return act.Hardtanh.apply(self, min_val, max_val)

    def step(self) -> Self:
        """1 where x >= 0, else 0 (the binary threshold; its gradient is 0 everywhere)."""
        return act.Step.apply(self)


from .engine import run_backward  # noqa: E402  (engine and ops import Node)
from .function import Function, binary_op, reflected_op, unary_op  # noqa: E402
from .ops import activations as act  # noqa: E402
from .ops import arithmetic as ar  # noqa: E402
from .ops import elementwise as ew  # noqa: E402

_METHODS = {
    "__add__": binary_op(ar.Add),
    "__radd__": reflected_op(ar.Add),
    "__sub__": binary_op(ar.Sub),
    "__rsub__": reflected_op(ar.Sub),
    "__mul__": binary_op(ar.Mul),
    "__rmul__": reflected_op(ar.Mul),
    "__truediv__": binary_op(ar.Div),
    "__rtruediv__": reflected_op(ar.Div),
    "__pow__": binary_op(ar.Pow),
    "__rpow__": reflected_op(ar.Pow),
    "__neg__": unary_op(ar.Neg),
    "__abs__": unary_op(ew.Abs),
    "abs": unary_op(ew.Abs),
    "exp": unary_op(ew.Exp),
    "log": unary_op(ew.Log),
    "sqrt": unary_op(ew.Sqrt),
    "sigmoid": unary_op(act.Sigmoid),
    "tanh": unary_op(act.Tanh),
    "relu": unary_op(act.ReLU),
}
for _name, _method in _METHODS.items():
    setattr(Node, _name, _method)
# These forwards set nothing on ctx but saved_tensors, so their output node can be the context.
FOLDED += [ar.Add, ar.Sub, ar.Mul, ar.Div, ar.Pow, ar.Neg, ew.Abs, ew.Exp, ew.Log, ew.Sqrt]
FOLDED += [act.Sigmoid, act.Tanh, act.ReLU]
_fn: type[Function]
for _fn in FOLDED:
    _fn._folds = True
    FOLDED_BACKWARD.append(_fn.backward)
