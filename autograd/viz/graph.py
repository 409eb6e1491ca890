"""The structure a drawing shows: value nodes in order, their names and module paths.

Everything here walks the recorded graph iteratively (``node._ctx.inputs``), so graphs of any
depth work. The graph survives ``backward()`` (only saved data is released), so drawing after
backward shows the gradients.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..function import reroute
from ..node import Node
from ..ops import activations

_ACTIVATIONS = activations.__name__


def as_roots(root: Any) -> list[Node]:
    """The root node(s) as a list; a clear error for anything else."""
    try:
        roots = [root] if isinstance(root, Node) else list(root)
    except TypeError:
        roots = [root]
    for k, r in enumerate(roots):
        if not isinstance(r, Node):
            raise TypeError(
                f"draw: root must be a Value or Tensor (or a sequence of them); item {k} is a "
                f"{type(r).__name__}"
            )
    return roots


def input_nodes(node: Node) -> list[Node]:
    """The nodes among the inputs of the op that made ``node`` (none for a leaf)."""
    ctx = node._ctx
    if ctx is None:
        return []
    reroute(ctx)  # (inputs changed in place since: their values then)
    return [a for a in ctx.inputs if isinstance(a, Node)]


def is_data_constant(a: Any) -> bool:
    """Constants drawn as their own box (numbers, arrays); others go in the op's label."""
    return (isinstance(a, (int, float, np.ndarray, np.generic))) and not isinstance(a, bool)


def nodes_in_order(roots: Iterable[Node]) -> list[Node]:
    """Every node reachable from ``roots``, inputs before the nodes made from them.

    A depth-first post-order over the op inputs in argument order: the same code builds the
    same order, which makes the drawing's ids stable.
    """
    order: list[Node] = []
    seen: set[int] = set()
    for root in roots:
        if id(root) in seen:
            continue
        seen.add(id(root))
        stack = [(root, iter(input_nodes(root)))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(input_nodes(child))))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


@dataclass
class Naming:
    """Names of parameters and the module path (and class) each belongs to."""

    names: dict[int, str] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)
    module_classes: dict[str, str] = field(default_factory=dict)

    def name_of(self, node: Node) -> str:
        name = self.names.get(id(node))
        if name is not None:
            return name
        return getattr(node, "label", "") or ""


def _module_path(name: str, module_paths: list[str]) -> str | None:
    for path in module_paths:  # longest first
        if path == "" or name.startswith(path + "."):
            return path
    return name.rsplit(".", 1)[0] if "." in name else None


def naming(module: Any = None, names: Mapping[Any, str] | None = None) -> Naming:
    """Collect parameter names from ``module.named_parameters()`` and an explicit mapping.

    ``module`` is anything with ``named_parameters()`` (and optionally ``named_modules()``,
    which gives each cluster its class name); ``autograd`` does not import ``nn``.
    """
    result = Naming()
    module_paths: list[str] = []
    if module is not None:
        if not callable(getattr(module, "named_parameters", None)):
            raise TypeError(
                f"draw: module must have named_parameters() (an nn.Module), got "
                f"{type(module).__name__}"
            )
        if callable(getattr(module, "named_modules", None)):
            for path, m in module.named_modules():
                result.module_classes[path] = type(m).__name__
            module_paths = sorted(result.module_classes, key=len, reverse=True)
        for name, p in module.named_parameters():
            result.names[id(p)] = name
            path = _module_path(name, module_paths)
            if path is not None:
                result.paths[id(p)] = path
    for node, name in (names or {}).items():
        if not isinstance(node, Node):
            raise TypeError(
                f"draw: names keys must be Values or Tensors, got {type(node).__name__}"
            )
        result.names[id(node)] = name
        if id(node) not in result.paths and "." in name:
            result.paths[id(node)] = name.rsplit(".", 1)[0]
    return result


def module_paths(order: list[Node], named: Naming) -> dict[int, str]:
    """The module path of every node that can be placed in one (by id).

    Parameters carry their own path. An op output joins a module when it consumes that
    module's parameters (or expressions of parameters alone, like ``W.T``; a number
    operand may be input data, as in a Value graph, so ``w * 2.0`` does not count); when it combines
    two or more inputs that all belong to the module (a neuron's running sum); or when it is
    an activation of a module's output. Data inputs, losses and ops that join modules stay
    outside.
    """
    path: dict[int, str] = {}
    weight_side: set[int] = set()
    for node in order:
        key = id(node)
        if key in named.paths:
            path[key] = named.paths[key]
            weight_side.add(key)
            continue
        inputs = input_nodes(node)
        if not inputs:
            continue
        if all(id(a) in weight_side for a in inputs) and not any(
            is_data_constant(a) for a in node._ctx.inputs
        ):
            weight_side.add(key)
        candidates = {path[id(a)] for a in inputs if id(a) in weight_side and id(a) in path}
        if not candidates and all(id(a) in path for a in inputs):
            if len(inputs) > 1 or node._ctx.fn.__module__ == _ACTIVATIONS:
                candidates = {path[id(a)] for a in inputs}
        if len(candidates) == 1:
            path[key] = candidates.pop()
    return path
