"""The distributions beyond Normal/Categorical/Bernoulli/Uniform against torch.distributions,
given the same float64 parameters: log_prob, entropy, mean, variance, mode, cdf/icdf, KL
values and their gradients with respect to the parameters; shapes of draws, expand, errors."""

import numpy as np
import pytest

import autograd as ag
from autograd import distributions as D

torch = pytest.importorskip("torch")
TD = torch.distributions

RNG = np.random.default_rng(0)


def spd(rng, k, batch=()):
    a = rng.normal(size=(*batch, k, k))
    return a @ np.swapaxes(a, -1, -2) + k * np.eye(k)


def pos(rng, *shape):
    return rng.uniform(0.5, 2.5, size=shape)


def prob(rng, *shape):
    return rng.uniform(0.1, 0.9, size=shape)


def simplex(rng, *shape):
    p = rng.uniform(0.2, 1.0, size=shape)
    return p / p.sum(-1, keepdims=True)


def one_hot(rng, k, *shape):
    return np.eye(k)[rng.integers(0, k, size=shape)]


# name: (make(lib_distributions, params) -> distribution, params(rng), value(rng), features)
CASES = {
    "Independent-Normal": (
        lambda d, p: d.Independent(d.Normal(p["loc"], p["scale"]), 1),
        lambda r: {"loc": r.normal(size=(3, 2)), "scale": pos(r, 3, 2)},
        lambda r: r.normal(size=(4, 3, 2)),
        {"rsample"},
    ),
    "MVN-covariance": (
        lambda d, p: d.MultivariateNormal(p["loc"], covariance_matrix=p["cov"]),
        lambda r: {"loc": r.normal(size=(2, 3)), "cov": spd(r, 3)},
        lambda r: r.normal(size=(4, 2, 3)),
        {"rsample"},
    ),
    "MVN-precision": (
        lambda d, p: d.MultivariateNormal(p["loc"], precision_matrix=p["prec"]),
        lambda r: {"loc": r.normal(size=3), "prec": spd(r, 3, (2,))},
        lambda r: r.normal(size=(4, 2, 3)),
        {"rsample"},
    ),
    "MVN-scale_tril": (
        lambda d, p: d.MultivariateNormal(p["loc"], scale_tril=p["tril"]),
        lambda r: {"loc": r.normal(size=(2, 3)), "tril": np.linalg.cholesky(spd(r, 3, (2,)))},
        lambda r: r.normal(size=(4, 2, 3)),
        {"rsample"},
    ),
    "Exponential": (
        lambda d, p: d.Exponential(p["rate"]),
        lambda r: {"rate": pos(r, 3)},
        lambda r: pos(r, 4, 3),
        {"cdf", "rsample"},
    ),
    "Laplace": (
        lambda d, p: d.Laplace(p["loc"], p["scale"]),
        lambda r: {"loc": r.normal(size=3), "scale": pos(r, 3)},
        lambda r: r.normal(size=(4, 3)),
        {"cdf", "rsample"},
    ),
    "LogNormal": (
        lambda d, p: d.LogNormal(p["loc"], p["scale"]),
        lambda r: {"loc": r.normal(size=3) * 0.3, "scale": pos(r, 3) * 0.3},
        lambda r: pos(r, 4, 3),
        {"cdf", "rsample"},
    ),
    "Gumbel": (
        lambda d, p: d.Gumbel(p["loc"], p["scale"]),
        lambda r: {"loc": r.normal(size=3) * 0.3, "scale": pos(r, 3)},
        # not so far below loc that the cdf underflows to 0 (outside the base's support)
        lambda r: r.uniform(-1, 4, size=(4, 3)),
        {"cdf", "rsample"},
    ),
    "Cauchy": (
        lambda d, p: d.Cauchy(p["loc"], p["scale"]),
        lambda r: {"loc": r.normal(size=3), "scale": pos(r, 3)},
        lambda r: r.normal(size=(4, 3)),
        {"cdf", "rsample", "no_moments"},
    ),
    "Poisson": (
        lambda d, p: d.Poisson(p["rate"]),
        lambda r: {"rate": pos(r, 3) * 2},
        lambda r: r.integers(0, 6, size=(4, 3)).astype(np.float64),
        {"no_entropy"},
    ),
    "Geometric-probs": (
        lambda d, p: d.Geometric(probs=p["probs"]),
        lambda r: {"probs": prob(r, 3)},
        lambda r: r.integers(0, 6, size=(4, 3)).astype(np.float64),
        set(),
    ),
    "Geometric-logits": (
        lambda d, p: d.Geometric(logits=p["logits"]),
        lambda r: {"logits": r.normal(size=3)},
        lambda r: r.integers(0, 6, size=(4, 3)).astype(np.float64),
        set(),
    ),
    "Binomial-probs": (
        lambda d, p: d.Binomial(5, probs=p["probs"]),
        lambda r: {"probs": prob(r, 3)},
        lambda r: r.integers(0, 6, size=(4, 3)).astype(np.float64),
        set(),
    ),
    "Binomial-logits": (
        lambda d, p: d.Binomial(p["n"], logits=p["logits"]),
        lambda r: {"n": np.full(3, 4.0), "logits": r.normal(size=3)},
        lambda r: r.integers(0, 5, size=(4, 3)).astype(np.float64),
        {"integer:n"},
    ),
    "OneHotCategorical-probs": (
        lambda d, p: d.OneHotCategorical(probs=p["probs"]),
        lambda r: {"probs": simplex(r, 2, 4)},
        lambda r: one_hot(r, 4, 5, 2),
        set(),
    ),
    "OneHotCategorical-logits": (
        lambda d, p: d.OneHotCategorical(logits=p["logits"]),
        lambda r: {"logits": r.normal(size=(2, 4))},
        lambda r: one_hot(r, 4, 5, 2),
        set(),
    ),
    "Gamma": (
        lambda d, p: d.Gamma(p["a"], p["b"]),
        lambda r: {"a": pos(r, 3), "b": pos(r, 3)},
        lambda r: pos(r, 4, 3),
        set(),
    ),
    "Beta": (
        lambda d, p: d.Beta(p["a"], p["b"]),
        lambda r: {"a": pos(r, 3), "b": pos(r, 3)},
        lambda r: prob(r, 4, 3),
        set(),
    ),
    "Dirichlet": (
        lambda d, p: d.Dirichlet(p["a"]),
        lambda r: {"a": pos(r, 2, 3)},
        lambda r: simplex(r, 4, 2, 3),
        set(),
    ),
}


