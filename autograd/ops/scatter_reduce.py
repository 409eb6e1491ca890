"""torch.scatter_reduce: src reduced into a copy of self at the places an index names along a
dim, with 'sum', 'prod', 'mean', 'amax' or 'amin' (and self's own entry taking part unless
``include_self=False``).

Gradients are PyTorch's: 'sum' passes g to self and gathers it for src; 'mean' divides by
the count; 'prod' gives each entry the product of the others in its group (zeros handled
exactly, without dividing by them; as PyTorch, no second derivative for src where two of
its zeros meet); 'amax'/'amin' share g evenly among the entries equal to
the result (counting self's entry even when it is left out, as PyTorch does). Self's entries
that are replaced (``include_self=False``) get no gradient. The rules are written with
gathers, scatters and this op itself, so they are differentiable again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Context, Function
from ..node import Node
from .scatter import Gather, _full_index, _pad, gather_raw, scatter_add_raw

REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def check_scatter_reduce(
    shape: tuple, dim: int, index: np.ndarray, src_shape: tuple, reduce: Any
) -> None:
    """PyTorch's checks on the reduction and the three shapes, naming the op."""
    op = "scatter_reduce"
    if reduce not in REDUCTIONS:
        raise ValueError(
            f"{op}: reduce argument must be either sum, prod, mean, amax or amin, got {reduce!r}"
        )
    if index.dtype.kind not in "iu":
        raise TypeError(f"{op}: index must be an integer tensor, got dtype {index.dtype}")
    if not (index.ndim == len(shape) == len(src_shape)):
        raise ValueError(
            f"{op}: index (shape {index.shape}), self (shape {shape}) and src (shape "
            f"{src_shape}) must have the same number of dims"
        )
    too_big = any(i > s for i, s in zip(index.shape, src_shape)) or any(
        i > s for d, (i, s) in enumerate(zip(index.shape, shape)) if d != dim
    )
    if too_big:
        raise ValueError(
            f"{op}: index of shape {index.shape} must be no larger than self (shape {shape}) "
            f"apart from dim {dim}, and no larger than src (shape {src_shape})"
        )
    n = shape[dim]
    if index.size and (index.min() < -n or index.max() >= n):
        raise IndexError(
            f"{op}: index out of range for dim {dim} of size {n} (shape {shape}); "
            f"index values span [{index.min()}, {index.max()}]"
        )


def _identity(dtype: np.dtype, reduce: str) -> Any:
    """The value a left-out self entry starts from: the reduction's identity."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    big = np.inf if dtype.kind == "f" else np.iinfo(dtype).max
    return -big if reduce == "amax" else big


def _counts(shape: tuple, dim: int, index: np.ndarray, include_self: bool) -> np.ndarray:
    """How many entries each output entry reduces (at least 1: a lone self entry)."""
    n = scatter_add_raw(np.zeros(shape, np.int64), dim, index, np.ones(index.shape, np.int64))
    return np.maximum(n + int(include_self), 1)


def _hit(shape: tuple, dim: int, index: np.ndarray) -> np.ndarray:
    """True where some src entry lands."""
    hit = np.zeros(shape, bool)
    hit[_full_index(index, dim)] = True
    return hit


def scatter_reduce_raw(
    base: np.ndarray, dim: int, index: np.ndarray, src: np.ndarray, reduce: str, include_self: bool
) -> np.ndarray:
    """The forward on arrays (src cut to index's shape)."""
    out = np.array(base, copy=True)
    at = _full_index(index, dim)
    src = src[tuple(slice(0, s) for s in index.shape)]
    if not include_self:
        out[at] = _identity(out.dtype, reduce)
    ufunc = {
        "sum": np.add,
        "mean": np.add,
        "prod": np.multiply,
        "amax": np.maximum,
        "amin": np.minimum,
    }[reduce]
    ufunc.at(out, at, src)
    if reduce == "mean":
        n = _counts(out.shape, dim, index, include_self)
        out = out // n if out.dtype.kind in "iu" else (out / n).astype(out.dtype, copy=False)
    return out


def _on_graph(*xs: Any) -> bool:
    return any(isinstance(x, Node) for x in xs)


def _gather(a: Any, dim: int, index: np.ndarray) -> Any:
    return Gather.apply(a, dim, index) if isinstance(a, Node) else gather_raw(a, dim, index)


def _scatter_reduce(
    base: Any, dim: int, index: np.ndarray, src: Any, reduce: str, include_self: bool
) -> Any:
    """The op on arrays, or recorded on the graph when an argument is a node."""
    if _on_graph(base, src):
        return ScatterReduce.apply(base, dim, index, src, reduce, include_self)
    return scatter_reduce_raw(base, dim, index, src, reduce, include_self)


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Node) else x


