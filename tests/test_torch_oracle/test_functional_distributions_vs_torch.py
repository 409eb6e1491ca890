"""autograd.functional and autograd.distributions against torch.autograd.functional and
torch.distributions, given the same float64 numbers."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
X = RNG.normal(size=3)
Y = RNG.normal(size=(2, 3))
V3 = RNG.normal(size=3)
V23 = RNG.normal(size=(2, 3))


def same(ours, theirs, rtol=1e-10, atol=1e-12):
    """Equal nested tuples of tensors."""
    if isinstance(theirs, list):  # torch's forward-mode jacobian gives lists of lists
        theirs = tuple(theirs)
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, r in zip(ours, theirs):
            same(o, r, rtol, atol)
        return
    assert isinstance(ours, Tensor), type(ours)
    ref = theirs.detach().numpy()
    assert tuple(ours.shape) == ref.shape, (ours.shape, ref.shape)
    np.testing.assert_allclose(ours.data, ref, rtol=rtol, atol=atol)


def both(arrays):
    ours = tuple(Tensor(a.copy()) for a in arrays)
    theirs = tuple(torch.tensor(a) for a in arrays)
    return ours, theirs


def f_vec(lib):  # R^3 -> R^(2x3), (R^3, R^(2x3)) -> tuple
    return lambda x: lib.tanh(x) * x.exp().sum()


def f_pair(lib):
    return lambda x, y: ((y * x).sin(), (y @ x).exp())


def f_scalar(lib):
    return lambda x, y: (y * x.sin()).sum() ** 2 + (x**3).sum()


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("vectorize", [False, True])
def test_jacobian(create_graph, vectorize):
    (x,), (tx,) = both([X])
    same(
        ag.functional.jacobian(f_vec(ag), x, create_graph=create_graph, vectorize=vectorize),
        torch.autograd.functional.jacobian(
            f_vec(torch), tx, create_graph=create_graph, vectorize=vectorize
        ),
    )
    ours, theirs = both([X, Y])
    same(
        ag.functional.jacobian(f_pair(ag), ours),
        torch.autograd.functional.jacobian(f_pair(torch), theirs),
    )
    same(
        ag.functional.jacobian(f_pair(ag), ours, strategy="forward-mode", vectorize=True),
        torch.autograd.functional.jacobian(
            f_pair(torch), theirs, strategy="forward-mode", vectorize=True
        ),
    )


def test_hessian():
    ours, theirs = both([X, Y])
    same(
        ag.functional.hessian(f_scalar(ag), ours),
        torch.autograd.functional.hessian(f_scalar(torch), theirs),
    )
    (x,), (tx,) = both([X])
    same(
        ag.functional.hessian(lambda x: (x.exp() * x).sum(), x),
        torch.autograd.functional.hessian(lambda x: (x.exp() * x).sum(), tx),
    )


def test_vjp_jvp():
    ours, theirs = both([X, Y])
    (v1, v2), (tv1, tv2) = both([V23, np.array(0.7)])
    same(
        ag.functional.vjp(lambda x, y: (y * x).sin(), ours, v1),
        torch.autograd.functional.vjp(lambda x, y: (y * x).sin(), theirs, tv1),
    )
    vin, tvin = both([V3, V23])
    same(
        ag.functional.jvp(f_pair(ag), ours, vin),
        torch.autograd.functional.jvp(f_pair(torch), theirs, tvin),
    )
    (x,), (tx,) = both([X])
    (v,), (tv,) = both([V3])
    same(ag.functional.jvp(f_vec(ag), x, v), torch.autograd.functional.jvp(f_vec(torch), tx, tv))


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_hvp_vhp(name):
    ours, theirs = both([X, Y])
    v, tv = both([V3, V23])
    same(
        getattr(ag.functional, name)(f_scalar(ag), ours, v),
        getattr(torch.autograd.functional, name)(f_scalar(torch), theirs, tv),
    )


def test_create_graph_results_differentiate_like_torch():
    x = Tensor(X.copy(), requires_grad=True)
    tx = torch.tensor(X, requires_grad=True)
    _, ours = ag.functional.jvp(lambda x: x.sin() * x, x, Tensor(V3.copy()), create_graph=True)
    _, theirs = torch.autograd.functional.jvp(
        lambda x: x.sin() * x, tx, torch.tensor(V3), create_graph=True
    )
    (ours.sum() ** 2).backward()
    (theirs.sum() ** 2).backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-10)


def dists(lib, params):
    """(the distribution, the leaf tensors given as its parameters)."""
    kind, args = params
    if lib == "ours":
        leaves = {k: Tensor(v.copy(), requires_grad=True) for k, v in args.items()}
        return getattr(ag.distributions, kind)(**leaves), list(leaves.values())
    leaves = {k: torch.tensor(v, requires_grad=True) for k, v in args.items()}
    return getattr(torch.distributions, kind)(**leaves), list(leaves.values())


P = RNG.dirichlet(np.ones(4), size=2)
CASES = [
    ("Normal", {"loc": RNG.normal(size=3), "scale": RNG.uniform(0.3, 2.0, size=3)}),
    ("Categorical", {"probs": P * 3.0}),
    ("Categorical", {"logits": RNG.normal(size=(2, 4))}),
    ("Bernoulli", {"probs": RNG.uniform(0.05, 0.95, size=3)}),
    ("Bernoulli", {"logits": RNG.normal(size=3)}),
    ("Uniform", {"low": -1.5 - RNG.uniform(size=3), "high": 1.5 + RNG.uniform(size=3)}),
]
VALUES = {
    "Normal": RNG.normal(size=(5, 3)),
    "Categorical": RNG.integers(0, 4, size=(5, 2)),
    "Bernoulli": RNG.integers(0, 2, size=(5, 3)).astype(np.float64),
    "Uniform": RNG.uniform(-1.0, 1.0, size=(5, 3)),
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{next(iter(c[1]))}")
def test_log_prob_entropy_moments_and_their_gradients(case):
    d, leaves = dists("ours", case)
    td, tleaves = dists("torch", case)
    assert tuple(d.batch_shape) == tuple(td.batch_shape)
    assert tuple(d.event_shape) == tuple(td.event_shape)
    value = VALUES[case[0]]
    lp, tlp = d.log_prob(Tensor(value)), td.log_prob(torch.tensor(value))
    same(lp, tlp)
    same(d.entropy(), td.entropy())
    if case[0] != "Categorical":
        same(d.mean, td.mean)
        same(d.variance, td.variance)
        same(d.stddev, td.stddev)
    else:
        same(d.probs, td.probs)
        same(d.logits, td.logits)
    (lp.sum() + d.entropy().sum()).backward()
    (tlp.sum() + td.entropy().sum()).backward()
    for o, r in zip(leaves, tleaves):
        np.testing.assert_allclose(o.grad.data, r.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_kl_divergences():
    for kind, a, b in [
        ("Normal", CASES[0][1], {"loc": RNG.normal(size=3), "scale": RNG.uniform(0.3, 2, 3)}),
        ("Categorical", {"probs": P}, {"probs": RNG.dirichlet(np.ones(4), size=2)}),
        ("Categorical", {"logits": RNG.normal(size=4)}, {"logits": RNG.normal(size=(2, 4))}),
        ("Bernoulli", {"probs": np.array([0.2, 0.7])}, {"probs": np.array([0.5, 0.1])}),
    ]:
        (p, pl), (q, ql) = dists("ours", (kind, a)), dists("ours", (kind, b))
        (tp, tpl), (tq, tql) = dists("torch", (kind, a)), dists("torch", (kind, b))
        ours, theirs = (
            ag.distributions.kl_divergence(p, q),
            torch.distributions.kl_divergence(tp, tq),
        )
        same(ours, theirs)
        ours.sum().backward()
        theirs.sum().backward()
        for o, r in zip(pl + ql, tpl + tql):
            np.testing.assert_allclose(o.grad.data, r.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("case", [CASES[0], CASES[5]], ids=["Normal", "Uniform"])
def test_icdf_and_its_gradients(case):
    d, leaves = dists("ours", case)
    td, tleaves = dists("torch", case)
    q = RNG.uniform(0.01, 0.99, size=(4, 3))
    oq, tq = Tensor(q, requires_grad=True), torch.tensor(q, requires_grad=True)
    ours, theirs = d.icdf(oq), td.icdf(tq)
    same(ours, theirs)
    ours.sum().backward()
    theirs.sum().backward()
    for o, r in zip([*leaves, oq], [*tleaves, tq]):
        np.testing.assert_allclose(o.grad.data, r.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_uniform_upper_end_is_in_torchs_support():
    low, high = np.array([0.0, -1.0]), np.array([1.0, 3.0])
    ours = ag.distributions.Uniform(Tensor(low), Tensor(high))
    theirs = torch.distributions.Uniform(torch.tensor(low), torch.tensor(high))
    same(ours.log_prob(Tensor(high)), theirs.log_prob(torch.tensor(high)))
    same(ours.cdf(Tensor(high)), theirs.cdf(torch.tensor(high)))


def test_kl_between_uniform_and_normal():
    u = ("Uniform", {"low": np.array([0.0, -1.0]), "high": np.array([1.0, 3.0])})
    n = ("Normal", {"loc": np.array([0.2, 0.5]), "scale": np.array([1.0, 2.0])})
    for a, b in [(u, n), (n, u)]:
        (p, pl), (q, ql) = dists("ours", a), dists("ours", b)
        (tp, tpl), (tq, tql) = dists("torch", a), dists("torch", b)
        ours = ag.distributions.kl_divergence(p, q)
        theirs = torch.distributions.kl_divergence(tp, tq)
        same(ours, theirs)
        if a is u:
            ours.sum().backward()
            theirs.sum().backward()
            for o, r in zip(pl + ql, tpl + tql):
                np.testing.assert_allclose(o.grad.data, r.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{next(iter(c[1]))}")
def test_expand_as_torch(case):
    d, _ = dists("ours", case)
    td, _ = dists("torch", case)
    shape = (4, *tuple(td.batch_shape))
    e, te = d.expand(shape), td.expand(torch.Size(shape))
    assert tuple(e.batch_shape) == tuple(te.batch_shape)
    assert tuple(e.sample().shape) == tuple(te.sample().shape)
    value = VALUES[case[0]][:4]
    same(e.log_prob(Tensor(value)), te.log_prob(torch.tensor(value)))
    same(e.entropy(), te.entropy())
