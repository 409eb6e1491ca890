"""What ``tensor.grad_fn`` returns: PyTorch's view of the backward graph, one object per op.

``y.grad_fn`` prints as ``<MulBackward0 object at 0x...>``, its type is named
``MulBackward0`` and so is ``name()``; ``next_functions`` pairs each input with its own
``grad_fn`` (an ``AccumulateGrad`` holding the leaf as ``.variable``; ``None`` for inputs
that need no gradient), as PyTorch's autograd tutorials walk it. ``fn`` is the Function
class that made the result (our ops' names: ``Mul``, ``MatMul``...).

The names follow PyTorch's where one of its ops corresponds simply (``MatMul`` prints as
``MmBackward0``, ``Reshape`` as ``ViewBackward0``); PyTorch picks among several backward
nodes by the arguments (``SumBackward0`` / ``SumBackward1``), which these names do not
follow, except where an op's ``torch_nodes`` says which (indexing: ``SelectBackward0``,
``SliceBackward0``, ``IndexBackward0``...).

A function composed of several ops where PyTorch records one (a loss: ``MseLossBackward0``,
``NllLossBackward0``) shows its last node as PyTorch's, through ``present_as``: the name,
and ``next_functions`` leading to the function's inputs (through the steps PyTorch records
in between, such as cross_entropy's ``LogSoftmaxBackward0``). Backward still runs through
the composed ops; only the view changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .function import reroute
from .node import Node

# our Function's name -> PyTorch's backward node's name, where they differ (else name + "0")
_TORCH_NAMES = {
    "ReLU": "ReluBackward0",
    "MatMul": "MmBackward0",
    "Reshape": "ViewBackward0",
    "Transpose": "PermuteBackward0",
    "Concatenate": "CatBackward0",
    "Linear": "AddmmBackward0",
    "Conv": "ConvolutionBackward0",
    "BroadcastTo": "ExpandBackward0",
    "Maximum": "MaximumBackward0",
    "Minimum": "MinimumBackward0",
    "CopySlices": "CopySlices",  # a base changed through a view (torch's name, no suffix)
    "TakeView": "AsStridedBackward0",  # a view retaken from its changed base
}
_CLASSES: dict[type, type] = {}


def backward_name(fn: type) -> str:
    """The name PyTorch gives the backward node of the op ``fn`` (``Mul``: 'MulBackward0'; a
    user's Function ``MyReLU``: 'MyReLUBackward')."""
    if getattr(fn, "_user", False):
        return f"{fn.__name__}Backward"
    name = fn.__name__.lstrip("_")
    return _TORCH_NAMES.get(name, f"{name}Backward0")


def node_name(ctx: Any) -> str:
    """The name PyTorch gives the backward node of a recorded op (its ``present_as`` name
    where it ends a composed function)."""
    presented = getattr(ctx, "__dict__", {}).get("_presented")
    if presented is None and hasattr(ctx.fn, "torch_nodes"):
        presented = ctx.fn.torch_nodes(ctx)
    return presented[0] if presented is not None else backward_name(ctx.fn)  # type: ignore[no-any-return]


class BackwardNode:
    """The backward step of one recorded op (PyTorch's ``torch.autograd.graph.Node``)."""

    __slots__ = ("_ctx",)

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    @property
    def fn(self) -> type:
        """The Function class that made the result."""
        return self._ctx.fn

    def name(self) -> str:
        """PyTorch's name of this node ('MulBackward0')."""
        return type(self).__name__

    @property
    def next_functions(self) -> tuple:
        """(node, 0) for each input: its ``grad_fn``, an ``AccumulateGrad`` for a leaf that
        requires grad, None for a tensor (or number) that needs no gradient."""
        ctx = self._ctx
        # a number beside a tensor in arithmetic is an operand (torch wraps it in a tensor);
        # elsewhere an int is an argument (an axis, a size), not an input
        operand = (float, int, np.ndarray) if ctx.fn._promotes is not None else (float, np.ndarray)
        reroute(ctx)  # (inputs changed in place since: their values then)
        out = []
        for a in ctx.inputs:
            if isinstance(a, Node):
                out.append((_next_of(a), 0))
            elif isinstance(a, operand) and not isinstance(a, bool):
                out.append((None, 0))
        return tuple(out)

    @property
    def metadata(self) -> dict:
        """A dict for the user's notes about this node (PyTorch's)."""
        store = self._ctx.__dict__.setdefault("_grad_fn_metadata", {})
        return store  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BackwardNode) and other._ctx is self._ctx

    def __hash__(self) -> int:
        return id(self._ctx)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self._ctx):#x}>"


