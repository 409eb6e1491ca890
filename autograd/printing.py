"""How a Tensor prints (PyTorch's layout) and ``set_printoptions`` to change it.

``tensor([0.2429, 0.5899])``: every entry of a floating tensor in one format, chosen from its
nonzero finite entries: scientific notation when their magnitudes span more than 1000x or
leave [1e-4, 1e8], else whole numbers as ``1.``, else ``precision`` decimals. Entries are
right-aligned to the widest of those nonzero finite entries, so a longer inf, nan or -0. only
takes its own room. Rows are cut to ``linewidth``; tensors over ``threshold`` entries are
summarised to ``edgeitems`` per edge (``...``), the format then chosen from the entries shown.
Then ``size=`` for empty tensors of other than one dimension, the dtype where it is not the
default one (nor int64 or bool; for empty tensors: any but the default), and
``grad_fn=<MulBackward0>`` for an op's result or ``requires_grad=True`` for a leaf, on a new
line when the last one has no room.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .dtypes import get_default_dtype

_DEFAULTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}
_PROFILES: dict[str, dict[str, Any]] = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}
OPTIONS: dict[str, Any] = dict(_DEFAULTS)
_PREFIX = "tensor("


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """PyTorch's print options for Tensors: decimals, the size above which tensors are
    summarised, entries kept per edge, line width, a profile ('default', 'short', 'full') and
    ``sci_mode`` (True/False forces scientific notation on/off, None decides)."""
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"set_printoptions: profile must be one of {sorted(_PROFILES)}")
        OPTIONS.update(_PROFILES[profile])
    for name, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            OPTIONS[name] = value
    OPTIONS["sci_mode"] = sci_mode


class _Format:
    """One real array's entry format: a width, and whole / fixed / scientific for floats."""

    def __init__(self, shown: np.ndarray) -> None:
        self.floating = shown.dtype.kind == "f"
        self.whole = True
        self.sci = False
        self.width = 1
        precision = OPTIONS["precision"]
        if not self.floating:
            for v in shown.ravel().tolist():
                self.width = max(self.width, len(str(v)))
        else:
            values = shown[np.isfinite(shown) & (shown != 0)].astype(np.float64).tolist()
            if not values:
                return  # zeros, infs and nans only: whole-number format, width 1
            magnitudes = [abs(v) for v in values]
            top, bottom = max(magnitudes), min(magnitudes)
            self.whole = all(v == math.ceil(v) for v in values)
            forced = OPTIONS["sci_mode"]
            self.sci = (
                top / bottom > 1000.0 or top > 1.0e8 or bottom < 1.0e-4
                if forced is None
                else forced
            )
            if self.sci:
                texts = [f"{v:.{precision}e}" for v in values]
            elif self.whole:
                texts = [f"{v:.0f}." for v in values]
            else:
                texts = [f"{v:.{precision}f}" for v in values]
            self.width = max(len(t) for t in texts)

    def __call__(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci:
            text = f"{value:.{OPTIONS['precision']}e}"
        elif self.whole:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{OPTIONS['precision']}f}"
        return text.rjust(self.width)


class _ComplexFormat:
    """Complex entries: the real parts in one format, the imaginary parts in another."""

    def __init__(self, shown: np.ndarray) -> None:
        self.real, self.imag = _Format(shown.real), _Format(shown.imag)
        self.width = self.real.width + self.imag.width + 1

    def __call__(self, value: Any) -> str:
        imag = (self.imag(value.imag) + "j").lstrip()
        return self.real(value.real) + ("" if imag[0] in "+-" else "+") + imag


def _shown(data: np.ndarray, edge: int) -> np.ndarray:
    """The entries a summarised print shows: ``edge`` per edge of every dimension."""
    if data.ndim == 0:
        return data
    if data.ndim == 1:
        n = data.shape[0]
        return np.concatenate((data[:edge], data[-edge:])) if n > 2 * edge else data
    if not edge:
        return data[(slice(0, 0),) * data.ndim]
    rows = range(data.shape[0])
    if data.shape[0] > 2 * edge:
        rows = [*range(edge), *range(data.shape[0] - edge, data.shape[0])]  # type: ignore[assignment]
    return np.stack([_shown(data[i], edge) for i in rows])


def _layout(data: np.ndarray, indent: int, summarise: bool, fmt: Any) -> str:
    """``data`` as nested brackets, rows broken at the line width (torch's layout)."""
    edge = OPTIONS["edgeitems"]
    if data.ndim == 0:
        return fmt(data.item())
    if data.ndim == 1:
        per_line = max(1, int((OPTIONS["linewidth"] - indent) // (fmt.width + 2)))
        n = data.shape[0]
        if summarise and not edge:
            items = ["..."]
        elif summarise and n > 2 * edge:
            items = [fmt(v) for v in data[:edge].tolist()] + [" ..."]
            items += [fmt(v) for v in data[-edge:].tolist()]
        else:
            items = [fmt(v) for v in data.tolist()]
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    n = data.shape[0]
    if summarise and n > 2 * edge:
        rows = [_layout(data[i], indent + 1, summarise, fmt) for i in range(edge)] + ["..."]
        rows += [_layout(data[i], indent + 1, summarise, fmt) for i in range(n - edge, n)]
    else:
        rows = [_layout(data[i], indent + 1, summarise, fmt) for i in range(n)]
    return "[" + ("," + "\n" * (data.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def tensor_repr(data: np.ndarray, suffixes: list[str]) -> str:
    """``tensor(<data>, <suffixes>)`` laid out as PyTorch prints it."""
    opts = OPTIONS
    default = get_default_dtype()
    extra = []
    if data.size == 0:
        body = "[]"
        if data.ndim != 1:
            extra.append(f"size={data.shape}")
        if data.dtype != default:
            extra.append(f"dtype=autograd.{data.dtype}")
    else:
        if not opts["edgeitems"]:
            extra.append(f"size={data.shape}")
        complex_default = np.complex128 if default == np.float64 else np.complex64
        if data.dtype not in (default, complex_default, np.int64, np.bool_):
            extra.append(f"dtype=autograd.{data.dtype}")
        summarise = data.size > opts["threshold"]
        shown = _shown(data, opts["edgeitems"]) if summarise else data
        if data.dtype == np.float16:
            shown = shown.astype(np.float32)
        fmt = _ComplexFormat(shown) if data.dtype.kind == "c" else _Format(shown)
        body = _layout(data, len(_PREFIX), summarise, fmt)
    extra += suffixes
    return with_suffixes(_PREFIX + body, extra) + ")"


def with_suffixes(out: str, items: list[str]) -> str:
    """``out`` followed by ``, item`` for each item; an item that would pass the line width
    starts a new line, indented under the ``tensor(`` prefix (torch's rule)."""
    line = len(out) - out.rfind("\n") + 1
    for item in items:
        if line + len(item) + 2 > OPTIONS["linewidth"]:
            out += ",\n" + " " * len(_PREFIX) + item
            line = len(_PREFIX) + len(item)
        else:
            out += ", " + item
            line += len(item) + 2
    return out
