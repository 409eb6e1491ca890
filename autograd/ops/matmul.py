"""Products: matmul with numpy's rules (1-D operands, batches, broadcasting), and einsum."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dual import sum_to
from ..errors import ShapeError
from ..function import Context, Function
from ..node import Node


class MatMul(Function):
    """a @ b (numpy's matmul); gradients g @ b^T and a^T @ g, summed over broadcast batches."""

    _complex_grads = "conjugate"

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        if a.ndim == 0 or b.ndim == 0:
            raise ShapeError(
                f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and "
                f"{b.shape}"
            )
        try:
            out = np.matmul(a, b)
        except ValueError:
            raise ShapeError(
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


def parse_einsum(equation: str, ndims: list[int]) -> tuple[list[str], str]:
    """The operands' subscripts and the output's, with '...' spelled out as capital letters
    and the implicit output (letters used once, sorted) made explicit."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(ndims):
        raise ValueError(
            f"einsum: the equation {equation!r} has {len(ins)} operands but {len(ndims)} "
            "tensors were given"
        )
    ell_letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n_ell = max(
        (n - len(s.replace("...", "")) for s, n in zip(ins, ndims) if "..." in s), default=0
    )
    ell = ell_letters[:n_ell]
    out_ins = []
    for s, n in zip(ins, ndims):
        if "..." in s:
            k = n - len(s.replace("...", ""))
            s = s.replace("...", ell[n_ell - k :])
        if len(s) != n:
            raise ValueError(f"einsum: subscripts {s!r} name {len(s)} dims but the operand has {n}")
        out_ins.append(s)
    if arrow:
        out = rhs.replace("...", ell)
    else:
        letters = "".join(out_ins)
        out = ell + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ell)
        )
    return out_ins, out


def _einsum_any(spec: str, *xs: Any) -> Any:
    """np.einsum on raw data, or the recorded op on nodes (for second derivatives)."""
    if any(isinstance(x, Node) for x in xs):
        return Einsum.apply(spec, *xs)
    return np.einsum(spec, *xs, optimize=len(xs) > 2)


class Einsum(Function):
    """Einstein summation (``spec`` in explicit form, letters only).

    The gradient for operand i is the einsum of g with the other operands into operand i's
    subscripts; letters only operand i has are summed in the forward, so their gradient is g
    broadcast along them.
    """

    _complex_grads = "conjugate"

    @staticmethod
    def forward(ctx: Context, spec: str, *xs: Any) -> Any:
        ins, out = spec.split("->")
        ctx.ins, ctx.out = ins.split(","), out
        ctx.saved_tensors = xs
        ctx.sizes = {}  # each letter's broadcast size (an operand may have 1 there)
        for s, x in zip(ctx.ins, xs):
            for c, n in zip(s, x.shape):
                if ctx.sizes.get(c, 1) == 1:
                    ctx.sizes[c] = n
        return np.asarray(np.einsum(spec, *xs, optimize=len(xs) > 2))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        xs = ctx.saved_tensors
        grads: list[Any] = [None]
        for i, sub in enumerate(ctx.ins):
            if not ctx.needs_input_grad[i + 1]:
                grads.append(None)
                continue
            if len(set(sub)) != len(sub):
                raise NotImplementedError(
                    f"einsum: the gradient for an operand with a repeated subscript ({sub!r}, "
                    "a diagonal) is not implemented; use diagonal() first"
                )
            others = [(s, y) for j, (s, y) in enumerate(zip(ctx.ins, xs)) if j != i]
            present = set(ctx.out).union(*[set(s) for s, _ in others])
            kept = "".join(c for c in sub if c in present)
            spec = ",".join([ctx.out] + [s for s, _ in others]) + "->" + kept
            gi = _einsum_any(spec, g, *[y for _, y in others])
            if kept != sub:  # letters summed away in forward: broadcast the gradient back
                shape = tuple(ctx.sizes[c] if c in kept else 1 for c in sub)
                gi = gi.reshape(shape)
                full = tuple(ctx.sizes[c] for c in sub)
                on_graph = isinstance(gi, Node)
                gi = gi.broadcast_to(full) if on_graph else np.broadcast_to(gi, full)
            full = tuple(ctx.sizes[c] for c in sub)
            if tuple(gi.shape) != full:  # another operand was 1 along a letter of this one
                # a Node gradient of an einsum is a Tensor (Node declares no broadcast_to/sum)
                gi = gi.broadcast_to(full) if isinstance(gi, Node) else np.broadcast_to(gi, full)  # type: ignore[attr-defined]
            own = np.shape(xs[i])
            if tuple(gi.shape) != own:  # operand i broadcast along its size-1 axes
                axes = tuple(k for k, (a, b) in enumerate(zip(own, gi.shape)) if a == 1 != b)
                gi = (
                    gi.sum(axes, keepdim=True)  # type: ignore[attr-defined]
                    if isinstance(gi, Node)
                    else gi.sum(axes, keepdims=True)
                )
            grads.append(gi)
        return tuple(grads)
