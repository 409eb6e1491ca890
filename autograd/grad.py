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
    return Tensor(g, dtype=like.data.dtype)


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
    seeds = []
    for o, go in zip(outs, gos):
        seed = o._seed(go.data if isinstance(go, Node) and not create_graph else go)
        if create_graph and not isinstance(seed, Node):
            seed = _wrap(seed, o)
        seeds.append(seed)
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
