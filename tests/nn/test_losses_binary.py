"""Two-class losses (binary_cross_entropy, binary_cross_entropy_with_logits, hinge_loss):
values against the notes' formulas, gradients, stability at the extremes, bad input."""

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


def bce_np(p, y, w=1.0):
    # J = -[y log p + (1 - y) log(1 - p)] (000, 002, 003), logs floored at -100 (PyTorch)
    with np.errstate(divide="ignore"):
        return -w * (y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log(1 - p), -100))


def sigmoid_np(z):
    return 1 / (1 + np.exp(-z))


def bce_logits_np(z, y, w=1.0, pw=1.0):
    s = sigmoid_np(z)
    return -w * (pw * y * np.log(s) + (1 - y) * np.log(1 - s))


def hinge_np(x, y, margin=1.0):
    return np.maximum(0, margin - y * x)


# --- binary_cross_entropy ---


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=shapes)
def test_bce_values(reduction, data, shape):
    p = data.draw(arrays(shape, 0.001, 0.999))
    y = data.draw(arrays(shape, 0.0, 1.0))
    w = data.draw(arrays(shape[-1:], 0.1, 2.0))
    out = F.binary_cross_entropy(Tensor(p), Tensor(y), weight=w, reduction=reduction)
    np.testing.assert_allclose(out.data, reduce_np(bce_np(p, y, w), reduction), rtol=1e-10)


@given(data=st.data(), shape=shapes, reduction=st.sampled_from(REDUCTIONS))
def test_bce_gradients_for_input_and_target(data, shape, reduction):
    p = data.draw(arrays(shape, 0.02, 0.98))
    y = data.draw(arrays(shape, 0.01, 0.99))  # the target is checked too: stay inside [0, 1]
    pt, yt = Tensor(p, requires_grad=True), Tensor(y, requires_grad=True)
    w = np.linspace(0.5, 1.5, shape[-1])
    assert gradcheck(lambda a, b: F.binary_cross_entropy(a, b, w, reduction), [pt, yt])


def test_bce_gradient_is_p_minus_y_over_p_one_minus_p():
    p = np.array([0.2, 0.7, 0.9])
    y = np.array([1.0, 0.0, 1.0])
    t = Tensor(p, requires_grad=True)
    F.binary_cross_entropy(t, y, reduction="sum").backward()
    np.testing.assert_allclose(t.grad, (p - y) / (p * (1 - p)))


def test_bce_notes_worked_number():
    # 003: true = 1, predicted = 0.01 -> loss = -log(0.01) ~ 4.6
    assert F.binary_cross_entropy(Tensor([0.01]), [1.0]).item() == pytest.approx(4.6, abs=0.01)
    assert F.binary_cross_entropy(Value(0.01), 1).data == pytest.approx(-math.log(0.01))


@pytest.mark.parametrize("p", [1e-10, 1e-30, 0.0, 1.0 - 1e-10, 1.0])
@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_bce_extremes_finite_and_clamped(p, y):
    t = Tensor(np.array([p]), requires_grad=True)
    out = F.binary_cross_entropy(t, np.array([y]))
    out.backward()
    assert np.isfinite(out.item()) and np.isfinite(t.grad).all()
    assert out.item() == pytest.approx(float(bce_np(np.array([p]), np.array([y]))[0]), rel=1e-12)
    # gradient PyTorch's way: (p - y) / max(p (1 - p), 1e-12)
    assert t.grad[0] == pytest.approx((p - y) / max(p * (1 - p), 1e-12), rel=1e-9)
    v = Value(p)
    loss = F.binary_cross_entropy(v, y)
    loss.backward()
    assert loss.data == pytest.approx(out.item()) and v.grad == pytest.approx(t.grad[0])


def test_bce_at_zero_and_one_costs_100():
    out = F.binary_cross_entropy(Tensor([0.0, 1.0]), [1.0, 0.0], reduction="none")
    np.testing.assert_allclose(out.data, [100.0, 100.0])


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan")])
def test_bce_refuses_probabilities_outside_unit_interval(bad):
    with pytest.raises(ValueError, match=r"binary_cross_entropy: input must hold probabilities"):
        F.binary_cross_entropy(Tensor([0.5, bad]), [1.0, 0.0])
    with pytest.raises(ValueError, match=r"input must hold probabilities in \[0, 1\]"):
        F.binary_cross_entropy([Value(0.5), Value(bad)], [1.0, 0.0])
    with pytest.raises(ValueError, match=r"binary_cross_entropy: target must hold probabilities"):
        F.binary_cross_entropy(Tensor([0.5, 0.5]), [1.0, bad])


