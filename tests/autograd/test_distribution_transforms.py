"""``distributions.transforms`` and ``TransformedDistribution`` without torch: each transform
inverts, its log |Jacobian| is the log of the numerical derivative, inverses and compositions
behave as maps do, caching returns the remembered input; transformed densities equal the
closed forms (LogNormal, logistic, a shifted and scaled Normal) and integrate to one; shapes,
cdf/icdf and errors; gradients of log_prob and rsample against central finite differences in
float64 (hypothesis drawing the parameters)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor
from autograd import distributions as D
from autograd.distributions import transforms as T
from autograd.testing import gradcheck


def t(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


# name: (transform, points of its domain)
ELEMENTWISE = {
    "exp": (lambda: T.ExpTransform(), np.linspace(-3, 3, 13)),
    "sigmoid": (lambda: T.SigmoidTransform(), np.linspace(-6, 6, 13)),
    "tanh": (lambda: T.TanhTransform(), np.linspace(-3, 3, 13)),
    "softplus": (lambda: T.SoftplusTransform(), np.linspace(-4, 4, 13)),
    "power": (lambda: T.PowerTransform(t(2.5)), np.linspace(0.2, 3, 13)),
    "affine": (lambda: T.AffineTransform(1.5, -0.4), np.linspace(-3, 3, 13)),
    "affine_tensor": (lambda: T.AffineTransform(t(1.5), t(-0.4)), np.linspace(-3, 3, 13)),
    "logit": (lambda: T.SigmoidTransform().inv, np.linspace(0.05, 0.95, 13)),
    "compose": (
        lambda: T.ComposeTransform([T.AffineTransform(0.5, 2.0), T.ExpTransform()]),
        np.linspace(-2, 2, 13),
    ),
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_transforms_invert_and_log_jacobians_are_log_derivatives(name):
    make, x = ELEMENTWISE[name]
    tr = make()
    xs = t(x)
    y = tr(xs)
    np.testing.assert_allclose(tr.inv(y).numpy(), x, rtol=1e-10, atol=1e-12)
    h = 1e-6
    deriv = (tr(t(x + h)).numpy() - tr(t(x - h)).numpy()) / (2 * h)
    np.testing.assert_allclose(
        tr.log_abs_det_jacobian(xs, y).numpy(), np.log(np.abs(deriv)), rtol=1e-6, atol=1e-7
    )
    # the inverse's log-Jacobian is the negated one at the swapped pair
    np.testing.assert_allclose(
        tr.inv.log_abs_det_jacobian(y, xs).numpy(), -tr.log_abs_det_jacobian(xs, y).numpy()
    )
    assert tr.inv.inv is tr and tr.bijective
    assert np.all(tr.codomain.check(y)) and np.all(tr.domain.check(xs))
    sign = tr.sign if isinstance(tr.sign, int) else float(tr.sign.item())
    assert sign == np.sign(deriv[0])


def test_sigmoid_stays_inside_the_open_interval_and_logit_is_finite():
    tr = T.SigmoidTransform()
    y = tr(t([-800.0, 0.0, 800.0]))
    assert 0 < y.numpy()[0] < 1e-300 and y.numpy()[2] == 1 - np.finfo(np.float64).eps
    assert np.isfinite(tr.inv(t([0.0, 1.0])).numpy()).all()


def test_tanh_log_jacobian_stays_accurate_for_large_inputs():
    x = t([30.0, -30.0])
    got = T.TanhTransform().log_abs_det_jacobian(x, x.tanh()).numpy()
    np.testing.assert_allclose(got, math.log(4) - 60, rtol=1e-12)  # log(4 e^-2|x|)


def test_cache_size_one_returns_the_remembered_pair():
    tr = T.TanhTransform(cache_size=1)
    x = t([20.0])  # tanh rounds to 1: atanh could not recover x
    y = tr(x)
    assert tr.inv(y) is x and tr(x) is y
    assert np.isinf(T.TanhTransform().inv(y).numpy()).all()
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        T.ExpTransform(cache_size=2)
    assert T.ExpTransform().with_cache(1)._cache_size == 1
    assert T.AffineTransform(1.0, 2.0).with_cache(1)(t([1.0])).item() == 3.0


def test_equality_repr_and_event_dims():
    assert T.ExpTransform() == T.ExpTransform() and T.ExpTransform() != T.TanhTransform()
    assert T.AffineTransform(1.0, 2.0) == T.AffineTransform(1.0, 2.0)
    assert T.AffineTransform(1.0, 2.0) != T.AffineTransform(1.0, 3.0)
    assert T.SigmoidTransform().inv == T.SigmoidTransform().inv
    assert repr(T.ExpTransform()) == "ExpTransform()"
    assert repr(T.ExpTransform().inv) == "_InverseTransform(ExpTransform())"
    assert repr(T.ComposeTransform([T.ExpTransform(), T.TanhTransform()])) == (
        "ComposeTransform(\n    ExpTransform(),\n    TanhTransform()\n)"
    )
    affine = T.AffineTransform(t(np.zeros(3)), t([1.0, 2.0, 4.0]), event_dim=1)
    assert affine.event_dim == 1 and affine.domain.event_dim == 1
    x = t(np.ones((5, 3)))
    np.testing.assert_allclose(
        affine.log_abs_det_jacobian(x, affine(x)).numpy(), np.full(5, math.log(8))
    )
    assert affine.forward_shape((5, 1)) == (5, 3)
    both = T.ComposeTransform([T.ExpTransform(), affine])  # exp's log-Jacobian summed too
    assert both.domain.event_dim == 1
    np.testing.assert_allclose(
        both.log_abs_det_jacobian(x, both(x)).numpy(), np.full(5, 3 + math.log(8))
    )
    assert T.identity_transform(x) is x and T.identity_transform.inv.parts == []


def test_abs_transform_is_not_bijective():
    tr = T.AbsTransform()
    assert not tr.bijective and tr(t([-2.0])).item() == 2.0 and tr.inv(t([2.0])).item() == 2.0


def trapezoid(y, x):
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x) / 2))


def test_transformed_densities_equal_the_closed_forms():
    x = np.linspace(0.05, 6, 50)
    exp_normal = D.TransformedDistribution(D.Normal(t(0.2), t(0.7)), [T.ExpTransform()])
    np.testing.assert_allclose(
        exp_normal.log_prob(t(x)).numpy(),
        D.LogNormal(t(0.2), t(0.7)).log_prob(t(x)).numpy(),
        rtol=1e-12,
    )
    z = np.linspace(-8, 8, 50)
    logistic = D.TransformedDistribution(D.Uniform(t(0.0), t(1.0)), T.SigmoidTransform().inv)
    want = -z - 2 * np.log1p(np.exp(-z))  # the standard logistic density
    np.testing.assert_allclose(logistic.log_prob(t(z)).numpy(), want, rtol=1e-10)
    shifted = D.TransformedDistribution(
        D.Normal(t(0.0), t(1.0)), T.AffineTransform(t(1.0), t(-3.0))
    )
    np.testing.assert_allclose(
        shifted.log_prob(t(z)).numpy(), D.Normal(t(1.0), t(3.0)).log_prob(t(z)).numpy(), rtol=1e-12
    )


def test_squashed_normal_integrates_to_one_on_the_interval():
    d = D.TransformedDistribution(D.Normal(t(0.3), t(1.2)), [T.TanhTransform()])
    y = np.linspace(-1 + 1e-12, 1 - 1e-12, 400001)
    assert trapezoid(np.exp(d.log_prob(t(y)).numpy()), y) == pytest.approx(1.0, abs=1e-4)
    assert repr(d.support) == "Interval(lower_bound=-1.0, upper_bound=1.0)"
    with pytest.raises(ValueError, match="within the support"):
        d.log_prob(t([1.5]))


def test_shapes_reinterpreted_batch_dims_and_expand():
    base = D.Normal(t(np.zeros(3)), t(np.ones(3)))
    d = D.TransformedDistribution(
        base, T.AffineTransform(t(np.zeros(3)), t([1.0, 2.0, 4.0]), event_dim=1)
    )
    assert d.batch_shape == () and d.event_shape == (3,)
    assert isinstance(d.base_dist, D.Independent)
    assert d.sample((4,)).shape == (4, 3) and d.log_prob(t(np.zeros((4, 3)))).shape == (4,)
    e = d.expand((2,))
    assert e.batch_shape == (2,) and e.sample().shape == (2, 3)
    # a base of batch (1,) broadcast by a transform's parameters of shape (3,)
    b = D.TransformedDistribution(
        D.Normal(t([0.0]), t([1.0])), T.AffineTransform(t(np.zeros(3)), 2.0)
    )
    assert b.batch_shape == (3,) and b.base_dist.batch_shape == (3,)
    with pytest.raises(ValueError, match="transforms must be a Transform or list"):
        D.TransformedDistribution(base, "exp")
    with pytest.raises(ValueError, match="at least 1"):
        D.TransformedDistribution(
            D.Normal(t(0.0), t(1.0)), T.AffineTransform(0.0, 1.0, event_dim=1)
        )


def test_cdf_and_icdf_through_a_decreasing_transform():
    d = D.TransformedDistribution(D.Normal(t(0.0), t(1.0)), [T.AffineTransform(0.0, -2.0)])
    q = np.array([0.1, 0.5, 0.8])
    np.testing.assert_allclose(d.cdf(d.icdf(t(q))).numpy(), q, rtol=1e-10)
    np.testing.assert_allclose(
        d.cdf(t([2.0])).numpy(), [1 - 0.5 * (1 + math.erf(-1 / math.sqrt(2)))], rtol=1e-10
    )


def test_kl_between_equally_transformed_distributions_is_the_bases():
    def squashed(loc, scale):
        return D.TransformedDistribution(D.Normal(t(loc), t(scale)), [T.TanhTransform()])

    kl = D.kl_divergence(squashed(0.0, 1.0), squashed(1.0, 2.0))
    base = D.kl_divergence(D.Normal(t(0.0), t(1.0)), D.Normal(t(1.0), t(2.0)))
    assert kl.item() == pytest.approx(base.item(), rel=1e-12)
    other = D.TransformedDistribution(D.Normal(t(1.0), t(2.0)), [T.ExpTransform()])
    with pytest.raises(NotImplementedError):
        D.kl_divergence(squashed(0.0, 1.0), other)


def test_sample_has_no_gradient_and_rsample_has():
    loc = t(0.5, requires_grad=True)
    d = D.TransformedDistribution(D.Normal(loc, t(1.0)), [T.TanhTransform()])
    assert d.has_rsample and not d.sample((3,)).requires_grad
    assert d.rsample((3,)).requires_grad


finite = st.floats(-2, 2)
positive = st.floats(0.3, 2)


@settings(max_examples=25)
@given(
    loc=finite, scale=positive, shift=finite, factor=st.floats(0.3, 2), value=st.floats(-0.95, 0.95)
)
def test_log_prob_gradients_match_finite_differences(loc, scale, shift, factor, value):
    def log_prob(loc_, scale_, shift_, factor_):
        tr = [T.AffineTransform(shift_, factor_), T.TanhTransform()]
        return D.TransformedDistribution(D.Normal(loc_, scale_), tr).log_prob(t([value]))

    inputs = [t(p, requires_grad=True) for p in (loc, scale, shift, factor)]
    assert gradcheck(log_prob, inputs)


@settings(max_examples=25)
@given(loc=finite, scale=positive, exponent=st.floats(0.5, 2.0))
def test_rsample_gradients_match_finite_differences(loc, scale, exponent):
    noise = np.random.default_rng(0).normal(size=4)

    def draw(loc_, scale_, exponent_):
        base = D.Normal(loc_, scale_)
        base.rsample = lambda shape=(): loc_ + scale_ * t(noise)  # a fixed draw of the base
        tr = [T.ExpTransform(), T.PowerTransform(exponent_), T.SigmoidTransform().inv]
        return D.TransformedDistribution(base, tr).rsample()

    assert gradcheck(draw, [t(p, requires_grad=True) for p in (loc, scale, exponent)])
