"""Matrix product with numpy's rules: 1-D operands, batches and broadcasting."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dual import sum_to
from ..function import Context, Function


class MatMul(Function):
    """a @ b (numpy's matmul); gradients g @ b^T and a^T @ g, summed over broadcast batches."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(
                f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and "
                f"{b.shape}"
            )
        try:
            out = np.matmul(a, b)
        except ValueError:
            raise ValueError(
                f"matmul: shapes {a.shape} and {b.shape} do not match (inner dimensions "
                f"{a.shape[-1]} and {b.shape[-2] if b.ndim > 1 else b.shape[0]})"
            ) from None
        ctx.saved_tensors = (a, b)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        # Treat 1-D operands as matrices (a a row, b a column), then undo it.
        a2 = a.reshape((1,) + a.shape) if a.ndim == 1 else a
        b2 = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g2 = g.reshape(batch + (a2.shape[-2], b2.shape[-1]))
        ga = gb = None
        if need_a:
            ga = g2 @ b2.swapaxes(-1, -2)
            ga = sum_to(ga, a2.shape).reshape(a.shape)
        if need_b:
            if isinstance(b2, np.ndarray) and b2.ndim == 2 and not b2.flags.c_contiguous:
                # b is a transposed view (x @ W.T): give the gradient b's own layout, so the
                # gradient reaching W is C-ordered like W.
                gb = (g2.swapaxes(-1, -2) @ a2).swapaxes(-1, -2)
            else:
                gb = a2.swapaxes(-1, -2) @ g2
            gb = sum_to(gb, b2.shape).reshape(b.shape)
        return ga, gb