def test_bce_refuses_shape_mismatch():
    with pytest.raises(ValueError, match=r"target has shape \(3, 1\) but input has shape \(3,\)"):
        F.binary_cross_entropy(Tensor([0.5, 0.5, 0.5]), np.ones((3, 1)))


def test_bce_float32():
    p = Tensor(np.array([1e-10, 0.5, 1.0], dtype=np.float32), requires_grad=True)
    out = F.binary_cross_entropy(p, np.array([1.0, 0.0, 1.0]))
    out.backward()
    assert out.dtype == np.float32 and p.grad.dtype == np.float32
    assert np.isfinite(out.item()) and np.isfinite(p.grad).all()


# --- binary_cross_entropy_with_logits ---


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=shapes)
def test_bce_with_logits_values(reduction, data, shape):
    z = data.draw(arrays(shape, -8, 8))
    y = data.draw(arrays(shape, 0.0, 1.0))
    w = data.draw(arrays(shape, 0.1, 2.0))
    pw = data.draw(arrays(shape[-1:], 0.1, 3.0))
    out = F.binary_cross_entropy_with_logits(
        Tensor(z), Tensor(y), weight=w, reduction=reduction, pos_weight=pw
    )
    np.testing.assert_allclose(
        out.data, reduce_np(bce_logits_np(z, y, w, pw), reduction), rtol=1e-9, atol=1e-12
    )
    plain = F.binary_cross_entropy_with_logits(Tensor(z), Tensor(y), reduction=reduction)
    np.testing.assert_allclose(plain.data, reduce_np(bce_logits_np(z, y), reduction), rtol=1e-9)


@given(data=st.data(), shape=shapes, use_pw=st.booleans())
def test_bce_with_logits_first_and_second_derivatives(data, shape, use_pw):
    z = data.draw(arrays(shape, -6, 6))
    y = data.draw(arrays(shape, 0.0, 1.0))
    pw = np.linspace(0.5, 2.0, shape[-1]) if use_pw else None
    w = np.linspace(0.3, 1.2, shape[-1])
    zt, yt = Tensor(z, requires_grad=True), Tensor(y, requires_grad=True)

    def fn(a, b):
        return F.binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=pw)

    assert gradcheck(fn, [zt, yt])
    assert gradgradcheck(fn, [zt, yt])


def test_bce_with_logits_gradient_is_sigmoid_minus_y():
    # 002: dJ/dz = sigma(z) - 1 if y = 1, sigma(z) if y = 0
    z = np.array([-2.0, 0.5, 3.0, -1.0])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    t = Tensor(z, requires_grad=True)
    F.binary_cross_entropy_with_logits(t, y, reduction="sum").backward()
    np.testing.assert_allclose(t.grad, np.where(y == 1, sigmoid_np(z) - 1, sigmoid_np(z)))


def test_bce_with_logits_equals_bce_of_sigmoid():
    z = np.linspace(-5, 5, 7)
    y = np.linspace(0, 1, 7)
    a = F.binary_cross_entropy_with_logits(Tensor(z), y).item()
    b = F.binary_cross_entropy(Tensor(sigmoid_np(z)), y).item()
    assert a == pytest.approx(b, rel=1e-12)


@pytest.mark.parametrize("z", [1e3, -1e3, 1e5, -1e300])
@pytest.mark.parametrize("y", [0.0, 1.0, 0.25])
def test_bce_with_logits_extremes(z, y):
    # stable formula: y softplus(-z) + (1 - y) softplus(z), softplus(u) ~ max(u, 0)
    expected = y * max(-z, 0.0) + (1 - y) * max(z, 0.0)
    t = Tensor(np.array([z]), requires_grad=True)
    out = F.binary_cross_entropy_with_logits(t, np.array([y]), pos_weight=np.array([2.0]))
    out.backward()
    expected_pw = 2 * y * max(-z, 0.0) + (1 - y) * max(z, 0.0)
    assert np.isfinite(out.item()) and out.item() == pytest.approx(expected_pw, rel=1e-12)
    assert np.isfinite(t.grad).all()
    v = Value(z)
    loss = F.binary_cross_entropy_with_logits(v, y)
    loss.backward()
    assert loss.data == pytest.approx(expected, rel=1e-12)
    assert v.grad == pytest.approx((1.0 if z > 0 else 0.0) - y)


