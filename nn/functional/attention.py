"""Scaled dot-product attention as one fused op, and multi-head attention's forward.

    S = Q K^T * scale + mask,   P = softmax(S) (rows),   O = (P * D) V

with D the dropout mask (scaled by 1 / (1 - p)), or 1. Backward, with G = dO:

    dV = (P D)^T G,   dP = (G V^T) D,   dS = P * (dP - rowsum(dP * P)),
    dQ = dS K * scale,   dK = dS^T Q * scale.

Written with ``@``, ``swapaxes`` and ``sum`` that ndarrays and Tensors share; under
``create_graph`` P is rebuilt from the input nodes, so the rule is differentiable again.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Function, Tensor
from autograd.function import Context
from autograd.node import Node
from autograd.random import default_generator

from .conv import as_tensor


def _softmax_rows(s: Any) -> Any:
    """Softmax over the last axis (the max shift is a constant: softmax ignores shifts)."""
    raw = s._data if isinstance(s, Node) else s
    top = raw.max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e: Any  # a Tensor, or an ndarray
    if isinstance(s, Node):
        e = (s - top).exp()
    else:
        e = np.exp(s - top)
    return e / e.sum(axis=-1, keepdims=True)


def _scores(q: Any, k: Any, mask: Any, scale: float) -> Any:
    s = (q @ k.swapaxes(-1, -2)) * scale
    return s if mask is None else s + mask


class _Attention(Function):
    """O = softmax(Q K^T scale + mask) * drop @ V (mask and drop are constants or None)."""

    @staticmethod
    def forward(ctx: Context, q: Any, k: Any, v: Any, mask: Any, drop: Any, scale: float) -> Any:
        p = _softmax_rows(_scores(q, k, mask, scale))
        pd = p if drop is None else p * drop
        ctx.p, ctx.mask, ctx.drop, ctx.scale = p, mask, drop, scale
        ctx.save_for_backward(q, k, v)
        return (pd @ v).astype(np.result_type(q, k, v), copy=False)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        q, k, v = ctx.saved_tensors
        drop, scale = ctx.drop, ctx.scale
        if isinstance(g, Node) or isinstance(q, Node):
            p = _softmax_rows(_scores(q, k, ctx.mask, scale))
        else:
            p = ctx.p
        pd = p if drop is None else p * drop
        need = ctx.needs_input_grad
        dv = pd.swapaxes(-1, -2) @ g if need[2] else None
        dq = dk = None
        if need[0] or need[1]:
            dp = g @ v.swapaxes(-1, -2)
            if drop is not None:
                dp = dp * drop
            ds = p * (dp - (dp * p).sum(axis=-1, keepdims=True))
            if need[0]:
                dq = (ds @ k) * scale
            if need[1]:
                dk = (ds.swapaxes(-1, -2) @ q) * scale
        return dq, dk, dv, None, None, None


def _additive(mask: Any, dtype: Any, bool_means_keep: bool, op: str) -> np.ndarray | None:
    """A boolean or float mask as a float array to add to the scores (-inf where masked)."""
    if mask is None:
        return None
    m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype == bool:
        masked = ~m if bool_means_keep else m
        return np.where(masked, -np.inf, 0.0).astype(dtype)
    if m.dtype.kind != "f":
        raise TypeError(f"{op}: a mask must be boolean or floating, got dtype {m.dtype}")
    return m.astype(dtype, copy=False)


def _dropout_mask(shape: tuple, p: float, dtype: Any) -> np.ndarray | None:
    if p <= 0:
        return None
    if p >= 1:
        return np.zeros(shape, dtype)
    keep = default_generator().random(shape) >= p
    return (keep * (1.0 / (1.0 - p))).astype(dtype)


def scaled_dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """softmax(Q K^T / sqrt(E) + mask) V for query (..., L, E), key (..., S, E), value
    (..., S, Ev); result (..., L, Ev).

    ``attn_mask`` broadcasts to (..., L, S): boolean (True: may attend) or float (added to
    the scores). ``is_causal`` lets position i attend to positions <= i only (no attn_mask
    then). ``dropout_p`` drops attention weights (always, as PyTorch: pass 0 in eval).
    """
    op = "scaled_dot_product_attention"
    q, k, v = (as_tensor(t, op, n) for t, n in ((query, "query"), (key, "key"), (value, "value")))
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise ValueError(
            f"{op}: query, key and value need at least 2 dimensions, got shapes "
            f"{tuple(q.shape)}, {tuple(k.shape)}, {tuple(v.shape)}"
        )
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"{op}: query {tuple(q.shape)} and key {tuple(k.shape)} need the same last "
            f"dimension, key and value {tuple(v.shape)} the same length (dimension -2)"
        )
    try:
        batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            f"{op}: the batch dimensions of query {tuple(q.shape)}, key {tuple(k.shape)} and "
            f"value {tuple(v.shape)} do not broadcast"
        ) from None
    dtype = np.result_type(q.dtype, k.dtype, v.dtype)
    el, s_len = q.shape[-2], k.shape[-2]
    mask = _additive(attn_mask, dtype, True, op)
    if is_causal:
        if mask is not None:
            raise ValueError(f"{op}: pass either attn_mask or is_causal=True, not both")
        mask = np.where(np.tril(np.ones((el, s_len), bool)), 0.0, -np.inf).astype(dtype)
    if mask is not None:
        try:
            np.broadcast_shapes(mask.shape, batch + (el, s_len))
        except ValueError:
            raise ValueError(
                f"{op}: attn_mask of shape {mask.shape} does not broadcast to the scores' "
                f"shape {batch + (el, s_len)}"
            ) from None
    sc = 1.0 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    drop = _dropout_mask(batch + (el, s_len), float(dropout_p), dtype)
    return _Attention.apply(q, k, v, mask, drop, sc)
