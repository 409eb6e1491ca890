"""``MixtureSameFamily`` without torch: log_prob is the log of the weighted component
densities (numpy), it integrates to one, mean and variance follow the laws of total
expectation and variance and agree with draws under a seed, cdf mixes the components' cdfs,
shapes and errors; gradients of log_prob, mean and variance against central finite
differences in float64 (hypothesis drawing the parameters)."""

import math

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


def normal_pdf(x, m, s):
    return np.exp(-0.5 * ((x - m) / s) ** 2) / (s * math.sqrt(2 * math.pi))


def gmm_1d(w, m, s):
    return D.MixtureSameFamily(D.Categorical(probs=t(w)), D.Normal(t(m), t(s)))


def test_log_prob_mixes_the_component_densities_and_integrates_to_one():
    w, m, s = np.array([0.2, 0.5, 0.3]), np.array([-2.0, 0.0, 3.0]), np.array([0.5, 1.0, 0.7])
    d = gmm_1d(w, m, s)
    x = np.linspace(-12, 12, 200001)
    want = (w * normal_pdf(x[:, None], m, s)).sum(1)
    np.testing.assert_allclose(np.exp(d.log_prob(t(x)).numpy()), want, rtol=1e-10, atol=1e-300)
    dens = want
    assert float(np.sum((dens[1:] + dens[:-1]) * np.diff(x) / 2)) == pytest.approx(1.0, abs=1e-6)
    mean = (w * m).sum()
    assert d.mean.item() == pytest.approx(mean)
    assert d.variance.item() == pytest.approx((w * (s**2 + m**2)).sum() - mean**2)
    cdf = d.cdf(t([0.0])).item()
    phi = 0.5 * (1 + np.vectorize(math.erf)((0.0 - m) / (s * math.sqrt(2))))
    assert cdf == pytest.approx((w * phi).sum())


def test_draws_have_the_stated_moments_and_shapes():
    ag.manual_seed(0)
    d = gmm_1d([0.2, 0.5, 0.3], [-2.0, 0.0, 3.0], [0.5, 1.0, 0.7])
    x = d.sample((200000,)).numpy()
    assert x.shape == (200000,)
    assert x.mean() == pytest.approx(d.mean.item(), abs=0.02)
    assert x.var() == pytest.approx(d.variance.item(), rel=0.02)
    mvn = D.MixtureSameFamily(
        D.Categorical(logits=t(np.zeros((4, 3)))),
        D.Independent(D.Normal(t(np.zeros((4, 3, 2))), t(np.ones((4, 3, 2)))), 1),
    )
    assert mvn.batch_shape == (4,) and mvn.event_shape == (2,)
    assert mvn.sample((5,)).shape == (5, 4, 2) and mvn.log_prob(t(np.zeros((5, 4, 2)))).shape == (
        5,
        4,
    )
    assert mvn.expand((3, 4)).sample().shape == (3, 4, 2)
    assert not mvn.has_rsample and not mvn.sample().requires_grad


def test_mismatched_mixtures_are_refused():
    comp = D.Normal(t(np.zeros((2, 3))), t(np.ones((2, 3))))
    with pytest.raises(ValueError, match="needs to be an  instance of"):
        D.MixtureSameFamily(D.Normal(t(0.0), t(1.0)), comp)
    with pytest.raises(ValueError, match="need to be an instance of"):
        D.MixtureSameFamily(D.Categorical(logits=t(np.zeros(3))), "normal")
    with pytest.raises(
        ValueError, match=r"does not equal `component_distribution.batch_shape\[-1\]`"
    ):
        D.MixtureSameFamily(D.Categorical(logits=t(np.zeros(4))), comp)
    with pytest.raises(ValueError, match="is not compatible with"):
        D.MixtureSameFamily(D.Categorical(logits=t(np.zeros((5, 3)))), comp)


params = st.tuples(
    hnp.arrays(np.float64, (3,), elements=st.floats(-2, 2)),
    hnp.arrays(np.float64, (3, 2), elements=st.floats(-2, 2)),
    hnp.arrays(np.float64, (3, 2), elements=st.floats(0.5, 2)),
)


@settings(max_examples=20)
@given(p=params)
def test_gradients_match_finite_differences(p):
    x = t([[0.3, -0.4], [1.5, 0.2]])

    def fn(logits, loc, scale):
        d = D.MixtureSameFamily(
            D.Categorical(logits=logits), D.Independent(D.Normal(loc, scale), 1)
        )
        return ag.cat([d.log_prob(x), d.mean, d.variance])

    assert gradcheck(fn, [t(a, requires_grad=True) for a in p])
