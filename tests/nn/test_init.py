"""nn.init: gains, fans, and the distributions' bounds and spreads."""

import math
import warnings

import numpy as np
import pytest

import autograd
import nn
from nn import init
from nn.init import _calculate_fan_in_and_fan_out


def param(*shape, dtype=np.float32):
    return nn.Parameter(np.zeros(shape, dtype=dtype))


@pytest.mark.parametrize(
    "nonlinearity, param_, gain",
    [
        ("linear", None, 1.0),
        ("conv2d", None, 1.0),
        ("sigmoid", None, 1.0),
        ("tanh", None, 5 / 3),
        ("relu", None, math.sqrt(2)),
        ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
        ("leaky_relu", 0.25, math.sqrt(2 / (1 + 0.25**2))),  # PReLU's initial slope
        ("leaky_relu", math.sqrt(5), math.sqrt(1 / 3)),  # what Linear uses
        ("selu", None, 0.75),
    ],
)
def test_calculate_gain(nonlinearity, param_, gain):
    assert init.calculate_gain(nonlinearity, param_) == pytest.approx(gain, rel=1e-15)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="unsupported nonlinearity 'cube'"):
        init.calculate_gain("cube")
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", True)


@pytest.mark.parametrize(
    "shape, fans",
    [((5, 3), (3, 5)), ((8, 4, 3, 3), (36, 72)), ((2, 6, 5), (30, 10))],
)
def test_fans_follow_out_in_kernel_layout(shape, fans):
    assert _calculate_fan_in_and_fan_out(param(*shape)) == fans


def test_fans_need_two_dimensions():
    with pytest.raises(ValueError, match=r"fewer than 2 dimensions \(shape \(4,\)\)"):
        init.xavier_uniform_(param(4))


def test_fill_functions_work_in_place_and_return_the_tensor():
    p = param(3, 2)
    storage = p.data
    assert init.ones_(p) is p and p.data is storage and np.all(p.data == 1)
    assert init.zeros_(p) is p and np.all(p.data == 0)
    assert init.constant_(p, 0.3) is p and np.all(p.data == np.float32(0.3))
    assert p.dtype == np.float32
    a = np.zeros(4)
    assert init.constant_(a, 2.0) is a and np.all(a == 2.0)


def test_fills_do_not_record_in_the_graph():
    p = param(2, 2)
    init.normal_(p)
    assert p.is_leaf and p.grad is None and p.requires_grad


def test_uniform_bounds_and_moments():
    autograd.manual_seed(0)
    p = init.uniform_(param(200, 200, dtype=np.float64), -2.0, 3.0)
    assert p.data.min() >= -2.0 and p.data.max() < 3.0
    assert abs(p.data.mean() - 0.5) < 0.03
    assert abs(p.data.std() - 5 / math.sqrt(12)) < 0.02
    with pytest.raises(ValueError, match="a <= b"):
        init.uniform_(p, 1.0, 0.0)


def test_normal_moments_and_keeps_float32():
    autograd.manual_seed(0)
    p = init.normal_(param(200, 200), mean=1.0, std=0.5)
    assert p.dtype == np.float32
    assert abs(p.data.mean() - 1.0) < 0.01 and abs(p.data.std() - 0.5) < 0.01


def test_xavier_uniform_bound_and_std():
    autograd.manual_seed(0)
    p = init.xavier_uniform_(param(300, 500), gain=2.0)
    bound = 2.0 * math.sqrt(6 / (300 + 500))
    assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.99 * bound
    assert abs(p.data.std() - 2.0 * math.sqrt(2 / 800)) < 0.01 * 2.0 * math.sqrt(2 / 800)


def test_xavier_normal_std():
    autograd.manual_seed(0)
    p = init.xavier_normal_(param(300, 500))
    assert abs(p.data.std() - math.sqrt(2 / 800)) < 0.01 * math.sqrt(2 / 800)


def test_kaiming_normal_is_he_initialisation():
    # He et al.: std = sqrt(2 / fan_in) for ReLU keeps the forward variance
    autograd.manual_seed(0)
    p = init.kaiming_normal_(param(400, 250), nonlinearity="relu")
    assert abs(p.data.std() - math.sqrt(2 / 250)) < 0.01 * math.sqrt(2 / 250)
    p = init.kaiming_normal_(param(400, 250), mode="fan_out", nonlinearity="relu")
    assert abs(p.data.std() - math.sqrt(2 / 400)) < 0.01 * math.sqrt(2 / 400)


def test_kaiming_uniform_bound_with_leaky_slope():
    autograd.manual_seed(0)
    a = 0.25
    p = init.kaiming_uniform_(param(300, 100, 2), a=a)
    std = math.sqrt(2 / (1 + a**2)) / math.sqrt(200)
    bound = math.sqrt(3) * std
    assert np.abs(p.data).max() <= bound * (1 + 1e-6) and np.abs(p.data).max() > 0.99 * bound
    assert abs(p.data.std() - std) < 0.01 * std


def test_kaiming_errors_and_empty_tensor():
    with pytest.raises(ValueError, match="mode 'fan_avg' not supported"):
        init.kaiming_uniform_(param(2, 2), mode="fan_avg")
    with pytest.raises(ValueError, match="unsupported nonlinearity"):
        init.kaiming_normal_(param(2, 2), nonlinearity="cube")
    empty = param(0, 3)
    assert init.kaiming_uniform_(empty) is empty


def test_random_fills_refuse_integer_tensors_and_non_tensors():
    with pytest.raises(TypeError, match="floating-point"):
        init.normal_(np.zeros(3, dtype=np.int64))
    with pytest.raises(TypeError, match="Tensor or ndarray"):
        init.normal_([0.0, 0.0])


