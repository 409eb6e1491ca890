"""RReLU / F.rrelu, F.gumbel_softmax and Softmax2d."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

_inputs = arrays(np.float64, (3, 4), elements=st.floats(-3, 3).filter(lambda v: abs(v) > 1e-3))


@settings(max_examples=20, deadline=None)
@given(_inputs)
def test_rrelu_in_evaluation_is_leaky_relu_with_the_mean_slope(x):
    t = Tensor(x, requires_grad=True)
    np.testing.assert_allclose(F.rrelu(t).data, np.where(x > 0, x, x * (1 / 8 + 1 / 3) / 2))
    assert gradcheck(lambda a: F.rrelu(a, 0.2, 0.4), [t])
    assert gradgradcheck(lambda a: F.rrelu(a, 0.2, 0.4), [t])


@settings(max_examples=20, deadline=None)
@given(_inputs)
def test_rrelu_in_training_draws_a_slope_per_negative_entry(x):
    t = Tensor(x, requires_grad=True)
    y = F.rrelu(t, 0.1, 0.3, training=True)
    y.sum().backward()
    slope = y.data / x
    neg = x < 0
    assert np.all(slope[~neg] == 1.0)
    assert np.all((slope[neg] >= 0.1) & (slope[neg] <= 0.3))
    np.testing.assert_allclose(t.grad.data, slope)  # the gradient is the drawn slope


def test_rrelu_module_follows_train_and_eval_mode():
    m = nn.RReLU(0.1, 0.3)
    x = Tensor(-np.ones(1000))
    assert len(np.unique(m(x).data)) > 100  # training: random slopes
    m.eval()
    np.testing.assert_allclose(m(x).data, -0.2)
    assert repr(nn.RReLU(0.1, 0.3, inplace=True)) == "RReLU(lower=0.1, upper=0.3, inplace=True)"
    with pytest.raises(ValueError, match="lower bound"):
        F.rrelu(x, 0.5, 0.1)


def test_gumbel_softmax_samples_follow_the_categorical_distribution():
    autograd.manual_seed(0)
    logits = np.log(np.array([0.5, 0.3, 0.2]))
    draws = F.gumbel_softmax(Tensor(np.tile(logits, (20000, 1))), tau=0.1, hard=True)
    np.testing.assert_array_equal(draws.data.sum(-1), 1.0)
    np.testing.assert_allclose(draws.data.mean(0), [0.5, 0.3, 0.2], atol=0.015)


def test_hard_gumbel_softmax_is_one_hot_with_the_soft_samples_gradient():
    x = np.random.default_rng(1).normal(size=(4, 5))
    w = np.random.default_rng(2).normal(size=(4, 5))
    grads = []
    for hard in (False, True):
        autograd.manual_seed(3)
        t = Tensor(x, requires_grad=True)
        y = F.gumbel_softmax(t, tau=0.7, hard=hard, dim=1)
        if hard:
            assert set(np.unique(y.data)) == {0.0, 1.0}
        else:
            np.testing.assert_allclose(y.data.sum(1), 1.0)
        (y * Tensor(w)).sum().backward()
        grads.append(t.grad.data)
    np.testing.assert_allclose(grads[0], grads[1])


def test_softmax2d_normalises_over_channels():
    x = Tensor(np.random.default_rng(4).normal(size=(2, 3, 4, 5)))
    y = nn.Softmax2d()(x)
    np.testing.assert_allclose(y.data.sum(1), 1.0)
    np.testing.assert_allclose(nn.Softmax2d()(x[0]).data, y.data[0])
    with pytest.raises(ValueError, match="expected input to be 3D or 4D, got 2D"):
        nn.Softmax2d()(x[0, 0])
