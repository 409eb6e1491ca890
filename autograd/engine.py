"""The one backward engine: reverse topological order and gradient accumulation.

Serves Value and Tensor alike, iteratively (no recursion, so graphs of millions of nodes
work). Every recorded node carries a creation sequence number, and a node is always created
after its inputs, so visiting the nodes that receive a gradient newest-first (counting the
numbers down, or from a heap) is a reverse topological order: when a node's turn comes,
every node that uses it has already passed its gradient on.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from heapq import heapify, heappop, heappush
from operator import attrgetter
from typing import Any

from numpy import ndarray

from . import anomaly_mode, grad_mode
from .function import INPUTS, RELEASED, WRITES, check_versions, reroute, saved_inputs
from .hooks import REGISTERED, run_hooks
from .node import FOLDED_BACKWARD, NO_INPUT, Node

# Node, typed Any: an isinstance check against it should not narrow a folded node's input to
# a bare Node (the folded branch reads ``seq``, which Node does not declare)
_NODE: Any = Node
_seq_of = attrgetter("_ctx.seq")
_own_seq = attrgetter("seq")


# Counting down to the next node may miss _SCAN_SLACK numbers, and _SCAN_GAIN more for each
# node found, before a heap orders the rest of the pass (see _propagate).
_SCAN_SLACK = 64
_SCAN_GAIN = 4


def reverse_topological(roots: Iterable[Node]) -> list[Node]:
    """Recorded nodes reachable from ``roots``, each after every node that uses it."""
    roots = list(dict.fromkeys(roots))
    # Nodes of this class are their own context and hold their inputs in ``_a``, ``_b``.
    # Any, not ``type | None``: mypy would narrow ``type(x) is folded`` to a bare object
    folded: Any = roots[0]._folded if roots else None
    found = []
    # contexts, or folded nodes (their own context): Node declares neither one's attributes
    stack: list[Any] = []
    only_folded = True
    for r in roots:
        ctx = r if type(r) is folded else r._ctx
        if ctx is not None:
            found.append(r)
            stack.append(ctx)
            only_folded = only_folded and ctx is r
    seen = set(found)
    add = seen.add
    push = stack.append
    keep = found.append
    while stack:
        ctx = stack.pop()
        for p in (ctx._a, ctx._b) if type(ctx) is folded else ctx.parents:
            if type(p) is folded:
                if p not in seen:
                    add(p)
                    push(p)
                    keep(p)
            elif isinstance(p, Node) and p not in seen and p._ctx is not None:
                add(p)
                push(p._ctx)
                keep(p)
                only_folded = False
    found.sort(key=_own_seq if only_folded else _seq_of, reverse=True)
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
            if k < len(inputs) and isinstance(inputs[k], Node) and inputs[k]._data is item:
                result.append(inputs[k])
                continue
            match = next((n for n in nodes if n._data is item), None)
            if match is None and self._output._data is item:
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
    if anomaly_mode.STATE[0] and anomaly_mode.STATE[1]:  # one read per call, not per node
        observer = anomaly_mode.nan_checker(observer)
    # The pass creates no reference cycles, so the cyclic collector has nothing to find; left
    # on, it would walk the whole graph again and again as gradients are allocated.
    collecting = gc.isenabled()
    gc.disable()
    # grad mode for the pass (on only to record create_graph's gradients), set directly
    # rather than through a no_grad object: this is per backward call, a few microseconds
    recording = grad_mode.STATE.enabled
    grad_mode.set_enabled(create_graph)
    try:
        grads: dict[Node, Any] = {}
        for root, seed in zip(roots, seeds):
            grads[root] = grads[root] + seed if root in grads else seed
        captured = _propagate(grads, retain_graph, create_graph, capture, observer)
    finally:
        grad_mode.set_enabled(recording)
        if collecting:
            gc.enable()
    return None if capture is None else captured


def _propagate(
    grads: dict[Node, Any],
    retain_graph: bool,
    create_graph: bool,
    capture: Sequence[Node] | None,
    observer: Callable[[Node, Any, tuple], None] | None,
) -> dict[Node, Any]:
    writing = capture is None
    wanted = set() if capture is None else set(capture)
    captured: dict[Node, Any] = {}
    pop = grads.pop
    get = grads.get
    # A graph holds one kind of node (Function.apply refuses to mix them).
    first = next(iter(grads), None)
    broadcasts = first is not None and first._broadcasts
    # Any, not ``type | None``: mypy would narrow ``type(node) is folded`` to a bare object
    folded: Any = None if first is None else first._folded
    # Values keep every gradient as a float: add it here rather than through _store_grad
    add_to_grad = writing and first is not None and first._float_grad
    versioned = first is not None and first._versioned
    hooked = REGISTERED[0] and first is not None and first._versioned  # Tensor hooks exist
    # Nodes are visited newest first, by creation number: every node that uses a node was made
    # after it, so its gradient is complete when its turn comes. No sort of the whole graph,
    # no set of visited nodes. ``waiting`` maps the number of each node that has received a
    # gradient to the node. A graph's nodes are mostly numbered one after another, so the next
    # one is found by counting down from the last (a dict lookup per number, where popping a
    # heap costs ~20 comparisons per node: 10-12% of a scalar MLP step's instructions). When
    # counting down keeps missing (numbers of nodes outside this graph), a heap of the waiting
    # numbers, negated, takes over for the rest of the pass.
    waiting: dict[int, Any] = {}
    take = waiting.pop
    heap: list[int] | None = None
    push = heappush
    next_key = heappop
    key: int
    ctx: Any  # a Context, or a folded node that is its own
    a: Any  # a folded node's inputs: nodes or constants
    b: Any
    for r in grads:
        ctx = r if type(r) is folded else r._ctx
        if ctx is not None:
            waiting[ctx.seq] = r
    start = count_down = max(waiting, default=0)
    misses = 0
    while waiting:
        if heap is None:
            node = take(count_down, None)
            count_down -= 1
            if node is None:
                # more misses than _SCAN_SLACK + _SCAN_GAIN * (nodes found so far)? (so that
                # counting down costs at most a few lookups per node)
                misses += 1
                if (1 + _SCAN_GAIN) * misses > _SCAN_SLACK + _SCAN_GAIN * (start - count_down):
                    heap = [-k for k in waiting]
                    heapify(heap)
                continue
        else:
            node = take(-next_key(heap))
        g = pop(node)
        if type(node) is folded:
            # a built-in op of one or two Values: no version checks, no broadcasting, a
            # known arity, inputs in two slots
            saved = node.saved_tensors
            if saved is RELEASED:
                raise _released_error(node)
            b = node._b
            if saved is INPUTS:  # saved_inputs(node), inlined: a product's inputs' data
                a = node._a
                a = a._data if isinstance(a, Node) else a
                node.saved_tensors = (
                    (a,) if b is NO_INPUT else (a, b._data if isinstance(b, Node) else b)
                )
            if add_to_grad:
                node.grad += g
            elif node in wanted:
                captured[node] = g
            # node.fn.backward, found without a property call or a lookup on the class
            backward = FOLDED_BACKWARD[node._fn_index]
            in_grads = backward(_GraphContext(node, node) if create_graph else node, g)
            if not retain_graph:
                node.saved_tensors = RELEASED
            if b is NO_INPUT:
                gb = None
                ga = in_grads[0] if type(in_grads) is tuple else in_grads
            else:
                ga, gb = in_grads
            if observer is not None:
                observer(node, g, (ga,) if b is NO_INPUT else (ga, gb))
            # the two inputs written out rather than looped or passed to a helper: this is the
            # scalar engine's innermost step, and a call per edge would cost ~10% of backward.
            # An input needs a gradient when it is a node (every Value does), not a constant.
            a = node._a
            if ga is not None and isinstance(a, _NODE):
                prev = get(a)
                if prev is None:
                    grads[a] = ga
                    if type(a) is folded:
                        key = a.seq
                        waiting[key] = a
                        if heap is not None:
                            push(heap, -key)
                    elif a._ctx is not None:
                        key = a._ctx.seq
                        waiting[key] = a
                        if heap is not None:
                            push(heap, -key)
                else:
                    grads[a] = prev + ga
            if gb is not None and isinstance(b, _NODE):
                prev = get(b)
                if prev is None:
                    grads[b] = gb
                    if type(b) is folded:
                        key = b.seq
                        waiting[key] = b
                        if heap is not None:
                            push(heap, -key)
                    elif b._ctx is not None:
                        key = b._ctx.seq
                        waiting[key] = b
                        if heap is not None:
                            push(heap, -key)
                else:
                    grads[b] = prev + gb
            continue
        ctx = node._ctx
        if ctx.saved_tensors is RELEASED:
            raise _released_error(node)
        if hooked:
            g = run_hooks(node, g)
        if versioned and ctx.epoch != WRITES[0]:
            reroute(ctx)
            check_versions(ctx, node)
        if add_to_grad:
            node.grad += g
        elif writing:
            if node._keeps_grad:
                node._store_grad(g, interior=True)
        elif node in wanted:
            captured[node] = g
        in_grads = ctx.fn.backward(_GraphContext(ctx, node) if create_graph else ctx, g)
        if not retain_graph:
            ctx.saved_tensors = RELEASED
        if type(in_grads) is not tuple:
            in_grads = (in_grads,)
        if observer is not None:
            observer(node, g, _without_trailing_nones(in_grads, len(ctx.inputs)))
        try:
            for parent, need, gi in zip(ctx.inputs, ctx.needs_input_grad, in_grads, strict=True):
                if need and gi is not None:
                    if broadcasts and (type(gi) is not ndarray or gi.shape != parent._data.shape):
                        gi = parent._conform_grad(gi)
                    prev = get(parent)
                    if prev is None:
                        grads[parent] = gi
                        if parent._ctx is not None:
                            key = parent._ctx.seq
                            waiting[key] = parent
                            if heap is not None:
                                push(heap, -key)
                    else:
                        grads[parent] = prev + gi
        except ValueError as e:
            if len(in_grads) == len(ctx.inputs) or not str(e).startswith("zip()"):
                raise
            if len(_without_trailing_nones(in_grads, len(ctx.inputs))) == len(ctx.inputs):
                continue  # zip stopped after serving every input; the extra gradients were None
            raise RuntimeError(
                f"{ctx.fn.__name__}.backward returned {len(in_grads)} gradients but "
                f"forward took {len(ctx.inputs)} inputs (return None for non-differentiable "
                "ones)"
            ) from None
    # Drop the loop's last references, so a leaf gradient nothing else holds can be kept
    # without a copy (see Tensor._store_grad).
    g = gi = ga = gb = prev = in_grads = None
    while grads:  # what is left belongs to leaves; popped so that no stray reference remains
        leaf, g = grads.popitem()
        if hooked and (writing or leaf in wanted):  # autograd.grad runs only its inputs' hooks
            g = run_hooks(leaf, g)
        if writing:
            leaf._store_grad(g, interior=False)
        elif leaf in wanted:
            captured[leaf] = g
    return captured


def _without_trailing_nones(in_grads: tuple, n_inputs: int) -> tuple:
    """A backward's gradients cut to its ``n_inputs`` inputs when the extra ones are None
    (PyTorch accepts ``return gx, gw, None`` for a forward whose ``bias=None`` default was not
    passed); extra gradients that are not None are left for the caller's error."""
    if len(in_grads) > n_inputs and all(extra is None for extra in in_grads[n_inputs:]):
        return in_grads[:n_inputs]
    return in_grads


def local_backward(node: Node, g: Any) -> list[tuple[Node, Any]]:
    """One op's share of backprop: (input, gradient) for each input of ``node``'s op that
    needs one, given the gradient ``g`` arriving at ``node``. The graph is kept."""
    ctx = node._ctx
    if ctx.saved_tensors is RELEASED:
        raise _released_error(node)
    if ctx.saved_tensors is INPUTS:
        ctx.saved_tensors = saved_inputs(ctx)
    if node._versioned and ctx.epoch != WRITES[0]:
        reroute(ctx)
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