def test_manual_seed_and_explicit_generator_repeat():
    autograd.manual_seed(3)
    a = init.normal_(param(5)).data.copy()
    autograd.manual_seed(3)
    b = init.normal_(param(5)).data.copy()
    assert np.array_equal(a, b)
    c = init.normal_(param(5), generator=np.random.default_rng(9)).data.copy()
    d = init.normal_(param(5), generator=np.random.default_rng(9)).data.copy()
    assert np.array_equal(c, d)


def test_trunc_normal_stays_inside_bounds_with_the_truncated_moments():
    t = autograd.empty(20000)
    assert init.trunc_normal_(t, mean=0.5, std=1.0, a=-0.5, b=1.5) is t
    x = t.data
    assert x.min() >= -0.5 and x.max() <= 1.5 and x.dtype == np.float32
    # N(0.5, 1) truncated to +-1 std: mean 0.5, variance 1 - 2 phi(1) / (2 Phi(1) - 1)
    phi = math.exp(-0.5) / math.sqrt(2 * math.pi)
    var = 1 - 2 * phi / math.erf(1 / math.sqrt(2))
    assert abs(x.mean() - 0.5) < 0.02 and abs(x.var() - var) < 0.01
    with pytest.warns(UserWarning, match="2 std"):  # far in the tail: filled all the same
        far = init.trunc_normal_(autograd.empty(3), a=30.0, b=31.0).data
    assert far.min() >= 30.0 and far.max() <= 31.0
    with pytest.raises(ValueError, match="a < b"):
        init.trunc_normal_(autograd.empty(3), a=1.0, b=1.0)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 2, 3)])
def test_orthogonal_gives_orthonormal_rows_or_columns_times_gain(shape):
    w = autograd.empty(*shape, dtype=autograd.float64)
    init.orthogonal_(w, gain=2.0)
    flat = w.data.reshape(shape[0], -1)
    small = min(flat.shape)
    gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
    np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-12)
    with pytest.raises(ValueError, match="2 or more dims"):
        init.orthogonal_(autograd.empty(3))


def test_eye_and_dirac_fill_identities():
    e = init.eye_(autograd.empty(2, 3))
    np.testing.assert_array_equal(e.data, [[1, 0, 0], [0, 1, 0]])
    w = init.dirac_(autograd.empty(4, 2, 3, 3), groups=2)
    assert w.data.sum() == 4 and w.data[0, 0, 1, 1] == w.data[3, 1, 1, 1] == 1
    x = autograd.tensor(np.random.default_rng(0).normal(size=(1, 4, 5, 5)).astype(np.float32))
    conv = nn.Conv2d(4, 4, 3, padding=1, bias=False)
    init.dirac_(conv.weight)
    np.testing.assert_allclose(conv(x).data, x.data, atol=1e-6)  # the identity convolution
    with pytest.raises(ValueError, match="2-d"):
        init.eye_(autograd.empty(2, 2, 2))


def test_sparse_zeroes_a_fraction_of_every_column():
    s = init.sparse_(autograd.empty(10, 6), sparsity=0.25, std=0.5)
    assert ((s.data == 0).sum(axis=0) >= 3).all()  # ceil(0.25 * 10) per column
    assert s.data[s.data != 0].std() > 0.2


def test_init_counts_as_an_in_place_write_and_fills_integer_identities():
    q = nn.Parameter(np.ones((2, 2), dtype=np.float32))
    y = (q * q).sum()
    init.eye_(q)
    with pytest.raises(RuntimeError, match="in-place"):
        y.backward()
    e = autograd.zeros(2, 2, dtype=autograd.int64)
    assert init.eye_(e).tolist() == [[1, 0], [0, 1]]


@pytest.mark.parametrize(
    "mean, std, a, b",
    [(0.0, 1.0, 5.0, 6.0), (0.0, 1.0, 3.0, 6.0), (1.0, 2.0, -1.0, 2.0), (0.0, 0.1, -10.0, 0.5)],
)
def test_trunc_normal_follows_the_truncated_distribution_even_far_in_the_tail(mean, std, a, b):
    t = autograd.empty(20000, dtype=autograd.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning when the mean is far from [a, b]
        init.trunc_normal_(t, mean, std, a, b, generator=np.random.default_rng(0))
    x = np.sort(t.data)
    assert x[0] >= a and x[-1] <= b

    def phi(v: float) -> float:
        return 0.5 * (1 + math.erf((v - mean) / std / math.sqrt(2)))

    cdf = (np.vectorize(phi)(x) - phi(a)) / (phi(b) - phi(a))
    ks = np.max(np.abs(cdf - np.arange(1, x.size + 1) / x.size))
    assert ks < 0.012  # Kolmogorov-Smirnov, n = 20000: 0.0115 is the 0.1% critical value


def test_trunc_normal_warns_when_the_mean_is_far_from_the_bounds():
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        init.trunc_normal_(autograd.empty(3), a=3.0, b=4.0)


def test_old_names_without_underscore_fill_and_warn():
    t = autograd.empty(2, 3)
    with pytest.warns(FutureWarning, match="nn.init.constant` is now deprecated in favor of"):
        assert init.constant(t, 0.5) is t
    assert np.all(t.data == 0.5)
    for name in ("uniform", "normal", "xavier_uniform", "xavier_normal", "kaiming_uniform",
                 "kaiming_normal", "orthogonal", "eye"):  # fmt: skip
        with pytest.warns(FutureWarning, match=f"nn.init.{name}_"):
            getattr(init, name)(t)
    with pytest.warns(FutureWarning):
        init.sparse(t, 0.5)
    with pytest.warns(FutureWarning):
        init.dirac(autograd.empty(2, 2, 3))
