"""``t[index] = v`` as an out-of-place op (the in-place form records it; see inplace.py)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..dual import sum_to
from ..function import Context, Function
from ..node import Node


class IndexPut(Function):
    """A copy of ``x`` with ``v`` written at ``index`` (numpy assignment, ``v`` broadcast).

    Gradients: ``x`` gets the upstream gradient with the written positions zeroed (they were
    overwritten); ``v`` gets the upstream gradient at those positions, summed to ``v``'s shape.
    Real-linear with real coefficients, so right for complex data too (complex_grads.py).
    """

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, index: Any, v: Any) -> Any:
        out = np.array(x, copy=True)
        if out.dtype.kind != "c" and np.iscomplexobj(v):
            warnings.warn(
                "Casting complex values to real discards the imaginary part",
                UserWarning,
                stacklevel=2,
            )
            v = np.real(v)
        try:
            out[index] = v
        except (IndexError, ValueError) as e:
            vshape = np.shape(v)
            raise type(e)(
                f"index assignment: cannot write a value of shape {vshape} at {index!r} of a "
                f"tensor of shape {x.shape}: {e}"
            ) from None
        ctx.index = index
        ctx.v_shape = np.shape(v)
        ctx.x_dtype = x.dtype
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        raw = g._data if isinstance(g, Node) else g
        gx = None
        if ctx.needs_input_grad[0]:
            mask = np.ones(raw.shape, dtype=raw.dtype)
            mask[ctx.index] = 0
            gx = g * mask
        gv = None
        if ctx.needs_input_grad[2]:
            gv = sum_to(g[ctx.index], ctx.v_shape)
        return gx, None, gv
