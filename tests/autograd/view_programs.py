"""Programs that change a view in place, written once for our library and for torch (``lib``
is ``autograd`` or ``torch``): the view kinds and in-place ops that the tests combine."""

from __future__ import annotations

from typing import Any

# view kinds of a (3, 4) tensor
VIEWS: dict[str, Any] = {
    "slice": lambda y: y[1:3],
    "int": lambda y: y[1],
    "element": lambda y: y[1, 2],
    "step": lambda y: y[:, ::2],
    "view": lambda y: y.view(4, 3),
    "reshape": lambda y: y.reshape(12),
    "t": lambda y: y.t(),
    "transpose": lambda y: y.transpose(0, 1),
    "permute": lambda y: y.permute(1, 0),
    "unsqueeze": lambda y: y.unsqueeze(0),
    "squeeze": lambda y: y[0:1].squeeze(0),
    "narrow": lambda y: y.narrow(1, 1, 2),
    "select": lambda y: y.select(1, 2),
    "diagonal": lambda y: y.diagonal(1),
    "nested": lambda y: y[1:3].t()[1],
    "flatten_then_slice": lambda y: y.flatten()[3:9],
}

# in-place ops on a view ``v``, with ``w`` a tensor of v's shape (entries in [0.5, 2])
OPS: dict[str, Any] = {
    "add_": lambda v, w: v.add_(w),
    "sub_alpha": lambda v, w: v.sub_(w, alpha=2),
    "mul_tensor": lambda v, w: v.mul_(w),
    "mul_number": lambda v, w: v.mul_(3),
    "div_": lambda v, w: v.div_(w),
    "copy_": lambda v, w: v.copy_(w),
    "fill_": lambda v, w: v.fill_(1.5),
    "zero_": lambda v, w: v.zero_(),
    "clamp_": lambda v, w: v.clamp_(-0.5, 0.5),
    "masked_fill_": lambda v, w: v.masked_fill_(v > 0, 0.25),
    "iadd": lambda v, w: v.__iadd__(w),
    "imul": lambda v, w: v.__imul__(w),
    "setitem": lambda v, w: v.__setitem__(Ellipsis, w * 2),
    "exp_": lambda v, w: v.exp_(),
    "sigmoid_": lambda v, w: v.sigmoid_(),
    "addcmul_": lambda v, w: v.addcmul_(w, w, value=0.5),
}


def change_a_view(lib: Any, x: Any, w: Any, view: str, op: str, base_grad: bool) -> tuple:
    """``y`` from ``x`` (in the graph, or a buffer outside it that takes ``x``'s values),
    ``v = VIEWS[view](y)`` changed by ``OPS[op](v, w)``; returns ``(y, v)`` after."""
    if base_grad:
        y = x * 1.5
    else:
        y = lib.zeros((3, 4), dtype=x.dtype)
        with lib.no_grad():
            y.copy_(x)
    v = VIEWS[view](y)
    OPS[op](v, w)
    return y, v


def weighted(lib: Any, outs: tuple) -> Any:
    """A scalar from every output, each weighted by a different constant per entry."""
    total = 0
    for k, o in enumerate(outs):
        n = o.numel()
        weights = lib.arange(1, n + 1, dtype=o.dtype).reshape(o.shape) / n + k
        total = total + (o * weights).sum()
    return total
