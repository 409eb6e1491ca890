"""autograd.distributions against closed forms: log_prob, entropy, kl_divergence, moments,
sample shapes and means under a seed, reparameterised gradients."""

import math

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor
from autograd.distributions import Bernoulli, Categorical, Normal, Uniform, kl_divergence
from autograd.testing import gradcheck


def t(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def test_normal_log_prob_entropy_and_moments():
    loc, scale = np.array([0.0, 1.0, -2.0]), np.array([1.0, 0.5, 3.0])
    d = Normal(t(loc), t(scale))
    x = np.array([0.3, 2.0, -1.0])
    expected = -((x - loc) ** 2) / (2 * scale**2) - np.log(scale) - 0.5 * math.log(2 * math.pi)
    np.testing.assert_allclose(d.log_prob(t(x)).data, expected)
    np.testing.assert_allclose(d.entropy().data, 0.5 * np.log(2 * math.pi * math.e * scale**2))
    np.testing.assert_allclose(d.mean.data, loc)
    np.testing.assert_allclose(d.stddev.data, scale)
    np.testing.assert_allclose(d.variance.data, scale**2)
    assert d.batch_shape == (3,) and d.event_shape == ()


def test_normal_of_numbers_has_empty_batch_shape():
    d = Normal(0.0, 1.0)
    assert d.batch_shape == () and d.sample().shape == () and d.sample((4, 2)).shape == (4, 2)


def test_normal_samples_are_repeatable_and_have_the_right_moments():
    d = Normal(t([1.0, -3.0]), t([2.0, 0.5]))
    ag.manual_seed(0)
    s = d.sample((20000,))
    ag.manual_seed(0)
    s2 = d.sample((20000,))
    np.testing.assert_array_equal(s.data, s2.data)
    assert s.shape == (20000, 2) and not s.requires_grad
    np.testing.assert_allclose(s.data.mean(0), [1.0, -3.0], atol=0.05)
    np.testing.assert_allclose(s.data.std(0), [2.0, 0.5], rtol=0.03)


def test_normal_rsample_is_differentiable():
    ag.manual_seed(1)
    loc, scale = t([0.5, -1.0], True), t([1.5, 0.2], True)
    s = Normal(loc, scale).rsample((3,))
    assert s.requires_grad
    s.sum().backward()
    np.testing.assert_allclose(loc.grad.data, [3.0, 3.0])

    def fn(loc, scale):
        ag.manual_seed(7)  # the same noise at every evaluation
        return Normal(loc, scale).rsample((4,))

    assert gradcheck(fn, [t([0.5, -1.0], True), t([1.5, 0.2], True)])
    assert gradcheck(
        lambda m, s: Normal(m, s).log_prob(t([0.1, 0.3])),
        [t([0.5, -1.0], True), t([1.5, 0.2], True)],
    )


def test_normal_validates_scale_and_value_shape():
    with pytest.raises(ValueError, match="scale.*GreaterThan"):
        Normal(t([0.0]), t([-1.0]))
    Normal(t([0.0]), t([-1.0]), validate_args=False)
    with pytest.raises(ValueError, match="broadcastable"):
        Normal(t([0.0, 1.0]), t([1.0, 1.0])).log_prob(t([1.0, 2.0, 3.0]))


def test_categorical_normalises_probs_and_logits():
    p = np.array([[1.0, 2.0, 5.0], [1.0, 1.0, 2.0]])
    d = Categorical(probs=t(p))
    np.testing.assert_allclose(d.probs.data, p / p.sum(-1, keepdims=True))
    np.testing.assert_allclose(d.logits.data, np.log(p / p.sum(-1, keepdims=True)))
    logits = np.array([0.5, -1.0, 2.0])
    d2 = Categorical(logits=t(logits))
    lse = np.log(np.exp(logits).sum())
    np.testing.assert_allclose(d2.logits.data, logits - lse)
    np.testing.assert_allclose(d2.probs.data, np.exp(logits - lse))
    assert d.batch_shape == (2,) and d2.batch_shape == ()
    with pytest.raises(ValueError, match="not both"):
        Categorical(probs=t(p), logits=t(p))


def test_categorical_log_prob_entropy_and_sampling():
    p = np.array([0.1, 0.2, 0.7])
    d = Categorical(probs=t(p))
    np.testing.assert_allclose(d.log_prob(Tensor(np.array([0, 2, 1]))).data, np.log(p[[0, 2, 1]]))
    np.testing.assert_allclose(d.entropy().data, -(p * np.log(p)).sum())
    ag.manual_seed(3)
    s = d.sample((30000,))
    assert s.dtype == np.int64 and s.shape == (30000,)
    np.testing.assert_allclose(np.bincount(s.data, minlength=3) / 30000, p, atol=0.01)
    with pytest.raises(ValueError, match="support"):
        d.log_prob(Tensor(np.array([3])))


def test_categorical_never_samples_a_zero_probability_category():
    d = Categorical(probs=t([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]]))
    ag.manual_seed(0)
    s = d.sample((1000,))
    assert s.shape == (1000, 2)
    assert (s.data[:, 0] == 1).all() and (s.data[:, 1] != 1).all()


