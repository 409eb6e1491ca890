"""Calls that fail in PyTorch with IndexError (a dim out of range) or RuntimeError (shapes
that do not fit), written once for both libraries (``lib`` is autograd or torch, ``F`` its
functional module): the error-type tests run them on ours, and against torch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DIM_OUT_OF_RANGE: dict[str, Callable[[Any, Any], Any]] = {
    "sum": lambda L, F: L.ones(2, 3).sum(5),
    "sum_dims": lambda L, F: L.ones(2, 3).sum((0, 3)),
    "mean": lambda L, F: L.ones(2, 3).mean(dim=-3),
    "softmax": lambda L, F: F.softmax(L.ones(2, 3), dim=2),
    "log_softmax": lambda L, F: F.log_softmax(L.ones(2, 3), 2),
    "squeeze": lambda L, F: L.ones(2, 3).squeeze(4),
    "unsqueeze": lambda L, F: L.ones(2, 3).unsqueeze(4),
    "transpose": lambda L, F: L.ones(2, 3).transpose(0, 5),
    "cat": lambda L, F: L.cat([L.ones(2, 3), L.ones(2, 3)], 3),
    "max": lambda L, F: L.ones(2, 3).max(2),
    "argmax": lambda L, F: L.ones(2, 3).argmax(4),
    "cumsum": lambda L, F: L.ones(2, 3).cumsum(3),
    "flatten": lambda L, F: L.ones(2, 3).flatten(0, 4),
    "permute": lambda L, F: L.ones(2, 3).permute(0, 2),
    "size": lambda L, F: L.ones(2, 3).size(3),
    "gather": lambda L, F: L.ones(2, 3).gather(3, L.zeros(2, 3, dtype=L.long)),
    "index_select": lambda L, F: L.ones(2, 3).index_select(2, L.tensor([0])),
    "split": lambda L, F: L.ones(2, 3).split(1, 3),
    "flip": lambda L, F: L.ones(2, 3).flip(3),
    "var": lambda L, F: L.ones(2, 3).var(4),
    "sort": lambda L, F: L.ones(2, 3).sort(4),
    "sum_0d": lambda L, F: L.tensor(1.0).sum(1),
    "index": lambda L, F: L.ones(2, 3)[5],
    "index_second": lambda L, F: L.ones(2, 3)[0, 7],
}

SHAPE_MISMATCH: dict[str, Callable[[Any, Any], Any]] = {
    "cat": lambda L, F: L.cat([L.ones(2, 3), L.ones(4, 5)], 0),
    "stack": lambda L, F: L.stack([L.ones(2, 3), L.ones(4, 5)]),
    "repeat_negative": lambda L, F: L.ones(2).repeat(-1),
    "repeat_too_few": lambda L, F: L.ones(2, 3).repeat(2),
    "view": lambda L, F: L.ones(2, 3).view(4),
    "reshape": lambda L, F: L.ones(2, 3).reshape(5),
    "view_as": lambda L, F: L.ones(2, 3).view_as(L.ones(4, 5)),
    "matmul": lambda L, F: L.ones(2, 3) @ L.ones(4, 5),
    "mm": lambda L, F: L.mm(L.ones(2, 3), L.ones(4, 5)),
    "bmm": lambda L, F: L.bmm(L.ones(2, 2, 3), L.ones(2, 4, 5)),
    "matvec": lambda L, F: L.ones(2, 3) @ L.ones(4),
    "add": lambda L, F: L.ones(2, 3) + L.ones(4, 5),
    "sub": lambda L, F: L.ones(2, 3) - L.ones(4, 5),
    "mul": lambda L, F: L.ones(2, 3) * L.ones(4, 5),
    "div": lambda L, F: L.ones(2, 3) / L.ones(4, 5),
    "add_": lambda L, F: L.ones(2, 3).add_(L.ones(4, 3)),
    "expand": lambda L, F: L.ones(2, 3).expand(4, 3, 2),
    "linear": lambda L, F: F.linear(L.ones(2, 3), L.ones(4, 5)),
    "dot": lambda L, F: L.dot(L.ones(3), L.ones(4)),
    "where": lambda L, F: L.where(L.ones(2, 3) > 0, L.ones(2, 3), L.ones(4, 5)),
    "masked_fill": lambda L, F: L.ones(2, 3).masked_fill(L.ones(4, 5) > 0, 0.0),
    "item": lambda L, F: L.ones(2, 3).item(),
    "permute_repeated": lambda L, F: L.ones(2, 3).permute(0, 0),
    "layer_norm": lambda L, F: F.layer_norm(L.ones(2, 3), (4,)),
    "conv2d_channels": lambda L, F: F.conv2d(L.ones(1, 2, 5, 5), L.ones(3, 4, 3, 3)),
    "mse_loss": lambda L, F: F.mse_loss(L.ones(2, 3), L.ones(4, 3)),
}

# asking an integer or bool tensor for gradients (PyTorch: RuntimeError)
GRAD_DTYPE: dict[str, Callable[[Any, Any], Any]] = {
    "requires_grad_": lambda L, F: L.tensor([1, 2]).requires_grad_(),
    "tensor_requires_grad": lambda L, F: L.tensor([1, 2], requires_grad=True),
    "bool_requires_grad": lambda L, F: L.tensor([True]).requires_grad_(True),
}

# ops given a dtype they do not take (PyTorch: RuntimeError, or its NotImplementedError)
DTYPE_REFUSED: dict[str, Callable[[Any, Any], Any]] = {
    "mean_int": lambda L, F: L.tensor([1, 2]).mean(),
    "var_int": lambda L, F: L.tensor([1, 2]).var(),
    "std_int": lambda L, F: L.tensor([1, 2]).std(),
    "norm_int": lambda L, F: L.tensor([1, 2]).norm(),
    "histc_int": lambda L, F: L.tensor([1, 2]).histc(),
    "frac_int": lambda L, F: L.tensor([1]).frac(),
    "rand_like_int": lambda L, F: L.rand_like(L.tensor([1])),
    "randn_like_int": lambda L, F: L.randn_like(L.tensor([1])),
    "int_negative_power": lambda L, F: L.tensor([2]) ** -1,
}
