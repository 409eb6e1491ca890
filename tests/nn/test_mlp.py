"""nn.mlp: the micrograd-style scalar MLP as a Module of Values."""

import math

import pytest

import autograd
from autograd import Value
from nn.mlp import MLP, Layer, Neuron


def test_parameters_are_values_counted_like_micrograd():
    autograd.manual_seed(0)
    m = MLP(2, [16, 16, 1])
    params = list(m.parameters())
    assert len(params) == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)  # 337, as micrograd
    assert all(isinstance(p, Value) for p in params)
    names = [n for n, _ in m.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert len(set(names)) == len(names)


def test_neuron_computes_activation_of_weighted_sum():
    n = Neuron(3, activation="tanh")
    x = [0.5, -1.0, 2.0]
    expected = math.tanh(sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data)
    assert n(x).data == pytest.approx(expected, rel=1e-12)
    assert all(-1 <= w.data <= 1 for w in n.w) and n.b.data == 0.0
    lin = Neuron(3, nonlin=False)
    assert lin(x).data == pytest.approx(sum(w.data * xi for w, xi in zip(lin.w, x)))


def test_last_layer_is_linear_and_single_output_is_a_value():
    m = MLP(2, [3, 1])
    assert [layer.neurons[0].activation for layer in m.layers] == ["relu", None]
    assert isinstance(m([1.0, 2.0]), Value)
    assert len(Layer(2, 3)([1.0, 2.0])) == 3


def test_gradients_reach_every_weight_and_training_lowers_the_loss():
    autograd.manual_seed(1)
    m = MLP(2, [8, 1], activation="tanh")
    X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    Y = [1.0, 1.0, -1.0, -1.0]

    def loss():
        return sum(((m(x) - y) ** 2 for x, y in zip(X, Y)), Value(0.0))

    first = loss().data
    for _ in range(50):
        m.zero_grad()
        L = loss()
        L.backward()
        for p in m.parameters():
            p.data -= 0.05 * p.grad
    assert loss().data < 0.5 * first


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="unknown activation 'cube'"):
        Neuron(2, activation="cube")
    with pytest.raises(ValueError, match="2 inputs got 3"):
        Neuron(2)([1.0, 2.0, 3.0])