def build(name, seed=0):
    """(ours, theirs, our params, their params, value as ours, value as torch)."""
    make, params, value, feats = CASES[name]
    rng = np.random.default_rng(seed)
    p = params(rng)
    x = value(rng)
    grad = {k: not k.startswith("n") for k in p}
    ours_p = {k: ag.Tensor(v.copy(), requires_grad=grad[k]) for k, v in p.items()}
    theirs_p = {k: torch.tensor(v, requires_grad=grad[k]) for k, v in p.items()}
    return (
        make(D, ours_p),
        make(TD, theirs_p),
        ours_p,
        theirs_p,
        ag.Tensor(x.copy()),
        torch.tensor(x),
        feats,
    )


def close(ours, theirs, rtol=1e-9, atol=1e-10):
    ref = theirs.detach().numpy()
    assert tuple(ours.shape) == ref.shape, (tuple(ours.shape), ref.shape)
    np.testing.assert_allclose(ours.data, ref, rtol=rtol, atol=atol)


def grads_match(ours_out, theirs_out, ours_p, theirs_p):
    ours_out.backward()
    theirs_out.backward()
    for k, v in ours_p.items():
        if theirs_p[k].grad is None:
            continue
        np.testing.assert_allclose(v.grad.data, theirs_p[k].grad.numpy(), rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_shapes_match_torch(name):
    ours, theirs, _, _, x, tx, feats = build(name)
    assert ours.batch_shape == tuple(theirs.batch_shape)
    assert ours.event_shape == tuple(theirs.event_shape)
    assert repr(ours.support) == repr(theirs.support).replace("torch.", "autograd.")
    assert set(ours.arg_constraints) == set(theirs.arg_constraints)
    close(ours.log_prob(x), theirs.log_prob(tx))
    if "no_entropy" not in feats:
        close(ours.entropy(), theirs.entropy())
    if "no_moments" not in feats:
        close(ours.mean, theirs.mean)
        close(ours.variance, theirs.variance)
        close(ours.stddev, theirs.stddev)
    else:
        assert np.all(np.isnan(ours.mean.data)) and np.all(np.isinf(ours.variance.data))
    close(ours.mode, theirs.mode)
    if "cdf" in feats:
        close(ours.cdf(x), theirs.cdf(tx))
        q = ag.Tensor(np.linspace(0.05, 0.95, 12).reshape(4, 3))
        close(ours.icdf(q), theirs.icdf(torch.tensor(q.data)))
    for shape in [(), (5,), (2, 3)]:
        s = ours.sample(shape)
        assert tuple(s.shape) == tuple(theirs.sample(shape).shape)
        assert not s.requires_grad
        assert np.all(ours.support.check(s))
        if "rsample" in feats:
            r = ours.rsample(shape)
            assert tuple(r.shape) == tuple(theirs.rsample(shape).shape) and r.requires_grad
    n = x.shape[0]
    e_ours, e_theirs = ours.expand((n, *ours.batch_shape)), theirs.expand((n, *theirs.batch_shape))
    assert e_ours.batch_shape == tuple(e_theirs.batch_shape)
    close(e_ours.log_prob(x), e_theirs.log_prob(tx))


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_match_torch(name):
    ours, theirs, ours_p, theirs_p, x, tx, feats = build(name, seed=1)

    def loss(dist, value):
        out = (dist.log_prob(value) * 1.3).sum()
        if "no_entropy" not in feats:
            out = out + dist.entropy().sum()
        if "no_moments" not in feats:
            out = out + dist.mean.sum() + (dist.variance * 0.7).sum()
        if "cdf" in feats:
            out = out + dist.cdf(value).sum()
        return out

    grads_match(loss(ours, x), loss(theirs, tx), ours_p, theirs_p)


def test_rsample_gradients_match_torch_given_the_same_noise():
    rng = np.random.default_rng(3)
    loc, tril = rng.normal(size=(2, 3)), np.linalg.cholesky(spd(rng, 3, (2,)))
    ours_p = [ag.Tensor(loc, requires_grad=True), ag.Tensor(tril, requires_grad=True)]
    theirs_p = [torch.tensor(loc, requires_grad=True), torch.tensor(tril, requires_grad=True)]
    ag.manual_seed(0)
    s = D.MultivariateNormal(ours_p[0], scale_tril=ours_p[1]).rsample((4,))
    eps = torch.linalg.solve_triangular(
        torch.tensor(tril), torch.tensor(s.data - loc)[..., None], upper=False
    )[..., 0]
    ts = theirs_p[0] + (theirs_p[1] @ eps[..., None])[..., 0]
    weights = rng.normal(size=(4, 2, 3))
    (s * ag.Tensor(weights)).sum().backward()
    (ts * torch.tensor(weights)).sum().backward()
    for o, t in zip(ours_p, theirs_p):
        np.testing.assert_allclose(o.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-10)


KL_CASES = [
    "Independent-Normal",
    "MVN-covariance",
    "MVN-scale_tril",
    "Exponential",
    "Laplace",
    "Gumbel",
    "Poisson",
    "Geometric-probs",
    "OneHotCategorical-logits",
    "Gamma",
    "Beta",
    "Dirichlet",
]


@pytest.mark.parametrize("name", KL_CASES)
def test_kl_divergence_and_its_gradients_match_torch(name):
    p, tp, pp, tpp, *_ = build(name, seed=2)
    q, tq, qp, tqp, *_ = build(name, seed=3)
    kl, tkl = D.kl_divergence(p, q), TD.kl_divergence(tp, tq)
    close(kl, tkl)
    grads_match(
        kl.sum(),
        tkl.sum(),
        {**pp, **{k + "q": v for k, v in qp.items()}},
        {**tpp, **{k + "q": v for k, v in tqp.items()}},
    )


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d, t: d.Exponential(t([-1.0])), "rate"),
        (lambda d, t: d.Laplace(t([0.0]), t([0.0])), "scale"),
        (lambda d, t: d.Gamma(t([1.0]), t([-1.0])), "rate"),
        (lambda d, t: d.Beta(t([0.0]), t([1.0])), "concentration"),
        (lambda d, t: d.Dirichlet(t([1.0, -1.0])), "concentration"),
        (lambda d, t: d.Poisson(t([-1.0])), "rate"),
        (lambda d, t: d.Geometric(t([1.5])), "probs"),
        (lambda d, t: d.Binomial(t([2.5]), t([0.5])), "total_count"),
        (lambda d, t: d.MultivariateNormal(t([0.0, 0.0]), t([[1.0, 2.0], [2.0, 1.0]])), "cov"),
        (
            lambda d, t: d.MultivariateNormal(
                t([0.0, 0.0]), scale_tril=t([[1.0, 1.0], [0.0, 1.0]])
            ),
            "scale_tril",
        ),
        (lambda d, t: d.MultivariateNormal(t(0.0), t([[1.0]])), "one-dimensional"),
        (lambda d, t: d.MultivariateNormal(t([0.0]), t([[1.0]]), t([[1.0]])), "Exactly one"),
        (lambda d, t: d.Independent(d.Normal(t([0.0]), t([1.0])), 2), "reinterpreted"),
        (lambda d, t: d.Dirichlet(t(1.0)), "one-dimensional"),
    ],
)
def test_invalid_arguments_raise_as_torch(make, message):
    with pytest.raises(ValueError, match=message):
        make(TD, lambda v: torch.tensor(v, dtype=torch.float64))
    with pytest.raises(ValueError, match=message):
        make(D, lambda v: ag.Tensor(np.asarray(v, dtype=np.float64)))


