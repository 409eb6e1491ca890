"""``RelaxedBernoulli`` and ``RelaxedOneHotCategorical`` without torch: densities integrate to
one, draws lie in (0, 1) / on the simplex and concentrate on the vertices as the temperature
falls, with the probabilities as frequencies; gradients of log_prob (in the logits and the
temperature) and of rsample (at a fixed seed) against central finite differences in float64
(hypothesis drawing the parameters)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import distributions as D
from autograd.testing import gradcheck


def t(a, requires_grad=False):
    return ag.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.5])
def test_relaxed_bernoulli_densities_integrate_to_one(temperature):
    d = D.RelaxedBernoulli(t(temperature), probs=t(0.3))
    x = np.linspace(-200, 200, 400001)  # the logit's density, smooth for every temperature
    dens = np.exp(d.base_dist.log_prob(t(x)).numpy())
    assert float(np.sum((dens[1:] + dens[:-1]) * np.diff(x) / 2)) == pytest.approx(1.0, abs=1e-6)
    if temperature >= 1:  # on (0, 1) the density is bounded only from temperature 1 up
        y = np.linspace(1e-9, 1 - 1e-9, 400001)
        dens = np.exp(d.log_prob(t(y)).numpy())
        assert float(np.sum((dens[1:] + dens[:-1]) * np.diff(y) / 2)) == pytest.approx(
            1.0, abs=1e-4
        )


def test_low_temperature_draws_approach_bernoulli_and_one_hot_draws():
    ag.manual_seed(0)
    b = D.RelaxedBernoulli(t(0.05), probs=t([0.2, 0.7])).rsample((20000,)).numpy()
    assert b.shape == (20000, 2) and np.all((b > 0) & (b < 1))
    np.testing.assert_allclose((b > 0.5).mean(0), [0.2, 0.7], atol=0.015)
    assert np.mean(np.minimum(b, 1 - b) < 1e-3) > 0.8
    probs = np.array([0.1, 0.6, 0.3])
    c = D.RelaxedOneHotCategorical(t(0.05), probs=t(probs)).rsample((20000,)).numpy()
    np.testing.assert_allclose(c.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.bincount(c.argmax(-1), minlength=3) / 20000, probs, atol=0.015)
    assert np.mean(c.max(-1) > 0.999) > 0.75


def test_shapes_and_expand():
    d = D.RelaxedOneHotCategorical(t(0.5), logits=t(np.zeros((2, 4))))
    assert d.batch_shape == (2,) and d.event_shape == (4,) and d.rsample((3,)).shape == (3, 2, 4)
    e = d.expand((5, 2))
    assert type(e) is D.RelaxedOneHotCategorical and e.sample().shape == (5, 2, 4)
    b = D.RelaxedBernoulli(t(0.5), logits=t(np.zeros(3)))
    assert b.expand((2, 3)).rsample().shape == (2, 3) and b.temperature.item() == 0.5
    with pytest.raises(ValueError, match="Either `probs` or `logits`"):
        D.RelaxedBernoulli(t(0.5))


logits3 = hnp.arrays(np.float64, 3, elements=st.floats(-2, 2))


@settings(max_examples=20)
@given(logits=logits3, temperature=st.floats(0.3, 2.0))
def test_log_prob_gradients_match_finite_differences(logits, temperature):
    simplex_point = t([0.2, 0.5, 0.3])
    unit_point = t([0.1, 0.5, 0.85])

    def log_probs(lg, temp):
        a = D.RelaxedOneHotCategorical(temp, logits=lg).log_prob(simplex_point)
        b = D.RelaxedBernoulli(temp, logits=lg).log_prob(unit_point)
        return ag.cat([a.reshape(1), b])

    assert gradcheck(log_probs, [t(logits, requires_grad=True), t(temperature, requires_grad=True)])


@settings(max_examples=20)
@given(logits=logits3, temperature=st.floats(0.3, 2.0))
def test_rsample_gradients_match_finite_differences(logits, temperature):
    def draws(lg, temp):
        ag.manual_seed(3)  # the same noise at every evaluation
        a = D.RelaxedOneHotCategorical(temp, logits=lg).rsample((2,))
        b = D.RelaxedBernoulli(temp, logits=lg).rsample((2,))
        return ag.cat([a.reshape(-1), b.reshape(-1)])

    assert gradcheck(draws, [t(logits, requires_grad=True), t(temperature, requires_grad=True)])
