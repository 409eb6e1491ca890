"""The one backward engine: reverse topological order and gradient accumulation.

Serves Value and Tensor alike, iteratively (no recursion, so graphs of millions of nodes
work). Every recorded node carries a creation sequence number, and a node is always created
after its inputs, so sorting the recorded nodes reachable from the outputs newest-first
gives a reverse topological order: when a node's turn comes, every node that uses it has
already passed its gradient on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from numpy import ndarray

from . import grad_mode
from .function import RELEASED, WRITES, check_versions
from .node import Node

_seq_of = attrgetter("_ctx.seq")


def reverse_topological(roots: Iterable[Node]) -> list[Node]:
    """Recorded nodes reachable from ``roots``, each after every node that uses it."""
    found = [r for r in dict.fromkeys(roots) if r._ctx is not None]
    seen = set(found)
    stack = list(found)
    while stack:
        for p in stack.pop()._ctx.parents:
            if p._ctx is not None and p not in seen:
                seen.add(p)
                stack.append(p)
                found.append(p)
    found.sort(key=_seq_of, reverse=True)
    return found


class _GraphContext:
    """A context seen by a backward rule under ``create_graph``: saved data as nodes."""

    def __init__(self, ctx: Any, output: Node) -> None:
        self._ctx = ctx
        self._output = output

    @property
    def saved_tensors(self) -> tuple:
        inputs = self._ctx.inputs
        nodes = [a for a in inputs if isinstance(a, Node)]
        result = []
        for k, item in enumerate(self._ctx.saved_tensors):
            if k < len(inputs) and isinstance(inputs[k], Node) and inputs[k].data is item:
                result.append(inputs[k])
                continue
            match = next((n for n in nodes if n.data is item), None)
            if match is None and self._output.data is item:
                match = self._output
            result.append(item if match is None else match)
        return tuple(result)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def _released_error(node: Node) -> RuntimeError:
    return RuntimeError(
        f"backward through a graph that was already released (op {node._ctx.fn.__name__}): "
        "its saved data was freed by an earlier backward. Pass retain_graph=True to the first "
        "backward if you need to go through the graph twice."
    )


def run_backward(
    roots: Sequence[Node],
    seeds: Sequence[Any],
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    capture: Sequence[Node] | None = None,
    observer: Callable[[Node, Any, tuple], None] | None = None,
) -> dict[Node, Any] | None:
    """Propagate ``seeds`` from ``roots`` back through the recorded graph.

    Without ``capture``, gradients accumulate into ``.grad`` (of every Value; of Tensor
    leaves that require grad). With ``capture``, nothing is written: the gradients of those
    nodes are returned in a dict instead (missing where a node does not influence the roots).
    ``observer(node, grad, input_grads)``, when given, is called after each node's backward
    with the node's total gradient and what its op's backward returned (a tuple, one entry per
    op input, ``None`` where there is none; not yet summed down to a broadcast input's shape).
    """
    order = reverse_topological(roots)
    grads: dict[Node, Any] = {}
    for root, seed in zip(roots, seeds):
        grads[root] = grads[root] + seed if root in grads else seed
    writing = capture is None
    wanted = set() if capture is None else set(capture)
    captured: dict[Node, Any] = {}
    pop = grads.pop
    get = grads.get
    # A graph holds one kind of node (Function.apply refuses to mix them).
    broadcasts = bool(roots) and roots[0]._broadcasts
    versioned = bool(roots) and roots[0]._versioned
    state = grad_mode.STATE
    previous_mode = state.enabled
    state.enabled = create_graph
    try:
        for node in order:
            g = pop(node, None)
            if g is None:
                continue
            ctx = node._ctx
            if ctx.saved_tensors is RELEASED:
                raise _released_error(node)
            if versioned and ctx.epoch != WRITES[0]:
                check_versions(ctx, node)
            if writing:
                if node._keeps_grad:
                    node._store_grad(g, interior=True)
            elif node in wanted:
                captured[node] = g
            in_grads = ctx.fn.backward(_GraphContext(ctx, node) if create_graph else ctx, g)
            if not retain_graph:
                ctx.saved_tensors = RELEASED
            if type(in_grads) is not tuple:
                in_grads = (in_grads,)
            if len(in_grads) != len(ctx.inputs):
                raise RuntimeError(
                    f"{ctx.fn.__name__}.backward returned {len(in_grads)} gradients but "
                    f"forward took {len(ctx.inputs)} inputs (return None for non-differentiable "
                    "ones)"
                )
            if observer is not None:
                observer(node, g, in_grads)
            for parent, need, gi in zip(ctx.inputs, ctx.needs_input_grad, in_grads):
                if need and gi is not None:
                    if broadcasts and (type(gi) is not ndarray or gi.shape != parent._data.shape):
                        gi = parent._conform_grad(gi)
                    prev = get(parent)
                    grads[parent] = gi if prev is None else prev + gi
    finally:
        state.enabled = previous_mode
    # Drop the loop's last references, so a leaf gradient nothing else holds can be kept
    # without a copy (see Tensor._store_grad).
    g = gi = prev = in_grads = None
    while grads:  # what is left belongs to leaves; popped so that no stray reference remains
        leaf, g = grads.popitem()
        if writing:
            leaf._store_grad(g, interior=False)
        elif leaf in wanted:
            captured[leaf] = g
    return None if writing else captured


def local_backward(node: Node, g: Any) -> list[tuple[Node, Any]]:
    """One op's share of backprop: (input, gradient) for each input of ``node``'s op that
    needs one, given the gradient ``g`` arriving at ``node``. The graph is kept."""
    ctx = node._ctx
    if ctx.saved_tensors is RELEASED:
        raise _released_error(node)
    if node._versioned and ctx.epoch != WRITES[0]:
        check_versions(ctx, node)
    with grad_mode.no_grad():
        in_grads = ctx.fn.backward(ctx, g)
    if type(in_grads) is not tuple:
        in_grads = (in_grads,)
    pairs = []
    for parent, need, gi in zip(ctx.inputs, ctx.needs_input_grad, in_grads):
        if need and gi is not None:
            if parent._broadcasts:
                gi = parent._conform_grad(gi)
            pairs.append((parent, gi))
    return pairs
