"""``linear``: y = x W^T + b as one op (fewer nodes and no transposed copies than composing)."""

from __future__ import annotations

import math
from typing import Any

from autograd import Function, Tensor
from autograd.dual import column_sums, matmul2d
from autograd.errors import ShapeError
from autograd.function import Context


class Linear(Function):
    """y = x @ weight.T (+ bias) for x of shape (*, in), weight (out, in), bias (out,)."""

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any = None) -> Any:
        if weight.ndim != 2 or x.ndim == 0 or x.shape[-1] != weight.shape[1]:
            raise ShapeError(
                f"linear: input of shape {x.shape} does not fit weight of shape {weight.shape} "
                f"(the input's last dimension must equal weight.shape[1])"
            )
        if bias is not None and bias.shape != (weight.shape[0],):
            raise ShapeError(
                f"linear: bias of shape {bias.shape} does not fit weight of shape "
                f"{weight.shape} (expected ({weight.shape[0]},))"
            )
        ctx.saved_tensors = (x, weight)
        if x.ndim > 2:  # one matrix product for all rows (numpy would loop over the batch)
            rows = math.prod(x.shape[:-1])  # explicit sizes: -1 is ambiguous for size-0 axes
            y = matmul2d(x.reshape(rows, x.shape[-1]), weight.T)
            y = y.reshape(x.shape[:-1] + (weight.shape[0],))
        else:
            y = matmul2d(x, weight.T)
        if bias is None:
            return y
        if bias.dtype == y.dtype:
            y += bias
            return y
        return y + bias

    @staticmethod
    def torch_nodes(ctx: Context) -> tuple[str, tuple] | None:
        """How ``grad_fn`` shows this op: as the nodes PyTorch records (asked for only when
        ``grad_fn`` is read, so the op itself pays nothing)."""
        x, w, *b = ctx.inputs
        return _torch_nodes(x, w, b[0] if b else None) if isinstance(w, Tensor) else None

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        x, weight = ctx.saved_tensors
        need_x, need_w = ctx.needs_input_grad[:2]
        n = math.prod(x.shape[:-1])  # explicit sizes: -1 is ambiguous for size-0 axes
        rows = g.reshape((n, weight.shape[0]))
        gx = None
        if need_x:
            gx = matmul2d(rows, weight)
            if x.ndim != 2:
                gx = gx.reshape(x.shape)
        gw = matmul2d(rows.T, x.reshape((n, weight.shape[1]))) if need_w else None
        if len(ctx.needs_input_grad) == 2:  # applied without a bias
            return gx, gw
        return gx, gw, column_sums(rows) if ctx.needs_input_grad[2] else None


def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """y = input @ weight.T + bias (PyTorch's ``F.linear``); input of shape (*, in_features)."""
    if not isinstance(input, Tensor):
        input = Tensor(input)
    return Linear.apply(input, weight) if bias is None else Linear.apply(input, weight, bias)


def _torch_nodes(x: Tensor, w: Tensor, b: Any) -> tuple[str, tuple]:
    """The nodes PyTorch records for linear, as ``present_as`` takes them: addmm (or mm
    without a bias) of the input, viewed as 2-d, and the transposed weight, viewed back."""

    def step(name: str, t: Tensor) -> Any:
        return (name, (t,)) if t.requires_grad else t  # torch records no step for a constant

    wt = step("TBackward0", w)
    if x.ndim == 2:
        return ("AddmmBackward0", (b, x, wt)) if b is not None else ("MmBackward0", (x, wt))
    if b is not None:
        return ("ViewBackward0", (("AddmmBackward0", (b, step("ViewBackward0", x), wt)),))
    if x.ndim == 1:
        return ("SqueezeBackward4", (("MmBackward0", (step("UnsqueezeBackward0", x), wt)),))
    return ("UnsafeViewBackward0", (("MmBackward0", (step("ViewBackward0", x), wt)),))


def bilinear(input1: Any, input2: Any, weight: Any, bias: Any = None) -> Tensor:
    """y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o] (PyTorch's
    ``F.bilinear``): input1 (*, in1), input2 (*, in2), weight (out, in1, in2), bias (out,).

    Composed as one matrix product (input1 against weight laid out as (in1, out * in2)) and
    a sum over in2, so its gradients are those ops' own."""
    op = "bilinear"
    x1 = input1 if isinstance(input1, Tensor) else Tensor(input1)
    x2 = input2 if isinstance(input2, Tensor) else Tensor(input2)
    w = weight if isinstance(weight, Tensor) else Tensor(weight)
    if w.ndim != 3:
        raise ValueError(f"{op}: weight must be 3-d (out, in1, in2), got shape {tuple(w.shape)}")
    if x1.ndim == 0 or x1.shape[:-1] != x2.shape[:-1] or x2.ndim != x1.ndim:
        raise ValueError(
            f"{op}: input1 of shape {tuple(x1.shape)} and input2 of shape {tuple(x2.shape)} must "
            "have the same batch dimensions (*, in1) and (*, in2)"
        )
    out, n1, n2 = w.shape
    if x1.shape[-1] != n1 or x2.shape[-1] != n2:
        raise ValueError(
            f"{op}: inputs of shapes {tuple(x1.shape)} and {tuple(x2.shape)} do not fit weight "
            f"of shape {tuple(w.shape)} (expected last dimensions {n1} and {n2})"
        )
    if bias is not None and tuple(bias.shape) != (out,):
        raise ValueError(
            f"{op}: bias of shape {tuple(bias.shape)} does not fit weight of shape "
            f"{tuple(w.shape)} (expected ({out},))"
        )
    lead = x1.shape[:-1]
    u = x1.reshape(-1, n1) @ w.permute(1, 0, 2).reshape(n1, out * n2)  # (B, out * in2)
    y = (u.reshape(-1, out, n2) * x2.reshape(-1, 1, n2)).sum(-1).reshape(*lead, out)
    return y if bias is None else y + bias
