"""``Function``: an op as a forward on raw data and a backward beside it.

Every built-in op (``+``, ``tanh``, ``sum``, ``@`` ...) is a Function, and so are users'
custom ops. ``forward(ctx, *raw)`` gets floats or ndarrays and returns one; ``backward(ctx,
grad)`` returns one gradient per forward argument (``None`` where there is none). Backward
rules are written with operators and methods that floats, ndarrays, Values and Tensors all
understand (see ``autograd.dual``), so the same rule also runs on nodes when
``grad(..., create_graph=True)`` asks for a differentiable gradient.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from . import complex_grads, grad_mode
from .dtypes import get_default_dtype
from .errors import ShapeError
from .node import NO_INPUT, Node
from .promotion import promoted_output, wrap_python_ints
from .tensor_style_array import TensorStyleArray

_sequence = itertools.count()
_next_seq = _sequence.__next__


class Context:
    """What ``forward`` leaves for ``backward``: saved data plus any attributes it sets."""

    __slots__ = (
        "fn",
        "inputs",
        "parents",
        "needs_input_grad",
        "saved_tensors",
        "seq",
        "epoch",
        "__dict__",
    )
    fn: type[Function]
    inputs: tuple
    parents: tuple
    needs_input_grad: tuple
    saved_tensors: tuple
    seq: int

    if TYPE_CHECKING:  # forward may set any attribute for its backward

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...

    def save_for_backward(self, *items: Any) -> None:
        """Keep these (inputs or the output as forward saw them, or constants) for backward.

        For second derivatives, save the very objects forward received or returned: under
        ``create_graph`` they are handed back as the corresponding nodes.
        """
        self.saved_tensors = items

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Return these outputs of forward without history (PyTorch's; e.g. indices)."""
        self._marked = outputs

    def mark_dirty(self, *inputs: Any) -> None:
        """PyTorch's mark for inputs forward changed in place: not supported here, refused."""
        raise NotImplementedError(
            "ctx.mark_dirty: a custom Function that changes its inputs in place is not "
            "supported; return a new array from forward instead, or use the Tensor's in-place "
            "methods outside the Function"
        )

    def set_materialize_grads(self, value: bool) -> None:
        """PyTorch's switch: with False, backward receives None for the gradients of outputs
        this backward pass did not reach (zeros of the output's shape and dtype otherwise)."""
        self.materialize_grads = bool(value)


class _Released:
    """Marks a context whose saved data was freed by a backward pass."""


RELEASED: tuple = (_Released,)


class _Inputs:
    """Marks a folded node whose op saved its inputs' data, not yet gathered (see
    ``Function._on_floats``): ``saved_inputs`` gathers it when backward needs it."""

    def __repr__(self) -> str:
        return "INPUTS"


INPUTS: Any = _Inputs()


def saved_inputs(node: Any) -> tuple:
    """The data of a folded node's inputs (nodes' data, constants as they are), which its op
    saves: what ``node.saved_tensors`` holds in place of ``INPUTS`` once backward reads it."""
    a, b = node._a, node._b
    a = a._data if isinstance(a, Node) else a
    return (a,) if b is NO_INPUT else (a, b._data if isinstance(b, Node) else b)


