"""Views: tensors that share their base's data (``y[1:3]``, ``y.view(2, 2)``, ``y.t()``,
``y.diagonal()``...), and in-place changes made through them or to a base that has them.

A view op's output remembers, in its ``_view_of`` attribute (a ``ViewInfo``; elsewhere the
class default None, so ordinary ops pay nothing), its root base, a numpy function that takes
the view from an array shaped as the base, and the base's shape then; it shares the base's
version counter. The base keeps weak references to its views (``_views``), each with the
tensor the view op was applied to, so that a change can find the views it affects.

A recorded in-place change through a view (or of a base with live views) writes the new
values into the shared memory, so the base and every view see them, as in PyTorch, and the
base takes the history ``CopySlices(old base, region, new values)``. Each live view that no
recorded op used is then retaken from the new base (``TakeView``). Ops recorded before the
change keep the old values: those found behind the new value, and the views' own ops, are
redirected to nodes that stand for the old values at once, the others when a graph walk
reaches them (``inplace.route_later``); a view that such other ops used keeps its op when
the change missed its region.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from . import inplace
from .function import WRITES
from .function import _next_seq as next_seq
from .ops.view_write import CopySlices, TakeView

if TYPE_CHECKING:
    from .tensor import Tensor

Take = Callable[[np.ndarray], np.ndarray]
_ref = weakref.ref


class ViewInfo(tuple):
    """What makes a tensor a view, as a tuple (cheap to make): its root ``base``, ``take``
    (the base's data to this view's), the base's ``shape`` then, and ``multi``: the name of
    the multiple-view function it came from (``split``, ``unbind``), or None. Copies and
    pickles of a view are not views (the function does not pickle)."""

    __slots__ = ()
    base = property(itemgetter(0))
    take = property(itemgetter(1))
    shape = property(itemgetter(2))
    multi = property(itemgetter(3))

    def __reduce__(self) -> tuple:
        return (_not_a_view, ())


_new_info = tuple.__new__


def _not_a_view() -> None:
    return None


class _Registry(list):
    """A base's views: [weakref(view), weakref(tensor the view op took) or None for the base
    itself, counted] entries (counted: the view op was recorded, so that tensor's use count
    includes it). Copies and
    pickles of the base start with none (weak references do not pickle, and the views are
    not the copy's)."""

    def __reduce__(self) -> tuple:
        return (_Registry, ())

    def __deepcopy__(self, memo: dict) -> _Registry:
        return _Registry()


def mark_view(out: Tensor, src: Tensor, take: Take) -> Tensor:
    """Record that ``out`` is ``take(src.data)``, a view of ``src``'s data."""
    info = src._view_of
    if info is None:
        base = src
        out._view_of = _new_info(ViewInfo, (src, take, src._data.shape, None))
    else:
        base, prev = info[0], info[1]

        def fn(a: np.ndarray) -> np.ndarray:
            return take(prev(a))

        out._view_of = _new_info(ViewInfo, (base, fn, info[2], info[3]))
    vc = base._vc
    if vc is None:
        vc = base._vc = [0, 0]
    out._vc = vc
    if base.requires_grad and base._ctx is None:
        # a leaf that requires grad cannot be changed through its views outside no_grad,
        # where writes are plain: its views need no tracking
        return out
    views = base._views
    if views is None:
        views = base._views = _Registry()
    elif len(views) >= 8 and not len(views) & (len(views) - 1):
        _prune(views, base)
    views.append([_ref(out), None if src is base else _ref(src), out._ctx is not None])
    return out


def from_multi_output(pieces: tuple, name: str) -> tuple:
    """Mark ``pieces``, views made by one call of ``name`` (``split``, ``unbind``...), as
    PyTorch does: such views cannot be changed in place where the change would be recorded."""
    for piece in pieces:
        info = piece._view_of
        if info is not None:
            piece._view_of = _new_info(ViewInfo, (*info[:3], name))
    return pieces


def plain_views(pieces: tuple) -> tuple:
    """``pieces`` as ordinary views, which may be changed in place (torch's ``unsafe_split``:
    there the change is not recorded for the base; here it is, as for any view)."""
    for piece in pieces:
        info = piece._view_of
        if info is not None:
            piece._view_of = _new_info(ViewInfo, (*info[:3], None))
    return pieces


def _source(entry: list, base: Any) -> Any:
    """The tensor an entry's view op took: the base (None in the entry), or a live view."""
    ref = entry[1]
    return base if ref is None else ref()


def _prune(views: list, base: Any) -> None:
    """Drop the entries of dead views; the use they added to a live tensor's count is gone
    with them (nothing can reach the view op any more)."""
    alive = []
    for entry in views:
        if entry[0]() is not None:
            alive.append(entry)
        elif entry[2]:
            src = _source(entry, base)
            if src is not None and src._used > 0:
                src._used -= 1
    views[:] = alive


def live_views(t: Tensor) -> list:
    """The registry entries of ``t``'s live views (pruned), [] when it has none."""
    views = t._views
    if not views:
        return []
    _prune(views, t)
    return views


OVERLAP_ERROR = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)