def test_bernoulli_log_prob_entropy_and_sampling():
    p = np.array([0.2, 0.9])
    d = Bernoulli(probs=t(p))
    x = np.array([1.0, 0.0])
    np.testing.assert_allclose(d.log_prob(t(x)).data, x * np.log(p) + (1 - x) * np.log1p(-p))
    np.testing.assert_allclose(d.entropy().data, -(p * np.log(p) + (1 - p) * np.log1p(-p)))
    np.testing.assert_allclose(Bernoulli(logits=t([0.0])).probs.data, [0.5])
    ag.manual_seed(0)
    s = d.sample((20000,))
    assert s.shape == (20000, 2) and s.dtype == np.float64
    np.testing.assert_allclose(s.data.mean(0), p, atol=0.01)
    with pytest.raises(ValueError, match="probs"):
        Bernoulli(probs=t([1.5]))


def test_uniform():
    d = Uniform(t([0.0, -1.0]), t([2.0, 3.0]))
    np.testing.assert_allclose(d.log_prob(t([1.0, 0.0])).data, -np.log([2.0, 4.0]))
    np.testing.assert_allclose(d.entropy().data, np.log([2.0, 4.0]))
    np.testing.assert_allclose(d.mean.data, [1.0, 1.0])
    np.testing.assert_allclose(d.variance.data, np.array([4.0, 16.0]) / 12)
    ag.manual_seed(0)
    s = d.sample((10000,))
    assert ((s.data >= [0.0, -1.0]) & (s.data < [2.0, 3.0])).all()
    np.testing.assert_allclose(s.data.mean(0), [1.0, 1.0], atol=0.05)
    with pytest.raises(ValueError, match="low"):
        Uniform(t([1.0]), t([0.0]))


def test_kl_normal_normal_closed_form():
    m1, s1, m2, s2 = 0.5, 1.5, -1.0, 0.7
    kl = kl_divergence(Normal(t(m1), t(s1)), Normal(t(m2), t(s2)))
    expected = math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
    np.testing.assert_allclose(kl.data, expected)
    same = ag.distributions.kl.kl_divergence(Normal(t(m1), t(s1)), Normal(t(m1), t(s1)))
    np.testing.assert_allclose(same.data, 0.0, atol=1e-15)


def test_kl_categorical_closed_form_and_zeros():
    p, q = np.array([0.1, 0.6, 0.3]), np.array([0.3, 0.3, 0.4])
    kl = kl_divergence(Categorical(probs=t(p)), Categorical(probs=t(q)))
    np.testing.assert_allclose(kl.data, (p * np.log(p / q)).sum())
    zero_p = kl_divergence(Categorical(probs=t([0.0, 1.0])), Categorical(probs=t([0.5, 0.5])))
    np.testing.assert_allclose(zero_p.data, math.log(2.0))
    inf = kl_divergence(Categorical(probs=t([0.5, 0.5])), Categorical(probs=t([0.0, 1.0])))
    assert inf.item() == math.inf


