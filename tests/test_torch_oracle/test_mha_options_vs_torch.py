"""MultiheadAttention's kdim/vdim (separate q/k/v_proj_weight), add_bias_kv and add_zero_attn
against torch: the state_dict keys, outputs, attention weights and every gradient, with boolean
and float masks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
from autograd import Tensor  # noqa: E402

OPTIONS = list(itertools.product((None, 3), (None, 5), (False, True), (False, True)))


@pytest.mark.parametrize("kdim, vdim, bias_kv, zero_attn", OPTIONS, ids=str)
@pytest.mark.parametrize("mask", ["none", "bool", "float"])
def test_mha_options_match_torch(kdim, vdim, bias_kv, zero_attn, mask):
    kw = dict(kdim=kdim, vdim=vdim, add_bias_kv=bias_kv, add_zero_attn=zero_attn)
    theirs = torch.nn.MultiheadAttention(4, 2, **kw).double()
    ours = nn.MultiheadAttention(4, 2, **kw).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(5)
    arrays = [rng.normal(size=(3, 2, 4)), rng.normal(size=(4, 2, kdim or 4)),
              rng.normal(size=(4, 2, vdim or 4))]  # fmt: skip
    kpm = np.array([[False, True, False, False], [False, False, False, True]])
    am = {"none": None, "bool": rng.random((3, 4)) < 0.3, "float": rng.normal(size=(3, 4))}[mask]
    o_in = [Tensor(a, requires_grad=True) for a in arrays]
    t_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, w = ours(*o_in, key_padding_mask=kpm, attn_mask=am)
    t_am = None if am is None else torch.tensor(am)
    tout, tw = theirs(*t_in, key_padding_mask=torch.tensor(kpm), attn_mask=t_am)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-10, atol=1e-12)
    g, gw = rng.normal(size=out.shape), rng.normal(size=w.shape)
    ((out * Tensor(g)).sum() + (w * Tensor(gw)).sum()).backward()
    ((tout * torch.tensor(g)).sum() + (tw * torch.tensor(gw)).sum()).backward()
    for o, t in zip(o_in, t_in):
        np.testing.assert_allclose(o.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-12)
    tp = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.data, tp[name].grad.numpy(), rtol=1e-9, atol=1e-12,
                                   err_msg=name)  # fmt: skip
