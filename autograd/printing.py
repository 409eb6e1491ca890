"""How a Tensor prints (PyTorch's layout) and ``set_printoptions`` to change it.

``tensor([0.2429, 0.5899])``: ``precision`` decimals for every entry (whole numbers as ``1.``),
scientific notation when the nonzero magnitudes span more than 1000x or leave [1e-4, 1e8)
(numpy lays out the columns: an inf, nan or -0. entry widens them, where torch's does not),
tensors over ``threshold`` entries summarised to ``edgeitems`` per edge; then the dtype where
it is not the default one (nor int64 or bool), and ``grad_fn=<MulBackward>`` for an op's result
or ``requires_grad=True`` for a leaf, on a new line when the last one has no room.
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


def tensor_repr(data: np.ndarray, suffixes: list[str]) -> str:
    """``tensor(<data>, <suffixes>)`` laid out as PyTorch prints it."""
    opts = OPTIONS
    finite = data[np.isfinite(data)] if data.dtype.kind in "fc" else data
    whole = finite.size == 0 or bool(np.all(finite == np.round(finite)))
    nonzero = np.abs(finite[finite != 0]) if data.dtype.kind == "f" else np.zeros(0)
    sci = opts["sci_mode"]
    if sci is None:  # torch's rule, on the nonzero finite magnitudes
        top, bottom = (float(nonzero.max()), float(nonzero.min())) if nonzero.size else (0, 0)
        sci = nonzero.size > 0 and (top > 1000 * bottom or top > 1e8 or bottom < 1e-4)
    precision = opts["precision"]
    threshold = opts["threshold"]
    body = np.array2string(
        data,
        precision=precision,
        # whole numbers as ``1.`` (unless in scientific notation), else `precision` decimals
        floatmode="maxprec_equal" if whole and not sci else "fixed",
        suppress_small=not sci,
        formatter={"float_kind": lambda x: f"{x:.{precision}e}"}
        if sci and opts["sci_mode"]
        else None,
        separator=", ",
        prefix=_PREFIX,
        # numpy counts the closing bracket where torch does not: one more column gives
        # torch's rows
        max_line_width=opts["linewidth"] + 1,
        threshold=int(min(threshold, 2**62)),
        edgeitems=opts["edgeitems"],
    )
    if data.size > threshold:  # summarised: torch pads the ellipsis inside a row as an entry
        body = body.replace(", ...,", ",  ...,")
    extra = []
    if data.size == 0 and data.ndim != 1:
        extra.append(f"size={data.shape}")
    default = get_default_dtype()
    complex_default = np.complex64 if default == np.float32 else np.complex128
    if data.dtype not in (default, complex_default, np.int64, np.bool_) or (
        data.size == 0 and data.dtype.kind not in "fc"
    ):
        extra.append(f"dtype=autograd.{data.dtype}")
    extra += suffixes
    out = _PREFIX + body
    line = len(out) - out.rfind("\n") + 1
    for item in extra:  # torch's: a suffix that would pass the line width starts a new line
        if line + len(item) + 2 > opts["linewidth"]:
            out += ",\n" + " " * len(_PREFIX) + item
            line = len(_PREFIX) + len(item)
        else:
            out += ", " + item
            line += len(item) + 2
    return out + ")"
