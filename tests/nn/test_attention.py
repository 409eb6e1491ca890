"""scaled_dot_product_attention and MultiheadAttention: the formula, masks, causal
attention, gradients of first and second order, parameter names and init, errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def softmax(s):
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_sdpa_is_the_formula_with_masks():
    q, k, v = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 6))
    s = q @ k.transpose(0, 2, 1) / math.sqrt(4)
    out = F.scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v)).data
    np.testing.assert_allclose(out, softmax(s) @ v, rtol=1e-12)
    keep = rng.random((3, 5)) > 0.3
    keep[:, 0] = True
    out = F.scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v), attn_mask=keep).data
    np.testing.assert_allclose(out, softmax(np.where(keep, s, -np.inf)) @ v, rtol=1e-12)
    causal = F.scaled_dot_product_attention(Tensor(q), Tensor(k[:, :3]), Tensor(v[:, :3]),
                                            is_causal=True).data  # fmt: skip
    np.testing.assert_allclose(causal[:, 0], v[:, 0], rtol=1e-12)  # the first sees only itself


def test_sdpa_first_and_second_derivatives():
    q = Tensor(rng.normal(size=(2, 3, 2)), requires_grad=True)
    k = Tensor(rng.normal(size=(2, 4, 2)), requires_grad=True)
    v = Tensor(rng.normal(size=(2, 4, 3)), requires_grad=True)
    mask = rng.normal(size=(3, 4))

    def f(q, k, v):
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)

    assert gradcheck(f, [q, k, v]) and gradgradcheck(f, [q, k, v])


def test_sdpa_dropout_is_repeatable_and_scaled():
    q = Tensor(np.zeros((1, 50, 2)))
    v = Tensor(np.ones((1, 50, 1)))
    autograd.manual_seed(3)
    a = F.scaled_dot_product_attention(q, q, v, dropout_p=0.5).data
    autograd.manual_seed(3)
    b = F.scaled_dot_product_attention(q, q, v, dropout_p=0.5).data
    np.testing.assert_array_equal(a, b)
    assert 0.6 < a.mean() < 1.4  # kept weights are scaled by 1 / (1 - p)


def test_mha_parameters_init_and_shapes():
    autograd.manual_seed(0)
    m = nn.MultiheadAttention(8, 2)
    assert [n for n, _ in m.named_parameters()] == [
        "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias",
    ]  # fmt: skip
    assert m.in_proj_weight.shape == (24, 8)
    bound = math.sqrt(6 / (24 + 8))
    assert np.abs(m.in_proj_weight.data).max() <= bound
    np.testing.assert_array_equal(m.in_proj_bias.data, 0)
    np.testing.assert_array_equal(m.out_proj.bias.data, 0)
    x = Tensor(rng.normal(size=(5, 3, 8)).astype(np.float32))
    y, w = m(x, x, x)
    assert y.shape == (5, 3, 8) and w.shape == (3, 5, 5)
    np.testing.assert_allclose(w.data.sum(-1), 1, rtol=1e-5)
    y2, none = m(x, x, x, need_weights=False)
    assert none is None
    np.testing.assert_allclose(y2.data, y.data, rtol=1e-5, atol=1e-6)
    _, per_head = m(x, x, x, average_attn_weights=False)
    assert per_head.shape == (3, 2, 5, 5)


def test_mha_masks_hide_positions():
    m = nn.MultiheadAttention(4, 1, batch_first=True, dtype=np.float64)
    x = Tensor(rng.normal(size=(2, 3, 4)))
    pad = np.array([[False, False, True], [False, True, True]])
    _, w = m(x, x, x, key_padding_mask=pad)
    np.testing.assert_array_equal(w.data[pad[:, None, :].repeat(3, 1)], 0)
    causal = np.triu(np.ones((3, 3), bool), 1)
    _, w = m(x, x, x, attn_mask=causal)
    np.testing.assert_array_equal(w.data[:, causal], 0)


def test_mha_gradients():
    m = nn.MultiheadAttention(4, 2, dtype=np.float64)
    x = Tensor(rng.normal(size=(3, 1, 4)), requires_grad=True)
    assert gradcheck(lambda x, w: m(x, x, x, need_weights=False)[0], [x, m.in_proj_weight])
    assert gradcheck(lambda x: m(x, x, x)[1], [x])


def test_errors():
    m = nn.MultiheadAttention(8, 2)
    with pytest.raises(ValueError, match="divisible"):
        nn.MultiheadAttention(8, 3)
    x = Tensor(np.zeros((5, 3, 6), np.float32))
    with pytest.raises(ValueError, match=r"embed_dim=8.*\(5, 3, 6\)"):
        m(x, x, x)
    y = Tensor(np.zeros((5, 3, 8), np.float32))
    with pytest.raises(ValueError, match=r"attn_mask of shape \(4, 4\)"):
        m(y, y, y, attn_mask=np.zeros((4, 4), bool))
    with pytest.raises(ValueError, match="same last"):
        F.scaled_dot_product_attention(Tensor(np.zeros((2, 3))), Tensor(np.zeros((2, 4))),
                                       Tensor(np.zeros((2, 4))))  # fmt: skip


@settings(deadline=None, max_examples=25)
@given(
    seed=st.integers(0, 2**16),
    kdim=st.sampled_from([None, 3]),
    vdim=st.sampled_from([None, 5]),
    bias_kv=st.booleans(),
    zero_attn=st.booleans(),
    masked=st.booleans(),
)
def test_mha_kdim_vdim_bias_kv_zero_attn_gradients(seed, kdim, vdim, bias_kv, zero_attn, masked):
    """Keys and values of their own sizes (q/k/v_proj_weight), a learned key/value and a zero
    key/value appended to every sequence: central differences in every input and parameter."""
    autograd.manual_seed(seed)
    m = nn.MultiheadAttention(4, 2, kdim=kdim, vdim=vdim, add_bias_kv=bias_kv,
                              add_zero_attn=zero_attn, dtype=np.float64)  # fmt: skip
    r = np.random.default_rng(seed)
    q = Tensor(r.normal(size=(2, 1, 4)), requires_grad=True)
    k = Tensor(r.normal(size=(3, 1, kdim or 4)), requires_grad=True)
    v = Tensor(r.normal(size=(3, 1, vdim or 4)), requires_grad=True)
    mask = np.array([[False, True, False], [False, False, True]]) if masked else None
    params = [p for _, p in m.named_parameters()]

    def out(*xs):
        return m(xs[0], xs[1], xs[2], attn_mask=mask)[0]

    assert gradcheck(out, [q, k, v, *params])
    assert len(params) == 3 + (3 if kdim or vdim else 1) + 2 * bias_kv


def test_mha_appended_keys_widen_the_weights():
    m = nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True)
    assert m.bias_k.shape == m.bias_v.shape == (1, 1, 4)
    x = Tensor(np.ones((3, 2, 4), np.float32))
    _, w = m(x, x, x, key_padding_mask=np.array([[False, False, True]] * 2))
    assert w.shape == (2, 3, 5)  # three keys, the bias key and the zero key
    np.testing.assert_array_equal(w.data[..., 2], 0.0)  # the padded key, not the appended