class Function:
    """Base class of differentiable ops; subclass it and call ``MyOp.apply(*inputs)``."""

    sets_dtype = False  # True for ops whose output dtype is chosen, not inferred (casts)
    # Elementwise ops whose output dtype is PyTorch's promotion of two operands, raw[i] and
    # raw[i + 1] (see promotion.py): i; ``_to_float`` where integer operands give the default
    # floating dtype (true division)
    _promotes: int | None = None
    _to_float = False
    # True for built-in ops of one or two inputs whose forward sets nothing on ctx but
    # saved_tensors: on node kinds that allow it (Value), the output node then doubles as the
    # context (one object per op)
    _folds = False
    # For some folded ops, what forward computes from Python floats, as a builtin (no call
    # into forward; ``Mul``: operator.mul). With ``_saves_inputs`` forward also saves exactly
    # its inputs: a folded node then keeps INPUTS and backward gathers them from its inputs
    # (no tuple per op for the cyclic collector to track).
    _on_floats: Callable[..., Any] | None = None
    _saves_inputs = False
    _user = False  # a user's subclass (not the library's ops): see user_functions
    # Built-in ops whose backward is right for complex data (PyTorch's convention, see
    # complex_grads.py): True, or "first" for first derivatives only; ``_complex_backward``,
    # when set, is the rule used instead of ``backward`` where complex data is involved
    _complex_grads: bool | str = False
    _complex_backward: Callable[..., Any] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__.split(".")[0] in _OUR_PACKAGES:
            return
        # a user's op: torch's conventions (see user_functions)
        from .user_functions import user_backward, user_forward

        cls._user = True
        own = vars(cls)
        if "forward" in own:
            cls.forward = staticmethod(user_forward(_rule(own["forward"]), cls))  # type: ignore[method-assign]
        if "backward" in own:
            cls.backward = staticmethod(user_backward(_rule(own["backward"])))  # type: ignore[method-assign]

    @staticmethod
    def forward(ctx: Context, *args: Any) -> Any:
        """Compute the output from raw data (floats or ndarrays)."""
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        """Return one gradient per forward argument (a tuple, or one value for one input)."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward on the nodes' data and record the op when a gradient may be needed."""
        kind = None
        raw = []
        needs = []
        parents = []
        for a in args:
            if isinstance(a, Node):
                if a._result_type is not kind:
                    if kind is not None:
                        raise TypeError(
                            f"{cls.__name__}: cannot mix {kind.__name__} and "
                            f"{a._result_type.__name__} inputs"
                        )
                    kind = a._result_type
                raw.append(a._data)
                if a.requires_grad:
                    needs.append(True)
                    parents.append(a)
                else:
                    needs.append(False)
            else:
                # A numpy scalar acts like a Python number (PyTorch's rule): it must not
                # promote float32 data to float64. A user Function's array (tensor_style_array)
                # enters the library's ops as the plain array it is.
                if isinstance(a, np.generic):
                    a = a.item()
                elif isinstance(a, TensorStyleArray):
                    a = a.view(_ndarray)
                raw.append(a)
                needs.append(False)
        if kind is None:
            raise TypeError(f"{cls.__name__}.apply needs at least one Value or Tensor input")
        needs_t = tuple(needs)
        needs_t = _NEEDS.setdefault(needs_t, needs_t)  # intern_needs, inlined
        out = record(
            cls, args, args if len(parents) == len(args) else tuple(parents), raw, needs_t, kind
        )
        return finish_output(out) if cls._user else out


def _rule(attribute: Any) -> Any:
    """A class's forward or backward as a plain function (a staticmethod unwrapped)."""
    return attribute.__func__ if isinstance(attribute, staticmethod) else attribute


_NEEDS: dict[tuple, tuple] = {}
# Packages whose Functions are the library's own ops: their backward rules may return a
# gradient for a constant input (it is dropped), where users' rules are checked as PyTorch's
_OUR_PACKAGES = frozenset({"autograd", "nn", "optim"})


def apply_to_node(fn: type[Function], node: Node, *constants: Any) -> Any:
    """``fn.apply(node, *constants)`` for one node followed by plain Python constants (no
    nodes, no numpy scalars), without apply's scan of the inputs."""
    args = (node, *constants)
    n = len(args)
    if n > _MAX_FAST_ARITY:
        return fn.apply(*args)
    raw = (node._data, *constants)
    if node.requires_grad:
        return record(fn, args, (node,), raw, _FIRST_NEEDS[n], node._result_type)
    return record(fn, args, (), raw, _NO_NEEDS[n], node._result_type)


def intern_needs(needs: tuple) -> tuple:
    """One shared tuple per pattern of needs_input_grad (fewer objects for the collector)."""
    return _NEEDS.setdefault(needs, needs)


