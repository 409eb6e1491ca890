"""nn.Transformer and its layers against torch.nn's: same weights (moved by state_dict),
same outputs and gradients, in eval mode (dropout off), with masks of every kind."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402


def _pair(make: Any) -> tuple[Any, Any]:
    torch.manual_seed(0)
    theirs = make(torch.nn).double().eval()
    ours = make(nn)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    ours.double().eval()
    assert repr(ours) == repr(theirs)
    return ours, theirs


def _same(ours_out: Any, theirs_out: Any, ours_in: list, theirs_in: list) -> None:
    np.testing.assert_allclose(ours_out.data, theirs_out.detach().numpy(), rtol=1e-9, atol=1e-10)
    w = np.random.default_rng(5).normal(size=ours_out.shape)
    (ours_out * autograd.tensor(w)).sum().backward()
    (theirs_out * torch.tensor(w)).sum().backward()
    for a, b in zip(ours_in, theirs_in):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-8, atol=1e-10)


def _inputs(*shapes: tuple) -> tuple[list, list]:
    rng = np.random.default_rng(3)
    arrays = [rng.normal(size=s) for s in shapes]
    return (
        [autograd.tensor(a, requires_grad=True) for a in arrays],
        [torch.tensor(a, requires_grad=True) for a in arrays],
    )


ENCODER_CASES = {
    "post_ln": {},
    "pre_ln": {"norm_first": True},
    "batch_first_gelu": {"batch_first": True, "activation": "gelu"},
    "no_bias": {"bias": False},
}


@pytest.mark.parametrize("kw", list(ENCODER_CASES.values()), ids=list(ENCODER_CASES))
def test_encoder_layer_with_causal_and_padding_masks(kw):
    ours, theirs = _pair(lambda m: m.TransformerEncoderLayer(8, 2, 12, dropout=0.1, **kw))
    shape = (2, 5, 8) if kw.get("batch_first") else (5, 2, 8)
    (x,), (tx,) = _inputs(shape)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5, dtype=torch.float64)
    pad = np.array([[False] * 5, [False, False, False, True, True]])
    out = ours(x, src_mask=autograd.tensor(mask.numpy()), src_key_padding_mask=autograd.tensor(pad))
    ref = theirs(tx, src_mask=mask, src_key_padding_mask=torch.tensor(pad))
    _same(out, ref, [x], [tx])


def test_encoder_stack_with_final_norm():
    def make(m: Any) -> Any:
        return m.TransformerEncoder(
            m.TransformerEncoderLayer(8, 2, 12), num_layers=2, norm=m.LayerNorm(8),
            enable_nested_tensor=False,
        )  # fmt: skip

    ours, theirs = _pair(make)
    (x,), (tx,) = _inputs((4, 3, 8))
    _same(ours(x), theirs(tx), [x], [tx])


@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_layer_with_memory_masks(norm_first):
    ours, theirs = _pair(lambda m: m.TransformerDecoderLayer(8, 2, 12, norm_first=norm_first))
    (t, mem), (tt, tmem) = _inputs((4, 2, 8), (6, 2, 8))
    tgt_mask = torch.nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64)
    mem_pad = np.array([[False] * 6, [False] * 4 + [True] * 2])
    out = ours(
        t, mem, tgt_mask=autograd.tensor(tgt_mask.numpy()),
        memory_key_padding_mask=autograd.tensor(mem_pad),
    )  # fmt: skip
    ref = theirs(tt, tmem, tgt_mask=tgt_mask, memory_key_padding_mask=torch.tensor(mem_pad))
    _same(out, ref, [t, mem], [tt, tmem])


def test_full_transformer():
    ours, theirs = _pair(lambda m: m.Transformer(8, 2, 2, 2, 12, batch_first=True))
    (src, tgt), (tsrc, ttgt) = _inputs((2, 5, 8), (2, 3, 8))
    mask = torch.nn.Transformer.generate_square_subsequent_mask(3, dtype=torch.float64)
    ours_mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=np.float64)
    np.testing.assert_array_equal(ours_mask.data, mask.numpy())
    _same(
        ours(src, tgt, tgt_mask=ours_mask),
        theirs(tsrc, ttgt, tgt_mask=mask),
        [src, tgt],
        [tsrc, ttgt],
    )


def test_default_transformer_layout_matches_torch():
    ours, theirs = nn.Transformer(), torch.nn.Transformer()
    ours_names = [(n, tuple(p.shape)) for n, p in ours.named_parameters()]
    theirs_names = [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert ours_names == theirs_names
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("final_norm", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_inference_with_padding_as_torchs_nested_tensor_path(batch_first, final_norm):
    def make(m: Any) -> Any:
        norm = m.LayerNorm(8) if final_norm else None
        return m.TransformerEncoder(
            m.TransformerEncoderLayer(8, 2, 12, batch_first=batch_first), 2, norm
        )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns when its nested path is off
        ours, theirs = _pair(make)
    assert ours.use_nested_tensor == theirs.use_nested_tensor
    (x,), (tx,) = _inputs((2, 5, 8) if batch_first else (5, 2, 8))
    pad = np.array([[False] * 5, [False, False, True, True, True]])
    with torch.no_grad():
        ref = theirs(tx, src_key_padding_mask=torch.tensor(pad))
    with autograd.no_grad():
        out = ours(x, src_key_padding_mask=autograd.tensor(pad))
    np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("kind", ["encoder", "decoder"])
def test_is_causal_without_a_mask_raises_as_torch(kind):
    def make(m: Any) -> Any:
        if kind == "encoder":
            return m.TransformerEncoderLayer(8, 2, 12)
        return m.TransformerDecoderLayer(8, 2, 12)

    ours, theirs = _pair(make)
    (x, mem), (tx, tmem) = _inputs((4, 2, 8), (3, 2, 8))
    ours_args, theirs_args = ((x,), (tx,)) if kind == "encoder" else ((x, mem), (tx, tmem))
    key = "is_causal" if kind == "encoder" else "tgt_is_causal"
    with pytest.raises(RuntimeError, match="attn_mask"):
        theirs(*theirs_args, **{key: True})
    with pytest.raises(RuntimeError, match="attn_mask"):
        ours(*ours_args, **{key: True})


def test_unknown_activation_name_raises_as_torch():
    for m in (torch.nn, nn):
        with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
            m.TransformerEncoderLayer(8, 2, activation="tanh")