class AccumulateGrad:
    """Where backward leaves a leaf's gradient (PyTorch's node for a leaf that requires grad);
    ``variable`` is the leaf."""

    __slots__ = ("variable",)

    def __init__(self, variable: Node) -> None:
        self.variable = variable

    @property
    def next_functions(self) -> tuple:
        return ()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AccumulateGrad) and other.variable is self.variable

    def __hash__(self) -> int:
        return id(self.variable)

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self.variable):#x}>"


class PresentedNode(BackwardNode):
    """The last node of a composed function shown as PyTorch's one node for it (or a step
    PyTorch records between it and the function's inputs)."""

    __slots__ = ("_inputs",)

    def __init__(self, ctx: Any, inputs: tuple) -> None:
        super().__init__(ctx)
        self._inputs = inputs

    @property
    def next_functions(self) -> tuple:
        """(node, 0) for each input of the composed function: a (name, inputs) step as its
        own presented node, a tensor as in ``BackwardNode``, anything else None."""
        out: list[tuple[Any, int]] = []
        for a in self._inputs:
            if isinstance(a, tuple):
                out.append((_presented(self._ctx, a[0], a[1]), 0))
            else:
                out.append((_next_of(a) if isinstance(a, Node) else None, 0))
        return tuple(out)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, PresentedNode)
            and other._ctx is self._ctx
            and type(other) is type(self)
        )

    def __hash__(self) -> int:
        return hash((id(self._ctx), type(self).__name__))


_PRESENTED: dict[str, type] = {}


def _presented(ctx: Any, name: str, inputs: Sequence[Any]) -> PresentedNode:
    cls = _PRESENTED.get(name)
    if cls is None:
        cls = _PRESENTED[name] = type(name, (PresentedNode,), {"__slots__": ()})
    return cls(ctx, tuple(inputs))  # type: ignore[no-any-return]


def present_as(result: Any, name: str, inputs: Sequence[Any]) -> None:
    """Show ``result.grad_fn`` (the last op of a composed function) as PyTorch's node
    ``name`` whose ``next_functions`` lead to ``inputs``: tensors, or (name, inputs) pairs
    for the steps PyTorch records in between. Nothing happens for a result without history."""
    ctx = getattr(result, "_ctx", None)
    if ctx is None or not hasattr(ctx, "__dict__"):
        return
    ctx.__dict__["_presented"] = (name, tuple(inputs))
    ctx.__dict__.pop("_grad_fn", None)


def _next_of(node: Node) -> Any:
    if node._ctx is not None:
        return grad_fn_of(node)
    return AccumulateGrad(node) if node.requires_grad else None


def grad_fn_of(node: Node) -> BackwardNode | None:
    """``node.grad_fn``: the backward node of the op that made it (None for a leaf)."""
    ctx = node._ctx
    if ctx is None:
        return None
    store = getattr(ctx, "__dict__", {})
    cached = store.get("_grad_fn")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    presented = store.get("_presented")
    if presented is None and hasattr(ctx.fn, "torch_nodes"):
        presented = ctx.fn.torch_nodes(ctx)  # (see Linear.torch_nodes)
    if presented is not None:
        made_presented = _presented(ctx, *presented)
        ctx.__dict__["_grad_fn"] = made_presented
        return made_presented
    fn = ctx.fn
    cls = _CLASSES.get(fn)
    if cls is None:
        cls = _CLASSES[fn] = type(backward_name(fn), (BackwardNode,), {"__slots__": ()})
    made = cls(ctx)
    if hasattr(ctx, "__dict__"):
        ctx.__dict__["_grad_fn"] = made
    return made
