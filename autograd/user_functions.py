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
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

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
        marked = ctx.__dict__.get("_marked", ())
        if isinstance(out, (tuple, list)):
            outs = tuple(out)
            result = _pack(cls, ctx, outs, [plain(o) for o in outs], marked)
        else:
            outs = (out,)
            result = plain(out)
            ctx._non_differentiable = any(m is out or m is result for m in marked)
        saved = ctx.saved_tensors
        if saved:
            ctx.saved_tensors = tuple(_as_raw(s, args, raw, outs, result, ctx) for s in saved)
        _LAST.ctx = ctx  # for finish_output, also when the op is not recorded
        return result

    return _like(forward, rule)


def _as_raw(item: Any, args: tuple, raw: tuple, outs: tuple, result: Any, ctx: Any) -> Any:
    """A saved item as the object the engine knows: an input's own data, the output as
    returned to ``record`` (one of several: its place in it), other arrays and Tensors
    without history as plain arrays (so that version checks and ``create_graph`` recognise
    what was saved)."""
    for k, o in enumerate(outs):
        if item is o:
            layout = ctx.__dict__.get("_layout")
            return result if layout is None else _SavedOutput(k)
    for a, r in zip(args, raw):
        if item is a:
            return r
    return plain(item)


def _pack(cls: type, ctx: Any, outs: tuple, items: list, marked: tuple) -> Any:
    """Several outputs as the one array ``record`` takes: the differentiable ones (floating,
    not marked) raveled end to end in their promoted dtype. ``ctx._layout`` keeps where each
    one lies (None for the others, kept whole in ``ctx._constants``)."""
    layout: list = []
    constants: dict = {}
    pieces = []
    start = 0
    for k, (o, item) in enumerate(zip(outs, items)):
        if not isinstance(item, np.ndarray):
            raise TypeError(
                f"{cls.__name__}.forward returned several outputs; each must be an array or "
                f"a Tensor (output {k} is a {type(item).__name__})"
            )
        if item.dtype.kind not in "fc" or any(m is o or m is item for m in marked):
            layout.append(None)
            constants[k] = item
            continue
        layout.append((start, start + item.size, item.shape, item.dtype))
        pieces.append(item.ravel())
        start += item.size
    ctx._layout, ctx._constants = layout, constants
    if not pieces:
        return np.zeros(0)
    ctx._packed = np.concatenate(pieces).astype(np.result_type(*pieces), copy=False)
    return ctx._packed


class _SavedOutput:
    """Stands in ``saved_tensors`` for output ``index`` of several (see ``_StyledContext``)."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def user_backward(rule: Callable[..., Any]) -> Callable[..., Any]:
    """``rule`` (a user's backward) as the backward the engine calls."""

    def backward(ctx: Any, *grads: Any) -> Any:
        graph = any(isinstance(g, Node) for g in grads)  # create_graph: nodes in and out
        recording = _recording_context(ctx)
        layout = recording.__dict__.get("_layout")
        if layout is not None:
            grads = tuple(_output_grads(recording, grads[0], layout))
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


def _output_grads(ctx: Any, g: Any, layout: list) -> list:
    """The gradient of each of several outputs, cut from the packed one. An output that got
    none (no path from the roots of this backward pass, or not differentiable) gets zeros of
    its shape and dtype, PyTorch's materialised gradients, or None after
    ``ctx.set_materialize_grads(False)``."""
    materialize = ctx.__dict__.get("materialize_grads", True)
    reached = ctx.__dict__.pop("_reached", set())
    grads: list = []
    for k, place in enumerate(layout):
        if not materialize and k not in reached:
            grads.append(None)
        elif place is None:
            c = ctx._constants[k]
            grads.append(np.zeros(c.shape, c.dtype))
        else:
            start, stop, shape, dtype = place
            piece: Any = g[start:stop].reshape(shape)
            grads.append(
                piece.astype(dtype, copy=False)
                if isinstance(piece, np.ndarray)
                else piece.to(dtype)
            )
    return grads


class _StyledContext:
    """The context a user's backward sees: its saved arrays as TensorStyleArrays (an output
    of several as itself: a slice of the packed output, a node under create_graph); every
    other attribute read from and written to the real context."""

    __slots__ = ("_ctx", "saved_tensors")

    def __init__(self, ctx: Any) -> None:
        object.__setattr__(self, "_ctx", ctx)
        saved = tuple(
            _saved_output(ctx, s.index) if type(s) is _SavedOutput else styled(s)
            for s in ctx.saved_tensors
        )
        object.__setattr__(self, "saved_tensors", saved)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._ctx, name, value)


