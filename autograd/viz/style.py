"""How a node looks: record labels with data and grad summaries, and gradient colours."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np

from ..node import Node
from ..value import Value
from .graph import is_data_constant

_RECORD_SPECIALS = str.maketrans({c: "\\" + c for c in '{}|<>"'})

# Fill colours from small to large gradient magnitude (log scale): pale means vanishing.
_RAMP = ((0xFF, 0xFF, 0xCC), (0xFE, 0xB2, 0x4C), (0xF0, 0x3B, 0x20))
ZERO_GRAD_FILL = "#e6e6e6"
NO_GRAD_FILL = "#ffffff"
PARAM_PEN = "#1f4e99"


def escape(text: str) -> str:
    """Text made safe inside a Graphviz record label."""
    return text.translate(_RECORD_SPECIALS)


def number(x: float) -> str:
    """A float in at most four significant digits (micrograd shows four decimals)."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    x = float(x)
    if x == 0:
        return "0"
    if math.isfinite(x) and 1e-3 <= abs(x) < 1e4:
        text = f"{x:.4f}".rstrip("0").rstrip(".")
        # a non-integer must not look whole (0.99997 is not "1"): add digits until it does not
        digits = 5
        while "." not in text and x != int(x) and digits <= 17:
            text = f"{x:.{digits}g}"
            digits += 1
        return text
    return f"{x:.4g}"


def summary(arr: Any) -> str:
    """Small arrays in full; larger ones as mean and max |x|."""
    a = np.asarray(arr)
    if a.size == 0:
        return "empty"
    if a.size <= 4:
        items = ", ".join(number(v) for v in a.reshape(-1))
        return items if a.ndim == 0 else f"[{items}]"
    if a.dtype.kind not in "fiu":
        return f"{int(np.count_nonzero(a))} of {a.size} true" if a.dtype.kind == "b" else "…"
    return f"mean {number(a.mean())}  max|x| {number(np.max(np.abs(a)))}"


_OWN_GRAD: Any = object()


def grad_magnitude(node: Node, grad: Any = _OWN_GRAD) -> float | None:
    """max |grad| of the node (or of ``grad`` given for it), or None when there is none."""
    g = node.grad if grad is _OWN_GRAD else grad
    if g is None:
        return None
    if isinstance(g, float):
        return abs(g)
    g = np.asarray(getattr(g, "data", g), dtype=np.float64)
    return float(np.max(np.abs(g))) if g.size else None


def value_label(node: Node, name: str, grad: Any = _OWN_GRAD) -> str:
    """The record of a value node: name | (shape dtype) | data | grad (its own or ``grad``)."""
    g = node.grad if grad is _OWN_GRAD else grad
    if isinstance(node, Value):
        fields = [f"data {number(node.data)}", f"grad {'None' if g is None else number(g)}"]
    else:
        grad = "None" if g is None else summary(getattr(g, "data", g))
        fields = [
            f"{node.data.shape} {node.data.dtype}",
            f"data {summary(node.data)}",
            f"grad {grad}",
        ]
    if name:
        fields.insert(0, name)
    return "{ " + " | ".join(escape(f) for f in fields) + " }"


def constant_label(a: Any) -> str:
    """A constant operand: its value, or the shape of an array."""
    if isinstance(a, np.ndarray) and a.size > 4:
        return escape(f"const {a.shape} {a.dtype}")
    return escape(f"const {summary(a)}")


# Ops whose drawn operands can be swapped without changing the result: their edges carry no
# operand names. Every other op with two or more drawn operands names them a, b, c... on the
# edges, so that 1 - x and x - 1 look different.
COMMUTATIVE = frozenset({"Add", "Mul"})
_FORMULAS = {"Sub": "a − b", "Div": "a / b", "Pow": "a ** b", "MatMul": "a @ b"}


def operand_names(node: Node) -> dict[int, str]:
    """Position in the op's inputs -> operand name ('a', 'b', ...) for the operands drawn as
    edges (nodes and data constants), when their order matters; empty otherwise."""
    ctx = node._ctx
    if ctx is None or ctx.fn.__name__ in COMMUTATIVE:
        return {}
    drawn = [j for j, a in enumerate(ctx.inputs) if isinstance(a, Node) or is_data_constant(a)]
    if len(drawn) < 2:
        return {}
    return {j: chr(ord("a") + k) if k < 26 else f"#{k + 1}" for k, j in enumerate(drawn)}


def op_label(node: Node) -> str:
    """The op's name (with its formula in the operand names, e.g. 'Sub: a − b', when operand
    order matters), and its non-data arguments (axes, flags) on a second line."""
    ctx = node._ctx
    extras = [repr(a) for a in ctx.inputs if not isinstance(a, Node) and not is_data_constant(a)]
    name = ctx.fn.__name__
    if name in _FORMULAS and operand_names(node):
        name = f"{name}: {_FORMULAS[name]}"
    return name if not extras else f"{name}\n{', '.join(extras)}"


class GradColours:
    """Maps gradient magnitudes to fill colours on a log scale spanning the graph's range."""

    def __init__(self, magnitudes: list[float]) -> None:
        logs = [math.log10(m) for m in magnitudes if m > 0 and math.isfinite(m)]
        self.low = min(logs) if logs else 0.0
        self.high = max(logs) if logs else 0.0

    def fill(self, magnitude: float | None) -> str:
        if magnitude is None:
            return NO_GRAD_FILL
        if magnitude == 0:
            return ZERO_GRAD_FILL
        if not math.isfinite(magnitude):
            return "#7a0177"
        span = self.high - self.low
        t = 0.5 if span == 0 else (math.log10(magnitude) - self.low) / span
        t = min(max(t, 0.0), 1.0) * (len(_RAMP) - 1)
        k = min(int(t), len(_RAMP) - 2)
        frac = t - k
        rgb = (round(a + (b - a) * frac) for a, b in zip(_RAMP[k], _RAMP[k + 1]))
        return "#" + "".join(f"{c:02x}" for c in rgb)

    def legend(self, note: str = "") -> str:
        """An HTML-like Graphviz label: colour swatches with the |grad| each stands for, and
        ``note`` on a second line."""
        cells = []
        steps = 0 if self.high == self.low else 4
        for k in range(steps + 1):
            magnitude = 10 ** (self.low + (self.high - self.low) * k / max(steps, 1))
            cells.append((self.fill(magnitude), f"|grad| {magnitude:.2g}"))
        cells += [(ZERO_GRAD_FILL, "grad 0"), (NO_GRAD_FILL, "no grad")]
        row = "".join(
            f'<td bgcolor="{fill}" border="1">&nbsp;&nbsp;&nbsp;&nbsp;</td>'
            f'<td align="left">{html.escape(text)}&nbsp;&nbsp;</td>'
            for fill, text in cells
        )
        return (
            '<<table border="0" cellspacing="2" cellpadding="3"><tr>'
            '<td align="left"><b>fill: largest |gradient| of the value</b>&nbsp;</td>'
            f"{row}"
            f'<td border="2" color="{PARAM_PEN}">&nbsp;&nbsp;&nbsp;&nbsp;</td>'
            '<td align="left">parameter</td></tr>'
            + (
                f'<tr><td colspan="{2 * len(cells) + 3}">{html.escape(note)}</td></tr>'
                if note
                else ""
            )
            + "</table>>"
        )
