"""In-place modification of Tensors with PyTorch's rules, and the version counters that
catch a backward pass needing data that was overwritten.

- Under ``no_grad()``, or when neither the tensor nor the new value requires grad, the new
  values are written into the tensor's array (views and aliases see the change) and its
  version goes up.
- A leaf that requires grad cannot be modified outside ``no_grad()`` (its gradient would no
  longer mean anything): an error, as in PyTorch.
- Otherwise the modification is recorded: the tensor takes the new history (as if it had been
  ``t = f(t)``) and a new array, while its old value lives on, unchanged, in the graph. Ops
  recorded earlier that used the tensor take the node of its old value as their input (at
  once where they can be found, else when a graph walk reaches them: ``route_later``).
- A view (``y[1:3]``, ``y.view(...)``, ``y.t()``...), or a tensor that has live views, is
  changed in its memory instead, as in PyTorch: the base and all its views see the new values,
  the base takes the history ``CopySlices`` (its old value with the view's region replaced)
  and the views are retaken from it; a view of a leaf that requires grad is refused. The
  rules for ops recorded earlier are those above (see ``views.py``); ops that saved the
  overwritten data fail at backward, since a base and its views share one version counter.

Every recorded op notes how many in-place writes had happened when it was recorded
(``function.WRITES``), every write notes the count on the tensor it changed; before a
backward rule uses saved data, the engine checks that none of it was written later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from . import grad_mode
from .function import WRITES, _next_seq
from .promotion import can_cast, inplace_cast_error

if TYPE_CHECKING:
    from .tensor import Tensor


def write(t: Tensor, values: Any, op: str) -> None:
    """Write ``values`` (broadcast) into ``t``'s array in place, keeping its shape and dtype."""
    arr = t._data
    values = np.asarray(values)
    if values.shape != arr.shape:
        try:
            target = np.broadcast_shapes(values.shape, arr.shape)
        except ValueError:
            target = None
        if target != arr.shape:
            raise RuntimeError(
                f"{op}: the result has shape {values.shape}, which does not fit the tensor's "
                f"shape {arr.shape} (an in-place op cannot change a tensor's shape)"
            )
    if not can_cast(values.dtype, arr.dtype):
        raise inplace_cast_error(op, values.dtype, arr.dtype)
    if not arr.flags.writeable:  # an expanded view: entries share memory
        raise RuntimeError(f"{op}: {OVERLAP_ERROR}")
    np.copyto(arr, values, casting="unsafe")  # (the category was checked above)
    bump_version(t)


def bump_version(t: Tensor) -> None:
    """Count an in-place write to ``t``'s data (shared with its detached aliases)."""
    WRITES[0] += 1
    if t._vc is None:
        t._vc = [1, WRITES[0]]
    else:
        t._vc[0] += 1
        t._vc[1] = WRITES[0]


def modify(t: Tensor, compute: Callable[[Tensor], Tensor], op: str) -> Tensor:
    """Replace ``t``'s value by ``compute(t)`` in place, with PyTorch's in-place rules."""
    if not grad_mode.STATE.enabled:
        write(t, compute(t)._data, op)
        return t
    _refuse_leaf(t, op)
    if t._view_of is not None or live_views(t):
        return modify_shared(t, compute, op)
    old = _old_value(t)
    new = compute(old)
    if not new.requires_grad and not t.requires_grad:  # nothing to record
        write(t, new._data, op)
        return t
    if t._used:
        _redirect_consumers(t, old, new, op)
    new = conform(new, t, op)
    if not new.requires_grad:
        # overwritten by constants: the old history no longer reaches this value
        move_hooks(t, old)
        t._data, t._ctx, t._vc, t.requires_grad = new._data, None, None, False
        return t
    # t becomes the new node; the old value stays with `old`, untouched
    move_hooks(t, old)
    t._data, t._ctx, t._vc, t.requires_grad = new._data, new._ctx, new._vc, True
    return t


def conform(new: Tensor, t: Tensor, op: str) -> Tensor:
    """The new value ``new`` of ``t``, checked to keep ``t``'s shape and cast to its dtype."""
    if new.shape != t.shape:
        raise RuntimeError(
            f"{op}: the result has shape {new.shape}, which does not fit the tensor's shape "
            f"{t.shape} (an in-place op cannot change a tensor's shape)"
        )
    if new.dtype != t.dtype:
        if not can_cast(new.dtype, t.dtype):
            raise inplace_cast_error(op, new.dtype, t.dtype)
        new = new.to(t.dtype)
    return new


