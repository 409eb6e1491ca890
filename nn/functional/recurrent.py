"""One recurrent layer over a whole sequence as a fused op (Elman RNN, LSTM, GRU).

The input projection of every time step is one matrix product; the recurrence then runs
step by step on raw arrays, and backward is back-propagation through time written out by
hand (below, per cell, in PyTorch's gate order). Under ``create_graph`` the backward rule
instead rebuilds the layer from differentiable ops (``compose``) and differentiates that, so
second derivatives are right too (and ``compose`` is the reference the fused code is
tested against).

Shapes: x (T, B, I) time-major; h0 (and c0) (B, H); weights as PyTorch's, gates stacked
along the first axis: RNN (H, .), LSTM (4H, .) in order input, forget, cell, output;
GRU (3H, .) in order reset, update, new. The op returns the hidden states (T, B, H); an
LSTM's result has one more step, c_T, appended: (T + 1, B, H). ``cell`` is one step of it
(RNNCell, LSTMCell, GRUCell).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd
from autograd import Function, Tensor
from autograd.function import Context
from autograd.node import Node

MODES = ("RNN_TANH", "RNN_RELU", "LSTM", "GRU")
GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _sig(x: np.ndarray) -> np.ndarray:
    """The logistic function as 0.5 (1 + tanh(x / 2)): stable for any x, and three ufuncs."""
    out = np.tanh(x * 0.5)
    out += 1
    out *= 0.5
    return out


def _forward_raw(mode: str, x: Any, h: Any, c: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any):
    """Run the layer on arrays; returns (result, cache for backward)."""
    t_len, batch, _ = x.shape
    hsz = w_hh.shape[1]
    xw = (x.reshape(t_len * batch, -1) @ w_ih.T).reshape(t_len, batch, -1)
    if b_ih is not None:
        xw += b_ih
        if mode != "GRU":
            xw += b_hh
    w_hh_t = np.ascontiguousarray(w_hh.T)
    out = np.empty((t_len + (mode == "LSTM"), batch, hsz), dtype=np.result_type(x, w_ih))
    cache: dict[str, Any] = {"h_prev": np.empty((t_len, batch, hsz), out.dtype)}
    if mode == "LSTM":
        acts = np.empty((t_len, batch, 4 * hsz), out.dtype)  # i f g o, after activation
        cs = np.empty((t_len + 1, batch, hsz), out.dtype)  # c_0 .. c_T
        cs[0] = c
        tcs = np.empty((t_len, batch, hsz), out.dtype)
        tmp = np.empty((batch, hsz), out.dtype)
        g_part = slice(2 * hsz, 3 * hsz)
        for t in range(t_len):  # in place, into preallocated arrays: small ops dominate
            cache["h_prev"][t] = h
            s = acts[t]
            np.matmul(h, w_hh_t, out=s)
            s += xw[t]
            pre_g = s[:, g_part].copy()
            s *= 0.5  # sigmoid(a) = (1 + tanh(a / 2)) / 2 for all four, then g = tanh(a)
            np.tanh(s, out=s)
            s += 1
            s *= 0.5
            np.tanh(pre_g, out=s[:, g_part])
            c_new = cs[t + 1]
            np.multiply(s[:, hsz : 2 * hsz], cs[t], out=c_new)
            np.multiply(s[:, :hsz], s[:, g_part], out=tmp)
            c_new += tmp
            np.tanh(c_new, out=tcs[t])
            h = out[t]
            np.multiply(s[:, 3 * hsz :], tcs[t], out=h)
        out[t_len] = cs[t_len]
        cache.update(acts=acts, cs=cs, tcs=tcs)
    elif mode == "GRU":
        rz = np.empty((t_len, batch, 2 * hsz), out.dtype)
        ns = np.empty((t_len, batch, hsz), out.dtype)
        hn = np.empty((t_len, batch, hsz), out.dtype)  # W_hn h + b_hn
        for t in range(t_len):
            cache["h_prev"][t] = h
            hw = h @ w_hh_t
            if b_hh is not None:
                hw += b_hh
            rz[t] = _sig(xw[t, :, : 2 * hsz] + hw[:, : 2 * hsz])
            hn[t] = hw[:, 2 * hsz :]
            n = np.tanh(xw[t, :, 2 * hsz :] + rz[t, :, :hsz] * hn[t])
            ns[t] = n
            h = n + rz[t, :, hsz:] * (h - n)
            out[t] = h
        cache.update(rz=rz, ns=ns, hn=hn)
    else:
        relu = mode == "RNN_RELU"
        for t in range(t_len):
            cache["h_prev"][t] = h
            a = xw[t] + h @ w_hh_t
            h = np.maximum(a, 0) if relu else np.tanh(a)
            out[t] = h
    return out, cache


def _backward_raw(mode: str, g: np.ndarray, cache: dict, x: Any, w_ih: Any, w_hh: Any) -> tuple:
    """Back-propagation through time: (dx, dh0, dc0, dw_ih, dw_hh, db_ih, db_hh)."""
    t_len, batch, _ = x.shape
    hsz = w_hh.shape[1]
    h_prev = cache["h_prev"]
    dh = np.zeros((batch, hsz), g.dtype)
    dc0 = None
    if mode == "LSTM":
        acts, cs, tcs = cache["acts"], cache["cs"], cache["tcs"]
        # the activations' derivatives for all steps at once: s (1 - s) for the sigmoid
        # gates, 1 - g^2 for the tanh gate g, and 1 - tanh(c)^2
        dact = 1 - acts
        dact *= acts
        g_act = acts[..., 2 * hsz : 3 * hsz]
        np.multiply(g_act, g_act, out=dact[..., 2 * hsz : 3 * hsz])
        np.subtract(1, dact[..., 2 * hsz : 3 * hsz], out=dact[..., 2 * hsz : 3 * hsz])
        dtc = tcs * tcs
        np.subtract(1, dtc, out=dtc)
        da = np.empty_like(acts)
        dc = g[t_len].copy()
        tmp = np.empty((batch, hsz), g.dtype)
        for t in range(t_len - 1, -1, -1):
            dh += g[t]
            s = acts[t]
            np.multiply(dh, s[:, 3 * hsz :], out=tmp)
            tmp *= dtc[t]
            dc += tmp
            d = da[t]
            np.multiply(dc, s[:, 2 * hsz : 3 * hsz], out=d[:, :hsz])
            np.multiply(dc, cs[t], out=d[:, hsz : 2 * hsz])
            np.multiply(dc, s[:, :hsz], out=d[:, 2 * hsz : 3 * hsz])
            np.multiply(dh, tcs[t], out=d[:, 3 * hsz :])
            d *= dact[t]
            dc *= s[:, hsz : 2 * hsz]
            dh = d @ w_hh
        dc0 = dc
        dxw = dhw = da
    elif mode == "GRU":
        rz, ns, hn = cache["rz"], cache["ns"], cache["hn"]
        dxw = np.empty((t_len, batch, 3 * hsz), g.dtype)
        dhw = np.empty_like(dxw)
        for t in range(t_len - 1, -1, -1):
            dh += g[t]
            r, z = rz[t, :, :hsz], rz[t, :, hsz:]
            n = ns[t]
            dn = dh * (1 - z) * (1 - n * n)
            dr = dn * hn[t] * r * (1 - r)
            dz = dh * (h_prev[t] - n) * z * (1 - z)
            dxw[t, :, :hsz] = dhw[t, :, :hsz] = dr
            dxw[t, :, hsz : 2 * hsz] = dhw[t, :, hsz : 2 * hsz] = dz
            dxw[t, :, 2 * hsz :] = dn
            dhw[t, :, 2 * hsz :] = dn * r
            dh = dh * z + dhw[t] @ w_hh
    else:
        out = cache["out"]
        da = np.empty((t_len, batch, hsz), g.dtype)
        relu = mode == "RNN_RELU"
        for t in range(t_len - 1, -1, -1):
            dh += g[t]
            h = out[t]
            da[t] = dh * (h > 0) if relu else dh * (1 - h * h)
            dh = da[t] @ w_hh
        dxw = dhw = da
    rows_x = dxw.reshape(t_len * batch, -1)
    dx = (rows_x @ w_ih).reshape(x.shape)
    dw_ih = rows_x.T @ x.reshape(t_len * batch, -1)
    rows_h = dhw.reshape(t_len * batch, -1)
    dw_hh = rows_h.T @ h_prev.reshape(t_len * batch, hsz)
    db_ih = rows_x.sum(axis=0)
    db_hh = rows_h.sum(axis=0)
    return dx, dh, dc0, dw_ih, dw_hh, db_ih, db_hh


def compose(
    mode: str, x: Any, h: Any, c: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any
) -> Tensor:
    """The same layer built from differentiable Tensor ops (slow; any order of derivative)."""
    hsz = w_hh.shape[1]
    xw = x @ w_ih.T
    if b_ih is not None:
        xw = xw + b_ih
        if mode != "GRU":
            xw = xw + b_hh
    outs = []
    for t in range(x.shape[0]):
        if mode == "GRU":
            hw = h @ w_hh.T
            if b_hh is not None:
                hw = hw + b_hh
            xt = xw[t]
            r = (xt[:, :hsz] + hw[:, :hsz]).sigmoid()
            z = (xt[:, hsz : 2 * hsz] + hw[:, hsz : 2 * hsz]).sigmoid()
            n = (xt[:, 2 * hsz :] + r * hw[:, 2 * hsz :]).tanh()
            h = n + z * (h - n)
        else:
            a = xw[t] + h @ w_hh.T
            if mode == "LSTM":
                i = a[:, :hsz].sigmoid()
                f = a[:, hsz : 2 * hsz].sigmoid()
                gg = a[:, 2 * hsz : 3 * hsz].tanh()
                o = a[:, 3 * hsz :].sigmoid()
                c = f * c + i * gg
                h = o * c.tanh()
            else:
                h = a.relu() if mode == "RNN_RELU" else a.tanh()
        outs.append(h)
    if mode == "LSTM":
        outs.append(c)
    return autograd.stack(outs)


class RecurrentLayer(Function):
    """``RecurrentLayer.apply(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode)``: one layer, one
    direction, the whole sequence (c0 None unless LSTM; biases None without bias)."""

    @staticmethod
    def forward(
        ctx: Context, x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any,
        mode: str,
    ) -> Any:  # fmt: skip
        out, cache = _forward_raw(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh)
        if mode in ("RNN_TANH", "RNN_RELU"):
            cache["out"] = out
        ctx.cache, ctx.mode = cache, mode
        ctx.save_for_backward(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        saved = ctx.saved_tensors
        need = ctx.needs_input_grad
        if isinstance(g, Node) or any(isinstance(s, Node) for s in saved):
            return _backward_composed(ctx.mode, g, saved, need)
        x, _, _, w_ih, w_hh, b_ih, _ = saved
        grads = _backward_raw(ctx.mode, g, ctx.cache, x, w_ih, w_hh)
        out = [gi if n else None for gi, n in zip(grads, need[:7])]
        if b_ih is None:
            out[5] = out[6] = None
        return (*out, None)


def cell(mode: str, x: Any, h: Any, c: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any) -> Any:
    """One time step of a layer (the cells' forward): x (B, I), h and, for an LSTM, c (B, H)
    give h' (B, H), or the pair (h', c') for an LSTM. It is ``RecurrentLayer`` on a sequence
    of length one, so the cells share its gate order, backward and second derivatives."""
    res = RecurrentLayer.apply(x.unsqueeze(0), h, c, w_ih, w_hh, b_ih, b_hh, mode)
    return (res[0], res[1]) if mode == "LSTM" else res[0]


def _backward_composed(mode: str, g: Any, saved: tuple, need: tuple) -> tuple:
    """Back-propagation through time on nodes (under ``create_graph``): the forward is
    rebuilt from the input nodes and the same rules as ``_backward_raw`` run as Tensor ops,
    so the gradients are differentiable functions of the inputs and of ``g``."""
    nodes: list[Any] = [s if isinstance(s, Node) or s is None else Tensor(s) for s in saved]
    x, h, c, w_ih, w_hh, b_ih, b_hh = nodes
    if not isinstance(g, Node):
        g = Tensor(g)
    t_len = x.shape[0]
    hsz = w_hh.shape[1]
    xw = x @ w_ih.T
    if b_ih is not None:
        xw = xw + b_ih
        if mode != "GRU":
            xw = xw + b_hh
    steps: list[Any] = []  # what each step's backward needs
    for t in range(t_len):
        h_prev = h
        if mode == "LSTM":
            a = xw[t] + h @ w_hh.T
            i = a[:, :hsz].sigmoid()
            f = a[:, hsz : 2 * hsz].sigmoid()
            gg = a[:, 2 * hsz : 3 * hsz].tanh()
            o = a[:, 3 * hsz :].sigmoid()
            c_prev = c
            c = f * c + i * gg
            tc = c.tanh()
            h = o * tc
            steps.append((h_prev, i, f, gg, o, c_prev, tc))
        elif mode == "GRU":
            hw = h @ w_hh.T
            if b_hh is not None:
                hw = hw + b_hh
            xt = xw[t]
            r = (xt[:, :hsz] + hw[:, :hsz]).sigmoid()
            z = (xt[:, hsz : 2 * hsz] + hw[:, hsz : 2 * hsz]).sigmoid()
            hn = hw[:, 2 * hsz :]
            n = (xt[:, 2 * hsz :] + r * hn).tanh()
            h = n + z * (h - n)
            steps.append((h_prev, r, z, n, hn))
        else:
            a = xw[t] + h @ w_hh.T
            h = a.relu() if mode == "RNN_RELU" else a.tanh()
            steps.append((h_prev, h))
    dh: Any = 0.0
    dc: Any = g[t_len] if mode == "LSTM" else None
    dxw: list[Any] = [None] * t_len
    dhw: list[Any] = [None] * t_len
    for t in range(t_len - 1, -1, -1):
        dh = dh + g[t]
        if mode == "LSTM":
            _, i, f, gg, o, c_prev, tc = steps[t]
            dc = dc + dh * o * (1 - tc * tc)
            d = autograd.cat(
                [
                    dc * gg * i * (1 - i),
                    dc * c_prev * f * (1 - f),
                    dc * i * (1 - gg * gg),
                    dh * tc * o * (1 - o),
                ],
                axis=1,
            )
            dc = dc * f
            dxw[t] = dhw[t] = d
            dh = d @ w_hh
        elif mode == "GRU":
            h_prev, r, z, n, hn = steps[t]
            dn = dh * (1 - z) * (1 - n * n)
            dr = dn * hn * r * (1 - r)
            dz = dh * (h_prev - n) * z * (1 - z)
            dxw[t] = autograd.cat([dr, dz, dn], axis=1)
            dhw[t] = autograd.cat([dr, dz, dn * r], axis=1)
            dh = dh * z + dhw[t] @ w_hh
        else:
            out = steps[t][1]
            d = dh * (out._data > 0) if mode == "RNN_RELU" else dh * (1 - out * out)
            dxw[t] = dhw[t] = d
            dh = d @ w_hh
    result: list[Any] = [None] * 8
    dx_all = autograd.stack(dxw)
    dh_all = autograd.stack(dhw)
    rows_x = dx_all.reshape(-1, dx_all.shape[-1])
    rows_h = dh_all.reshape(-1, dh_all.shape[-1])
    if need[0]:
        result[0] = dx_all @ w_ih
    if need[1]:
        result[1] = dh
    if mode == "LSTM" and need[2]:
        result[2] = dc
    if need[3]:
        result[3] = rows_x.T @ x.reshape(-1, x.shape[-1])
    if need[4]:
        h_prevs = autograd.stack([st[0] for st in steps])
        result[4] = rows_h.T @ h_prevs.reshape(-1, hsz)
    if b_ih is not None:
        if need[5]:
            result[5] = rows_x.sum(axis=0)
        if need[6]:
            result[6] = rows_h.sum(axis=0)
    return tuple(result)
