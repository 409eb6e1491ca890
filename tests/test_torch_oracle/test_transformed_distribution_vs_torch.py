"""``distributions.transforms`` and ``TransformedDistribution`` against torch.distributions,
given the same float64 parameters and values: forward and inverse maps, log |Jacobian|,
log_prob, cdf/icdf, their gradients with respect to parameters and values, shapes, supports,
equality and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag

torch = pytest.importorskip("torch")


def lib_tensor(lib, a, requires_grad=False):
    return lib.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


# name: (make(lib, params) -> transform, params, points of its domain)
TRANSFORMS = {
    "exp": (lambda L, p: L.distributions.ExpTransform(), [], np.linspace(-3, 3, 7)),
    "sigmoid": (lambda L, p: L.distributions.SigmoidTransform(), [], np.linspace(-40, 40, 7)),
    "logit": (lambda L, p: L.distributions.SigmoidTransform().inv, [], np.linspace(0.01, 0.99, 7)),
    "tanh": (lambda L, p: L.distributions.transforms.TanhTransform(), [], np.linspace(-15, 15, 7)),
    "softplus": (lambda L, p: L.distributions.SoftplusTransform(), [], np.linspace(-5, 5, 7)),
    "abs": (lambda L, p: L.distributions.AbsTransform(), [], np.linspace(-2, 2, 7)),
    "power": (lambda L, p: L.distributions.PowerTransform(p[0]), [1.7], np.linspace(0.1, 3, 7)),
    "affine": (
        lambda L, p: L.distributions.AffineTransform(p[0], p[1]),
        [0.5, -1.5],
        np.linspace(-3, 3, 7),
    ),
    "affine_event": (
        lambda L, p: L.distributions.AffineTransform(p[0], p[1], event_dim=1),
        [np.zeros(7), np.linspace(-2, 2, 7) + 0.1],
        np.linspace(-3, 3, 7),
    ),
    "compose": (
        lambda L, p: L.distributions.ComposeTransform(
            [L.distributions.AffineTransform(p[0], p[1]), L.distributions.ExpTransform()]
        ),
        [0.3, 0.8],
        np.linspace(-2, 2, 7),
    ),
    "independent": (
        lambda L, p: L.distributions.transforms.IndependentTransform(
            L.distributions.TanhTransform(), 1
        ),
        [],
        np.linspace(-2, 2, 7),
    ),
}


def run_transform(lib, name):
    make, params, x = TRANSFORMS[name]
    ps = [lib_tensor(lib, p, requires_grad=True) for p in params]
    xs = lib_tensor(lib, x, requires_grad=True)
    tr = make(lib, ps)
    y = tr(xs)
    ldj = tr.log_abs_det_jacobian(xs, y) if tr.bijective else xs.sum() * 0  # none for abs
    back = tr.inv(y.detach())
    (y.sum() + ldj.sum() + back.sum()).backward()
    sign = None
    if tr.bijective:
        sign = tr.sign if isinstance(tr.sign, int) else tr.sign.detach().numpy()
    return {
        "y": y.detach().numpy(),
        "ldj": ldj.detach().numpy(),
        "back": back.detach().numpy(),
        "x_grad": xs.grad.numpy(),
        "param_grads": [p.grad.numpy() for p in ps],
        "sign": None if sign is None else np.asarray(sign, dtype=float),
        "event_dims": (tr.domain.event_dim, tr.codomain.event_dim),
        "bijective": tr.bijective,
        "shape": tuple(tr.forward_shape((2, 7))),
    }


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transform_values_and_gradients_match_torch(name):
    ours, theirs = run_transform(ag, name), run_transform(torch, name)
    for key in ("y", "ldj", "back", "x_grad"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-10, atol=1e-12, err_msg=key)
    for mine, want in zip(ours["param_grads"], theirs["param_grads"], strict=True):
        np.testing.assert_allclose(mine, want, rtol=1e-10, atol=1e-12)
    for key in ("event_dims", "bijective", "shape"):
        assert ours[key] == theirs[key], key
    if ours["sign"] is not None:
        np.testing.assert_array_equal(ours["sign"], theirs["sign"])


def test_reprs_and_equality_match_torch():
    for lib in (ag, torch):
        D = lib.distributions
        assert D.ExpTransform() == D.ExpTransform() and D.ExpTransform() != D.TanhTransform()
        assert D.AffineTransform(1.0, 2.0) == D.AffineTransform(1.0, 2.0)
        assert D.SigmoidTransform().inv == D.SigmoidTransform().inv
    for make in (
        lambda D: D.ExpTransform(),
        lambda D: D.SigmoidTransform().inv,
        lambda D: D.ComposeTransform([D.ExpTransform(), D.TanhTransform()]),
        lambda D: D.TransformedDistribution(D.Normal(0.0, 1.0), D.TanhTransform()).support,
        lambda D: D.TransformedDistribution(D.Normal(0.0, 1.0), D.ExpTransform()),
    ):
        assert repr(make(ag.distributions)) == repr(make(torch.distributions))


# name: (make(lib, params) -> distribution, params, values)
DISTRIBUTIONS = {
    "logistic": (
        lambda D, p: D.TransformedDistribution(
            D.Uniform(p[0] * 0, p[0] * 0 + 1),
            [D.SigmoidTransform().inv, D.AffineTransform(p[0], p[1])],
        ),
        [np.array([0.2, -0.3]), np.array([1.5, 0.7])],
        np.array([[0.5, -1.0], [2.0, 0.3]]),
    ),
    "squashed_normal": (
        lambda D, p: D.TransformedDistribution(
            D.Normal(p[0], p[1]), [D.transforms.TanhTransform(cache_size=1)]
        ),
        [np.array([0.1, -0.4, 0.9]), np.array([0.5, 1.0, 2.0])],
        np.array([[0.2, -0.9, 0.99]]),
    ),
    "log_normal_flipped": (
        lambda D, p: D.TransformedDistribution(
            D.Normal(p[0], p[1]), [D.ExpTransform(), D.AffineTransform(0.0, -1.0)]
        ),
        [np.array(0.3), np.array(0.6)],
        np.array([-0.5, -1.0, -4.0]),
    ),
    "mvn_affine_event": (
        lambda D, p: D.TransformedDistribution(
            D.MultivariateNormal(p[0] * 0, p[1]),
            D.AffineTransform(p[0], 2.0, event_dim=1),
        ),
        [np.array([0.5, -0.5]), np.array([[1.0, 0.3], [0.3, 2.0]])],
        np.array([[0.0, 1.0], [2.0, -1.0], [0.1, 0.1]]),
    ),
    "normal_to_event_by_affine": (
        lambda D, p: D.TransformedDistribution(
            D.Normal(p[0], p[1]), D.AffineTransform(0.0, p[1], event_dim=1)
        ),
        [np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 0.5])],
        np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]]),
    ),
}


def run_distribution(lib, name):
    make, params, value = DISTRIBUTIONS[name]
    ps = [lib_tensor(lib, p, requires_grad=True) for p in params]
    d = make(lib.distributions, ps)
    v = lib_tensor(lib, value, requires_grad=True)
    lp = d.log_prob(v)
    lp.sum().backward()
    out = {
        "log_prob": lp.detach().numpy(),
        "value_grad": v.grad.numpy(),
        "param_grads": [p.grad.numpy() for p in ps],
        "shapes": (tuple(d.batch_shape), tuple(d.event_shape), tuple(d.sample((4,)).shape)),
        "expanded": tuple(d.expand((5, *d.batch_shape)).sample().shape),
        "has_rsample": d.has_rsample,
        "base": type(d.base_dist).__name__,
    }
    if not d.event_shape:
        q = lib_tensor(lib, [0.2, 0.7])
        out["icdf_cdf"] = d.cdf(d.icdf(q.reshape(2, *[1] * len(d.batch_shape)))).detach().numpy()
        out["icdf"] = d.icdf(q.reshape(2, *[1] * len(d.batch_shape))).detach().numpy()
    return out


@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_transformed_distribution_matches_torch(name):
    ours, theirs = run_distribution(ag, name), run_distribution(torch, name)
    for key in ("log_prob", "value_grad", "icdf", "icdf_cdf"):
        if key in theirs:
            np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-9, atol=1e-12, err_msg=key)
    for mine, want in zip(ours["param_grads"], theirs["param_grads"], strict=True):
        np.testing.assert_allclose(mine, want, rtol=1e-9, atol=1e-12)
    for key in ("shapes", "expanded", "has_rsample", "base"):
        assert ours[key] == theirs[key], key


def test_kl_between_equally_transformed_distributions_matches_torch():
    def run(lib):
        ps = [
            lib_tensor(lib, p, requires_grad=True)
            for p in ([0.2, -1.0], [1.0, 0.5], [0.7, 0.1], [2.0, 1.5])
        ]
        D = lib.distributions

        def make(loc, scale):
            return D.TransformedDistribution(
                D.Normal(loc, scale), [D.AffineTransform(0.5, 2.0), D.TanhTransform()]
            )

        kl = D.kl_divergence(make(ps[0], ps[1]), make(ps[2], ps[3]))
        kl.sum().backward()
        return [kl.detach().numpy()] + [p.grad.numpy() for p in ps]

    for mine, want in zip(run(ag), run(torch), strict=True):
        np.testing.assert_allclose(mine, want, rtol=1e-12)


def test_errors_match_torch():
    for lib in (ag, torch):
        D = lib.distributions
        with pytest.raises(ValueError, match="transforms must be a Transform or list"):
            D.TransformedDistribution(D.Normal(0.0, 1.0), "exp")
        with pytest.raises(
            ValueError, match="base_distribution needs to have shape with size at least 1"
        ):
            D.TransformedDistribution(D.Normal(0.0, 1.0), D.AffineTransform(0.0, 1.0, event_dim=1))
        with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
            D.ExpTransform(cache_size=3)
        with pytest.raises(
            ValueError, match="Please use either .domain.event_dim or .codomain.event_dim"
        ):
            _mixed_event_dims(D).event_dim  # noqa: B018
        squashed = D.TransformedDistribution(D.Normal(0.0, 1.0), D.TanhTransform())
        with pytest.raises(ValueError, match="support"):
            squashed.log_prob(lib.tensor([1.5]))


def _mixed_event_dims(D):
    """A transform whose domain and codomain have different event dims."""

    class Flatten(D.transforms.Transform):
        domain = D.constraints.independent(D.constraints.real, 2)
        codomain = D.constraints.independent(D.constraints.real, 1)

    return Flatten()


@settings(max_examples=25, deadline=None)
@given(
    loc=st.floats(-2, 2),
    scale=st.floats(0.2, 3),
    value=st.floats(-0.999, 0.999),
    shift=st.floats(-1, 1),
)
def test_squashed_affine_log_prob_and_its_gradients_match_torch(loc, scale, value, shift):
    def run(lib):
        ps = [lib_tensor(lib, p, requires_grad=True) for p in (loc, scale, shift)]
        v = lib_tensor(lib, [value], requires_grad=True)
        D = lib.distributions
        d = D.TransformedDistribution(
            D.Normal(ps[0], ps[1]), [D.AffineTransform(ps[2], 0.5), D.TanhTransform()]
        )
        lp = d.log_prob(v)
        lp.sum().backward()
        return [lp.detach().numpy(), v.grad.numpy()] + [p.grad.numpy() for p in ps]

    for mine, want in zip(run(ag), run(torch), strict=True):
        np.testing.assert_allclose(mine, want, rtol=1e-8, atol=1e-10)