def _refuse_leaf(t: Tensor, op: str) -> None:
    if t.requires_grad and t._ctx is None:
        raise RuntimeError(
            f"{op}: a leaf Tensor that requires grad cannot be modified in place (its "
            "gradient would no longer match its value). Do it inside `with no_grad():` (as an "
            "optimizer's update does), write to `.data`, or work on a copy (`t.clone()`)"
        )


def _old_value(t: Tensor) -> Tensor:
    """``t``'s value before a change, as a node of its own (same data, history and version)."""
    from .tensor import Tensor

    old = Tensor.__new__(Tensor)
    old._init_node(t._data, t._ctx, t.requires_grad)
    old._vc = t._vc
    if t._view_of is not None:
        old._view_of = t._view_of
    return old


def move_hooks(t: Tensor, old: Tensor) -> None:
    """The gradient hooks registered on ``t`` so far go to ``old``, its value before a change
    that is being made: as in PyTorch, they see the gradient of the value they were
    registered on (hooks registered after the change see the new value's; ``retain_grad``
    stays with ``t``)."""
    hooks = t.__dict__.pop("_grad_hooks", None)
    if hooks:
        old.__dict__["_grad_hooks"] = hooks  # the same dict: handles still remove from it


def restride(t: Tensor, compute: Callable[[Tensor], Tensor], op: str) -> Tensor:
    """Make ``t`` the view ``compute(t)`` of its own data in place (``squeeze_``,
    ``transpose_``...): its shape changes, its values do not.

    The same rules as ``modify``: a leaf that requires grad is refused outside ``no_grad()``;
    a recorded tensor takes the view's history, and ops that used it before keep its old
    shape through the node that stands for its old value.
    """
    if not grad_mode.STATE.enabled or not t.requires_grad:
        new = compute(t)
        t._data = new._data
        _keep_view(t, new)
        bump_version(t)
        return t
    _refuse_leaf(t, op)
    old = _old_value(t)
    new = compute(old)
    if t._used:
        _redirect_consumers(t, old, new, op)
    move_hooks(t, old)
    t._data, t._ctx = new._data, new._ctx
    _keep_view(t, new)
    return t


def _keep_view(t: Tensor, new: Tensor) -> None:
    """After ``restride``: a view stays a view of its base, now through ``new``'s take."""
    if t._view_of is not None:
        t._view_of = new._view_of


def _redirect_consumers(t: Tensor, old: Tensor, new: Tensor, op: str) -> None:
    """Make the ops that used ``t`` before this change use ``old`` (its value then) instead.

    Those behind the new value (``t[i] += v``: Python reads ``t[i]`` before writing it
    back) are found by walking back from it and changed now; any others take ``old`` when a
    graph walk reaches them (``route_later``).
    """
    born = t._ctx.seq if t._ctx is not None else -1
    consumers = consumers_behind(new, {id(t): t}, born).get(id(t), [])
    for ctx in consumers:
        ctx.inputs = tuple(old if a is t else a for a in ctx.inputs)
        ctx.parents = tuple(old if a is t else a for a in ctx.parents)
    if len(consumers) != t._used:
        route_later(t, old)
    old._used = t._used
    t._used = 0


def route_later(t: Tensor, old: Tensor, changed_at: int | None = None) -> None:
    """Have every op recorded so far that used ``t`` use ``old`` instead: ``t`` is being
    changed in place, and ``old`` stands for its value until now. The ops are not known
    here (a tensor does not keep its consumers: that would cost every op), so ``t`` keeps
    the change's sequence number and ``old``; ``function.reroute`` moves an op's input
    when a graph walk reaches it. The write count goes up, which makes backward call it.

    Every op recorded before ``changed_at`` (default: now) saw the old value."""
    if changed_at is None:
        changed_at = _next_seq()
    if t._history is None:
        t._history = []
    t._history.append((changed_at, old))
    WRITES[0] += 1


def consumers_behind(new: Tensor, targets: dict[int, Any], born: int) -> dict[int, list]:
    """The recorded ops that ``new`` depends on and that took one of ``targets`` as input,
    by target. The walk stops at the targets themselves (a view's own history is its view op,
    accounted for separately) and at ops older than the base."""
    found: dict[int, list] = {}
    seen: set[int] = set()
    stack = [new]
    while stack:
        node = stack.pop()
        ctx = node._ctx
        if ctx is None or ctx.seq <= born or id(ctx) in seen:
            continue
        seen.add(id(ctx))
        for p in ctx.parents:
            x = targets.get(id(p))
            if x is p:
                found.setdefault(id(p), []).append(ctx)
            elif x is None:
                stack.append(p)
    return found


from .views import OVERLAP_ERROR, live_views, modify_shared  # noqa: E402  (views uses this module)
