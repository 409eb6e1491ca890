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
    with pytest.raises(ValueError, match="'relu' or 'gelu'"):
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
