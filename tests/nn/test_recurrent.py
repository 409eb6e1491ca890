"""RNN, LSTM, GRU: the fused sequence op against the same cells composed from Tensor ops,
gradients of first and second order, PyTorch's parameter names, shapes, initialisation,
result shapes (batch_first, unbatched, bidirectional, states) and errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from nn.functional.recurrent import RecurrentLayer, compose

rng = np.random.default_rng(0)


@pytest.mark.parametrize("mode", ["RNN_TANH", "RNN_RELU", "LSTM", "GRU"])
@pytest.mark.parametrize("bias", [True, False])
def test_fused_layer_matches_composed_cells(mode, bias):
    gates = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}[mode]
    T, B, I, H = 4, 3, 2, 5
    arrays = [
        rng.normal(size=(T, B, I)),
        rng.normal(size=(B, H)),
        rng.normal(size=(B, H)) if mode == "LSTM" else None,
        rng.normal(size=(gates * H, I)),
        rng.normal(size=(gates * H, H)),
        rng.normal(size=(gates * H,)) if bias else None,
        rng.normal(size=(gates * H,)) if bias else None,
    ]
    fused = [None if a is None else Tensor(a, requires_grad=True) for a in arrays]
    comp = [None if a is None else Tensor(a, requires_grad=True) for a in arrays]
    y = RecurrentLayer.apply(*fused, mode)
    z = compose(mode, *comp)
    np.testing.assert_allclose(y.data, z.data, rtol=1e-12, atol=1e-12)
    g = rng.normal(size=y.shape)
    y.backward(g)
    z.backward(g)
    for a, b in zip(fused, comp):
        if a is not None:
            np.testing.assert_allclose(np.asarray(a.grad), np.asarray(b.grad), atol=1e-11)


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_first_and_second_derivatives(cls):
    # two layers: the second layer's gradient reaches the first as a node under create_graph
    m = cls(2, 2, num_layers=2, dtype=np.float64)
    x = Tensor(rng.normal(size=(3, 1, 2)), requires_grad=True)
    params = [m.weight_hh_l0, m.bias_ih_l0, m.weight_ih_l1]

    def f(x, *ws):
        return m(x)[0]

    assert gradcheck(f, [x, *params])
    assert gradgradcheck(f, [x, *params])
    b = nn.LSTM(1, 2, bidirectional=True, dtype=np.float64)
    xb = Tensor(rng.normal(size=(2, 1, 1)), requires_grad=True)
    assert gradgradcheck(lambda x: b(x)[0], [xb])


def test_parameter_names_shapes_and_init_as_pytorch():
    autograd.manual_seed(0)
    lstm = nn.LSTM(3, 8, num_layers=2, bidirectional=True)
    names = [n for n, _ in lstm.named_parameters()]
    assert names[:8] == [
        "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
        "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse",
        "bias_hh_l0_reverse",
    ]  # fmt: skip
    assert lstm.weight_ih_l0.shape == (32, 3) and lstm.weight_ih_l1.shape == (32, 16)
    assert nn.GRU(3, 8).weight_hh_l0.shape == (24, 8)
    assert nn.RNN(3, 8, bias=False).state_dict().keys() == {"weight_ih_l0", "weight_hh_l0"}
    bound = 1 / math.sqrt(8)
    for p in lstm.parameters():
        assert np.abs(p.data).max() <= bound and p.dtype == np.float32
    assert repr(nn.GRU(3, 4, batch_first=True)) == "GRU(3, 4, batch_first=True)"


def test_result_shapes_and_states():
    lstm = nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)
    x = Tensor(rng.normal(size=(5, 7, 3)).astype(np.float32))
    out, (h, c) = lstm(x)
    assert out.shape == (5, 7, 8) and h.shape == (4, 5, 4) and c.shape == (4, 5, 4)
    # the last forward step's output is the forward direction's final state
    np.testing.assert_allclose(out.data[:, -1, :4], h.data[2], rtol=1e-6)
    np.testing.assert_allclose(out.data[:, 0, 4:], h.data[3], rtol=1e-6)
    gru = nn.GRU(3, 4)
    y, hn = gru(Tensor(rng.normal(size=(6, 3)).astype(np.float32)))  # unbatched
    assert y.shape == (6, 4) and hn.shape == (1, 4)
    # continuing from a state equals running the whole sequence
    seq = Tensor(rng.normal(size=(6, 2, 3)).astype(np.float32))
    full, _ = gru(seq)
    first, h1 = gru(seq[:3])
    rest, _ = gru(seq[3:], h1)
    np.testing.assert_allclose(rest.data, full.data[3:], rtol=1e-5, atol=1e-6)


def test_errors_name_the_layer_and_shapes():
    lstm = nn.LSTM(16, 64)
    with pytest.raises(RuntimeError, match=r"LSTM\(input_size=16\).*16.*\(32, 4, 8\)"):
        lstm(Tensor(np.zeros((32, 4, 8), np.float32)))
    with pytest.raises(RuntimeError, match=r"LSTM.*h_0 of shape \(1, 4, 64\).*\(1, 3, 64\)"):
        z = Tensor(np.zeros((1, 3, 64), np.float32))
        lstm(Tensor(np.zeros((5, 4, 16), np.float32)), (z, z))
    with pytest.raises(ValueError, match=r"GRU.*3-d.*\(5,\)"):
        nn.GRU(5, 2)(Tensor(np.zeros(5, np.float32)))
    with pytest.raises(ValueError, match="nonlinearity"):
        nn.RNN(2, 2, nonlinearity="sigmoid")


def test_flatten_parameters_and_all_weights_as_torchs_rnn_base():
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    assert lstm.flatten_parameters() is None  # scripts call it in forward; nothing to do here
    layers = lstm.all_weights
    assert len(layers) == 4 and all(len(ws) == 4 for ws in layers)
    assert layers[1][0] is lstm.weight_ih_l0_reverse and layers[2][1] is lstm.weight_hh_l1
    assert tuple(layers[2][0].shape) == (16, 8)  # layer 1 reads both directions
    assert lstm._flat_weights == [getattr(lstm, n) for n in lstm._flat_weights_names]
    assert [len(ws) for ws in nn.GRU(3, 4, bias=False).all_weights] == [2]


@given(
    st.integers(0, 2**31 - 1),
    st.booleans(),
    st.lists(st.integers(1, 4), min_size=2, max_size=2).map(lambda v: sorted(v)[::-1]),
)
@settings(max_examples=10, deadline=None)
def test_lstm_with_projections_gradients(seed, bidirectional, lengths):
    """proj_size: h_t = W_hr (o_t * tanh(c_t)); gradients of the outputs and final states
    (padded and packed) against central differences."""
    gen = np.random.default_rng(seed)
    m = nn.LSTM(2, 3, num_layers=2, proj_size=2, bidirectional=bidirectional, dtype=np.float64)
    d = 2 if bidirectional else 1
    assert tuple(m.weight_hr_l1.shape) == (2, 3) and tuple(m.weight_ih_l1.shape) == (12, 2 * d)
    x = Tensor(gen.normal(size=(4, 2, 2)), requires_grad=True)
    h0 = Tensor(gen.normal(size=(2 * d, 2, 2)), requires_grad=True)
    c0 = Tensor(gen.normal(size=(2 * d, 2, 3)), requires_grad=True)

    def padded(x, h0, c0, w_hr):
        out, (h, c) = m(x, (h0, c0))
        assert tuple(out.shape) == (4, 2, 2 * d) and tuple(c.shape) == (2 * d, 2, 3)
        return autograd.cat([out.reshape(-1), h.reshape(-1), c.reshape(-1)])

    def packed(x, h0, c0, w_hr):
        seq = nn.utils.rnn.pack_padded_sequence(x, lengths)
        out, (h, c) = m(seq, (h0, c0))
        return autograd.cat([out.data.reshape(-1), h.reshape(-1), c.reshape(-1)])

    assert gradcheck(padded, [x, h0, c0, m.weight_hr_l0])
    assert gradcheck(packed, [x, h0, c0, m.weight_hr_l0])


def test_projections_only_for_an_lstm_smaller_than_hidden():
    assert repr(nn.LSTM(3, 5, proj_size=2)) == "LSTM(3, 5, proj_size=2)"
    with pytest.raises(ValueError, match="smaller than hidden_size"):
        nn.LSTM(3, 4, proj_size=4)
    with pytest.raises(ValueError, match="positive integer or zero"):
        nn.LSTM(3, 4, proj_size=-1)