def record(
    fn: type[Function], args: tuple, parents: tuple, raw: Any, needs: tuple, kind: Any
) -> Any:
    """Run ``fn.forward`` on ``raw`` and wrap the result in a node of ``kind``.

    ``args`` are the inputs as given (nodes and constants), ``parents`` the nodes among them
    that need a gradient; the op is remembered only when there are some and grad mode is on.
    """
    if kind._folded is not None and parents and fn._folds and (not _OFF or _STATE.enabled):
        node = kind._folded.__new__(kind._folded)
        node.saved_tensors = ()
        out = fn.forward(node, *raw)
        node.data = out if type(out) is float else float(out)
        node.grad = 0.0
        node.fn = fn  # (its label slot stays empty: read as "", see OpValue.label)
        node._a = args[0]
        node._b = args[1] if len(args) == 2 else NO_INPUT
        node.seq = _next_seq()
        if node._data is not out and node.saved_tensors:
            node.saved_tensors = tuple(node._data if s is out else s for s in node.saved_tensors)
        return node
    ctx = Context()
    ctx.saved_tensors = ()
    ctx.needs_input_grad = needs
    try:
        out = fn.forward(ctx, *raw)
    except ValueError as e:
        # numpy's broadcasting error names neither the op nor the shapes as the user wrote them
        if "could not be broadcast" not in str(e):
            raise
        shapes = " and ".join(str(r.shape) for r in raw if hasattr(r, "shape"))
        raise ShapeError(f"{fn.__name__}: shapes {shapes} cannot be broadcast together") from None
    except OverflowError:
        # numpy refuses a Python int out of an integer operand's range (uint8 + 300), where
        # PyTorch wraps it around in the result dtype
        if fn._promotes is None:
            raise
        raw = wrap_python_ints(raw, fn._promotes)
        out = fn.forward(ctx, *raw)
    returned = out
    if type(out) is not _ndarray and kind._versioned and isinstance(out, np.generic):
        out = np.asarray(out)  # numpy's scalar result of 0-d inputs: the same dtype rules apply
    if type(out) is _ndarray:
        dtype = out.dtype
        start = fn._promotes
        if start is not None:
            ref = raw[start]
            if type(ref) is not _ndarray:
                ref = raw[start + 1]  # (a number first: 2 * x)
            # the common case needs no more: numpy's result has the dtype of a dimensioned
            # operand (or of a 0-d one, all being 0-d), which is PyTorch's too (and if that is
            # an integer or bool dtype, no operand can require grad)
            if type(ref) is not _ndarray or dtype is not ref.dtype or (not ref.ndim and out.ndim):
                out = promoted_output(out, raw, start, fn._to_float)
                if out.dtype.kind not in "fc":
                    parents = ()
        elif dtype is _FLOAT64:
            first = raw[0]
            # (a float64 first input makes float64 right, the common case, unless it is 0-d
            # beside inputs with dimensions: those decide, see _torch_float_dtype)
            if not fn.sets_dtype and (
                type(first) is not _ndarray
                or first.dtype is not dtype
                or (not first.ndim and out.ndim)
            ):
                out = _torch_float_dtype(out, raw)
        elif dtype.kind not in "fc":
            parents = ()  # an integer or bool result carries no gradient (PyTorch's rule)
    else:
        dtype = None
        if type(out) not in _SCALARS:
            _check_output(fn, out)
    if not parents or (_OFF and not _STATE.enabled):
        return kind._from_op(out, None)
    # (numpy's dtypes of its own types are singletons: ``is`` is the cheapest test)
    if dtype is _COMPLEX128 or dtype is _COMPLEX64 or _COMPLEX_IN_USE[0]:
        fn = complex_grads.checked(fn, out, parents)
    ctx.fn = fn
    ctx.inputs = args
    ctx.parents = parents
    ctx.seq = _next_seq()
    node = kind._from_op(out, ctx)
    if ctx.saved_tensors and node._data is not returned:
        # The node holds a converted copy of what forward returned (a numpy scalar became a
        # 0-d array or a float, or the dtype was corrected): save that instead, so that
        # create_graph still recognises the output.
        ctx.saved_tensors = tuple(node._data if s is returned else s for s in ctx.saved_tensors)
    if kind._versioned:
        for p in parents:
            p._used += 1
        ctx.epoch = WRITES[0]
    return node


