"""Linear: shapes, y = x W^T + b against numpy, gradients, PyTorch's initialisation."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors


def test_parameter_shapes_names_and_dtype():
    lin = nn.Linear(3, 5)
    assert lin.weight.shape == (5, 3) and lin.bias.shape == (5,)
    assert lin.weight.dtype == np.float32 and lin.bias.dtype == np.float32
    assert [n for n, _ in lin.named_parameters()] == ["weight", "bias"]
    assert nn.Linear(3, 5, dtype=np.float64).weight.dtype == np.float64
    no_bias = nn.Linear(3, 5, bias=False)
    assert no_bias.bias is None and [n for n, _ in no_bias.named_parameters()] == ["weight"]
    assert repr(lin) == "Linear(in_features=3, out_features=5, bias=True)"


@given(
    batch=st.lists(st.integers(1, 3), min_size=0, max_size=2),
    fan=st.tuples(st.integers(1, 4), st.integers(1, 4)),
)
def test_output_matches_numpy(batch, fan):
    n_in, n_out = fan
    lin = nn.Linear(n_in, n_out, dtype=np.float64)
    x = np.random.default_rng(0).normal(size=(*batch, n_in))
    y = lin(Tensor(x))
    assert y.shape == (*batch, n_out)
    # atol: an output that cancels to near 0 keeps only rounding noise, which differs
    # between matrix-product kernels (ours is one 2-d product over all rows)
    np.testing.assert_allclose(
        y.data, x @ lin.weight.data.T + lin.bias.data, rtol=1e-12, atol=1e-13
    )


def test_float32_stays_float32_through_forward_and_backward():
    lin = nn.Linear(4, 2)
    x = Tensor(np.ones((3, 4), np.float32), requires_grad=True)
    y = lin(x)
    assert y.dtype == np.float32
    y.sum().backward()
    assert lin.weight.grad.dtype == np.float32 and x.grad.dtype == np.float32


def test_gradients_are_the_matrix_formulas():
    lin = nn.Linear(3, 2, dtype=np.float64)
    x = Tensor(np.random.default_rng(1).normal(size=(4, 3)), requires_grad=True)
    g = np.random.default_rng(2).normal(size=(4, 2))
    lin(x).backward(g)
    np.testing.assert_allclose(lin.weight.grad, g.T @ x.data)
    np.testing.assert_allclose(lin.bias.grad, g.sum(axis=0))
    np.testing.assert_allclose(x.grad, g @ lin.weight.data)


@given(tensors(shape=(2, 3), min_value=-3, max_value=3))
def test_gradients_match_finite_differences(x):
    autograd.manual_seed(0)
    lin = nn.Linear(3, 2, dtype=np.float64)
    assert gradcheck(lambda x, w, b: lin(x).tanh(), [x, lin.weight, lin.bias])
    assert gradgradcheck(lambda x, w, b: lin(x).tanh(), [x, lin.weight, lin.bias])


@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("x_shape", [(3,), (2, 3), (2, 4, 3)])
def test_functional_linear_values_and_derivatives(x_shape, with_bias):
    # F.linear is one fused op with its own backward, also for leading batch dims and no bias
    rng = np.random.default_rng(1)
    x = Tensor(rng.normal(size=x_shape), requires_grad=True)
    w = Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    b = Tensor(rng.normal(size=2), requires_grad=True) if with_bias else None
    expected = x.data @ w.data.T + (b.data if with_bias else 0.0)
    np.testing.assert_allclose(F.linear(x, w, b).data, expected, rtol=1e-12)
    inputs = [x, w, b] if with_bias else [x, w]
    assert gradcheck(lambda x, w, *b: F.linear(x, w, *b).tanh(), inputs)
    assert gradgradcheck(lambda x, w, *b: F.linear(x, w, *b).tanh(), inputs)


def test_default_init_bounds_are_one_over_sqrt_fan_in():
    autograd.manual_seed(0)
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for p in (lin.weight, lin.bias):
        assert np.all(np.abs(p.data) <= bound)
        assert np.max(np.abs(p.data)) > 0.95 * bound
    # U(-b, b) has standard deviation b / sqrt(3)
    assert abs(lin.weight.data.std() - bound / math.sqrt(3)) < 0.01 * bound


def test_init_is_repeatable_with_manual_seed():
    autograd.manual_seed(7)
    a = nn.Linear(3, 3)
    autograd.manual_seed(7)
    b = nn.Linear(3, 3)
    assert np.array_equal(a.weight.data, b.weight.data)
    assert np.array_equal(a.bias.data, b.bias.data)


def test_wrong_input_width_names_in_features_and_shape():
    lin = nn.Linear(3, 2)
    with pytest.raises(ValueError, match=r"in_features=3.*shape \(4, 5\)"):
        lin(Tensor(np.ones((4, 5), np.float32)))
    with pytest.raises(ValueError, match=r"shape \(\)"):
        lin(Tensor(1.0))


def test_accepts_arrays_and_lists():
    lin = nn.Linear(2, 1, dtype=np.float64)
    y = lin([[1.0, 2.0]])
    np.testing.assert_allclose(y.data, np.array([[1.0, 2.0]]) @ lin.weight.data.T + lin.bias.data)


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_bad_sizes_are_refused(bad):
    with pytest.raises(ValueError, match="in_features"):
        nn.Linear(bad, 2)


def test_zero_in_features_gives_bias_only():
    lin = nn.Linear(0, 2)
    assert np.all(lin.bias.data == 0)
    assert lin(Tensor(np.ones((3, 0), np.float32))).shape == (3, 2)


@pytest.mark.parametrize("lead", [(3,), (2, 3), (0,), (2, 0)])
@pytest.mark.parametrize("sizes", [(0, 2), (2, 0), (0, 0)])
def test_size_zero_features_and_rows_backpropagate(lead, sizes):
    """A size-0 axis anywhere: the forward shape and zero gradients (-1 reshapes failed)."""
    lin = nn.Linear(*sizes).double()
    x = Tensor(np.ones((*lead, sizes[0])), requires_grad=True)
    y = lin(x)
    assert y.shape == (*lead, sizes[1])
    y.sum().backward()
    assert x.grad.shape == x.shape and lin.weight.grad.shape == lin.weight.shape
    np.testing.assert_array_equal(lin.bias.grad.data, np.full(sizes[1], math.prod(lead)))


def test_bilinear_refuses_zero_in1_features():
    with pytest.raises(ValueError, match="in1_features must be > 0"):
        nn.Bilinear(0, 2, 3)
    assert nn.Bilinear(2, 0, 3).weight.shape == (3, 2, 0)


def test_an_optimizer_fits_a_linear_map_through_the_parameters():
    optim = pytest.importorskip("optim")
    autograd.manual_seed(0)
    lin = nn.Linear(2, 1)
    opt = optim.SGD(lin.parameters(), lr=0.1)
    x = autograd.randn(64, 2)
    y = x.data @ np.array([[1.0], [-2.0]], np.float32) + 0.5
    for _ in range(300):
        opt.zero_grad()
        loss = ((lin(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(lin.weight.data, [[1.0, -2.0]], atol=1e-4)
    np.testing.assert_allclose(lin.bias.data, [0.5], atol=1e-4)
    assert lin.weight.dtype == np.float32
