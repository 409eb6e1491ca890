"""Activation primitives (autograd/ops/activations.py): values against numpy formulas written
here, derivatives against the notes' formulas and against central differences (first and
second order), extreme inputs, dtypes, and bad arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value
from autograd.ops.activations import LogSoftmax, PReLU, Softmax
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import floats, gradient_property, tensors, values

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def _erf(x: np.ndarray) -> np.ndarray:
    return np.array([math.erf(v) for v in np.ravel(x)]).reshape(np.shape(x))


def _sig(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# name -> (call on a node, numpy reference for moderate x, kinks to avoid)
CASES = {
    "sigmoid": (lambda t: t.sigmoid(), _sig, ()),
    "tanh": (
        lambda t: t.tanh(),
        lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)),
        (),
    ),
    "relu": (lambda t: t.relu(), lambda x: np.maximum(x, 0.0), (0.0,)),
    "leaky_relu": (lambda t: t.leaky_relu(), lambda x: np.where(x > 0, x, 0.01 * x), (0.0,)),
    "leaky_relu_0.2": (
        lambda t: t.leaky_relu(0.2),
        lambda x: np.where(x > 0, x, 0.2 * x),
        (0.0,),
    ),
    "elu": (lambda t: t.elu(), lambda x: np.where(x > 0, x, np.exp(x) - 1), (0.0,)),
    "elu_0.5": (lambda t: t.elu(0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1)), (0.0,)),
    "selu": (
        lambda t: t.selu(),
        lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1)),
        (0.0,),
    ),
    "softplus": (lambda t: t.softplus(), lambda x: np.log(1 + np.exp(x)), ()),
    "softplus_beta2_thr5": (
        lambda t: t.softplus(2.0, 5.0),
        lambda x: np.where(2 * x > 5, x, np.log(1 + np.exp(2 * x)) / 2),
        (2.5,),
    ),
    "silu": (lambda t: t.silu(), lambda x: x / (1 + np.exp(-x)), ()),
    "swish_1.7": (lambda t: t.swish(1.7), lambda x: x / (1 + np.exp(-1.7 * x)), ()),
    "mish": (lambda t: t.mish(), lambda x: x * np.tanh(np.log(1 + np.exp(x))), ()),
    "gelu": (lambda t: t.gelu(), lambda x: x * 0.5 * (1 + _erf(x / np.sqrt(2))), ()),
    "gelu_tanh": (
        lambda t: t.gelu("tanh"),
        lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
        (),
    ),
    "hardtanh": (lambda t: t.hardtanh(), lambda x: np.clip(x, -1, 1), (-1.0, 1.0)),
    "hardtanh_-2_0.5": (
        lambda t: t.hardtanh(-2.0, 0.5),
        lambda x: np.clip(x, -2, 0.5),
        (-2.0, 0.5),
    ),
    "step": (lambda t: t.step(), lambda x: (x >= 0).astype(float), (0.0,)),
}

NAMES = sorted(CASES)


# --- values -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@given(data=st.lists(floats(-10, 10), min_size=1, max_size=6))
def test_tensor_values_match_numpy_formula(name, data):
    fn, ref, _ = CASES[name]
    x = np.array(data)
    np.testing.assert_allclose(fn(Tensor(x)).data, ref(x), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", NAMES)
@given(x=floats(-10, 10))
def test_value_matches_tensor(name, x):
    fn, ref, _ = CASES[name]
    y = fn(Value(x))
    assert type(y.data) is float
    assert y.data == pytest.approx(float(ref(np.array(x))), rel=1e-12, abs=1e-14)


# --- derivatives: finite differences, first and second order ------------------------------

for _name in NAMES:
    _fn, _, _kinks = CASES[_name]
    _key = _name.replace(".", "_").replace("-", "m")
    globals()[f"test_gradients_tensor_{_key}"] = gradient_property(
        _fn, tensors(max_dims=2, max_side=3, avoid=_kinks, min_distance=1e-2)
    )
    globals()[f"test_gradients_value_{_key}"] = gradient_property(
        _fn, values(avoid=_kinks, min_distance=1e-2)
    )


# --- derivatives: the notes' formulas ------------------------------------------------------

X = np.array([-7.5, -3.0, -1.2, -0.4, 0.3, 0.9, 2.5, 6.0])


def _grad_of(fn, x: np.ndarray) -> np.ndarray:
    t = Tensor(x, requires_grad=True)
    fn(t).backward(np.ones_like(x))
    return t.grad


def _mish_notes(z):
    omega = np.exp(3 * z) + 4 * np.exp(2 * z) + (6 + 4 * z) * np.exp(z) + 4 * (z + 1)
    delta = (np.exp(z) + 1) ** 2 + 1
    return np.exp(z) * omega / delta**2


def _swish_notes(z, beta):
    s = z * _sig(beta * z)
    return beta * s + _sig(beta * z) * (1 - beta * s)


NOTES_DERIVATIVES = {
    "sigmoid": (lambda t: t.sigmoid(), lambda z: _sig(z) * (1 - _sig(z))),
    "tanh": (lambda t: t.tanh(), lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda t: t.relu(), lambda z: (z > 0).astype(float)),
    "softplus": (lambda t: t.softplus(), _sig),
    "leaky_relu": (lambda t: t.leaky_relu(0.1), lambda z: np.where(z > 0, 1.0, 0.1)),
    "elu": (lambda t: t.elu(0.7), lambda z: np.where(z >= 0, 1.0, 0.7 * np.exp(z))),
    "swish": (lambda t: t.swish(1.3), lambda z: _swish_notes(z, 1.3)),
    "silu": (lambda t: t.silu(), lambda z: _swish_notes(z, 1.0)),
    "mish": (lambda t: t.mish(), _mish_notes),
    "gelu": (
        lambda t: t.gelu(),
        lambda z: 0.5 * (1 + _erf(z / np.sqrt(2))) + z * np.exp(-z * z / 2) / np.sqrt(2 * np.pi),
    ),
    "step": (lambda t: t.step(), lambda z: np.zeros_like(z)),
}


@pytest.mark.parametrize("name", sorted(NOTES_DERIVATIVES))
def test_derivative_is_the_notes_formula(name):
    fn, derivative = NOTES_DERIVATIVES[name]
    np.testing.assert_allclose(_grad_of(fn, X), derivative(X), rtol=1e-10, atol=1e-14)


def test_sigmoid_derivative_peaks_at_a_quarter():
    # the notes: "the maximum value for the derivative is 0.25 for z = 0"
    v = Value(0.0)
    v.sigmoid().backward()
    assert v.grad == 0.25


def test_tanh_is_a_rescaled_sigmoid():
    # the notes: tanh(z) = 2 sigma(2z) - 1
    x = Tensor(X)
    np.testing.assert_allclose(x.tanh().data, 2 * (2 * x).sigmoid().data - 1, atol=1e-15)


def test_derivatives_at_zero_follow_pytorch():
    # relu' = 0, leaky' = slope, elu' = alpha, selu' = scale * alpha, hardtanh' = 0 at its
    # bounds (the notes leave the kink open, except ELU'(0) = 1; PyTorch's alpha is used)
    cases = [
        (lambda v: v.relu(), 0.0, 0.0),
        (lambda v: v.leaky_relu(0.3), 0.0, 0.3),
        (lambda v: v.elu(0.5), 0.0, 0.5),
        (lambda v: v.selu(), 0.0, SELU_SCALE * SELU_ALPHA),
        (lambda v: v.hardtanh(), 1.0, 0.0),
        (lambda v: v.hardtanh(), -1.0, 0.0),
        (lambda v: v.step(), 0.0, 0.0),
    ]
    for fn, at, expected in cases:
        v = Value(at)
        fn(v).backward()
        assert v.grad == pytest.approx(expected, rel=1e-15)


# --- extreme inputs ------------------------------------------------------------------------

# name -> (call, f(L) and f(-L) as functions of L, f'(L), f'(-L))
LIMITS = {
    "sigmoid": (lambda t: t.sigmoid(), lambda L: 1.0, lambda L: 0.0, 0.0, 0.0),
    "tanh": (lambda t: t.tanh(), lambda L: 1.0, lambda L: -1.0, 0.0, 0.0),
    "relu": (lambda t: t.relu(), lambda L: L, lambda L: 0.0, 1.0, 0.0),
    "leaky_relu": (lambda t: t.leaky_relu(), lambda L: L, lambda L: -0.01 * L, 1.0, 0.01),
    "elu": (lambda t: t.elu(), lambda L: L, lambda L: -1.0, 1.0, 0.0),
    "selu": (
        lambda t: t.selu(),
        lambda L: SELU_SCALE * L,
        lambda L: -SELU_SCALE * SELU_ALPHA,
        SELU_SCALE,
        0.0,
    ),
    "softplus": (lambda t: t.softplus(), lambda L: L, lambda L: 0.0, 1.0, 0.0),
    "softplus_no_threshold": (
        lambda t: t.softplus(1.0, math.inf),
        lambda L: L,
        lambda L: 0.0,
        1.0,
        0.0,
    ),
    "silu": (lambda t: t.silu(), lambda L: L, lambda L: 0.0, 1.0, 0.0),
    "swish": (lambda t: t.swish(0.5), lambda L: L, lambda L: 0.0, 1.0, 0.0),
    "mish": (lambda t: t.mish(), lambda L: L, lambda L: 0.0, 1.0, 0.0),
    "gelu": (lambda t: t.gelu(), lambda L: L, lambda L: 0.0, 1.0, 0.0),
    "gelu_tanh": (lambda t: t.gelu("tanh"), lambda L: L, lambda L: 0.0, 1.0, 0.0),
    "hardtanh": (lambda t: t.hardtanh(), lambda L: 1.0, lambda L: -1.0, 0.0, 0.0),
    "step": (lambda t: t.step(), lambda L: 1.0, lambda L: 0.0, 0.0, 0.0),
}

BIG = {np.float64: [1e3, 1e4, 1e30, 1e300], np.float32: [1e3, 1e4, 1e30]}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(LIMITS))
def test_extreme_tensor_inputs_reach_the_right_limits(name, dtype):
    fn, at_pos, at_neg, slope_pos, slope_neg = LIMITS[name]
    big = np.array(BIG[dtype], dtype=dtype)
    x = Tensor(np.concatenate([big, -big]), requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = fn(x)
        y.backward(np.ones_like(x.data))
    assert y.dtype == dtype and x.grad.dtype == dtype
    n = len(big)
    expected = [at_pos(float(L)) for L in big] + [at_neg(float(L)) for L in big]
    np.testing.assert_allclose(y.data, np.array(expected, dtype=dtype), rtol=1e-6, atol=1e-30)
    np.testing.assert_allclose(x.grad[:n], slope_pos, rtol=1e-6, atol=1e-30)
    np.testing.assert_allclose(x.grad[n:], slope_neg, rtol=1e-6, atol=1e-30)


@pytest.mark.parametrize("name", sorted(LIMITS))
@pytest.mark.parametrize("L", [1e3, 1e4, 1e300])
def test_extreme_value_inputs_reach_the_right_limits(name, L):
    fn, at_pos, at_neg, slope_pos, slope_neg = LIMITS[name]
    for x, value, slope in ((L, at_pos(L), slope_pos), (-L, at_neg(L), slope_neg)):
        v = Value(x)
        y = fn(v)
        y.backward()
        assert y.data == pytest.approx(value, rel=1e-12, abs=1e-30)
        assert v.grad == pytest.approx(slope, rel=1e-12, abs=1e-30)


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_second_derivative_stays_finite_at_extremes(name):
    from autograd import grad

    fn = LIMITS[name][0]
    x = Tensor(np.array([-1e4, -1e3, 1e3, 1e4]), requires_grad=True)
    (g,) = grad(fn(x).sum(), x, create_graph=True)
    if g.requires_grad:
        (gg,) = grad(g.sum(), x, allow_unused=True)
        assert gg is None or np.all(np.isfinite(gg.data))
    assert np.all(np.isfinite(g.data))


def test_softplus_keeps_precision_in_the_lower_tail():
    # log(1 + e^-40) = e^-40 to double precision; a naive log(1 + e^x) gives 0
    assert Value(-40.0).softplus().data == pytest.approx(math.exp(-40), rel=1e-12)
    assert Tensor(np.array([-40.0])).softplus().data[0] == pytest.approx(math.exp(-40), rel=1e-12)


def test_gelu_keeps_precision_in_the_lower_tail():
    # x * Phi(x) at x = -10: Phi(-10) = 7.6e-24, which 1 + erf(x / sqrt 2) would round to 0
    phi = 0.5 * math.erfc(10 / math.sqrt(2))
    assert Value(-10.0).gelu().data == pytest.approx(-10 * phi, rel=1e-12)
    assert Tensor(np.array([-10.0])).gelu().data[0] == pytest.approx(-10 * phi, rel=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_float32_stays_float32(name):
    fn = CASES[name][0]
    x = Tensor(np.linspace(-3, 3, 7, dtype=np.float32), requires_grad=True)
    y = fn(x)
    y.sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
    np.testing.assert_allclose(
        y.data, fn(Tensor(x.data.astype(np.float64))).data, rtol=1e-5, atol=1e-6
    )


def test_numpy_float64_arguments_do_not_promote_float32():
    x = Tensor(np.array([-1.0, 2.0], dtype=np.float32))
    for y in (
        x.leaky_relu(np.float64(0.2)),
        x.elu(np.float64(0.5)),
        x.softplus(np.float64(2.0), np.float64(10.0)),
        x.swish(np.float64(1.5)),
        x.hardtanh(np.float64(-0.5), np.float64(0.5)),
    ):
        assert y.dtype == np.float32


# --- swish's trainable beta ---------------------------------------------------------------


@given(
    x=tensors(shape=(2, 3), min_value=-5, max_value=5),
    beta=tensors(shape=st.sampled_from([(), (1,), (3,)]), min_value=-3, max_value=3),
)
def test_swish_beta_tensor_gradients(x, beta):
    gradcheck(lambda a, b: a.swish(b), [x, beta])
    gradgradcheck(lambda a, b: a.swish(b), [x, beta])


@given(x=values(-5, 5), beta=values(-3, 3))
def test_swish_beta_value_gradients(x, beta):
    gradcheck(lambda a, b: a.swish(b), [x, beta])
    gradgradcheck(lambda a, b: a.swish(b), [x, beta])


def test_swish_beta_gradient_formula():
    # dS/dbeta = x^2 sigma(beta x) (1 - sigma(beta x)), summed over the positions sharing beta
    x = Tensor(X)
    beta = Tensor(np.array(0.8), requires_grad=True)
    x.swish(beta).sum().backward()
    s = _sig(0.8 * X)
    assert beta.grad.shape == ()
    assert float(beta.grad) == pytest.approx(np.sum(X**2 * s * (1 - s)), rel=1e-12)


def test_swish_limits_in_beta():
    # the notes: beta = 0 gives x / 2 (a scaled linear function); beta -> inf gives relu
    x = Tensor(X)
    np.testing.assert_allclose(x.swish(0.0).data, X / 2)
    np.testing.assert_allclose(x.swish(1e4).data, np.maximum(X, 0), atol=1e-12)


# --- prelu -----------------------------------------------------------------------------------


@given(
    x=tensors(shape=(2, 3, 2), avoid=(0.0,), min_distance=1e-2),
    w=tensors(shape=st.sampled_from([(1,), (3,), ()]), min_value=-1, max_value=1),
)
def test_prelu_gradients_for_input_and_slopes(x, w):
    gradcheck(PReLU.apply, [x, w])
    gradgradcheck(PReLU.apply, [x, w])


@given(x=values(avoid=(0.0,), min_distance=1e-2), w=values(-1, 1))
def test_prelu_value_gradients(x, w):
    gradcheck(PReLU.apply, [x, w])
    gradgradcheck(PReLU.apply, [x, w])


def test_prelu_slope_gradient_is_the_papers_sum():
    # d eps / d a_c = sum over the channel's positions of g * (0 if y > 0 else y)
    rng = np.random.default_rng(1)
    x_data = rng.normal(size=(4, 3, 5))
    g = rng.normal(size=x_data.shape)
    w = Tensor(np.array([0.25, 0.1, -0.2]), requires_grad=True)
    x = Tensor(x_data, requires_grad=True)
    y = PReLU.apply(x, w)
    y.backward(g)
    a = w.data.reshape(1, 3, 1)
    np.testing.assert_allclose(y.data, np.where(x_data > 0, x_data, a * x_data))
    np.testing.assert_allclose(w.grad, np.sum(g * np.where(x_data > 0, 0, x_data), axis=(0, 2)))
    np.testing.assert_allclose(x.grad, g * np.where(x_data > 0, 1, a))
    shared = Tensor(np.array([0.25]), requires_grad=True)
    PReLU.apply(Tensor(x_data), shared).backward(g)
    assert shared.grad.shape == (1,)
    assert shared.grad[0] == pytest.approx(np.sum(g * np.minimum(x_data, 0)))


def test_prelu_rejects_a_slope_count_that_is_not_the_channel_count():
    with pytest.raises(ValueError, match=r"3 slopes.*shape \(2, 4\).*4 channels"):
        PReLU.apply(Tensor(np.ones((2, 4))), Tensor(np.ones(3)))
    with pytest.raises(ValueError, match=r"weight must be 0-d or 1-d.*\(1, 3\)"):
        PReLU.apply(Tensor(np.ones((2, 3))), Tensor(np.ones((1, 3))))
    with pytest.raises(ValueError, match="1 channels"):
        PReLU.apply(Tensor(np.ones(3)), Tensor(np.ones(3)))


# --- softmax / log_softmax ------------------------------------------------------------------


def test_the_notes_softmax_example_is_finite_and_correct():
    x = Tensor(np.array([20.0, 134.0, 854.0]))
    s = Softmax.apply(x, -1).data
    # the notes' stable_softmax prints [0.0000000e+000 2.0322308e-313 1.0000000e+000]
    assert s[0] == 0.0 and s[2] == 1.0
    assert s[1] == pytest.approx(2.0322308e-313, rel=1e-7)
    assert s[1] == np.exp(134.0 - 854.0)
    np.testing.assert_array_equal(LogSoftmax.apply(x, -1).data, [-834.0, -720.0, 0.0])
    s32 = Softmax.apply(Tensor(np.array([20, 134, 854], dtype=np.float32)), -1)
    assert s32.dtype == np.float32
    np.testing.assert_array_equal(s32.data, [0.0, 0.0, 1.0])


@given(
    x=tensors(shape=(3, 4), min_value=-50, max_value=50, requires_grad=False),
    axis=st.sampled_from([0, 1, -1]),
)
def test_softmax_is_a_distribution_and_matches_the_formula(x, axis):
    s = Softmax.apply(x, axis).data
    np.testing.assert_allclose(s.sum(axis=axis), 1.0, rtol=1e-12)
    e = np.exp(x.data - x.data.max(axis=axis, keepdims=True))
    np.testing.assert_allclose(s, e / e.sum(axis=axis, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(LogSoftmax.apply(x, axis).data, np.log(s), rtol=1e-10, atol=1e-12)
    # only differences matter: S(z + beta) = S(z)
    np.testing.assert_allclose(Softmax.apply(x + 1e3, axis).data, s, rtol=1e-9, atol=1e-300)


def test_softmax_jacobian_is_the_notes_formula():
    # dS_i / dz_j = S_i (delta_ij - S_j)
    z = np.array([0.3, -1.2, 2.0, 0.7])
    s = np.exp(z) / np.exp(z).sum()
    expected = np.diag(s) - np.outer(s, s)
    for i in range(4):
        x = Tensor(z, requires_grad=True)
        Softmax.apply(x, 0)[i].backward()
        np.testing.assert_allclose(x.grad, expected[i], rtol=1e-12, atol=1e-15)


for _op in (Softmax, LogSoftmax):
    for _axis in (0, -1):
        globals()[f"test_gradients_{_op.__name__.lower()}_axis{_axis % 3}"] = gradient_property(
            lambda t, op=_op, axis=_axis: op.apply(t, axis),
            tensors(min_dims=1, max_dims=2, max_side=3, min_value=-20, max_value=20),
        )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_softmax_and_softmax_finite_for_huge_logits(dtype):
    x = Tensor(np.array([[1e4, -1e4, 0.0], [1e30, 1e30, -1e30]], dtype=dtype), requires_grad=True)
    y = LogSoftmax.apply(x, 1)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y.backward(np.ones_like(x.data))
    assert y.dtype == dtype
    np.testing.assert_allclose(y.data[0], [0.0, -2e4, -1e4], rtol=1e-6)
    np.testing.assert_allclose(y.data[1, :2], [-math.log(2)] * 2, rtol=1e-6)
    assert np.all(np.isfinite(x.grad))
    s = Softmax.apply(Tensor(x.data), 1).data
    np.testing.assert_allclose(s, [[1, 0, 0], [0.5, 0.5, 0]], atol=1e-7)


def test_softmax_edge_shapes_and_bad_axis():
    assert Softmax.apply(Tensor(np.array(3.0)), -1).data == 1.0
    assert LogSoftmax.apply(Tensor(np.array(3.0)), 0).data == 0.0
    with np.errstate(all="raise"):
        assert Softmax.apply(Tensor(np.zeros((0, 3))), -1).shape == (0, 3)
        assert LogSoftmax.apply(Tensor(np.zeros((3, 0))), -1).shape == (3, 0)
    with pytest.raises(ValueError, match="softmax: dim 2 is out of range.*2 dims"):
        Softmax.apply(Tensor(np.zeros((2, 3))), 2)
    with pytest.raises(ValueError, match="log_softmax: dim -3"):
        LogSoftmax.apply(Tensor(np.zeros((2, 3))), -3)


# --- bad arguments -------------------------------------------------------------------------


def test_bad_arguments_raise_clear_errors():
    x = Tensor(np.ones(3))
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh', got 'erf'"):
        x.gelu("erf")
    with pytest.raises(ValueError, match=r"hardtanh: min_val \(1.0\) is greater than max_val"):
        x.hardtanh(1.0, -1.0)
    with pytest.raises(ValueError, match="softplus: beta must be nonzero"):
        Value(1.0).softplus(0.0)


def test_step_passes_no_gradient_and_identity_passes_it_unchanged():
    from autograd.ops.activations import Identity

    x = Tensor(X, requires_grad=True)
    Identity.apply(x).backward(np.arange(8.0))
    np.testing.assert_array_equal(x.grad, np.arange(8.0))
    x.grad = None
    x.step().backward(np.ones(8))
    np.testing.assert_array_equal(x.grad, np.zeros(8))
    y = Identity.apply(x)
    assert y is not x and np.shares_memory(y.data, x.data)


@given(
    x=st.lists(st.floats(-0.5, 1.5).filter(lambda v: min(abs(v - 0.1), abs(v - 0.9)) > 1e-3),
               min_size=1, max_size=5),
)  # fmt: skip
def test_logit_with_eps_gradient_is_central_differences(x):
    """Inside the clamp [0.1, 0.9]: 1 / (x (1 - x)); outside (the clamped constant): 0."""
    from autograd import special

    t = Tensor(np.array(x), requires_grad=True)
    assert gradcheck(lambda u: special.logit(u, eps=0.1), [t])
    special.logit(t, eps=0.1).sum().backward()
    inside = (t.data >= 0.1) & (t.data <= 0.9)
    np.testing.assert_array_equal(t.grad.data[~inside], 0.0)


def test_logit_with_eps_gradient_is_zero_at_nan():
    from autograd import special

    t = Tensor(np.array([np.nan, 0.5]), requires_grad=True)
    special.logit(t, eps=0.1).sum().backward()
    np.testing.assert_array_equal(t.grad.data, [0.0, 4.0])
