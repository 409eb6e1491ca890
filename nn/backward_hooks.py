"""``Module.register_full_backward_hook`` (PyTorch's): ``hook(module, grad_input,
grad_output)`` runs once the gradients with respect to a module call's tensor inputs are
known; ``grad_output`` holds those with respect to its outputs. Returning a tuple replaces
``grad_input``. ``register_full_backward_pre_hook``: ``hook(module, grad_output)`` runs once
the outputs' gradients are known, before they go on; returning a tuple replaces them.

A call with backward hooks passes its tensor inputs and outputs through identity ops ("taps")
recorded in the graph: the gradient reaching an output's tap is that output's gradient, and the
one reaching an input's tap is the gradient through this call only (not through other uses of
the same tensor), which is what the hook must see.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Function, Tensor
from autograd.function import Context
from autograd.grad_mode import is_grad_enabled
from autograd.node import Node


class _Call:
    """One module call's gradients, gathered as backward reaches its taps."""

    def __init__(
        self,
        module: Any,
        hooks: list[Callable[..., Any]],
        n_in: int,
        pre_hooks: list[Callable[..., Any]] | None = None,
    ) -> None:
        self.module = module
        self.hooks = hooks
        self.pre_hooks = pre_hooks or []
        self.grad_input: list[Any] = [None] * n_in
        self.grad_output: list[Any] = []
        self.waiting_inputs = 0  # input taps whose gradient has not arrived yet
        self.waiting_outputs = 0
        self.tapped_inputs = 0
        # floating tensor inputs that need no gradient: PyTorch gives them zeros in
        # grad_input when another input needs one
        self.zero_inputs: dict[int, tuple[tuple[int, ...], Any]] = {}

    def output_arrived(self, slot: int, g: Any) -> Any:
        """Record an output's gradient; the one to pass on (a pre-hook's replacement)."""
        self.grad_output[slot] = g
        self.waiting_outputs -= 1
        if self.waiting_outputs == 0 and self.pre_hooks:
            g = self._run_pre_hooks(slot, g)
        if self.waiting_inputs == 0 and self.waiting_outputs == 0:
            self._run()  # no input needs a gradient: the hooks run once the outputs' are in
        return g

    def _run_pre_hooks(self, slot: int, g: Any) -> Any:
        grad_output = tuple(_as_tensor(x) for x in self.grad_output)
        replaced = None
        for hook in self.pre_hooks:
            result = hook(self.module, grad_output)
            if result is not None:
                replaced = grad_output = tuple(result)
        if replaced is None:
            return g
        if sum(x is not None for x in self.grad_output) > 1:
            raise NotImplementedError(
                "register_full_backward_pre_hook: replacing grad_output of a module call "
                "with several outputs that need gradients is not supported"
            )
        self.grad_output = [_raw(x, g) for x in replaced]
        return self.grad_output[slot]

    def input_arrived(self, slot: int, g: Any) -> Any:
        self.grad_input[slot] = g
        self.waiting_inputs -= 1
        if self.waiting_inputs:
            return g
        replaced = self._run()
        if replaced is None:
            return g
        if sum(x is not None for x in self.grad_input) > 1:
            raise NotImplementedError(
                "register_full_backward_hook: replacing grad_input of a module call with "
                "several tensor inputs that need gradients is not supported"
            )
        return _raw(replaced[slot], g)

    def _run(self) -> Any:
        if not self.hooks:
            return None
        grad_input = tuple(_as_tensor(g) for g in self.grad_input)
        if self.tapped_inputs:
            zeros = {
                k: Tensor(np.zeros(shape, dtype)) for k, (shape, dtype) in self.zero_inputs.items()
            }
            grad_input = tuple(zeros.get(k, g) for k, g in enumerate(grad_input))
        else:
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to "
                "module outputs since no inputs require gradients.",
                stacklevel=2,
            )
        grad_output = tuple(_as_tensor(g) for g in self.grad_output)
        replaced = None
        for hook in self.hooks:
            result = hook(self.module, grad_input, grad_output)
            if result is not None:
                replaced = grad_input = tuple(result)
        return replaced


def _as_tensor(g: Any) -> Any:
    """A gradient as a hook sees it (a Tensor, or None)."""
    return None if g is None or isinstance(g, Node) else Tensor(g)


def _raw(new: Any, g: Any) -> Any:
    """A hook's replacement in the form of the gradient ``g`` it replaces."""
    return new._data if isinstance(new, Tensor) and not isinstance(g, Node) else new


class _Tap(Function):
    """The identity; its backward reports the gradient to the call record."""

    @staticmethod
    def forward(ctx: Context, x: Any, call: _Call, slot: int, is_input: bool) -> Any:
        ctx.call, ctx.slot, ctx.is_input = call, slot, is_input
        return x.view()

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if ctx.is_input:
            return ctx.call.input_arrived(ctx.slot, g), None, None, None
        return ctx.call.output_arrived(ctx.slot, g), None, None, None


def tap_inputs(
    module: Any,
    hooks: list[Callable[..., Any]],
    args: tuple,
    pre_hooks: list[Callable[..., Any]] | None = None,
) -> tuple[_Call, tuple]:
    """The call's record, and its positional inputs with the tensors that need a gradient
    passed through taps (when there are full backward hooks to give them to)."""
    call = _Call(module, hooks, len(args), pre_hooks)
    tapped = []
    for slot, a in enumerate(args):
        if hooks and isinstance(a, Tensor) and a.requires_grad and is_grad_enabled():
            call.waiting_inputs += 1
            call.tapped_inputs += 1
            a = _Tap.apply(a, call, slot, True)
        elif isinstance(a, Tensor) and a.dtype.kind == "f":
            call.zero_inputs[slot] = (tuple(a.shape), a.dtype)
        tapped.append(a)
    return call, tuple(tapped)


def tap_outputs(call: _Call, out: Any) -> Any:
    """The call's output (a Tensor or a tuple of them) passed through taps."""
    many = isinstance(out, tuple)
    outs = list(out) if many else [out]
    call.grad_output = [None] * len(outs)
    for slot, o in enumerate(outs):
        if isinstance(o, Tensor) and o.requires_grad:
            call.waiting_outputs += 1
            outs[slot] = _Tap.apply(o, call, slot, False)
    return tuple(outs) if many else outs[0]
