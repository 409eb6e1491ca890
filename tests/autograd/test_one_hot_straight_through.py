"""``OneHotCategoricalStraightThrough`` without torch: draws are exactly one-hot (the
straight-through term is zero in value), they follow the probabilities, and the gradient of
any function of a draw reaches the logits as the gradient of the same function of the
probabilities, in float64 (hypothesis drawing logits and weights)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import distributions as D


def t(a, requires_grad=False):
    return ag.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def test_draws_are_one_hot_and_follow_the_probabilities():
    ag.manual_seed(0)
    probs = np.array([0.1, 0.6, 0.3])
    d = D.OneHotCategoricalStraightThrough(probs=t(probs))
    x = d.rsample((20000,))
    assert x.shape == (20000, 3) and x.requires_grad is False  # probs does not require grad
    np.testing.assert_array_equal(x.numpy().sum(1), 1.0)
    assert set(np.unique(x.numpy())) == {0.0, 1.0}
    np.testing.assert_allclose(x.numpy().mean(0), probs, atol=0.015)
    assert d.has_rsample and not D.OneHotCategorical(probs=t(probs)).has_rsample
    e = d.expand((4,))
    assert type(e) is D.OneHotCategoricalStraightThrough and e.rsample().shape == (4, 3)


@settings(max_examples=30)
@given(
    logits=hnp.arrays(np.float64, (2, 4), elements=st.floats(-3, 3)),
    weights=hnp.arrays(np.float64, (2, 4), elements=st.floats(-2, 2)),
)
def test_gradient_is_the_gradient_through_the_probabilities(logits, weights):
    lg = t(logits, requires_grad=True)
    sample = D.OneHotCategoricalStraightThrough(logits=lg).rsample()
    assert set(np.unique(sample.detach().numpy())) <= {0.0, 1.0}
    (sample * t(weights)).sum().backward()
    ref = t(logits, requires_grad=True)
    (ref.softmax(-1) * t(weights)).sum().backward()
    np.testing.assert_allclose(lg.grad.numpy(), ref.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_log_prob_and_entropy_are_one_hot_categoricals():
    d = D.OneHotCategoricalStraightThrough(logits=t([0.2, -1.0, 0.5]))
    ref = D.OneHotCategorical(logits=t([0.2, -1.0, 0.5]))
    v = t([0.0, 0.0, 1.0])
    assert d.log_prob(v).item() == pytest.approx(ref.log_prob(v).item())
    assert d.entropy().item() == pytest.approx(ref.entropy().item())
