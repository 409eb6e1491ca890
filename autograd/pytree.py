"""Nested Python containers as a flat list of leaves plus the structure to rebuild them.

``autograd.func``'s transforms take and return "pytrees", as ``torch.func`` does: tuples,
lists, dicts and namedtuples nested to any depth, with Tensors (or anything else) as leaves.
``flatten`` lists the leaves in a fixed order (dicts in insertion order) and returns a spec;
``unflatten`` puts a list of new leaves back into that structure. ``broadcast_prefix`` expands
a "prefix" tree (``vmap``'s ``in_dims``: one entry standing for a whole subtree) to one entry
per leaf.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TreeSpec", "flatten", "unflatten", "broadcast_prefix"]


class TreeSpec:
    """The shape of a tree: its container type, the keys (dicts) and the children's specs;
    a leaf's spec has no container type."""

    __slots__ = ("kind", "keys", "children")

    def __init__(self, kind: type | None, keys: tuple = (), children: tuple = ()) -> None:
        self.kind = kind
        self.keys = keys
        self.children = children

    @property
    def is_leaf(self) -> bool:
        return self.kind is None

    @property
    def num_leaves(self) -> int:
        if self.kind is None:
            return 1
        return sum(c.num_leaves for c in self.children)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TreeSpec)
            and self.kind is other.kind
            and self.keys == other.keys
            and self.children == other.children
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.keys, self.children))

    def __repr__(self) -> str:
        if self.kind is None:
            return "*"
        inner = ", ".join(
            f"{k!r}: {c!r}" if self.kind is dict else repr(c)
            for k, c in zip(self.keys or [None] * len(self.children), self.children)
        )
        return f"TreeSpec({self.kind.__name__}, [{inner}])"


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _children(x: Any) -> tuple[type, tuple, list] | None:
    """(container type, dict keys, children) of a container; None for a leaf."""
    if isinstance(x, dict):
        return dict, tuple(x), list(x.values())
    if _is_namedtuple(x):
        return type(x), (), list(x)
    if type(x) in (tuple, list):
        return type(x), (), list(x)
    return None


def flatten(tree: Any) -> tuple[list, TreeSpec]:
    """The leaves of ``tree`` in order, and its spec."""
    leaves: list = []

    def walk(x: Any) -> TreeSpec:
        parts = _children(x)
        if parts is None:
            leaves.append(x)
            return TreeSpec(None)
        kind, keys, kids = parts
        return TreeSpec(kind, keys, tuple(walk(k) for k in kids))

    return leaves, walk(tree)


def unflatten(leaves: list, spec: TreeSpec) -> Any:
    """The tree of structure ``spec`` holding ``leaves`` (in ``flatten``'s order)."""
    it = iter(leaves)

    def build(s: TreeSpec) -> Any:
        if s.kind is None:
            return next(it)
        kids = [build(c) for c in s.children]
        if s.kind is dict:
            return dict(zip(s.keys, kids))
        if s.kind in (tuple, list):
            return s.kind(kids)
        return s.kind(*kids)  # a namedtuple

    return build(spec)


def broadcast_prefix(prefix: Any, tree: Any, is_leaf_value: Any = lambda v: True) -> list | None:
    """One entry of ``prefix`` per leaf of ``tree``: where ``prefix`` holds a leaf value
    (``is_leaf_value``) it stands for the whole subtree of ``tree`` at that place; elsewhere
    the two must be containers of the same type and length. None if they do not match."""
    out: list = []

    def walk(p: Any, t: Any) -> bool:
        tparts = _children(t)
        pparts = _children(p)
        if pparts is None:
            if not is_leaf_value(p):
                return False
            out.extend([p] * (1 if tparts is None else flatten(t)[1].num_leaves))
            return True
        if tparts is None:
            return False
        pkind, pkeys, pkids = pparts
        tkind, tkeys, tkids = tparts
        if pkind is not tkind or len(pkids) != len(tkids):
            return False
        if pkind is dict:
            if set(pkeys) != set(tkeys):
                return False
            return all(walk(p[k], t[k]) for k in tkeys)
        return all(walk(a, b) for a, b in zip(pkids, tkids))

    return out if walk(prefix, tree) else None
