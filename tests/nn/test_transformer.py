"""nn.Transformer and its layers: shapes, causal masking, parameter layout, gradients."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from autograd.testing import gradcheck


def _x(*shape: int, seed: int = 0) -> Tensor:
    return Tensor(np.random.default_rng(seed).normal(size=shape))


def test_encoder_layer_keeps_the_shape_and_torchs_submodules():
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16)
    names = [n for n, _ in layer.named_children()]
    assert names == [
        "self_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "dropout1", "dropout2"
    ]  # fmt: skip
    assert layer.eval()(Tensor(np.zeros((5, 3, 8), np.float32))).shape == (5, 3, 8)
    gelu = nn.TransformerEncoderLayer(8, 2, 16, activation=nn.GELU())
    assert [n for n, _ in gelu.named_children()][-1] == "activation"
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(8, 2, activation="tanh")


def test_causal_mask_hides_later_positions():
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True, dtype=np.float64)
    mask = nn.Transformer.generate_square_subsequent_mask(4, dtype=np.float64)
    assert mask.data[0, 1] == -np.inf and mask.data[1, 0] == 0 and mask.data[2, 2] == 0
    x = _x(2, 4, 8)
    changed = Tensor(x.data.copy())
    changed.data[:, 3] += 5.0  # only the last position differs
    a = layer(x, src_mask=mask, is_causal=True).data
    b = layer(changed, src_mask=mask, is_causal=True).data
    np.testing.assert_allclose(a[:, :3], b[:, :3], atol=1e-12)
    assert not np.allclose(a[:, 3], b[:, 3])


def test_stacks_are_independent_copies():
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), num_layers=3)
    assert len(enc.layers) == 3
    assert enc.layers[0].linear1.weight is not enc.layers[1].linear1.weight
    names = [n for n, _ in enc.named_parameters()]
    assert "layers.2.self_attn.in_proj_weight" in names and "layers.0.norm2.bias" in names


@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_gradients_match_finite_differences(norm_first):
    autograd.manual_seed(0)
    model = nn.Transformer(
        d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=6,
        dropout=0.0, norm_first=norm_first, dtype=np.float64,
    )  # fmt: skip
    src = Tensor(np.random.default_rng(1).normal(size=(3, 1, 4)), requires_grad=True)
    tgt = Tensor(np.random.default_rng(2).normal(size=(2, 1, 4)), requires_grad=True)
    mask = nn.Transformer.generate_square_subsequent_mask(2, dtype=np.float64)
    assert model(src, tgt, tgt_mask=mask).shape == (2, 1, 4)
    assert gradcheck(lambda s, t: model(s, t, tgt_mask=mask), [src, tgt])


def test_transformer_checks_its_inputs():
    model = nn.Transformer(d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1)
    with pytest.raises(RuntimeError, match="batch sizes"):
        model(Tensor(np.zeros((3, 2, 4), np.float32)), Tensor(np.zeros((3, 1, 4), np.float32)))
    with pytest.raises(RuntimeError, match="d_model"):
        model(Tensor(np.zeros((3, 2, 5), np.float32)), Tensor(np.zeros((3, 2, 5), np.float32)))


def test_dtype_reaches_every_parameter():
    model = nn.Transformer(8, 2, 1, 1, 16, dtype=np.float64)
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}


def test_is_causal_without_a_mask_is_refused():
    layer = nn.TransformerEncoderLayer(8, 2, 16)
    with pytest.raises(RuntimeError, match="needs attn_mask"):
        layer(_x(4, 2, 8).float(), is_causal=True)
    decoder = nn.TransformerDecoderLayer(8, 2, 16)
    with pytest.raises(RuntimeError, match="needs attn_mask"):
        decoder(_x(4, 2, 8).float(), _x(3, 2, 8).float(), tgt_is_causal=True)


def _padded_encoder(**kw: object) -> nn.TransformerEncoder:
    layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, dtype=np.float64)
    return nn.TransformerEncoder(layer, 2, **kw).eval()  # type: ignore[arg-type]


def test_encoder_inference_zeroes_padded_positions_as_the_nested_tensor_path():
    x = _x(2, 5, 8)
    pad = Tensor(np.array([[False] * 5, [False] * 3 + [True] * 2]))
    encoder = _padded_encoder()
    assert encoder.use_nested_tensor and encoder.mask_check
    with_grad = encoder(x, src_key_padding_mask=pad).data
    with autograd.no_grad():
        inference = encoder(x, src_key_padding_mask=pad).data
    assert np.abs(with_grad[1, 3:]).min() > 0
    np.testing.assert_array_equal(inference[1, 3:], 0.0)
    np.testing.assert_allclose(inference[1, :3], with_grad[1, :3], atol=1e-12)
    np.testing.assert_allclose(inference[0], with_grad[0], atol=1e-12)
    # padding in front of a real position: the plain path
    with autograd.no_grad():
        front = encoder(x, src_key_padding_mask=Tensor(pad.data[:, ::-1].copy())).data
    assert np.abs(front[1, :2]).min() > 0
    # no nested path without enable_nested_tensor, nor with an odd head count
    off = _padded_encoder(enable_nested_tensor=False)
    assert not off.use_nested_tensor
    odd = nn.TransformerEncoder(nn.TransformerEncoderLayer(9, 3, 16, batch_first=True), 1)
    assert not odd.use_nested_tensor
