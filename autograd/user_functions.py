"""How a user's ``Function`` subclass runs, with PyTorch's conventions on top of the raw-data
interface the built-in ops use:

- ``forward`` and ``backward`` receive their arrays as ``TensorStyleArray`` (ndarrays that also
  answer torch.Tensor's methods) and may return those or Tensors without history, as torch's
  custom Functions return tensors; ``forward`` runs with recording off, as in PyTorch;
- ``setup_context(ctx, inputs, output)`` beside a ``forward`` without ``ctx`` (torch 2's form);
- ``ctx.mark_non_differentiable(output)``: the output is returned without history;
- a ``backward`` that returns a gradient for an input that was not a node raises, as torch's;
- ``once_differentiable``: a backward run on raw data, whose result refuses a second
  derivative instead of silently having none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import grad_mode
from .function import Function
from .node import Node
from .tensor_style_array import plain, styled


def user_forward(rule: Callable[..., Any], cls: type) -> Callable[..., Any]:
    """``rule`` (a user's forward) as the raw-data forward ``record`` calls."""
    takes_ctx = getattr(cls, "setup_context", None) is None

    def forward(ctx: Any, *raw: Any) -> Any:
        args = tuple(styled(r) for r in raw)
        with grad_mode.no_grad():
            if takes_ctx:
                out = rule(ctx, *args)
            else:
                out = rule(*args)
                cls.setup_context(ctx, args, out)  # type: ignore[attr-defined]
        result = plain(out)
        if type(result) is tuple or type(result) is list:
            raise TypeError(
                f"{cls.__name__}.forward returned {len(result)} outputs; custom Functions "
                "with several outputs are not supported yet (return one array, or apply one "
                "Function per output)"
            )
        saved = ctx.saved_tensors
        if saved:
            ctx.saved_tensors = tuple(_as_raw(s, args, raw, out, result) for s in saved)
        marked = ctx.__dict__.get("_non_differentiable")
        if marked is not None:
            ctx._non_differentiable = any(m is out or m is result for m in marked)
        return result

    return _like(forward, rule)


def _as_raw(item: Any, args: tuple, raw: tuple, out: Any, result: Any) -> Any:
    """A saved item as the object the engine knows: an input's own data, the output as
    returned to ``record``, other arrays and Tensors without history as plain arrays (so
    that version checks and ``create_graph`` recognise what was saved)."""
    if item is out:
        return result
    for a, r in zip(args, raw):
        if item is a:
            return r
    return plain(item)


def user_backward(rule: Callable[..., Any]) -> Callable[..., Any]:
    """``rule`` (a user's backward) as the backward the engine calls."""

    def backward(ctx: Any, *grads: Any) -> Any:
        graph = any(isinstance(g, Node) for g in grads)  # create_graph: nodes in and out
        result = rule(_StyledContext(ctx), *(grads if graph else [styled(g) for g in grads]))
        given = result if type(result) is tuple else (result,)
        for k, (arg, g) in enumerate(zip(ctx.inputs, given)):
            if g is not None and not isinstance(arg, Node):
                raise RuntimeError(
                    f"function {ctx.fn.__name__}Backward returned a gradient different than "
                    f"None at position {k + 1}, but the corresponding forward input was not a "
                    "Variable"
                )
        if type(result) is tuple:
            return tuple(plain(g) for g in result)
        return plain(result)

    return _like(backward, rule)


def _like(wrapper: Callable[..., Any], rule: Callable[..., Any]) -> Callable[..., Any]:
    wrapper.__name__ = wrapper.__qualname__ = rule.__name__
    wrapper.__doc__ = rule.__doc__
    wrapper.__wrapped__ = rule  # type: ignore[attr-defined]
    return wrapper


class _StyledContext:
    """The context a user's backward sees: its saved arrays as TensorStyleArrays; every other
    attribute read from and written to the real context."""

    __slots__ = ("_ctx", "saved_tensors")

    def __init__(self, ctx: Any) -> None:
        object.__setattr__(self, "_ctx", ctx)
        object.__setattr__(self, "saved_tensors", tuple(styled(s) for s in ctx.saved_tensors))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._ctx, name, value)


def finish_output(out: Any) -> Any:
    """A user Function's result as ``apply`` returns it: without history when forward
    marked it non-differentiable."""
    ctx = getattr(out, "_ctx", None)
    if ctx is not None and ctx.__dict__.get("_non_differentiable"):
        return out.detach()
    return out


def _recording_context(ctx: Any) -> Any:
    """The Context under the wrappers a backward may be handed (styled, create_graph's)."""
    while not hasattr(type(ctx), "save_for_backward"):
        ctx = ctx._ctx
    return ctx


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a custom Function's ``backward`` that works on raw data only (PyTorch's
    ``torch.autograd.function.once_differentiable``): under ``create_graph`` it still runs,
    on the data, and differentiating its result again raises instead of giving zero."""

    @functools.wraps(backward)
    def wrapper(ctx: Any, *grads: Any) -> Any:
        if not any(isinstance(g, Node) for g in grads):
            return backward(ctx, *grads)
        data = [styled(g._data) if isinstance(g, Node) else g for g in grads]
        result = backward(_StyledContext(_recording_context(ctx)), *data)
        # torch's rule: the result has history when a gradient coming in has
        nodes = [g for g in grads if isinstance(g, Node) and g.requires_grad]
        if type(result) is not tuple:
            return _differentiated_once(result, nodes)
        return tuple(_differentiated_once(g, nodes) for g in result)

    return wrapper


class OnceDifferentiableBackward(Function):
    """A gradient computed by a ``once_differentiable`` backward: its value, recorded on the
    gradients it came from, refusing to be differentiated."""

    @staticmethod
    def forward(ctx: Any, value: Any, *nodes: Any) -> Any:
        return value

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable"
        )


def _differentiated_once(value: Any, nodes: list) -> Any:
    if value is None or not nodes:
        return plain(value)
    return OnceDifferentiableBackward.apply(plain(value), *nodes)
