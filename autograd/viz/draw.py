"""``draw``: a computation graph as a ``graphviz.Digraph``.

Every value is a record (name | shape and dtype | data | grad) fed by an ellipse naming the op
that made it, as micrograd draws it; constants an op was given are dashed boxes. Nodes of one
module share a cluster, and fills follow log |grad| so vanishing gradients show. Above
``max_nodes`` values the drawing collapses modules into single boxes (deepest first), and if
that is not enough it keeps the values nearest the root and summarises the rest in one box.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..node import Node
from ..tensor import Tensor
from ..value import Value
from . import style
from .graph import (
    Naming,
    as_roots,
    input_nodes,
    is_data_constant,
    module_paths,
    naming,
    nodes_in_order,
)
from .render import Drawing

OWN, GROUP, MORE = "own", "group", "more"


def _depth(path: str) -> int:
    return 0 if path == "" else path.count(".") + 1


def _own_grad(node: Node) -> Any:
    return node.grad


def _truncate(path: str, depth: int) -> str:
    return ".".join(path.split(".")[:depth])


def _grouping(order: list[Node], paths: dict[int, str], max_nodes: int) -> dict[int, tuple]:
    """Display key per node: itself, or its module (cut to the deepest level that fits)."""
    own: dict[int, tuple] = {id(n): (OWN, k) for k, n in enumerate(order)}
    if len(order) <= max_nodes or not paths:
        return own
    for depth in range(max(_depth(p) for p in paths.values()), -1, -1):
        keys = dict(own)
        for key, p in paths.items():
            keys[key] = (GROUP, _truncate(p, depth))
        if len(set(keys.values())) <= max_nodes:
            break
    return keys


def _keep_nearest(order: list[Node], roots: list[Node], keys: dict[int, tuple], limit: int) -> None:
    """Replace the display key of all but the ``limit`` items nearest the roots by MORE."""
    if len(set(keys.values())) <= limit:
        return
    feeds: dict[tuple, list[tuple]] = {}
    for n in order:
        feeds.setdefault(keys[id(n)], []).extend(keys[id(a)] for a in input_nodes(n))
    kept: dict[tuple, None] = {}
    queue = deque(dict.fromkeys(keys[id(r)] for r in roots))
    while queue and len(kept) < limit - 1:  # the last place is the box for the rest
        k = queue.popleft()
        if k in kept:
            continue
        kept[k] = None
        queue.extend(f for f in feeds.get(k, ()) if f not in kept)
    for key, k in keys.items():
        if k not in kept:
            keys[key] = (MORE,)


@dataclass
class _Box:
    """What a collapsed box (a module, or the hidden rest) stands for."""

    values: int = 0
    params: int = 0
    elements: int = 0
    ops: Counter = field(default_factory=Counter)
    magnitude: float | None = None

    def add(self, node: Node, is_param: bool, grad_of: Callable[[Node], Any]) -> None:
        self.values += 1
        if node._ctx is not None:
            self.ops[node._ctx.fn.__name__] += 1
        if is_param:
            self.params += 1
            self.elements += 1 if isinstance(node, Value) else node._data.size
            m = style.grad_magnitude(node, grad_of(node))
            if m is not None:
                self.magnitude = m if self.magnitude is None else max(self.magnitude, m)

    def ops_text(self, most: int = 4) -> str:
        top = ", ".join(f"{op}×{c}" if c > 1 else op for op, c in self.ops.most_common(most))
        return top + (", …" if len(self.ops) > most else "")


class _Builder:
    def __init__(
        self,
        order: list[Node],
        named: Naming,
        paths: dict[int, str],
        grad_of: Callable[[Node], Any] = _own_grad,
    ) -> None:
        self.order = order
        self.grad_of = grad_of
        self.named = named
        self.paths = paths
        self.ids = {id(n): f"v{k}" for k, n in enumerate(order)}
        self.clusters: dict[str | None, list[tuple[str, dict]]] = {None: []}
        self.edges: dict[tuple[str, str, str], None] = {}
        magnitudes = [style.grad_magnitude(n, grad_of(n)) for n in order]
        self.colours = style.GradColours([m for m in magnitudes if m is not None])

    def node(self, cluster: str | None, node_id: str, **attrs: str) -> None:
        self.clusters.setdefault(cluster, []).append((node_id, attrs))

    def edge(self, tail: str, head: str, operand: str = "") -> None:
        if tail != head:
            self.edges[(tail, head, operand)] = None

    def value(self, n: Node, colour: bool) -> None:
        key = id(n)
        is_param = key in self.named.names and n._ctx is None
        g = self.grad_of(n)
        attrs = {"shape": "record", "label": style.value_label(n, self.named.name_of(n), g)}
        if colour:
            attrs.update(style="filled", fillcolor=self.colours.fill(style.grad_magnitude(n, g)))
        if is_param:
            attrs.update(penwidth="2", color=style.PARAM_PEN)
        cluster = self.paths.get(key)
        vid = self.ids[key]
        self.node(cluster, vid, **attrs)
        if n._ctx is None:
            return
        op = f"{vid}_op"
        self.node(cluster, op, label=style.op_label(n), shape="ellipse")
        self.edge(op, vid)
        operands = style.operand_names(n)
        for j, a in enumerate(n._ctx.inputs):
            if isinstance(a, Node):
                continue
            if is_data_constant(a):
                cid = f"{vid}_c{j}"
                self.node(
                    cluster,
                    cid,
                    label=style.constant_label(a),
                    shape="box",
                    style="rounded,dashed",
                    fontcolor="#555555",
                )
                self.edge(cid, op, operands.get(j, ""))

    def box(self, box_id: str, title: str, box: _Box, colour: bool) -> None:
        fields = [title, f"ops: {box.ops_text()}" if box.ops else "leaves"]
        if not title.startswith("…"):
            fields.insert(1, f"{box.values} values")
        if box.params:
            fields.insert(2, f"{box.params} parameters ({box.elements} elements)")
        if box.magnitude is not None:
            fields.append(f"max|grad| {style.number(box.magnitude)}")
        attrs = {"shape": "record", "label": "{ " + " | ".join(map(style.escape, fields)) + " }"}
        if colour:
            attrs.update(style="filled,bold", fillcolor=self.colours.fill(box.magnitude))
        self.node(None, box_id, **attrs)

    def emit(self, rankdir: str, label: str) -> Drawing:
        g = Drawing(name="autograd", graph_attr={"rankdir": rankdir})
        if label:
            g.attr(label=label, labelloc="b", fontsize="14")
        for node_id, attrs in self.clusters.pop(None):
            g.node(node_id, **attrs)
        for k, (path, nodes) in enumerate(self.clusters.items()):
            with g.subgraph(name=f"cluster_{k}") as c:
                title = path or "(module)"
                cls = self.named.module_classes.get(path or "")
                c.attr(
                    label=f"{title}: {cls}" if cls else title,
                    labelloc="t",
                    style="rounded",
                    color="#888888",
                )
                for node_id, attrs in nodes:
                    c.node(node_id, **attrs)
        for tail, head, operand in self.edges:
            if operand:
                g.edge(tail, head, label=operand, fontsize="11", fontcolor="#1f4e99")
            else:
                g.edge(tail, head)
        return g


def draw(
    root: Any,
    rankdir: str = "LR",
    max_nodes: int | None = 250,
    module: Any = None,
    names: Mapping[Node, str] | None = None,
    color_by_grad: bool = True,
) -> Drawing:
    """Draw the graph that made ``root`` (a Value or Tensor, or several) as a Digraph.

    ``module`` (anything with ``named_parameters()``, such as an ``nn.Module``) names the
    parameters by their module path and groups each module's nodes in a cluster; ``names``
    maps further nodes to names (Values also show their ``label``). ``max_nodes`` bounds the
    number of value boxes (None: no bound). Intermediate Tensors show a gradient only if
    ``retain_grad()`` was called before ``backward()`` (see ``retain_grads``). The result
    displays inline in Jupyter; ``.source`` is the DOT text; ``render`` writes a file.
    """
    return build(root, rankdir, max_nodes, module, names, color_by_grad).drawing


@dataclass
class Built:
    """A drawing with what it stands for: the nodes in order, each node's drawn item id
    (its own record ``v<k>``, or the box that holds it), and their names."""

    drawing: Drawing
    order: list[Node]
    drawn_as: list[str]
    named: Naming


def build(
    root: Any,
    rankdir: str = "LR",
    max_nodes: int | None = 250,
    module: Any = None,
    names: Mapping[Node, str] | None = None,
    color_by_grad: bool = True,
    grad_of: Callable[[Node], Any] = _own_grad,
) -> Built:
    """``draw``'s work, also saying where each node went; ``grad_of`` supplies the gradients
    shown (default: each node's ``.grad``)."""
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw: rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"draw: max_nodes must be at least 1 (or None), got {max_nodes}")
    roots = as_roots(root)
    order = nodes_in_order(roots)
    named = naming(module, names)
    paths = module_paths(order, named)
    limit = len(order) if max_nodes is None else max_nodes
    keys = _grouping(order, paths, limit)
    _keep_nearest(order, roots, keys, limit)

    b = _Builder(order, named, paths, grad_of)
    boxes: dict[tuple, _Box] = {}
    box_ids: dict[tuple, str] = {}
    drawn_as: list[str] = []
    for n in order:
        k = keys[id(n)]
        if k[0] == OWN:
            b.value(n, color_by_grad)
            drawn_as.append(b.ids[id(n)])
            operands = style.operand_names(n)
            for j, a in enumerate(() if n._ctx is None else n._ctx.inputs):
                if not isinstance(a, Node):
                    continue
                ka = keys[id(a)]
                tail = b.ids[id(a)] if ka[0] == OWN else box_ids[ka]
                b.edge(tail, f"{b.ids[id(n)]}_op", operands.get(j, ""))
            continue
        if k not in boxes:
            boxes[k] = _Box()
            box_ids[k] = "more" if k[0] == MORE else f"group{len(box_ids)}"
        boxes[k].add(n, id(n) in named.names and n._ctx is None, grad_of)
        drawn_as.append(box_ids[k])
        for a in input_nodes(n):
            ka = keys[id(a)]
            b.edge(b.ids[id(a)] if ka[0] == OWN else box_ids[ka], box_ids[k])
    for k, box in boxes.items():
        if k[0] == MORE:
            title = f"… {box.values} more values"
        else:
            cls = named.module_classes.get(k[1])
            title = f"{k[1] or '(module)'}: {cls}" if cls else k[1] or "(module)"
        b.box(box_ids[k], title, box, color_by_grad)

    note = f"{len(order)} values; drawn with max_nodes={max_nodes}" if boxes else ""
    if color_by_grad and any(style.grad_magnitude(n, grad_of(n)) is not None for n in order):
        note = b.colours.legend(note)
    return Built(b.emit(rankdir, note), order, drawn_as, named)


def retain_grads(root: Any) -> None:
    """Call ``retain_grad()`` on every Tensor of the graph, so that a following
    ``backward()`` leaves gradients on intermediate Tensors for ``draw`` to show."""
    for n in nodes_in_order(as_roots(root)):
        if isinstance(n, Tensor) and n.requires_grad:
            n.retain_grad()