def modify_shared(t: Tensor, compute: Callable[[Tensor], Tensor], op: str) -> Tensor:
    """``inplace.modify`` for a view, or a base with live views, under grad mode."""
    info = t._view_of
    base: Any = t if info is None else info.base
    if base.requires_grad and base._ctx is None:
        raise RuntimeError(
            f"{op}: a view of a leaf Tensor that requires grad is being used in an in-place "
            "operation (PyTorch's rule: the leaf's gradient would no longer match its value). "
            "Do it inside `with no_grad():`, or modify a clone of the leaf"
        )
    if info is not None and base.requires_grad and not t.requires_grad:
        raise RuntimeError(
            f"{op}: a view was created in no_grad mode and is being modified in place with "
            "grad mode enabled (PyTorch forbids this: the change could not be recorded). "
            "Take the view outside no_grad(), or modify it inside no_grad()"
        )
    entries = live_views(base)
    if info is not None and not any(e[0]() is t for e in entries):
        entries.append([_ref(t), None, False])  # (registered elsewhere)
    shape = base._data.shape
    ids = np.arange(base._data.size).reshape(shape)
    views = []
    for entry in entries:
        w = entry[0]()
        if w is None:
            continue
        fn, w_shape = w._view_of.take, w._view_of.shape
        if w_shape != shape:
            raise RuntimeError(
                f"{op}: the base of this data changed shape in place ({w_shape} to {shape}) "
                "after a view of it was taken; in-place changes through or beside such a "
                "view are not supported here (PyTorch's are). Take the view again"
            )
        views.append((w, entry, np.asarray(fn(ids))))
    where = None if info is None else next(p for w, _, p in views if w is t)
    written = np.ones(base._data.size, dtype=bool)
    if where is not None:
        if not t._data.flags.writeable or np.unique(where).size != where.size:
            raise RuntimeError(f"{op}: {OVERLAP_ERROR}")
        written[:] = False
        written[where.reshape(-1)] = True

    old_base = inplace._old_value(base)
    snap = old_base.clone() if where is None else TakeView.apply(old_base, where)
    before = next_seq()  # ops recorded from here on are compute's
    new = inplace.conform(compute(snap), t, op)
    if not new.requires_grad and not base.requires_grad:
        inplace.write(t, new._data, op)
        return t
    if info is not None and info.multi is not None:
        raise RuntimeError(
            f"{op}: this view is an output of {info.multi}, a function that returns multiple "
            "views, or a view of one; PyTorch does not allow such views to be modified in "
            "place where the change is recorded. Replace the in-place op by an out-of-place "
            "one, or take the view with indexing instead"
        )

    if new.requires_grad and (new._ctx is None or new._ctx.seq < before):
        new = new.clone()  # not made here (an input returned as it is): the base needs its own
    # the ops recorded before the change that used the base or a view of it (none if the base
    # did not require grad: then nothing could take it or its views as an input)
    targets = {id(base): base}
    targets.update((id(w), w) for w, _, _ in views)
    found = (
        inplace.consumers_behind(new, targets, base._ctx.seq if base._ctx is not None else -1)
        if base.requires_grad
        else {}
    )
    view_uses: dict[int, int] = {}
    for _, entry, _ in views:
        src = _source(entry, base)
        if entry[2] and src is not None:
            view_uses[id(src)] = view_uses.get(id(src), 0) + 1
    # uses of the base or a view that could not be found (none behind the new value):
    # they take the old values when a graph walk reaches them (inplace.route_later)
    others = {k: x._used - view_uses.get(k, 0) - len(found.get(k, ())) for k, x in targets.items()}
    overwritten = {id(w) for w, _, p in views if written[p.reshape(-1)].any()}

    inplace.write(t, new._data, op)  # into the shared memory: the base and views see it
    if where is not None and new._ctx is not None:
        _now_in_memory(new._ctx, new._data, t._data, base._data)
        new._data, new._vc = t._data, t._vc
    _rehistory(
        base,
        views,
        others,
        overwritten,
        found,
        old_base,
        new if where is None else None,
        where,
        new,
    )
    return t


