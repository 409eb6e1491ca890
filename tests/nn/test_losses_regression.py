"""Regression losses (l1, mse, huber, smooth_l1, log_cosh): values against the notes'
formulas in numpy, gradients against central differences, Values and Tensors alike."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nn.functional as F
from autograd import Tensor, Value
from autograd.testing import gradcheck, gradgradcheck

from ._losses_support import REDUCTIONS, arrays, away_from, floats, reduce_np, shapes


def l1_np(x, y):
    return np.abs(y - x)


def mse_np(x, y):
    return (y - x) ** 2


def huber_np(x, y, delta=1.0):
    # the notes' code (001): quadratic inside |y - yHat| < delta, linear outside
    return np.where(
        np.abs(y - x) < delta, 0.5 * (y - x) ** 2, delta * (np.abs(y - x) - 0.5 * delta)
    )


def smooth_l1_np(x, y, beta=1.0):
    d = np.abs(x - y)
    return np.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta)


def log_cosh_np(x, y):
    return np.log(np.cosh(x - y))


CASES = {
    "l1_loss": (F.l1_loss, l1_np, {}),
    "mse_loss": (F.mse_loss, mse_np, {}),
    "huber_loss": (F.huber_loss, huber_np, {}),
    "huber_loss_delta": (
        lambda x, y, **k: F.huber_loss(x, y, delta=0.5, **k),
        lambda x, y: huber_np(x, y, 0.5),
        {},
    ),
    "smooth_l1_loss": (F.smooth_l1_loss, smooth_l1_np, {}),
    "smooth_l1_loss_beta": (
        lambda x, y, **k: F.smooth_l1_loss(x, y, beta=2.0, **k),
        lambda x, y: smooth_l1_np(x, y, 2.0),
        {},
    ),
    "log_cosh_loss": (F.log_cosh_loss, log_cosh_np, {}),
}
KINKS = {
    "l1_loss": [0.0],
    "huber_loss": [-1.0, 1.0],
    "huber_loss_delta": [-0.5, 0.5],
    "smooth_l1_loss": [-1.0, 1.0],
    "smooth_l1_loss_beta": [-2.0, 2.0],
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=shapes)
def test_values_match_numpy_formula(name, reduction, data, shape):
    fn, ref, _ = CASES[name]
    x = data.draw(arrays(shape))
    y = data.draw(arrays(shape))
    out = fn(Tensor(x), Tensor(y), reduction=reduction)
    assert out.shape == (shape if reduction == "none" else ())
    np.testing.assert_allclose(out.data, reduce_np(ref(x, y), reduction), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data(), shape=shapes, reduction=st.sampled_from(REDUCTIONS))
def test_gradients_match_finite_differences(name, data, shape, reduction):
    fn = CASES[name][0]
    x = data.draw(arrays(shape))
    y = data.draw(arrays(shape))
    assume(away_from(x - y, KINKS.get(name, [])))
    xt, yt = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    assert gradcheck(lambda a, b: fn(a, b, reduction=reduction), [xt, yt])


@pytest.mark.parametrize("name", ["mse_loss", "log_cosh_loss"])
@given(data=st.data(), shape=shapes)
def test_second_derivatives(name, data, shape):
    fn = CASES[name][0]
    x = data.draw(arrays(shape))
    y = data.draw(arrays(shape))
    xt, yt = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    assert gradgradcheck(lambda a, b: fn(a, b), [xt, yt])


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
def test_values_list_gives_the_tensor_result(name, data):
    fn = CASES[name][0]
    x = data.draw(arrays((4,)))
    y = data.draw(arrays((4,)))
    assume(away_from(x - y, KINKS.get(name, [])))
    xt = Tensor(x, requires_grad=True)
    expected = fn(xt, Tensor(y))
    expected.backward()
    vs = [Value(v) for v in x]
    out = fn(vs, list(y))
    assert isinstance(out, Value)
    out.backward()
    assert out.data == pytest.approx(float(expected.data), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose([v.grad for v in vs], xt.grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
@given(x=floats(), y=floats())
def test_single_value_gradient(name, x, y):
    fn = CASES[name][0]
    assume(away_from(np.array(x - y), KINKS.get(name, [])))
    assert gradcheck(lambda a, b: fn(a, b), [Value(x), Value(y)])


def test_value_reductions():
    xs = [Value(1.0), Value(-2.0), Value(0.5)]
    per = F.mse_loss(xs, [0.0, 0.0, 0.0], reduction="none")
    assert [p.data for p in per] == [1.0, 4.0, 0.25]
    assert F.mse_loss(xs, [0.0, 0.0, 0.0], reduction="sum").data == 5.25
    assert F.mse_loss(xs, [0.0, 0.0, 0.0]).data == pytest.approx(1.75)
    single = F.l1_loss(Value(3.0), 1.0)
    assert isinstance(single, Value) and single.data == 2.0
    # a target of Values receives its gradient too
    t = Value(1.0)
    F.mse_loss(Value(3.0), t).backward()
    assert t.grad == -4.0


def test_notes_l1_and_l2_are_the_sum_reduction():
    # 000: L1 = sum |y_true - y_pred|, L2 = sum (y_true - y_pred)^2
    y_true = np.array([3.0, -0.5, 2.0, 7.0])
    y_pred = np.array([2.5, 0.0, 2.0, 8.0])
    assert F.l1_loss(Tensor(y_pred), y_true, reduction="sum").item() == pytest.approx(2.0)
    assert F.mse_loss(Tensor(y_pred), y_true, reduction="sum").item() == pytest.approx(1.5)
    assert F.mse_loss(Tensor(y_pred), y_true).item() == pytest.approx(0.375)


def test_huber_matches_notes_piecewise_definition():
    # 002/003: 0.5 d^2 for |d| <= delta, delta |d| - 0.5 delta^2 otherwise (equal at |d| = delta)
    d = np.array([-3.0, -1.0, -0.4, 0.0, 0.7, 1.0, 2.5])
    delta = 1.0
    notes = np.where(np.abs(d) <= delta, 0.5 * d**2, delta * np.abs(d) - 0.5 * delta**2)
    out = F.huber_loss(Tensor(d), np.zeros_like(d), reduction="none")
    np.testing.assert_allclose(out.data, notes)


def test_smooth_l1_is_huber_over_beta_and_l1_at_beta_zero():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=10) * 3, rng.normal(size=10)
    for beta in (0.5, 2.0):
        np.testing.assert_allclose(
            F.smooth_l1_loss(Tensor(x), y, reduction="none", beta=beta).data,
            F.huber_loss(Tensor(x), y, reduction="none", delta=beta).data / beta,
        )
    np.testing.assert_allclose(
        F.smooth_l1_loss(Tensor(x), y, beta=0.0).data, F.l1_loss(Tensor(x), y).data
    )


@pytest.mark.parametrize("d", [1e3, -1e3, 1e5, 1e300])
def test_log_cosh_is_finite_for_large_errors(d):
    # log cosh d = |d| - log 2 + log(1 + e^(-2|d|)) -> |d| - log 2
    t = Tensor(np.array([d]), requires_grad=True)
    out = F.log_cosh_loss(t, np.zeros(1))
    out.backward()
    assert np.isfinite(out.item())
    assert out.item() == pytest.approx(abs(d) - math.log(2), rel=1e-15)
    assert t.grad[0] == np.sign(d)
    v = Value(d)
    loss = F.log_cosh_loss(v, 0.0)
    loss.backward()
    assert loss.data == pytest.approx(abs(d) - math.log(2), rel=1e-15) and v.grad == np.sign(d)


def test_log_cosh_small_errors_are_half_squared():
    d = np.array([1e-4, -3e-3])
    out = F.log_cosh_loss(Tensor(d), np.zeros(2), reduction="none").data
    np.testing.assert_allclose(out, d**2 / 2, rtol=1e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_stays_float32(name):
    fn = CASES[name][0]
    x = Tensor(np.array([0.5, -2.0, 3.0], dtype=np.float32), requires_grad=True)
    out = fn(x, np.array([0.0, 1.0, 1.0]))
    assert out.dtype == np.float32
    out.backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_mismatch_is_refused(name):
    fn = CASES[name][0]
    with pytest.raises(ValueError, match=r"target has shape \(3, 1\) but input has shape \(3,\)"):
        fn(Tensor(np.zeros(3)), np.zeros((3, 1)))


def test_bad_arguments():
    x = Tensor(np.zeros(3))
    with pytest.raises(
        ValueError, match="reduction must be one of 'mean', 'sum', 'none'; got 'avg'"
    ):
        F.mse_loss(x, np.zeros(3), reduction="avg")
    with pytest.raises(ValueError, match="huber_loss: delta must be positive"):
        F.huber_loss(x, np.zeros(3), delta=0.0)
    with pytest.raises(ValueError, match="smooth_l1_loss: beta must be non-negative"):
        F.smooth_l1_loss(x, np.zeros(3), beta=-1.0)
    with pytest.raises(ValueError, match="input has 2 elements but target has 3"):
        F.mse_loss([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="input is a single Value but target is a sequence"):
        F.mse_loss(Value(1.0), [1.0, 2.0])
    with pytest.raises(TypeError, match="mse_loss: cannot mix Tensors with Values"):
        F.mse_loss(Tensor(np.zeros(2)), [Value(1.0), Value(2.0)])


def test_a_float64_target_makes_a_float64_loss_and_keeps_a_float32_gradient():
    x = Tensor(np.array([0.25, 0.5, 0.75], dtype=np.float32), requires_grad=True)
    y = Tensor(np.array([0.1, 0.2, 0.3]))  # float64, e.g. from numpy
    for loss_fn in (F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.kl_div, F.poisson_nll_loss):
        x.grad = None
        loss = loss_fn(x, y)
        loss.backward()
        assert loss.dtype == np.float64 and x.grad.dtype == np.float32, loss_fn.__name__
    np.testing.assert_allclose(F.mse_loss(x, y).item(), np.mean((x.data - y.data) ** 2))
    assert F.huber_loss(x, y).dtype == np.float32  # PyTorch's stays in the input's dtype
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        F.binary_cross_entropy(x, y)
    assert F.binary_cross_entropy_with_logits(x, y).dtype == np.float64  # the target's
    assert F.binary_cross_entropy_with_logits(x.double(), y.float()).dtype == np.float32
