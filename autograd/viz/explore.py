"""``explore``: an interactive page that walks a graph's forward and backward pass.

The page is one self-contained HTML file (inline SVG, CSS and JS; no network, no server). The
graph is ``draw``'s drawing laid out by Graphviz; every number the page shows was recorded in
Python: the forward values are the nodes' data, and the backward numbers come from a real
backward pass of the engine, observed node by node (``run_backward(observer=...)``), run on
the side so that the user's ``.grad`` values are not touched.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..engine import run_backward
from ..function import RELEASED
from ..node import Node
from ..value import Value
from . import render as _render
from .draw import build
from .graph import as_roots, is_data_constant, naming, nodes_in_order
from .rules import rule_of

_ASSETS = Path(__file__).with_name("explore_assets")

# How a forward step writes a Value op; others read name(args).
_FORMULAS = {
    "Add": "{0} + {1}",
    "Sub": "{0} - {1}",
    "Mul": "{0} * {1}",
    "Div": "{0} / {1}",
    "Pow": "{0} ** {1}",
    "Neg": "-{0}",
}


def _num(x: Any) -> str:
    """A float as the page writes it: six significant digits."""
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.6g}"


def _summary(a: Any) -> str:
    """An array in a line: shape, dtype, min / max / mean and its first entries."""
    a = np.asarray(a)
    if a.size == 1:
        return f"{_num(a.reshape(-1)[0])}" + (f"  (shape {a.shape})" if a.ndim else "")
    head = f"shape {a.shape} {a.dtype}"
    if a.size == 0:
        return head + ", empty"
    flat = a.reshape(-1)
    first = ", ".join(_num(v) for v in flat[:4]) + (", …" if a.size > 4 else "")
    if a.dtype.kind in "fiu":
        f = flat.astype(np.float64)
        stats = f"min {_num(f.min())}  max {_num(f.max())}  mean {_num(f.mean())}"
        return f"{head}; {stats}; [{first}]"
    return f"{head}; [{first}]"


def _show(x: Any) -> str:
    return _num(x) if isinstance(x, (float, int)) and not isinstance(x, bool) else _summary(x)


def _span(cls: str, text: str) -> str:
    return f'<span class="{cls}">{html.escape(text)}</span>'


class Explorer:
    """An explorer page for one graph: shows itself in Jupyter, ``write(path)`` saves it.

    ``steps`` lists what the page steps through (phase, node name and the numbers shown), in
    order: the forward pass, then the backward pass as the engine ran it, then the leaves'
    completed gradients. ``grads`` maps each node to the gradient the engine gave it.
    """

    def __init__(self, page: str, steps: list[dict[str, Any]], grads: dict[Node, Any]) -> None:
        self.html = page
        self.steps = steps
        self.grads = grads

    def write(self, path: str | os.PathLike[str]) -> str:
        """Write the page to ``path`` (an .html file); returns the path."""
        path = os.fspath(path)
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.html)
        return path

    def _repr_html_(self) -> str:
        # An iframe keeps the page's script and styles apart from the notebook's.
        return (
            '<iframe style="width:100%;height:640px;border:1px solid #ccc" '
            f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>'
        )


class _Recorder:
    """The engine's observer: keeps each node's backward step and the gradients sent on."""

    def __init__(self) -> None:
        self.records: list[tuple[Node, Any, list[tuple[int, Node, Any, Any]]]] = []

    def __call__(self, node: Node, grad: Any, input_grads: tuple) -> None:
        ctx = node._ctx
        sent = []
        local = None
        if isinstance(node, Value):
            try:  # the op's own backward rule with upstream 1 is its local derivative
                local = ctx.fn.backward(ctx, 1.0)
                local = local if type(local) is tuple else (local,)
            except Exception:  # a rule that needs more than a number upstream: show none
                local = None
        for j, (parent, need, gi) in enumerate(zip(ctx.inputs, ctx.needs_input_grad, input_grads)):
            if not (need and gi is not None):
                continue
            if node._broadcasts and (type(gi) is not np.ndarray or gi.shape != parent._data.shape):
                gi = parent._conform_grad(gi)  # as the engine does before accumulating
            loc = None if local is None or j >= len(local) else local[j]
            sent.append((j, parent, gi, loc))
        self.records.append((node, grad, sent))


def explore(
    root: Any,
    path: str | os.PathLike[str] | None = None,
    *,
    grad: Any = None,
    module: Any = None,
    names: Mapping[Node, str] | None = None,
    max_nodes: int | None = 300,
    rankdir: str = "LR",
    title: str | None = None,
) -> Explorer:
    """An interactive page of the graph that made ``root``; written to ``path`` if given.

    The page shows the laid-out graph (as ``draw``: ``module``, ``names``, ``max_nodes`` and
    ``rankdir`` mean the same), each node's data, gradient, shape and dtype, op and local
    derivative rule on hover or click, and steps through the forward pass and then the
    backward pass with the chain rule's numbers. The backward numbers come from a backward
    pass of the engine that ``explore`` runs itself from ``root`` (seeded with ``grad``, as
    ``root.backward(grad)``), keeping the graph and leaving every ``.grad`` as it was; so call
    it before ``backward()``, or after ``backward(retain_graph=True)``. Needs Graphviz (the
    ``dot`` program, or pygraphviz) for the layout.
    """
    roots = as_roots(root)
    if len(roots) != 1:
        raise ValueError(f"explore: needs one root node, got {len(roots)}")
    (out,) = roots
    if out._ctx is not None and out._ctx.saved_tensors is RELEASED:
        raise RuntimeError(
            "explore: this graph was released by an earlier backward(); call explore(root) "
            "before root.backward(), or call root.backward(retain_graph=True)"
        )

    everything = nodes_in_order([out])
    grads: dict[Node, Any] = {}
    recorder = _Recorder()
    if out.requires_grad:
        seed = out._seed(grad)
        grads = (
            run_backward([out], [seed], retain_graph=True, capture=everything, observer=recorder)
            or {}
        )
        # as .grad would hold it: in the node's own dtype (the sum may have been wider)
        for n, g in grads.items():
            if not isinstance(n, Value) and isinstance(g, np.ndarray) and g.dtype != n._data.dtype:
                grads[n] = g.astype(n._data.dtype)
    # unnamed op results get a name (op and position) that the drawing shows too
    given = naming(module, names)
    auto: dict[Node, str] = dict(names or {})
    for k, n in enumerate(everything):
        if n._ctx is not None and not given.name_of(n):
            auto[n] = f"{n._ctx.fn.__name__.lower()}#{k}"
    built = build(out, rankdir, max_nodes, module, auto, True, lambda n: grads.get(n))
    order = built.order
    index = {id(n): k for k, n in enumerate(order)}

    def name(n: Node) -> str:
        return built.named.name_of(n) or f"leaf#{index[id(n)]}"

    nodes = [_node_info(n, k, name, built.drawn_as[k], grads) for k, n in enumerate(order)]
    steps: list[dict[str, Any]] = []
    for n in order:
        steps.append(_forward_step(n, index, name))
    totals: dict[int, list[tuple[Node, Any, Any]]] = {}  # node -> (sender, contribution, total)
    for node, g, sent in recorder.records:
        steps.append(_backward_step(node, g, sent, index, name, totals, grads))
    for n in reversed(order):
        if n._ctx is None and id(n) in totals:
            steps.append(_leaf_step(n, index, name, totals, grads))

    svg = _render.to_bytes(built.drawing.source, "svg").decode("utf-8")
    svg = svg[svg.index("<svg") :]
    data = {
        "nodes": nodes,
        "steps": [{k: v for k, v in s.items() if k != "numbers"} for s in steps],
        "title": title or f"Graph of {name(out)}: {len(order)} values",
    }
    page = _page(svg, data)
    result = Explorer(page, steps, grads)
    if path is not None:
        result.write(path)
    return result


def _node_info(n: Node, k: int, name: Any, drawn: str, grads: dict[Node, Any]) -> dict:
    ctx = n._ctx
    rows = [("name", name(n))]
    if isinstance(n, Value):
        rows += [("data", repr(float(n._data))), ("type", "Value (float)")]
    else:
        rows += [("data", _summary(n._data)), ("shape", str(n._data.shape))]
        rows += [("dtype", str(n._data.dtype))]
    g = grads.get(n)
    if g is not None:
        rows.append(("grad", repr(float(g)) if isinstance(n, Value) else _summary(g)))
    else:
        rows.append(("grad", "none (does not lead to the root)" if n.requires_grad else "none"))
    if ctx is None:
        rows.append(("op", "leaf" + ("" if n.requires_grad else " (no grad)")))
    else:
        args = ", ".join(_operand(a, name) for a in ctx.inputs)
        rows.append(("op", f"{ctx.fn.__name__}({args})"))
        rows.append(("local rule", rule_of(ctx.fn)))
    table = "".join(
        f'<tr><th>{html.escape(a)}</th><td class="f-{a.replace(" ", "-")}">'
        f"{html.escape(b)}</td></tr>"
        for a, b in rows
    )
    own = drawn.startswith("v")
    return {
        "el": drawn,
        "op": f"{drawn}_op" if own and ctx is not None else None,
        "name": name(n),
        "info": f"<table>{table}</table>",
    }


def _operand(a: Any, name: Any) -> str:
    if isinstance(a, Node):
        return name(a)
    if is_data_constant(a):
        return _show(a) if np.ndim(a) == 0 else f"const {_summary(a)}"
    return repr(a)


def _forward_step(n: Node, index: dict, name: Any) -> dict[str, Any]:
    k = index[id(n)]
    ctx = n._ctx
    who = html.escape(name(n))
    if ctx is None:
        kind = "leaf" if n.requires_grad else "input (no grad)"
        text = f"<p>{who} is a {kind}: {_span('value', _show(n.data))}</p>"
        return {"phase": "forward", "node": k, "rel": [], "html": text, "numbers": {}}
    op = ctx.fn.__name__
    names = [_operand(a, name) for a in ctx.inputs]
    values = [_show(a._data) if isinstance(a, Node) else _operand(a, name) for a in ctx.inputs]
    if op in _FORMULAS and isinstance(n, Value) and len(ctx.inputs) == 2 - (op == "Neg"):
        symbolic, numeric = _FORMULAS[op].format(*names), _FORMULAS[op].format(*values)
    else:
        symbolic = f"{op.lower()}({', '.join(names)})"
        numeric = f"{op.lower()}({', '.join(values)})" if isinstance(n, Value) else ""
    lines = [f"<p>{who} = {html.escape(symbolic)}</p>"]
    if numeric:
        lines.append(f"<p>= {html.escape(numeric)}</p>")
    lines.append(f"<p>= {_span('value', _show(n.data))}</p>")
    rel = [index[id(a)] for a in ctx.inputs if isinstance(a, Node)]
    return {"phase": "forward", "node": k, "rel": rel, "html": "".join(lines), "numbers": {}}


def _backward_step(
    node: Node,
    g: Any,
    sent: list,
    index: dict,
    name: Any,
    totals: dict,
    grads: dict,
) -> dict[str, Any]:
    k = index[id(node)]
    who = html.escape(name(node))
    ctx = node._ctx
    received = totals.get(id(node), [])
    args = ", ".join(_operand(a, name) for a in ctx.inputs)
    lines = [f"<p>Backward through {who} = {html.escape(f'{ctx.fn.__name__}({args})')}</p>"]
    if received:
        parts = " + ".join(f"{_show(c)} (from {name(s)})" for s, c, _ in received)
        how = (
            f"sum of what it fed: {html.escape(parts)}"
            if len(received) > 1
            else (f"from {html.escape(name(received[0][0]))}")
        )
        lines.append(f"<p>dL/d{who} = {_span('upstream', _show(g))}  ({how})</p>")
    else:
        lines.append(f"<p>dL/d{who} = {_span('upstream', _show(g))}  (the seed: the root)</p>")
    lines.append(f'<p class="rule">local rule: {html.escape(rule_of(ctx.fn))}</p>')
    rows = []
    numbers = {"upstream": g, "contributions": []}
    for j, parent, gi, loc in sent:
        pname = html.escape(name(parent))
        got = totals.setdefault(id(parent), [])
        prev = got[-1][2] if got else None
        total = gi if prev is None else prev + gi  # the engine's accumulation, in its order
        got.append((node, gi, total))
        if isinstance(node, Value) and loc is not None:
            chain = (
                f"dL/d{pname} += dL/d{who} × d{who}/d{pname} = {_span('upstream', _show(g))}"
                f" × {_span('local', _show(loc))} = {_span('contrib', _show(gi))}"
            )
        else:
            chain = f"dL/d{pname} += {_span('contrib', _show(gi))}  (input {j} of {who})"
        if prev is not None:
            chain += (
                f"<br>&nbsp;&nbsp;accumulated: {_show(prev)} + {_show(gi)} = "
                f"{_span('total', _show(total))}"
            )
        rows.append(f'<li data-input="{index[id(parent)]}">{chain}</li>')
        numbers["contributions"].append((parent, gi, loc, total))
    if rows:
        lines.append("<ul>" + "".join(rows) + "</ul>")
    rel = [index[id(p)] for _, p, _, _ in sent]
    return {
        "phase": "backward",
        "node": k,
        "rel": rel,
        "html": "".join(lines),
        "numbers": numbers,
        "name": name(node),
    }


def _leaf_step(n: Node, index: dict, name: Any, totals: dict, grads: dict) -> dict[str, Any]:
    who = html.escape(name(n))
    got = totals[id(n)]
    parts = " + ".join(f"{_show(c)} (from {name(s)})" for s, c, _ in got)
    text = (
        f"<p>Leaf {who}: its gradient is complete</p>"
        f"<p>dL/d{who} = {html.escape(parts)}</p>"
        f"<p>= {_span('total', _show(grads[n]))}</p>"
    )
    rel = list(dict.fromkeys(index[id(s)] for s, _, _ in got))
    return {
        "phase": "leaf",
        "node": index[id(n)],
        "rel": rel,
        "html": text,
        "numbers": {"total": grads[n]},
        "name": name(n),
    }


def _page(svg: str, data: dict) -> str:
    css = (_ASSETS / "explore.css").read_text(encoding="utf-8")
    js = (_ASSETS / "explore.js").read_text(encoding="utf-8")
    blob = json.dumps(data).replace("</", "<\\/")
    title = html.escape(data["title"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{css}</style></head>
<body>
<div id="app">
  <div id="graph"><div id="canvas">{svg}</div></div>
  <div id="side">
    <h1>{title}</h1>
    <div id="controls">
      <button id="first" title="back to the start">« start</button>
      <button id="back" title="step backward (←)">◀ step back</button>
      <button id="fwd" title="step forward (→)">step forward ▶</button>
      <button id="last" title="to the end">end »</button>
      <span class="zoom"><button id="zoomout">−</button><button id="zoomin">+</button></span>
    </div>
    <input id="slider" type="range" min="0" value="0" step="1">
    <div id="where"></div>
    <div id="step"></div>
    <h2>Node <small>(hover or click a node)</small></h2>
    <div id="info"></div>
  </div>
</div>
<script type="application/json" id="data">{blob}</script>
<script>{js}</script>
</body></html>
"""