# How many in-place writes the process has made: an op notes the count when it is recorded,
# and a tensor the count at its last write, so backward knows whether saved data may have
# changed without comparing anything until some in-place write has happened.
WRITES = [0]


def reroute(ctx: Any) -> None:
    """Point ``ctx``'s inputs that were changed in place after its op was recorded, by a
    change that could not find the op then (``inplace.route_later``), at the nodes that
    stand for their values when the op used them. Graph walks call this before following a
    context's inputs, when some in-place write happened since it was recorded."""
    seq = ctx.seq
    moved = {}
    for p in ctx.parents:
        history = p._history
        if history is not None and history[-1][0] > seq:
            moved[id(p)] = next(old for changed, old in history if changed > seq)
    if moved:
        ctx.inputs = tuple(moved.get(id(a), a) for a in ctx.inputs)
        ctx.parents = tuple(moved.get(id(a), a) for a in ctx.parents)


def check_versions(ctx: Any, output: Any) -> None:
    """Raise if data saved by ``ctx``'s op (for ``output``) was overwritten in place since."""
    saved = ctx.saved_tensors
    for item in saved:
        if type(item) is not _ndarray:
            continue
        owner: Any = output if output._data is item else None
        if owner is None:
            for a in ctx.inputs:
                if isinstance(a, Node) and a._data is item:
                    owner = a
                    break
        if owner is not None and owner._vc is not None and owner._vc[1] > ctx.epoch:
            raise RuntimeError(
                f"one of the tensors needed by {ctx.fn.__name__}'s backward was modified by "
                f"an in-place operation after the op was recorded (it is now at version "
                f"{owner._vc[0]}). Use an out-of-place op (x = x + y rather than x += y), or "
                "modify a .clone() instead"
            )


_FLOAT64 = np.dtype(np.float64)
_COMPLEX64 = np.dtype(np.complex64)
_COMPLEX128 = np.dtype(np.complex128)
_REAL_OF_COMPLEX: dict[np.dtype, np.dtype] = {
    np.dtype(np.complex64): np.dtype(np.float32),
    np.dtype(np.complex128): _FLOAT64,
}
_ndarray = np.ndarray
# forward results accepted without a closer look (a 0-d array op gives a numpy scalar)
_SCALARS = frozenset({float, np.float64, np.float32, np.float16})
_NUMBERS = frozenset({int, float, bool})
_STATE = grad_mode.STATE
_COMPLEX_IN_USE = complex_grads.IN_USE
_OFF = grad_mode.OFF  # threads with grad mode off: read _STATE only when some are


def _check_output(fn: type[Function], out: Any) -> None:
    """Refuse a forward result that is not a number or an ndarray (a list, a node, None...)."""
    if isinstance(out, (int, float, np.generic)) and not isinstance(out, (str, bytes)):
        return
    what = "a node (Value/Tensor)" if isinstance(out, Node) else f"a {type(out).__name__}"
    raise TypeError(
        f"{fn.__name__}.forward returned {what}; forward must return a float or an "
        "np.ndarray computed from the raw data it receives (e.g. np.asarray(result, "
        "dtype=x.dtype) for a list)"
    )


