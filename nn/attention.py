"""``MultiheadAttention`` with PyTorch's arguments, parameter names (``in_proj_weight``,
``in_proj_bias``, ``out_proj``), initialisation, masks and results."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, concatenate
from autograd.dtypes import get_default_dtype

from . import init
from .functional.attention import _additive, _dropout_mask, _softmax_rows
from .functional.attention import scaled_dot_product_attention as _sdpa
from .functional.conv import as_tensor
from .functional.linear import linear
from .linear import Linear
from .module import Module
from .parameter import Parameter


class NonDynamicallyQuantizableLinear(Linear):
    """A Linear (PyTorch's name for the output projection of MultiheadAttention)."""


class MultiheadAttention(Module):
    """Attention with ``num_heads`` heads of size embed_dim / num_heads:
    softmax(Q_h K_h^T / sqrt(d) + mask) V_h per head, concatenated and projected by
    ``out_proj``. Q, K, V are the inputs times the rows of ``in_proj_weight`` (3E, E)
    (query, key, value blocks) plus ``in_proj_bias``; keys and values of other sizes
    (``kdim``, ``vdim``) have their own ``q_proj_weight``, ``k_proj_weight``,
    ``v_proj_weight`` instead. ``add_bias_kv`` appends a learned key and value (``bias_k``,
    ``bias_v``) to every sequence, ``add_zero_attn`` a zero key and value after it; masks are
    widened so that the appended positions are always attended.

    ``forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False)``: inputs (L, N, E) ((N, L, E) with
    batch_first; (L, E) unbatched); returns (output of the query's shape, attention weights
    (N, L, S), per head (N, num_heads, L, S) without averaging, or None unless
    need_weights). Boolean masks mark with True the positions that may NOT be attended
    (PyTorch's convention here); float masks are added to the scores.
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        name = "MultiheadAttention"
        if (
            isinstance(embed_dim, bool)
            or not isinstance(embed_dim, (int, np.integer))
            or (embed_dim < 1)
        ):
            raise ValueError(f"{name}: embed_dim must be a positive integer, got {embed_dim!r}")
        if (
            isinstance(num_heads, bool)
            or not isinstance(num_heads, (int, np.integer))
            or (num_heads < 1 or embed_dim % num_heads)
        ):
            raise ValueError(
                f"{name}: embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})"
            )
        self.embed_dim = int(embed_dim)
        self.kdim = self.embed_dim if kdim is None else int(kdim)
        self.vdim = self.embed_dim if vdim is None else int(vdim)
        self._qkv_same_embed_dim = self.kdim == self.embed_dim and self.vdim == self.embed_dim
        self.num_heads = int(num_heads)
        self.head_dim = self.embed_dim // self.num_heads
        self.dropout = float(dropout)
        self.batch_first = batch_first
        dt = np.dtype(get_default_dtype() if dtype is None else dtype)
        e = self.embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * e, e), dtype=dt))
            for n in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(n, None)
        else:  # separate projections for keys and values of other sizes (torch's names)
            self.q_proj_weight = Parameter(np.empty((e, e), dtype=dt))
            self.k_proj_weight = Parameter(np.empty((e, self.kdim), dtype=dt))
            self.v_proj_weight = Parameter(np.empty((e, self.vdim), dtype=dt))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(np.empty((3 * e,), dtype=dt))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(e, e, bias=bias, dtype=dt)
        self.bias_k: Parameter | None
        self.bias_v: Parameter | None
        if add_bias_kv:  # one learned key and value appended to every sequence
            self.bias_k = Parameter(np.empty((1, 1, e), dtype=dt))
            self.bias_v = Parameter(np.empty((1, 1, e), dtype=dt))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = bool(add_zero_attn)
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """PyTorch's: in_proj_weight (or q/k/v_proj_weight) xavier_uniform_, in_proj_bias and
        out_proj.bias zero, bias_k and bias_v xavier_normal_ (out_proj.weight keeps Linear's
        initialisation)."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def _project(self, query: Tensor, key: Tensor, value: Tensor) -> tuple:
        w, b = self.in_proj_weight, self.in_proj_bias
        e = self.embed_dim
        if w is not None and query is key and key is value:
            qkv = linear(query, w, b)
            return qkv[..., :e], qkv[..., e : 2 * e], qkv[..., 2 * e :]
        bs = (None, None, None) if b is None else (b[:e], b[e : 2 * e], b[2 * e :])
        ws = (
            (w[:e], w[e : 2 * e], w[2 * e :])
            if w is not None
            else (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        )
        return tuple(linear(x, wi, bi) for x, wi, bi in zip((query, key, value), ws, bs))

    def _extend_keys(self, k: Tensor, v: Tensor) -> tuple[Tensor, Tensor, int]:
        """Keys and values (N, S, E) with bias_k/bias_v, then a zero key and value, appended
        along S (add_bias_kv, add_zero_attn); and how many positions were appended."""
        extra = 0
        n = k.shape[0]
        if self.bias_k is not None and self.bias_v is not None:
            k = concatenate([k, self.bias_k.expand(n, 1, self.embed_dim)], 1)
            v = concatenate([v, self.bias_v.expand(n, 1, self.embed_dim)], 1)
            extra += 1
        if self.add_zero_attn:
            zeros = Tensor(np.zeros((n, 1, self.embed_dim), dtype=k.dtype))
            k, v = concatenate([k, zeros], 1), concatenate([v, zeros], 1)
            extra += 1
        return k, v, extra

    def forward(
        self,
        query: Any,
        key: Any,
        value: Any,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        name = "MultiheadAttention"
        q_in, k_in, v_in = (as_tensor(t, name, n) for t, n in
                            ((query, "query"), (key, "key"), (value, "value")))  # fmt: skip
        e, h, d = self.embed_dim, self.num_heads, self.head_dim
        if q_in.ndim not in (2, 3) or k_in.ndim != q_in.ndim or v_in.ndim != q_in.ndim:
            raise ValueError(
                f"{name}: query, key and value must all be 2-d (unbatched) or 3-d, got shapes "
                f"{tuple(q_in.shape)}, {tuple(k_in.shape)}, {tuple(v_in.shape)}"
            )
        for what, t, size in (("query", q_in, e), ("key", k_in, self.kdim),
                              ("value", v_in, self.vdim)):  # fmt: skip
            if t.shape[-1] != size:
                raise ValueError(
                    f"{name}(embed_dim={e}, kdim={self.kdim}, vdim={self.vdim}): {what} of "
                    f"shape {tuple(t.shape)} should end with {size}"
                )
        if k_in.shape[:-1] != v_in.shape[:-1]:
            raise ValueError(
                f"{name}: key of shape {tuple(k_in.shape)} and value of shape "
                f"{tuple(v_in.shape)} must match except in the last dimension"
            )
        unbatched = q_in.ndim == 2
        same = query is key and key is value
        if unbatched:
            q_in, k_in, v_in = (t.unsqueeze(0) for t in (q_in, k_in, v_in))
        elif not self.batch_first:
            q_in, k_in, v_in = (t.swapaxes(0, 1) for t in (q_in, k_in, v_in))
        if same:
            k_in = v_in = q_in
        n, el, s_len = q_in.shape[0], q_in.shape[1], k_in.shape[1]
        if k_in.shape[0] != n:
            raise ValueError(
                f"{name}: query and key have different batch sizes ({n} and {k_in.shape[0]})"
            )
        q, k, v = self._project(q_in, k_in, v_in)
        k, v, extra = self._extend_keys(k, v)
        # (N, L, E) -> (N, heads, L, head_dim)
        q = q.reshape(n, el, h, d).swapaxes(1, 2)
        k = k.reshape(n, s_len + extra, h, d).swapaxes(1, 2)
        v = v.reshape(n, s_len + extra, h, d).swapaxes(1, 2)
        dtype = q.dtype
        if is_causal and attn_mask is None:
            raise RuntimeError(f"{name}: is_causal=True is a hint and needs attn_mask as well")
        mask = _additive(attn_mask, dtype, False, name)
        if mask is not None:
            if mask.shape == (el, s_len):
                pass
            elif mask.shape == (n * h, el, s_len):
                mask = mask.reshape(n, h, el, s_len)
            else:
                raise ValueError(
                    f"{name}: attn_mask of shape {mask.shape} should be {(el, s_len)} or "
                    f"{(n * h, el, s_len)}"
                )
        if key_padding_mask is not None:
            kpm: Any = _additive(key_padding_mask, dtype, False, name)
            want = (s_len,) if unbatched else (n, s_len)
            if kpm.shape != want:
                raise ValueError(f"{name}: key_padding_mask of shape {kpm.shape} should be {want}")
            kpm = kpm.reshape(n, 1, 1, s_len)
            mask = kpm if mask is None else mask + kpm
        if mask is not None and extra:  # the appended keys are never masked
            widths = [(0, 0)] * (mask.ndim - 1) + [(0, extra)]
            mask = np.pad(mask, widths)
        p = self.dropout if self.training else 0.0
        weights = None
        if need_weights:
            scores = (q @ k.swapaxes(-1, -2)) * (1.0 / np.sqrt(d))
            if mask is not None:
                scores = scores + mask
            attn = _softmax_rows(scores)
            drop = _dropout_mask(attn.shape, p, dtype)
            attn_d = attn if drop is None else attn * drop
            out = attn_d @ v
            weights = attn_d.mean(axis=1) if average_attn_weights else attn_d
            if unbatched:
                weights = weights.squeeze(0)
        else:
            sdpa_mask = None
            if mask is not None:
                sdpa_mask = mask  # float: added to the scores
            out = _sdpa(q, k, v, sdpa_mask, p)
        out = out.swapaxes(1, 2).reshape(n, el, e)
        out = self.out_proj(out)
        if unbatched:
            out = out.squeeze(0)
        elif not self.batch_first:
            out = out.swapaxes(0, 1)
        return out, weights