class ScatterReduce(Function):
    """torch.scatter_reduce(base, dim, index, src, reduce, include_self=...)."""

    @staticmethod
    def forward(
        ctx: Context,
        base: Any,
        dim: int,
        index: Any,
        src: Any,
        reduce: str,
        include_self: bool,
    ) -> Any:
        index = np.asarray(index)
        check_scatter_reduce(base.shape, dim, index, src.shape, reduce)
        out = scatter_reduce_raw(base, dim, index, src, reduce, include_self)
        ctx.dim, ctx.index, ctx.reduce, ctx.include_self = dim, index, reduce, include_self
        ctx.save_for_backward(base, src, out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        base, src, out = ctx.saved_tensors
        dim, index, reduce, include_self = ctx.dim, ctx.index, ctx.reduce, ctx.include_self
        cut = tuple(slice(0, s) for s in index.shape)
        src_c = src if tuple(src.shape) == index.shape else src[cut]
        need = ctx.needs_input_grad
        gb, gs = _RULES[reduce](g, base, src_c, out, dim, index, include_self, need[0], need[3])
        if gb is not None and not include_self:
            kept = ~_hit(tuple(base.shape), dim, index)
            gb = gb * kept.astype(_raw(gb).dtype)  # replaced entries: no gradient
        if gs is not None and tuple(gs.shape) != tuple(src.shape):
            gs = _pad(gs, [(0, s - i) for s, i in zip(src.shape, gs.shape)])
        return gb, None, None, gs, None, None


def _sum_rule(
    g: Any,
    base: Any,
    src: Any,
    out: Any,
    dim: int,
    index: np.ndarray,
    include_self: bool,
    need_base: bool,
    need_src: bool,
) -> tuple:
    return (g if need_base else None), (_gather(g, dim, index) if need_src else None)


def _mean_rule(
    g: Any,
    base: Any,
    src: Any,
    out: Any,
    dim: int,
    index: np.ndarray,
    include_self: bool,
    need_base: bool,
    need_src: bool,
) -> tuple:
    n = _counts(tuple(base.shape), dim, index, include_self)
    gn = g / n.astype(_raw(g).dtype)
    return (gn if need_base else None), (_gather(gn, dim, index) if need_src else None)


def _extreme_rule(
    g: Any,
    base: Any,
    src: Any,
    out: Any,
    dim: int,
    index: np.ndarray,
    include_self: bool,
    need_base: bool,
    need_src: bool,
) -> tuple:
    b, s, o = _raw(base), _raw(src), _raw(out)
    dt = _raw(g).dtype
    self_is = (b == o).astype(dt)
    src_is = (s == gather_raw(o, dim, index)).astype(dt)
    ties = scatter_add_raw(self_is, dim, index, src_is)
    with np.errstate(divide="ignore", invalid="ignore"):  # no tie at all: only with nan
        share = g / ties
        gb = share * self_is if need_base else None
        gs = _gather(share, dim, index) * src_is if need_src else None
    return gb, gs


def _prod_rule(
    g: Any,
    base: Any,
    src: Any,
    out: Any,
    dim: int,
    index: np.ndarray,
    include_self: bool,
    need_base: bool,
    need_src: bool,
) -> tuple:
    gb = gs = None
    if need_base:  # the product of the others: self's zeros replaced by 1 in the product
        zero = (_raw(base) == 0).astype(_raw(base).dtype)
        masked = base * (1 - zero) + zero
        gb = g * _scatter_reduce(masked, dim, index, src, "prod", include_self) / masked
    if need_src:
        s = _raw(src)
        zero = s == 0
        zeros_in_group = scatter_add_raw(
            np.zeros(tuple(base.shape)), dim, index, zero.astype(float)
        )
        zeros_with = gather_raw(zeros_in_group, dim, index)
        lone = (zero & (zeros_with == 1)).astype(s.dtype)
        # a lone zero's gradient: the product with it replaced by 1; others: out / src
        others = _scatter_reduce(base, dim, index, src * (1 - lone) + lone, "prod", include_self)
        divisor = src * (1 - zero) + zero.astype(s.dtype)
        gs = _gather(g * others, dim, index) * lone + _gather(g * out, dim, index) / divisor * (
            1 - lone
        )
        if isinstance(gs, Node) and (zero & (zeros_with > 1)).any():
            gs = _NoDoubleBackward.apply(gs)
    return gb, gs


class _NoDoubleBackward(Function):
    """The identity, refusing to be differentiated: this rule's derivative would miss the
    product of the rest where two zeros of src meet (PyTorch refuses it there too)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return x.view()

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        raise RuntimeError(
            "scatter_reduce: double backward is unsupported for src when more than one zero "
            "of src is scattered to the same position of self (as in PyTorch)"
        )


_RULES = {
    "sum": _sum_rule,
    "mean": _mean_rule,
    "prod": _prod_rule,
    "amax": _extreme_rule,
    "amin": _extreme_rule,
}