def _torch_float_dtype(out: np.ndarray, raw: Any) -> np.ndarray:
    """``out`` in the float dtype PyTorch gives where numpy chose float64.

    numpy makes int arrays combined with floats (or with float32 arrays) float64, and lets a
    0-d float64 array widen a float32 one. PyTorch keeps the widest floating dtype among the
    inputs with dimensions (a complex input counting as its real precision); 0-d inputs count
    only when no such input is floating (a float64 0-d tensor times a float32 vector is
    float32); with no floating input, the default dtype.
    """
    widest = widest_0d = None
    for r in raw:
        # (a Python number has no dtype: skip getattr's failed lookup, the common other input)
        dt = None if type(r) in _NUMBERS else getattr(r, "dtype", None)
        if dt is None or dt.kind != "f":
            if dt is None or dt.kind != "c":
                continue
            dt = _REAL_OF_COMPLEX[dt]  # (abs, real, angle... of complex data keep its precision)
        if r.ndim:
            if dt is _FLOAT64:  # the common case: a float64 input, so float64 is right
                return out
            if widest is None or dt.itemsize > widest.itemsize:
                widest = dt
        elif widest_0d is None or dt.itemsize > widest_0d.itemsize:
            widest_0d = dt
    if widest is None:
        widest = get_default_dtype() if widest_0d is None else widest_0d
    return out if widest == _FLOAT64 else out.astype(widest)


# needs_input_grad of a two-input op, indexed [first requires grad][second requires grad]
_NEEDS_BY = tuple(tuple(intern_needs((a, b)) for b in (False, True)) for a in (False, True))
_ONE = intern_needs((True,))
# needs_input_grad of an op on one node and n - 1 constants, indexed by n
_MAX_FAST_ARITY = 6
_FIRST_NEEDS: tuple = (None,) + tuple(
    intern_needs((True,) + (False,) * k) for k in range(_MAX_FAST_ARITY)
)
_NO_NEEDS: tuple = (None,) + tuple(intern_needs((False,) * (k + 1)) for k in range(_MAX_FAST_ARITY))
_NOT_ONE = intern_needs((False,))
# other operands that go straight to record as constants (no numpy scalar to convert)
_CONSTANT_TYPES = (float, int, np.ndarray)


def binary_op(fn: type[Function]) -> Any:
    """The method ``self OP other`` for ``fn``: ``Function.apply`` minus its general input scan.

    Covers the common cases (another node of the same kind, a plain number) directly and
    hands anything else to ``fn.apply``.
    """

    def op(self: Node, other: Any) -> Any:
        kind = self._result_type
        ra = self.requires_grad
        if isinstance(other, Node):
            if other._result_type is not kind:
                return fn.apply(self, other)
            rb = other.requires_grad
            args = (self, other)
            parents = args if ra and rb else (self,) if ra else (other,) if rb else ()
            return record(fn, args, parents, (self._data, other._data), _NEEDS_BY[ra][rb], kind)
        if type(other) in _CONSTANT_TYPES:
            return record(
                fn,
                (self, other),
                (self,) if ra else (),
                (self._data, other),
                _NEEDS_BY[ra][False],
                kind,
            )
        return fn.apply(self, other)

    op.__doc__ = f"Apply {fn.__name__} to self and other."
    op.op_function, op.op_kind = fn, "binary"  # type: ignore[attr-defined]
    return op


def reflected_op(fn: type[Function]) -> Any:
    """The method ``other OP self`` (``__radd__`` and friends) for ``fn``."""

    def op(self: Node, other: Any) -> Any:
        if type(other) in _CONSTANT_TYPES:
            ra = self.requires_grad
            return record(
                fn,
                (other, self),
                (self,) if ra else (),
                (other, self._data),
                _NEEDS_BY[False][ra],
                self._result_type,
            )
        return fn.apply(other, self)

    op.__doc__ = f"Apply {fn.__name__} to other and self."
    op.op_function, op.op_kind = fn, "reflected"  # type: ignore[attr-defined]
    return op


def unary_op(fn: type[Function]) -> Any:
    """The method ``OP(self)`` for a one-input ``fn``."""

    def op(self: Node) -> Any:
        args = (self,)
        if self.requires_grad:
            return record(fn, args, args, (self._data,), _ONE, self._result_type)
        return record(fn, args, (), (self._data,), _NOT_ONE, self._result_type)

    op.__doc__ = (fn.__doc__ or fn.__name__).strip().splitlines()[0]
    op.op_function, op.op_kind = fn, "unary"  # type: ignore[attr-defined]
    return op


# (torch.autograd.function.once_differentiable; user_functions needs Function defined)
from .user_functions import finish_output, once_differentiable  # noqa: E402, F401
