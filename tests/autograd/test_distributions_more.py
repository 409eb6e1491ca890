"""The distributions beyond Normal/Categorical/Bernoulli/Uniform, without torch: densities
integrate (or sum) to one, draws under a seed have the stated moments, Monte Carlo KL agrees
with the closed forms, and gradients of log_prob / entropy / rsample match central finite
differences in float64 (hypothesis drawing the parameters)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor
from autograd import distributions as D
from autograd.testing import gradcheck


def t(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def trapezoid(y, x):
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x) / 2))


CONTINUOUS = {  # name: (distribution, grid covering (almost) all its mass)
    "Exponential": (lambda: D.Exponential(t(1.7)), np.linspace(0, 40, 200001)),
    "Laplace": (lambda: D.Laplace(t(0.3), t(0.8)), np.linspace(-40, 40, 200001)),
    "Gumbel": (lambda: D.Gumbel(t(0.3), t(0.8)), np.linspace(-20, 60, 200001)),
    "LogNormal": (lambda: D.LogNormal(t(0.1), t(0.4)), np.linspace(1e-9, 30, 200001)),
    "Gamma": (lambda: D.Gamma(t(2.5), t(1.5)), np.linspace(0, 60, 200001)),
    "Beta": (lambda: D.Beta(t(2.5), t(1.5)), np.linspace(0, 1, 200001)),
}

DISCRETE = {  # name: (distribution, support to sum over)
    "Poisson": (lambda: D.Poisson(t(3.2)), np.arange(0, 100.0)),
    "Geometric": (lambda: D.Geometric(t(0.3)), np.arange(0, 400.0)),
    "Binomial": (lambda: D.Binomial(7, t(0.35)), np.arange(0, 8.0)),
}


@pytest.mark.parametrize("name", sorted(CONTINUOUS))
def test_densities_integrate_to_one_and_cdfs_are_their_integrals(name):
    make, x = CONTINUOUS[name]
    d = make()
    d._validate_args = False
    log_dens = d.log_prob(t(x)).data
    dens = np.exp(log_dens)
    assert trapezoid(dens, x) == pytest.approx(1.0, abs=1e-4)
    with np.errstate(invalid="ignore"):  # 0 * -inf at the ends of the support
        plogp = np.where(dens > 0, dens * log_dens, 0.0)
    assert float(d.entropy().data) == pytest.approx(-trapezoid(plogp, x), abs=1e-3)
    if name in ("Exponential", "Laplace", "LogNormal", "Gumbel"):
        q = float(d.icdf(t(0.3)).data)
        below = x <= q
        assert trapezoid(dens[below], x[below]) == pytest.approx(0.3, abs=1e-3)
        assert float(d.cdf(t(q)).data) == pytest.approx(0.3, rel=1e-10)


def test_cauchy_density_integrates_to_its_cdf():
    d = D.Cauchy(t(0.5), t(2.0))
    x = np.linspace(-20, 20, 400001)
    mass = trapezoid(np.exp(d.log_prob(t(x)).data), x)
    expected = float((d.cdf(t(20.0)) - d.cdf(t(-20.0))).data)
    assert mass == pytest.approx(expected, abs=1e-6)
    assert float(d.icdf(t(0.5)).data) == pytest.approx(0.5)


@pytest.mark.parametrize("name", sorted(DISCRETE))
def test_probabilities_sum_to_one(name):
    make, k = DISCRETE[name]
    d = make()
    log_p = d.log_prob(t(k)).data
    assert np.exp(log_p).sum() == pytest.approx(1.0, abs=1e-10)
    if name != "Poisson":  # as in PyTorch, Poisson has no entropy
        assert float(d.entropy().data) == pytest.approx(-(np.exp(log_p) * log_p).sum(), abs=1e-9)


def test_binomial_entropy_is_the_sum_over_its_support():
    d = D.Binomial(7, t([0.35, 0.8]))
    p = np.exp(d.log_prob(t(np.arange(8.0)[:, None])).data)
    np.testing.assert_allclose(d.entropy().data, -(p * np.log(p)).sum(0))


def test_dirichlet_density_integrates_to_one_over_the_triangle():
    d = D.Dirichlet(t([2.0, 3.0, 1.5]), validate_args=False)
    n = 600
    u = (np.arange(n) + 0.5) / n
    x1, x2 = np.meshgrid(u, u, indexing="ij")
    inside = x1 + x2 < 1
    pts = np.stack([x1[inside], x2[inside], 1 - x1[inside] - x2[inside]], -1)
    log_dens = d.log_prob(t(pts)).data
    assert np.exp(log_dens).sum() / n**2 == pytest.approx(1.0, abs=5e-3)
    entropy = -(np.exp(log_dens) * log_dens).sum() / n**2
    assert float(d.entropy().data) == pytest.approx(entropy, abs=1e-2)


def test_multivariate_normal_density_integrates_to_one():
    cov = np.array([[1.0, 0.6], [0.6, 2.0]])
    d = D.MultivariateNormal(t([0.2, -0.5]), covariance_matrix=t(cov))
    g = np.linspace(-10, 10, 801)
    x1, x2 = np.meshgrid(g, g, indexing="ij")
    log_dens = d.log_prob(t(np.stack([x1, x2], -1))).data
    cell = (g[1] - g[0]) ** 2
    assert np.exp(log_dens).sum() * cell == pytest.approx(1.0, abs=1e-6)
    entropy = -(np.exp(log_dens) * log_dens).sum() * cell
    assert float(d.entropy().data) == pytest.approx(entropy, abs=1e-6)


MOMENTS = {
    "Exponential": lambda: D.Exponential(t([0.5, 2.0])),
    "Laplace": lambda: D.Laplace(t([0.3, -1.0]), t([0.8, 2.0])),
    "LogNormal": lambda: D.LogNormal(t([0.1, -0.3]), t([0.4, 0.2])),
    "Poisson": lambda: D.Poisson(t([0.7, 6.0])),
    "Geometric": lambda: D.Geometric(t([0.3, 0.8])),
    "Binomial": lambda: D.Binomial(t([5.0, 12.0]), t([0.35, 0.8])),
    "OneHotCategorical": lambda: D.OneHotCategorical(t([0.2, 0.5, 0.3])),
    "Gamma": lambda: D.Gamma(t([0.6, 4.0]), t([1.5, 0.5])),
    "Beta": lambda: D.Beta(t([0.6, 4.0]), t([1.5, 0.5])),
    "Dirichlet": lambda: D.Dirichlet(t([0.6, 4.0, 2.0])),
    "MultivariateNormal": lambda: D.MultivariateNormal(
        t([1.0, -2.0]), scale_tril=t([[1.0, 0.0], [0.7, 0.5]])
    ),
    "Independent": lambda: D.Independent(D.Normal(t([1.0, -2.0]), t([0.5, 3.0])), 1),
}


@pytest.mark.parametrize("name", sorted(MOMENTS))
def test_draws_under_a_seed_are_repeatable_and_have_the_stated_moments(name):
    d = MOMENTS[name]()
    ag.manual_seed(0)
    s = d.sample((40000,))
    ag.manual_seed(0)
    np.testing.assert_array_equal(d.sample((40000,)).data, s.data)
    assert tuple(s.shape) == (40000, *d.batch_shape, *d.event_shape)
    assert np.all(d.support.check(s))
    np.testing.assert_allclose(s.data.mean(0), d.mean.data, rtol=0.05, atol=0.02)
    np.testing.assert_allclose(s.data.var(0), d.variance.data, rtol=0.1, atol=0.01)


def test_cauchy_draws_have_the_stated_quartiles():
    ag.manual_seed(0)
    s = D.Cauchy(t(1.0), t(2.0)).sample((40000,)).data
    np.testing.assert_allclose(np.quantile(s, [0.25, 0.5, 0.75]), [-1.0, 1.0, 3.0], atol=0.1)


def test_multivariate_normal_draws_have_the_covariance():
    lo = np.array([[1.0, 0.0], [0.7, 0.5]])
    ag.manual_seed(1)
    s = D.MultivariateNormal(t([0.0, 0.0]), scale_tril=t(lo)).sample((50000,)).data
    np.testing.assert_allclose(np.cov(s.T), lo @ lo.T, atol=0.03)


KL = {
    "MultivariateNormal": lambda a: D.MultivariateNormal(
        t([a, -a]), covariance_matrix=t([[1.0 + a, 0.3], [0.3, 1.0]])
    ),
    "Independent": lambda a: D.Independent(D.Normal(t([a, 0.0]), t([1.0, 1 + a])), 1),
    "Exponential": lambda a: D.Exponential(t(1.0 + a)),
    "Laplace": lambda a: D.Laplace(t(a), t(1.0 + a)),
    "Gumbel": lambda a: D.Gumbel(t(a), t(1.0 + a)),
    "Poisson": lambda a: D.Poisson(t(2.0 + a)),
    "Geometric": lambda a: D.Geometric(t(0.3 + a / 4)),
    "Gamma": lambda a: D.Gamma(t(2.0 + a), t(1.0 + a)),
    "Beta": lambda a: D.Beta(t(2.0 + a), t(3.0 - a)),
    "Dirichlet": lambda a: D.Dirichlet(t([2.0 + a, 3.0 - a, 1.5])),
    "OneHotCategorical": lambda a: D.OneHotCategorical(t([0.2 + a / 4, 0.5, 0.3])),
}


@pytest.mark.parametrize("name", sorted(KL))
def test_kl_divergence_is_the_monte_carlo_average_of_the_log_ratio(name):
    p, q = KL[name](0.2), KL[name](0.9)
    ag.manual_seed(2)
    x = p.sample((100000,))
    ratio = (p.log_prob(x) - q.log_prob(x)).data
    kl = float(D.kl_divergence(p, q).data)
    assert kl == pytest.approx(ratio.mean(), abs=4 * ratio.std() / math.sqrt(len(ratio)))
    assert float(D.kl_divergence(p, p).data) == pytest.approx(0.0, abs=1e-12)


def test_independent_sums_log_prob_and_entropy_over_the_reinterpreted_dims():
    base = D.Normal(t(np.zeros((4, 3, 2))), t(np.full((4, 3, 2), 2.0)))
    d = D.Independent(base, 2)
    assert d.batch_shape == (4,) and d.event_shape == (3, 2)
    x = t(np.arange(24.0).reshape(4, 3, 2) / 10)
    np.testing.assert_allclose(d.log_prob(x).data, base.log_prob(x).data.sum((1, 2)))
    np.testing.assert_allclose(d.entropy().data, base.entropy().data.sum((1, 2)))
    assert d.expand((5, 4)).batch_shape == (5, 4)
    with pytest.raises(ValueError, match="reinterpreted_batch_ndims <= len"):
        D.Independent(base, 4)


def test_diagonal_multivariate_normal_is_an_independent_normal():
    loc, scale = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.3, 2.0])
    mvn = D.MultivariateNormal(t(loc), covariance_matrix=t(np.diag(scale**2)))
    ind = D.Independent(D.Normal(t(loc), t(scale)), 1)
    x = t(np.random.default_rng(0).normal(size=(5, 3)))
    np.testing.assert_allclose(mvn.log_prob(x).data, ind.log_prob(x).data)
    np.testing.assert_allclose(mvn.entropy().data, ind.entropy().data)
    np.testing.assert_allclose(mvn.precision_matrix.data, np.diag(scale**-2))


@pytest.mark.parametrize("make", [D.Gamma, D.Beta])
def test_gamma_family_rsample_raises_naming_itself(make):
    d = make(t([1.0]), t([2.0]))
    with pytest.raises(NotImplementedError, match=f"{make.__name__}.rsample"):
        d.rsample()
    assert not d.has_rsample
    with pytest.raises(NotImplementedError, match="Dirichlet.rsample"):
        D.Dirichlet(t([1.0, 2.0])).rsample()


pos = hnp.arrays(np.float64, 3, elements=st.floats(0.5, 3.0))
real = hnp.arrays(np.float64, 3, elements=st.floats(-2.0, 2.0))
unit = hnp.arrays(np.float64, 3, elements=st.floats(0.15, 0.85))

# name: (strategies for the parameters, distribution from them, a value in the support)
GRAD = {
    "Exponential": ([pos], lambda r: D.Exponential(r), [0.3, 1.0, 2.5]),
    "Laplace": ([real, pos], lambda m, s: D.Laplace(m, s), [0.3, -1.0, 2.5]),
    "LogNormal": ([real, pos], lambda m, s: D.LogNormal(m, s), [0.3, 1.0, 2.5]),
    "Cauchy": ([real, pos], lambda m, s: D.Cauchy(m, s), [0.3, -1.0, 2.5]),
    "Gumbel": ([real, pos], lambda m, s: D.Gumbel(m, s), [0.3, -1.0, 2.5]),
    "Poisson": ([pos], lambda r: D.Poisson(r), [0.0, 1.0, 4.0]),
    "Geometric": ([unit], lambda p: D.Geometric(p), [0.0, 1.0, 4.0]),
    "Geometric-logits": ([real], lambda lg: D.Geometric(logits=lg), [0.0, 1.0, 4.0]),
    "Binomial": ([unit], lambda p: D.Binomial(6, p), [0.0, 2.0, 6.0]),
    "Binomial-logits": ([real], lambda lg: D.Binomial(6, logits=lg), [0.0, 2.0, 6.0]),
    "OneHotCategorical": ([real], lambda lg: D.OneHotCategorical(logits=lg), [0.0, 1.0, 0.0]),
    "Gamma": ([pos, pos], lambda a, b: D.Gamma(a, b), [0.3, 1.0, 2.5]),
    "Beta": ([pos, pos], lambda a, b: D.Beta(a, b), [0.3, 0.5, 0.9]),
    "Dirichlet": ([pos], lambda a: D.Dirichlet(a), [0.2, 0.5, 0.3]),
    "MultivariateNormal": (
        [real, unit],
        lambda m, w: D.MultivariateNormal(m, scale_tril=_tril(w)),
        [0.3, -1.0, 2.5],
    ),
    "Independent": ([real, pos], lambda m, s: D.Independent(D.Normal(m, s), 1), [0.3, 1.0, 2.5]),
}


def _tril(w):
    """A lower-triangular 3x3 with positive diagonal built from 3 numbers by tensor ops."""
    eye = t(np.eye(3))
    off = t(np.tril(np.ones((3, 3)), -1))
    return eye * (1 + w).unsqueeze(-1) + off * w.sum() * 0.5


@pytest.mark.parametrize("name", sorted(GRAD))
def test_log_prob_and_entropy_gradients_match_finite_differences(name):
    strategies, make, value = GRAD[name]

    @settings(max_examples=10, deadline=None)
    @given(st.tuples(*strategies))
    def check(arrays):
        inputs = [t(a, requires_grad=True) for a in arrays]
        assert gradcheck(lambda *p: make(*p).log_prob(t(value)), inputs)
        if name != "Poisson":
            assert gradcheck(lambda *p: make(*p).entropy(), inputs)
        if name not in ("Cauchy", "OneHotCategorical"):
            assert gradcheck(lambda *p: make(*p).mean + make(*p).variance, inputs)

    check()


@pytest.mark.parametrize(
    "name",
    [
        "Exponential",
        "Laplace",
        "LogNormal",
        "Cauchy",
        "Gumbel",
        "MultivariateNormal",
        "Independent",
    ],
)
def test_rsample_gradients_match_finite_differences(name):
    strategies, make, _ = GRAD[name]

    @settings(max_examples=10, deadline=None)
    @given(st.tuples(*strategies))
    def check(arrays):
        def draw(*p):
            ag.manual_seed(5)  # the same noise at every evaluation
            return make(*p).rsample((2,))

        inputs = [t(a, requires_grad=True) for a in arrays]
        assert draw(*inputs).requires_grad
        assert gradcheck(draw, inputs)

    check()


@pytest.mark.parametrize("name", sorted(KL))
def test_kl_gradients_match_finite_differences(name):
    assert gradcheck(
        lambda a: D.kl_divergence(KL[name](0.2), _with_param(name, a)),
        [t(0.9, requires_grad=True)],
    )


def _with_param(name, a):
    """KL[name] with its parameter a Tensor (the closures above add it to numbers)."""
    return {
        "MultivariateNormal": lambda: D.MultivariateNormal(
            ag.stack([a, -a]),
            covariance_matrix=t([[1.0, 0.3], [0.3, 1.0]]) + ag.stack([a, a * 0]).diag(),
        ),
        "Independent": lambda: D.Independent(D.Normal(ag.stack([a, a * 0]), 1 + a * t([0, 1])), 1),
        "Exponential": lambda: D.Exponential(1.0 + a),
        "Laplace": lambda: D.Laplace(a, 1.0 + a),
        "Gumbel": lambda: D.Gumbel(a, 1.0 + a),
        "Poisson": lambda: D.Poisson(2.0 + a),
        "Geometric": lambda: D.Geometric(0.3 + a / 4),
        "Gamma": lambda: D.Gamma(2.0 + a, 1.0 + a),
        "Beta": lambda: D.Beta(2.0 + a, 3.0 - a),
        "Dirichlet": lambda: D.Dirichlet(ag.stack([2.0 + a, 3.0 - a, a * 0 + 1.5])),
        "OneHotCategorical": lambda: D.OneHotCategorical(
            ag.stack([0.2 + a / 4, a * 0 + 0.5, a * 0 + 0.3])
        ),
    }[name]()


SCALARS = [
    lambda: D.Exponential(1.5),
    lambda: D.Laplace(0.0, 2.0),
    lambda: D.LogNormal(0.0, 0.5),
    lambda: D.Cauchy(0.0, 1.0),
    lambda: D.Poisson(2.0),
    lambda: D.Geometric(0.4),
    lambda: D.Binomial(4, probs=0.3),
    lambda: D.Gamma(2.0, 3.0),
    lambda: D.Beta(2.0, 3.0),
]


@pytest.mark.parametrize("make", SCALARS)
def test_distributions_of_numbers_have_an_empty_batch_shape(make):
    d = make()
    assert d.batch_shape == () and d.event_shape == ()
    for shape in [(), (2,), (2, 3)]:
        s = d.sample(shape)
        assert tuple(s.shape) == shape and np.all(d.support.check(s))


LAZY = {  # name: (make from a parameter, the lazily computed attribute)
    "Categorical-logits": (lambda p: D.Categorical(logits=p), "probs"),
    "Categorical-probs": (lambda p: D.Categorical(probs=p.softmax(-1)), "logits"),
    "OneHotCategorical": (lambda p: D.OneHotCategorical(logits=p), "probs"),
    "OneHotCategoricalStraightThrough": (
        lambda p: D.OneHotCategoricalStraightThrough(logits=p),
        "probs",
    ),
    "Bernoulli-logits": (lambda p: D.Bernoulli(logits=p), "probs"),
    "Bernoulli-probs": (lambda p: D.Bernoulli(probs=p.sigmoid()), "logits"),
    "Geometric": (lambda p: D.Geometric(logits=p), "probs"),
    "Binomial": (lambda p: D.Binomial(3, logits=p), "probs"),
}


@pytest.mark.parametrize("name", sorted(LAZY))
def test_lazy_parameters_first_read_under_no_grad_keep_their_gradient(name):
    """A draw under no_grad reads probs (or logits) first; the stored value must still lead
    back to the parameter, as torch computes lazy properties with grad mode on."""
    make, attr = LAZY[name]

    @settings(max_examples=10, deadline=None)
    @given(hnp.arrays(np.float64, 3, elements=st.floats(-2.0, 2.0)))
    def check(p):
        def lazily(param):
            d = make(param)
            with ag.no_grad():
                d.sample()
            return getattr(d, attr)

        assert gradcheck(lazily, [t(p, requires_grad=True)])

    check()
