"""Activation checkpointing, as ``torch.utils.checkpoint``: ``checkpoint`` and
``checkpoint_sequential`` trade compute for memory.

``checkpoint(function, *args)`` runs ``function`` and keeps only its inputs and outputs: the
graph inside it (the activations its backward rules saved) is dropped. When backward reaches
the outputs, ``function`` is run again on the same inputs (with the random generator where it
was, so dropout draws the same mask) and the gradient goes back through that fresh graph, to
the inputs and to the parameters ``function`` uses. Gradients are those of the plain call;
``create_graph`` (second order) works through it.

As torch's: with ``use_reentrant=True`` (the default, with the warning torch gives when it is
not passed) keyword arguments to ``function`` are refused, and when no tensor input requires
grad the output does not either (torch's documented pitfall: parameters inside get no
gradient; a warning says so). ``use_reentrant=False`` has neither restriction. Here both also
work with ``autograd.grad`` (torch's reentrant form refuses it). ``context_fn``,
``determinism_check``, ``debug`` and ``early_stop`` are accepted and change nothing.

One case is not checkpointed: a ``function`` that uses (by closure, not as an argument) a
tensor computed earlier in the graph that requires grad. Its graph is kept as a plain call's
would be (same gradients, no memory saved); pass such tensors as arguments instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import grad_mode
from autograd.function import Context, Function, _next_seq
from autograd.grad import grad as _grad
from autograd.node import Node
from autograd.pytree import flatten, unflatten
from autograd.random import default_generator
from autograd.tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential"]


def _use_reentrant(use_reentrant: bool | None, where: str) -> bool:
    if use_reentrant is None:
        warnings.warn(
            f"{where}: the use_reentrant parameter should be passed explicitly. Starting in "
            "PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
            "use_reentrant=False is recommended, but if you need to preserve the current "
            "default behavior, you can pass use_reentrant=True. Refer to docs for more "
            "details on the differences between the two variants.",
            stacklevel=3,
        )
        return True
    return bool(use_reentrant)


class _Segment:
    """A checkpointed call: how to run it again, and the recomputed graph while backward
    needs it."""

    def __init__(
        self,
        function: Callable[..., Any],
        args: tuple,
        kwargs: dict,
        params: list[Tensor],
        rng: Any,
        n_outputs: int,
    ) -> None:
        self.function = function
        self.args = args
        self.kwargs = kwargs
        self.params = params
        self.rng = rng
        self.pending = n_outputs  # output nodes whose backward has not run yet
        # how many of the arguments require grad (the outputs' ops take them first)
        self.n_args = sum(isinstance(a, Tensor) and a.requires_grad for a in args)
        self.graph: tuple[list, list] | None = None  # (differentiated inputs, outputs)

    def _recompute(self, create_graph: bool, now: tuple) -> tuple[list, list]:
        """Run ``function`` again (with grad recorded) on stand-ins for the tensor arguments:
        detached copies, or differentiable views under ``create_graph`` so that the
        gradients found are themselves differentiable with respect to the real arguments.

        ``now`` holds the arguments that require grad as the output's op has them: an
        argument changed in place since the call is there as the node of its value then."""
        generator = default_generator()
        outer_state = generator.bit_generator.state
        stand_ins = []
        inputs = []
        then = iter(now)
        for a in self.args:
            if isinstance(a, Tensor) and a.requires_grad:
                a = next(then)
                s = a.view_as(a) if create_graph else a.detach().requires_grad_(True)
                inputs.append(s)
                stand_ins.append(s)
            elif isinstance(a, Tensor):
                stand_ins.append(a.detach())
            else:
                stand_ins.append(a)
        try:
            if self.rng is not None:
                generator.bit_generator.state = self.rng
            with grad_mode.enable_grad():
                out = self.function(*stand_ins, **self.kwargs)
        finally:
            if self.rng is not None:
                generator.bit_generator.state = outer_state
        outs = [o for o in flatten(out)[0] if isinstance(o, Tensor) and o.requires_grad]
        return inputs + self.params, outs

    def backprop(self, index: int, g: Any, now: tuple) -> tuple:
        """The gradients of output ``index`` weighted by ``g`` with respect to the tensor
        arguments that require grad (``now``: see ``_recompute``) and the parameters, in
        that order."""
        create_graph = grad_mode.is_grad_enabled()  # the engine records only for create_graph
        if self.graph is None or create_graph:
            self.graph = self._recompute(create_graph, now)
        targets, outs = self.graph
        seed = g if isinstance(g, Node) else Tensor(g)
        found = _grad(
            outs[index],
            targets,
            seed,
            retain_graph=True,
            create_graph=create_graph,
            allow_unused=True,
        )
        self.pending -= 1
        if self.pending <= 0:
            self.graph = None  # the recomputed activations are freed
        if create_graph:
            return found
        return tuple(None if f is None else f._data for f in found)


class Checkpoint(Function):
    """One output of a checkpointed call: forward hands on the value computed by the call,
    backward recomputes the call (once for all its outputs) and backpropagates through it."""

    sets_dtype = True  # the output keeps the call's dtype

    @staticmethod
    def forward(
        ctx: Context, segment: _Segment, index: int, value: np.ndarray, *inputs: Any
    ) -> Any:
        ctx.segment = segment
        ctx.index = index
        # the arguments' data, saved so that backward refuses (as torch's) if it was
        # overwritten in memory since: the recomputation reads it
        ctx.save_for_backward(*inputs[: segment.n_args])
        return value

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        # the arguments as this op has them now: changed in place since the call, they are
        # the nodes of their values then (function.reroute)
        now = ctx.inputs[3 : 3 + ctx.segment.n_args]
        return (None, None, None, *ctx.segment.backprop(ctx.index, grad, now))


def _outside_tensors(outs: list[Tensor], args: list[Tensor], start: int) -> list[Tensor] | None:
    """The leaves that require grad reached from ``outs`` without passing through ``args``
    (the parameters the call used), or None if the call's graph reaches a tensor recorded
    before ``start`` that is not an argument (a closure over an earlier activation)."""
    arg_ids = {id(a) for a in args}
    leaves: dict[int, Tensor] = {}
    seen: set[int] = set()
    stack: list[Any] = list(outs)
    while stack:
        node = stack.pop()
        if id(node) in seen or id(node) in arg_ids:
            continue
        seen.add(id(node))
        if node._ctx is None:
            if node.requires_grad:
                leaves[id(node)] = node
            continue
        if node._ctx.seq < start:
            return None
        stack.extend(p for p in node._ctx.parents if isinstance(p, Tensor))
    return list(leaves.values())


def checkpoint(
    function: Callable[..., Any],
    *args: Any,
    use_reentrant: bool | None = None,
    context_fn: Callable[[], Any] | None = None,
    determinism_check: str = "default",
    debug: bool = False,
    early_stop: bool = True,
    **kwargs: Any,
) -> Any:
    """``function(*args, **kwargs)``, with its activations recomputed in backward instead of
    kept (see the module docstring). ``preserve_rng_state=True`` (a keyword) replays the
    random draws in the recomputation."""
    reentrant = _use_reentrant(use_reentrant, "torch.utils.checkpoint")
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    if reentrant and (context_fn is not None or debug is not False):
        raise ValueError(
            "Passing `context_fn` or `debug` is only supported when use_reentrant=False."
        )
    if not grad_mode.is_grad_enabled():
        return function(*args, **kwargs)
    tensor_args = [a for a in args if isinstance(a, Tensor) and a.requires_grad]
    if reentrant and not tensor_args:
        warnings.warn(
            "None of the inputs have requires_grad=True. Gradients will be None", stacklevel=2
        )
        with grad_mode.no_grad():
            return function(*args, **kwargs)
    rng = default_generator().bit_generator.state if preserve else None
    start = _next_seq()
    out = function(*args, **kwargs)
    leaves, spec = flatten(out)
    outs = [o for o in leaves if isinstance(o, Tensor) and o.requires_grad]
    params = _outside_tensors(outs, tensor_args, start) if outs else []
    if params is None or not outs:
        return out  # not checkpointed (see the module docstring), or nothing to differentiate
    segment = _Segment(function, args, kwargs, params, rng, len(outs))
    inputs = tensor_args + params
    new_leaves = []
    index = 0
    for o in leaves:
        if isinstance(o, Tensor) and o.requires_grad:
            new_leaves.append(Checkpoint.apply(segment, index, o._data, *inputs))
            index += 1
        else:
            new_leaves.append(o)
    return unflatten(new_leaves, spec)


def checkpoint_sequential(
    functions: Any,
    segments: int,
    input: Any,  # noqa: A002 (torch's name)
    use_reentrant: bool | None = None,
    **kwargs: Any,
) -> Any:
    """Run the modules or functions ``functions`` (a Sequential or a list) one after another
    on ``input``, split into ``segments`` runs of ``len(functions) // segments``, each but
    the last checkpointed."""
    reentrant = _use_reentrant(use_reentrant, "torch.utils.checkpoint.checkpoint_sequential")
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    if not isinstance(functions, Sequence):
        functions = list(functions.children())

    def run(first: int, last: int) -> Callable[[Any], Any]:
        def forward(x: Any) -> Any:
            for j in range(first, last + 1):
                x = functions[j](x)
            return x

        return forward

    size = len(functions) // segments
    end = -1
    for first in range(0, size * (segments - 1), size):
        end = first + size - 1
        input = checkpoint(
            run(first, end), input, use_reentrant=reentrant, preserve_rng_state=preserve
        )
    return run(end + 1, len(functions) - 1)(input)
