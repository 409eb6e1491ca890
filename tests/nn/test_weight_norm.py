"""nn.utils.weight_norm / spectral_norm and their removal: the reparametrised weight, its
gradients by finite differences, power iteration only in training, state_dict names."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd
import nn
from autograd import Tensor
from autograd.testing import gradcheck


@settings(max_examples=15, deadline=None)
@given(
    arrays(np.float64, (3, 4), elements=st.floats(-2, 2).filter(lambda v: abs(v) > 0.1)),
    st.sampled_from([0, 1, None]),
)
def test_weight_norm_is_g_times_the_direction_of_v(v, dim):
    m = nn.utils.weight_norm(nn.Linear(4, 3).double(), dim=dim)
    m.weight_v.data[...] = v
    x = Tensor(np.random.default_rng(0).normal(size=(2, 4)))
    y = m(x)
    axes = None if dim is None else 1 - dim
    norm = np.sqrt((v * v).sum(axis=axes, keepdims=dim is not None))
    np.testing.assert_allclose(m.weight.data, m.weight_g.data * v / norm, rtol=1e-12)
    np.testing.assert_allclose(y.data, x.data @ m.weight.data.T + m.bias.data, rtol=1e-12)

    m.double()
    assert gradcheck(lambda g, vv: m(x), [m.weight_g, m.weight_v])


def test_weight_norm_state_dict_and_removal():
    m = nn.utils.weight_norm(nn.Linear(4, 3))
    assert list(m.state_dict()) == ["bias", "weight_g", "weight_v"]
    assert m.weight_g.shape == (3, 1)
    with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks"):
        nn.utils.weight_norm(m)
    m(Tensor(np.ones((1, 4), np.float32))).sum().backward()
    assert m.weight_g.grad is not None and m.weight_v.grad is not None
    before = m.weight.data.copy()
    nn.utils.remove_weight_norm(m)
    assert list(m.state_dict()) == ["bias", "weight"]
    np.testing.assert_allclose(m.weight.data, before, rtol=1e-6)
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found"):
        nn.utils.remove_weight_norm(m)


def test_spectral_norm_divides_by_the_largest_singular_value():
    autograd.manual_seed(0)
    m = nn.utils.spectral_norm(nn.Linear(5, 4).double(), n_power_iterations=30)
    assert list(m.state_dict()) == ["bias", "weight_orig", "weight_u", "weight_v"]
    m(Tensor(np.ones((1, 5))))
    sigma = np.linalg.svd(m.weight_orig.data, compute_uv=False)[0]
    np.testing.assert_allclose(m.weight.data, m.weight_orig.data / sigma, rtol=1e-8)
    np.testing.assert_allclose(np.linalg.svd(m.weight.data, compute_uv=False)[0], 1.0, rtol=1e-8)


def test_spectral_norm_iterates_only_in_training_and_is_differentiable():
    autograd.manual_seed(1)
    m = nn.utils.spectral_norm(nn.Conv2d(2, 3, 2).double())
    x = Tensor(np.random.default_rng(2).normal(size=(1, 2, 3, 3)))
    m.eval()
    u = m.weight_u.data.copy()
    m(x)
    np.testing.assert_array_equal(m.weight_u.data, u)
    m.train()
    m(x)
    assert not np.array_equal(m.weight_u.data, u)
    m.eval()
    assert gradcheck(lambda w: m(x), [m.weight_orig])  # eval: u and v held fixed
    nn.utils.remove_spectral_norm(m)
    assert list(m.state_dict()) == ["bias", "weight"]


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_power_iterations to be positive"):
        nn.utils.spectral_norm(nn.Linear(2, 2), n_power_iterations=0)
    with pytest.raises(AttributeError, match="Linear has no parameter 'kernel'"):
        nn.utils.weight_norm(nn.Linear(2, 2), name="kernel")