@pytest.mark.parametrize(
    "name, bad",
    [("Exponential", -1.0), ("Poisson", 1.5), ("Beta", 1.5), ("Geometric-probs", -1.0)],
)
def test_values_outside_the_support_raise_as_torch(name, bad):
    ours, theirs, *_ = build(name)
    with pytest.raises(ValueError, match="support"):
        theirs.log_prob(torch.full((3,), bad, dtype=torch.float64))
    with pytest.raises(ValueError, match="support"):
        ours.log_prob(ag.Tensor(np.full(3, bad)))


def test_reprs_match_torch():
    for name in [
        "Independent-Normal",
        "MVN-covariance",
        "Gamma",
        "Beta",
        "Binomial-probs",
        "OneHotCategorical-probs",
        "LogNormal",
        "Dirichlet",
        "Exponential",
    ]:
        ours, theirs, *_ = build(name)
        assert repr(ours) == repr(theirs).replace("torch.", "autograd."), name


@pytest.mark.parametrize(
    "make",
    [
        lambda D, p: D.Categorical(logits=p),
        lambda D, p: D.OneHotCategorical(logits=p),
        lambda D, p: D.Bernoulli(logits=p),
        lambda D, p: D.Geometric(logits=p),
    ],
)
def test_probs_first_read_by_a_draw_under_no_grad_keep_their_gradient_as_torch(make):
    weights = np.array([0.3, -1.2, 0.8])

    def run(lib, p):
        param = lib.tensor(p, requires_grad=True)
        d = make(lib.distributions, param)
        with lib.no_grad():
            d.sample()
        (d.probs * lib.tensor(weights)).sum().backward()
        return d.probs.requires_grad, param.grad.numpy()

    p = np.array([0.2, -0.5, 1.0])
    ours, theirs = run(ag, p), run(torch, p)
    assert ours[0] == theirs[0]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