def test_bce_with_logits_values_and_float32():
    vs = [Value(0.3), Value(-1.2)]
    out = F.binary_cross_entropy_with_logits(vs, [1, 0], weight=[2.0, 0.5])
    out.backward()
    ref = bce_logits_np(np.array([0.3, -1.2]), np.array([1.0, 0.0]), np.array([2.0, 0.5]))
    assert out.data == pytest.approx(ref.mean())
    assert vs[0].grad == pytest.approx(2.0 * (sigmoid_np(0.3) - 1) / 2)
    z = Tensor(np.array([1e3, -2.0], dtype=np.float32), requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, np.array([0.0, 1.0]))
    loss.backward()
    assert loss.dtype == np.float32 and z.grad.dtype == np.float32


def test_bce_with_logits_bad_shapes():
    with pytest.raises(ValueError, match=r"target has shape \(2, 1\) but input has shape \(2,\)"):
        F.binary_cross_entropy_with_logits(Tensor([0.0, 1.0]), np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"pos_weight of shape \(3,\) does not broadcast"):
        F.binary_cross_entropy_with_logits(
            Tensor(np.zeros((2, 2))), np.zeros((2, 2)), pos_weight=np.ones(3)
        )


# --- hinge_loss ---


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=shapes, margin=st.sampled_from([1.0, 0.5]))
def test_hinge_values(reduction, data, shape, margin):
    x = data.draw(arrays(shape))
    y = data.draw(
        st.lists(
            st.sampled_from([-1.0, 1.0]), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))
        )
    )
    y = np.array(y).reshape(shape)
    out = F.hinge_loss(Tensor(x), y, margin=margin, reduction=reduction)
    np.testing.assert_allclose(out.data, reduce_np(hinge_np(x, y, margin), reduction))


@given(x=arrays((5,)), signs=st.lists(st.sampled_from([-1.0, 1.0]), min_size=5, max_size=5))
def test_hinge_gradients(x, signs):
    y = np.array(signs)
    assume(away_from(1 - y * x, [0.0]))
    xt = Tensor(x, requires_grad=True)
    assert gradcheck(lambda a: F.hinge_loss(a, y, reduction="sum"), [xt])
    # labels are discrete (a finite difference would leave {-1, 1}): check d/dy = -x directly
    yt = Tensor(y, requires_grad=True)
    F.hinge_loss(Tensor(x), yt, reduction="sum").backward()
    np.testing.assert_allclose(yt.grad, np.where(1 - y * x > 0, -x, 0.0))


def test_hinge_notes_worked_numbers():
    # 003: label +1, scores 2, 0.5, -0.5 -> 0, 0.5, 1.5
    out = F.hinge_loss(Tensor([2.0, 0.5, -0.5]), [1, 1, 1], reduction="none")
    np.testing.assert_allclose(out.data, [0.0, 0.5, 1.5])
    vs = [Value(2.0), Value(0.5), Value(-0.5)]
    loss = F.hinge_loss(vs, [1, 1, 1])
    loss.backward()
    assert loss.data == pytest.approx(2.0 / 3)
    assert [v.grad for v in vs] == pytest.approx([0.0, -1 / 3, -1 / 3])


@pytest.mark.parametrize("bad", [0, 2, 0.5])
def test_hinge_refuses_targets_outside_plus_minus_one(bad):
    with pytest.raises(ValueError, match=r"hinge_loss: target must hold 1 or -1; found"):
        F.hinge_loss(Tensor([1.0, 2.0]), [1, bad])
    with pytest.raises(ValueError, match=r"hinge_loss: target must hold 1 or -1"):
        F.hinge_loss([Value(1.0), Value(2.0)], [1, bad])


@given(x=floats(), y=st.sampled_from([-1.0, 1.0]))
def test_single_value_binary_losses(x, y):
    assume(abs(1 - x * y) > 1e-3)
    assert gradcheck(lambda a: F.hinge_loss(a, y), [Value(x)])
    assert gradcheck(lambda a: F.binary_cross_entropy_with_logits(a, (y + 1) / 2), [Value(x)])
    p = 1 / (1 + math.exp(-x))
    assume(0.01 < p < 0.99)
    assert gradcheck(lambda a: F.binary_cross_entropy(a, (y + 1) / 2), [Value(p)])