def _saved_output(ctx: Any, index: int) -> Any:
    place = ctx._layout[index]
    if place is None:  # an output without gradient, kept whole
        return styled(ctx._constants[index])
    start, stop, shape, dtype = place
    output = getattr(ctx, "_output", None)  # create_graph's context: the packed node
    if output is not None:
        return output[start:stop].reshape(shape).to(dtype)
    return styled(ctx._packed[start:stop].reshape(shape).astype(dtype, copy=False))


# the context of the user forward that ran last in this thread
_LAST = threading.local()


def finish_output(out: Any) -> Any:
    """A user Function's result as ``apply`` returns it: without history when forward
    marked it non-differentiable; several outputs as a tuple, cut from the packed one."""
    ctx = _LAST.__dict__.pop("ctx", None)
    if ctx is None:  # (forward raised)
        return out
    layout = ctx.__dict__.get("_layout")
    if layout is not None:
        return _unpacked(out, ctx, layout)
    if ctx.__dict__.get("_non_differentiable") and out.requires_grad:
        return out.detach()
    return out


def _unpacked(packed: Any, ctx: Any, layout: list) -> tuple:
    from .grad_fn import backward_name, present_as
    from .tensor import Tensor

    outs = tuple(
        Tensor._from_op(ctx._constants[k], None)
        if place is None
        else UnpackOutput.apply(packed, *place)
        for k, place in enumerate(layout)
    )
    if ctx.__dict__.get("materialize_grads", True) is False:
        # each output's node tells the Function's backward that it was reached (see
        # _output_grads: the others get None)
        for k, out in enumerate(outs):
            if out._ctx is not None:
                out._ctx.output_of = (ctx, k)
    if packed._ctx is not None:  # each shows the Function's node, as PyTorch's outputs do
        inputs = [a for a in packed._ctx.inputs if isinstance(a, Node)]
        for out in outs:
            present_as(out, backward_name(packed._ctx.fn), inputs)
    return outs


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


class UnpackOutput(Function):
    """One output of a user Function's several: ``packed[start:stop]`` in its shape and dtype."""

    @staticmethod
    def forward(ctx: Any, packed: Any, start: int, stop: int, shape: tuple, dtype: Any) -> Any:
        ctx.place = (start, stop, packed.shape[0], packed.dtype)
        return packed[start:stop].reshape(shape).astype(dtype)

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        start, stop, size, dtype = ctx.place
        output_of = _recording_context(ctx).__dict__.get("output_of")
        if output_of is not None:
            function_ctx, k = output_of
            function_ctx.__dict__.setdefault("_reached", set()).add(k)
        if isinstance(g, Node):
            return PlaceOutput.apply(g, start, stop, size, dtype), None, None, None, None
        return _placed(g, start, stop, size, dtype), None, None, None, None


class PlaceOutput(Function):
    """``UnpackOutput``'s transpose (its gradient under create_graph): ``g`` raveled into
    zeros of the packed size, at ``start:stop``."""

    @staticmethod
    def forward(ctx: Any, g: Any, start: int, stop: int, size: int, dtype: Any) -> Any:
        ctx.place = (start, stop, g.shape, g.dtype)
        return _placed(g, start, stop, size, dtype)

    @staticmethod
    def backward(ctx: Any, h: Any) -> Any:
        start, stop, shape, dtype = ctx.place
        if isinstance(h, Node):
            return UnpackOutput.apply(h, start, stop, shape, dtype), None, None, None, None
        return h[start:stop].reshape(shape).astype(dtype), None, None, None, None


def _placed(g: np.ndarray, start: int, stop: int, size: int, dtype: Any) -> np.ndarray:
    full = np.zeros(size, dtype)
    full[start:stop] = g.ravel()
    return full


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
