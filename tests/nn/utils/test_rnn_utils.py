"""nn.utils.rnn: pad_sequence by hand, pack/pad round trips with gradients, and recurrent
layers on PackedSequences: each sequence's outputs and final states equal running the layer
on that sequence alone, zero outputs past its end."""

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from autograd.testing import gradcheck
from nn.utils.rnn import (
    PackedSequence,
    invert_permutation,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    pad_sequence,
    unpack_sequence,
    unpad_sequence,
)


def test_pad_sequence_by_hand():
    a, b = Tensor(np.array([1.0, 2.0, 3.0])), Tensor(np.array([4.0]))
    np.testing.assert_array_equal(pad_sequence([a, b]).data, [[1, 4], [2, 0], [3, 0]])
    np.testing.assert_array_equal(
        pad_sequence([a, b], batch_first=True, padding_value=-1).data, [[1, 2, 3], [4, -1, -1]]
    )
    np.testing.assert_array_equal(
        pad_sequence([a, b], batch_first=True, padding_side="left").data, [[1, 2, 3], [0, 0, 4]]
    )
    x = Tensor(np.ones((2, 5)), requires_grad=True)
    out = pad_sequence([x, Tensor(np.zeros((4, 5)))])
    assert out.shape == (4, 2, 5)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.ones((2, 5)))
    with pytest.raises(ValueError, match="padding_side"):
        pad_sequence([a], padding_side="middle")
    with pytest.raises(ValueError, match="all dimensions but the first"):
        pad_sequence([Tensor(np.ones((2, 3))), Tensor(np.ones((2, 4)))])


def test_pack_pad_round_trip_unsorted():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 3))  # batch first: lengths 2, 4
    lengths = [2, 4]
    p = pack_padded_sequence(Tensor(x), lengths, batch_first=True, enforce_sorted=False)
    assert isinstance(p, PackedSequence)
    assert p.batch_sizes.tolist() == [2, 2, 1, 1] and p.sorted_indices.tolist() == [1, 0]
    assert p.unsorted_indices.tolist() == [1, 0] and p.data.shape == (6, 3)
    np.testing.assert_array_equal(p.data.data[:2], [x[1, 0], x[0, 0]])
    out, lens = pad_packed_sequence(p, batch_first=True, total_length=5)
    assert lens.tolist() == lengths and out.shape == (2, 5, 3)
    np.testing.assert_array_equal(out.data[0, :2], x[0, :2])
    np.testing.assert_array_equal(out.data[0, 2:], 0)
    np.testing.assert_array_equal(out.data[1, :4], x[1])
    seqs = unpack_sequence(pack_sequence([Tensor(x[0, :2]), Tensor(x[1])], enforce_sorted=False))
    np.testing.assert_array_equal(seqs[0].data, x[0, :2])
    np.testing.assert_array_equal(seqs[1].data, x[1])
    cut = unpad_sequence(Tensor(x), Tensor(np.array(lengths)), batch_first=True)
    assert [c.shape for c in cut] == [(2, 3), (4, 3)]
    assert invert_permutation(Tensor(np.array([2, 0, 1]))).tolist() == [1, 2, 0]


def test_pack_errors():
    x = Tensor(np.zeros((3, 2, 1)))
    with pytest.raises(RuntimeError, match="sorted in decreasing order"):
        pack_padded_sequence(x, [1, 3])
    with pytest.raises(RuntimeError, match="greater than 0"):
        pack_padded_sequence(x, [3, 0])
    with pytest.raises(ValueError, match="total_length"):
        pad_packed_sequence(pack_padded_sequence(x, [3, 1]), total_length=2)


def test_round_trip_gradient():
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal((3, 2, 2)), requires_grad=True)

    def f(x):
        return pad_packed_sequence(pack_padded_sequence(x, [2, 3], enforce_sorted=False))[0]

    assert gradcheck(f, [x])
    f(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data[:, 1], 1)
    np.testing.assert_array_equal(x.grad.data[:, 0], [[1, 1], [1, 1], [0, 0]])


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_packed_layer_equals_each_sequence_alone(cls, bidirectional):
    autograd.manual_seed(0)
    layer = getattr(nn, cls)(3, 4, num_layers=2, bidirectional=bidirectional, batch_first=True)
    layer = layer.double()
    rng = np.random.default_rng(0)
    lengths = [2, 5, 3]
    x = rng.standard_normal((3, 5, 3))
    packed = pack_padded_sequence(Tensor(x), lengths, batch_first=True, enforce_sorted=False)
    out, state = layer(packed)
    assert isinstance(out, PackedSequence)
    padded, lens = pad_packed_sequence(out, batch_first=True)
    assert lens.tolist() == lengths
    for b, n in enumerate(lengths):
        alone_out, alone_state = layer(Tensor(x[b : b + 1, :n]))
        np.testing.assert_allclose(padded.data[b, :n], alone_out.data[0], atol=1e-12)
        np.testing.assert_array_equal(padded.data[b, n:], 0)
        pairs = zip(state, alone_state) if cls == "LSTM" else [(state, alone_state)]
        for s, a in pairs:
            np.testing.assert_allclose(s.data[:, b], a.data[:, 0], atol=1e-12)


def test_packed_gru_gradcheck_with_initial_state():
    autograd.manual_seed(1)
    gru = nn.GRU(2, 3, dtype=np.float64)
    rng = np.random.default_rng(2)
    x = Tensor(rng.standard_normal((3, 2, 2)), requires_grad=True)
    h0 = Tensor(rng.standard_normal((1, 2, 3)), requires_grad=True)

    def f(x, h0):
        out, h = gru(pack_padded_sequence(x, [1, 3], enforce_sorted=False), h0)
        return autograd.cat([out.data, h.reshape(2, 3)], 0)

    assert gradcheck(f, [x, h0])


def test_float_lengths_count_as_integers():
    x = Tensor(np.arange(12.0).reshape(3, 2, 2))
    mask = Tensor(np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 0.0]]))
    packed = pack_padded_sequence(x, mask.sum(1))  # a float tensor of lengths
    assert packed.batch_sizes.data.tolist() == [2, 2, 1]