def _rehistory(
    base: Any,
    views: list,
    others: dict[int, int],
    overwritten: set[int],
    found: dict[int, list],
    old_base: Tensor,
    whole: Tensor | None,
    where: np.ndarray | None,
    new: Tensor,
) -> None:
    """After a change written into ``base``'s memory: ``base`` takes its new history, and the
    graph recorded before keeps the old one.

    A view is retaken from the new base (a new op, hence newer than anything recorded, as the
    engine's order needs) unless recorded ops that could not be found used it and the change
    missed it: then it keeps its op, its values being the same. Every op recorded before, the
    views' own ops included, then takes the old values (``old_base``, and a node per retaken
    view holding its old op) in place of the tensors that changed: now where it was found,
    else when a graph walk reaches it.
    """
    changed_at = next_seq()  # the ops recorded from here on are the change's own
    olds: dict[int, Any] = {id(base): old_base}
    for w, _, _ in views:
        if others[id(w)] <= 0 or id(w) in overwritten:
            olds[id(w)] = inplace._old_value(w)
    if others[id(base)] > 0:
        inplace.route_later(base, old_base, changed_at)
    for w, _, _ in views:
        if others[id(w)] > 0 and id(w) in olds:
            inplace.route_later(w, olds[id(w)], changed_at)
    changed = {id(base): base}
    changed.update((id(w), w) for w, _, _ in views if id(w) in olds)
    for k, w in changed.items():
        inplace.move_hooks(w, olds[k])
    recorded = [w._ctx for w, _, _ in views if w._ctx is not None]
    recorded += [ctx for ctxs in found.values() for ctx in ctxs]
    for ctx in recorded:
        if any(changed.get(id(a)) is a for a in ctx.parents):
            ctx.inputs = tuple(olds[id(a)] if changed.get(id(a)) is a else a for a in ctx.inputs)
            ctx.parents = tuple(olds[id(a)] if changed.get(id(a)) is a else a for a in ctx.parents)

    history = whole if whole is not None else CopySlices.apply(old_base, where, new)
    if whole is not None and whole._ctx is not None:
        _now_in_memory(whole._ctx, whole._data, base._data, base._data)
    base._ctx = history._ctx
    base.requires_grad = history.requires_grad
    base._used = 0
    for w, entry, p in views:
        if id(w) not in olds:  # kept: its op now reads an old node, or a kept view
            entry[2] = entry[2] and changed.get(id(_source(entry, base))) is None
            w._used = others[id(w)]
            continue
        w._used = 0
        entry[1], entry[2] = None, base.requires_grad
        if base.requires_grad:
            w._ctx = TakeView.apply(base, p)._ctx
            w.requires_grad = True
        else:
            w._ctx, w.requires_grad = None, False
    for _, entry, _ in views:  # kept views of kept views still count as uses
        src = _source(entry, base)
        if entry[2] and src is not None and src is not base:
            src._used += 1


def _now_in_memory(ctx: Any, value: np.ndarray, memory: np.ndarray, base: np.ndarray) -> None:
    """The op ``ctx`` computed ``value``, now written to ``memory`` (in ``base``'s data): if it
    saved its output, it saved ``memory`` now, so that a later change there fails its backward
    and create_graph recognises it, as in PyTorch. This write is the op's own, so it does not
    count against it, unless the op also saved other data of the base (which it overwrote)."""
    saved = ctx.saved_tensors
    ctx.saved_tensors = tuple(memory if s is value else s for s in saved)
    if not any(
        type(s) is np.ndarray and s is not value and np.may_share_memory(s, base) for s in saved
    ):
        ctx.epoch = WRITES[0]
