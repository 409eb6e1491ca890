"""``grad()``: gradients of outputs with respect to chosen inputs, returned as nodes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .engine import run_backward
from .node import Node
from .tensor import Tensor
from .value import Value


def _as_nodes(x: Any, what: str) -> list[Node]:
    items = [x] if isinstance(x, Node) else list(x)
    for i, item in enumerate(items):
        if not isinstance(item, Node):
            raise TypeError(
                f"grad(): {what}[{i}] is a {type(item).__name__}, not a Value or Tensor"
            )
    return items


def _wrap(g: Any, like: Node) -> Node:
    if isinstance(g, Node):
        return g
    if isinstance(like, Value):
        return Value(g)
    return Tensor(g, dtype=like._data.dtype)


def _seed(out: Node, go: Any, create_graph: bool) -> Any:
    """The gradient that starts backward at ``out``, weighted by ``go``. Under
    ``create_graph`` it is a node, and a ``go`` that requires grad stays in the graph (so the
    result can be differentiated with respect to it: the double-backward trick)."""
    if not create_graph:
        return out._seed(go._data if isinstance(go, Node) else go)
    seed = out._seed(go._data if isinstance(go, Node) else go)  # checks the shape
    if isinstance(go, Node) and go.requires_grad:
        if isinstance(go, Tensor) and tuple(go.shape) != tuple(np.shape(seed)):
            return go.reshape(np.shape(seed))
        return go
    return seed if isinstance(seed, Node) else _wrap(seed, out)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple:
    """d(outputs)/d(inputs) as a tuple of nodes, one per input; ``.grad`` is left alone.

    ``grad_outputs`` weights each output (needed for outputs with more than one element).
    With ``create_graph=True`` the gradients are themselves differentiable (second order).
    An input the outputs do not depend on raises, unless ``allow_unused`` (then: None).
    """
    outs = _as_nodes(outputs, "outputs")
    ins = _as_nodes(inputs, "inputs")
    single = isinstance(grad_outputs, (Node, int, float, np.ndarray))
    if grad_outputs is None or single and len(outs) == 1:
        gos: Sequence[Any] = [grad_outputs] * len(outs) if grad_outputs is None else [grad_outputs]
    else:
        gos = list(grad_outputs)
        if len(gos) != len(outs):
            raise ValueError(f"grad(): {len(outs)} outputs but {len(gos)} grad_outputs")
    for i, x in enumerate(ins):
        if not x.requires_grad:
            raise RuntimeError(f"grad(): inputs[{i}] does not require grad")
    for i, o in enumerate(outs):
        if not o.requires_grad:
            raise RuntimeError(
                f"grad(): outputs[{i}] does not require grad (no input of it requires grad, "
                "or it was computed under no_grad)"
            )
    seeds = [_seed(o, go, create_graph) for o, go in zip(outs, gos)]
    retain = create_graph if retain_graph is None else retain_graph
    found = (
        run_backward(outs, seeds, retain_graph=retain, create_graph=create_graph, capture=ins) or {}
    )
    result: list[Node | None] = []
    for i, x in enumerate(ins):
        g = found.get(x)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad(): inputs[{i}] was not used to compute the outputs (pass "
                    "allow_unused=True to get None for it)"
                )
            result.append(None)
        else:
            result.append(_wrap(g, x))
    return tuple(result)


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
    *,
    grad_variables: Any = None,
) -> None:
    """Accumulate the gradients of ``tensors`` (weighted by ``grad_tensors``) into ``.grad``
    of the leaves (only of ``inputs`` when given), as ``torch.autograd.backward``.

    ``tensors``: a node or a sequence of nodes; ``grad_tensors``: one weight per node (a node,
    number or array; None for a one-element output). One backward pass serves all of them, so
    a node shared by several outputs gets the sum of their gradients.
    """
    if grad_variables is not None:
        if grad_tensors is not None:
            raise TypeError("backward(): pass grad_tensors or grad_variables, not both")
        grad_tensors = grad_variables
    outs = _as_nodes(tensors, "tensors")
    if not outs:
        raise RuntimeError("backward(): no tensors to differentiate")
    if grad_tensors is None:
        gos: list[Any] = [None] * len(outs)
    elif isinstance(grad_tensors, (Node, int, float, np.ndarray)):
        gos = [grad_tensors]
    else:
        gos = list(grad_tensors)
    if len(gos) != len(outs):
        raise RuntimeError(f"backward(): got {len(gos)} grad_tensors for {len(outs)} tensors")
    for i, o in enumerate(outs):
        if not o.requires_grad:
            raise RuntimeError(
                f"backward(): element {i} of tensors does not require grad and does not have "
                "a grad_fn"
            )
    if create_graph and outs[0]._float_grad:
        raise NotImplementedError(
            "backward(create_graph=True) on Values: a Value's .grad is a float; use "
            "autograd.grad(out, inputs, create_graph=True) for differentiable gradients"
        )
    seeds = [_seed(o, go, create_graph) for o, go in zip(outs, gos)]
    retain = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        run_backward(outs, seeds, retain_graph=retain, create_graph=create_graph)
        return
    targets = _as_nodes(inputs, "inputs")
    if not targets:
        raise RuntimeError("backward(): inputs, when given, cannot be empty")
    for i, x in enumerate(targets):
        if not x.requires_grad:
            raise RuntimeError(f"backward(): inputs[{i}] does not require grad")
    found = run_backward(
        outs, seeds, retain_graph=retain, create_graph=create_graph, capture=targets
    )
    for x, g in (found or {}).items():
        x._store_grad(g, interior=x._ctx is not None)