def test_kl_gradients_and_missing_pairs():
    assert gradcheck(
        lambda m, s: kl_divergence(Normal(m, s), Normal(0.0, 1.0)),
        [t([0.5, -1.0], True), t([1.5, 0.2], True)],
    )
    with pytest.raises(NotImplementedError, match="Normal.*Categorical"):
        kl_divergence(Normal(0.0, 1.0), Categorical(probs=t([0.5, 0.5])))


def test_icdf_inverts_cdf():
    p = t([0.01, 0.3, 0.5, 0.999])
    normal = Normal(t([1.0, -2.0, 0.0, 3.0]), t([0.5, 2.0, 1.0, 0.1]))
    np.testing.assert_allclose(normal.cdf(normal.icdf(p)).data, p.data, rtol=1e-13)
    uniform = Uniform(t([0.0, -1.0, 2.0, 5.0]), t([1.0, 3.0, 2.5, 9.0]))
    np.testing.assert_allclose(uniform.cdf(uniform.icdf(p)).data, p.data, rtol=1e-14)
    assert gradcheck(
        lambda q, s: Normal(t([0.3, -1.0]), s).icdf(q), [t([0.2, 0.9], True), t([1.5, 0.2], True)]
    )


def test_uniform_upper_end_passes_validation_with_zero_density():
    d = Uniform(t([0.0, -1.0]), t([1.0, 3.0]))
    assert np.all(d.log_prob(t([1.0, 3.0])).data == -np.inf)
    assert np.all(d.cdf(t([1.0, 3.0])).data == 1.0)
    with pytest.raises(ValueError, match="support"):
        d.log_prob(t([1.5, 0.0]))


def test_kl_between_uniform_and_normal():
    p, q = Uniform(t([0.0, -1.0]), t([1.0, 3.0])), Normal(t([0.2, 0.5]), t([1.0, 2.0]))
    # E_p[log p - log q] by the midpoint rule over p's interval
    for i in range(2):
        lo, hi = p.low.data[i], p.high.data[i]
        x = lo + (np.arange(200000) + 0.5) / 200000 * (hi - lo)
        m, s = q.loc.data[i], q.scale.data[i]
        log_q = -((x - m) ** 2) / (2 * s**2) - math.log(s * math.sqrt(2 * math.pi))
        expected = np.mean(-math.log(hi - lo) - log_q)
        assert kl_divergence(p, q).data[i] == pytest.approx(expected, rel=1e-9)
    assert np.all(kl_divergence(q, p).data == np.inf)
    assert gradcheck(
        lambda lo, m: kl_divergence(Uniform(lo, t([2.0, 3.0])), Normal(m, t([1.0, 2.0]))),
        [t([0.0, -1.0], True), t([0.2, 0.5], True)],
    )


def test_expand_repeats_the_distribution_over_a_batch_and_keeps_validation():
    cases = [
        (Uniform(t([0.0, 1.0]), t([1.0, 3.0])), (4, 2), t([0.5, 2.0])),
        (Normal(t([0.0, 1.0]), t([1.0, 3.0])), (4, 2), t([0.5, 2.0])),
        (Bernoulli(t([0.2, 0.7])), (4, 2), t([1.0, 0.0])),
        (Bernoulli(logits=t([0.2, -0.7])), (4, 2), t([1.0, 0.0])),
        (Categorical(t([0.2, 0.3, 0.5])), (4,), Tensor(np.array(2))),
    ]
    for d, shape, value in cases:
        e = d.expand(shape)
        assert tuple(e.batch_shape) == shape and tuple(e.sample().shape) == shape
        np.testing.assert_allclose(
            e.log_prob(value).data, np.broadcast_to(d.log_prob(value).data, shape), rtol=1e-15
        )
        assert e._validate_args == d._validate_args
    with pytest.raises(ValueError, match="support"):
        Bernoulli(t([0.2, 0.7])).expand((3, 2)).log_prob(t([0.5, 1.0]))
