"""``linear``: y = x W^T + b as one op (fewer nodes and no transposed copies than composing)."""

from __future__ import annotations

from typing import Any

from autograd import Function, Tensor
from autograd.dual import column_sums, matmul2d
from autograd.function import Context


class Linear(Function):
    """y = x @ weight.T (+ bias) for x of shape (*, in), weight (out, in), bias (out,)."""

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any = None) -> Any:
        if weight.ndim != 2 or x.ndim == 0 or x.shape[-1] != weight.shape[1]:
            raise ValueError(
                f"linear: input of shape {x.shape} does not fit weight of shape {weight.shape} "
                f"(the input's last dimension must equal weight.shape[1])"
            )
        if bias is not None and bias.shape != (weight.shape[0],):
            raise ValueError(
                f"linear: bias of shape {bias.shape} does not fit weight of shape "
                f"{weight.shape} (expected ({weight.shape[0]},))"
            )
        ctx.saved_tensors = (x, weight)
        if x.ndim > 2:  # one matrix product for all rows (numpy would loop over the batch)
            y = matmul2d(x.reshape(-1, x.shape[-1]), weight.T).reshape(x.shape[:-1] + (-1,))
        else:
            y = matmul2d(x, weight.T)
        if bias is None:
            return y
        if bias.dtype == y.dtype:
            y += bias
            return y
        return y + bias

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, weight = ctx.saved_tensors
        need_x, need_w = ctx.needs_input_grad[:2]
        rows = g.reshape((-1, weight.shape[0]))
        gx = None
        if need_x:
            gx = matmul2d(rows, weight)
            if x.ndim != 2:
                gx = gx.reshape(x.shape)
        gw = matmul2d(rows.T, x.reshape((-1, weight.shape[1]))) if need_w else None
        if len(ctx.needs_input_grad) == 2:  # applied without a bias
            return gx, gw
        return gx, gw, column_sums(rows) if ctx.needs_input_grad[2] else None


def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """y = input @ weight.T + bias (PyTorch's ``F.linear``); input of shape (*, in_features)."""
    if not isinstance(input, Tensor):
        input = Tensor(input)
    if bias is None:
        return Linear.apply(input, weight)
    return Linear.apply(input, weight, bias)
