"""Activations at the extremes: precision of ELU/SELU's gradient for very negative x,
gradients at +-inf, and NaN propagation, for Tensors and Values (exact references written
here with math.exp; no torch needed)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
NEG = [-5.0, -17.0, -20.0, -30.0, -40.0, -80.0, -700.0]


def _grad(fn, x: np.ndarray) -> np.ndarray:
    t = Tensor(x, requires_grad=True)
    fn(t).sum().backward()
    return np.asarray(t.grad)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("name", "fn", "coef"),
    [
        ("elu", lambda t: t.elu(), 1.0),
        ("elu_0.5", lambda t: t.elu(0.5), 0.5),
        ("selu", lambda t: t.selu(), SELU_ALPHA * SELU_SCALE),
    ],
)
def test_elu_gradient_exact_for_very_negative_inputs(name, fn, coef, dtype) -> None:
    x = np.array(NEG, dtype=dtype)
    want = np.array([coef * math.exp(v) for v in NEG])
    got = _grad(fn, x)
    assert got.dtype == dtype
    tiny = np.finfo(dtype).tiny
    # relative precision a few ulps of the dtype (where the exact value is a normal number)
    normal = want > tiny
    rel = np.abs(got[normal] - want[normal]) / want[normal]
    assert rel.max() < 8 * np.finfo(dtype).eps, (name, got, want)
    for v in NEG:
        vv = Value(v)
        fn(vv).backward()
        assert vv.grad == pytest.approx(coef * math.exp(v), rel=1e-14, abs=0.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_elu_second_derivative_exact_for_very_negative_inputs(dtype) -> None:
    x = Tensor(np.array(NEG, dtype=dtype), requires_grad=True)
    (g,) = autograd.grad(x.elu(0.5).sum(), [x], create_graph=True)
    (gg,) = autograd.grad(g.sum(), [x])
    want = np.array([0.5 * math.exp(v) for v in NEG])
    normal = want > np.finfo(dtype).tiny
    got = np.asarray(gg.data if hasattr(gg, "data") else gg)
    assert np.allclose(got[normal], want[normal], rtol=8 * np.finfo(dtype).eps, atol=0)


@pytest.mark.parametrize(
    ("fn", "at_pos_inf", "at_neg_inf"),
    [
        (lambda t: t.elu(), 1.0, 0.0),
        (lambda t: t.elu(2.0), 1.0, 0.0),
        (lambda t: t.selu(), SELU_SCALE, 0.0),
        (lambda t: t.relu(), 1.0, 0.0),
    ],
)
def test_gradients_at_infinity(fn, at_pos_inf, at_neg_inf) -> None:
    got = _grad(fn, np.array([math.inf, -math.inf]))
    assert got.tolist() == [at_pos_inf, at_neg_inf]
    for x, want in ((math.inf, at_pos_inf), (-math.inf, at_neg_inf)):
        v = Value(x)
        fn(v).backward()
        assert v.grad == want


def test_elu_second_derivative_at_kink_and_infinity() -> None:
    # 0 at x = 0 (PyTorch's: the exponential branch's second derivative is used for x < 0)
    x = Tensor(np.array([0.0, math.inf, -math.inf, 1.0]), requires_grad=True)
    (g,) = autograd.grad(x.elu().sum(), [x], create_graph=True)
    (gg,) = autograd.grad(g.sum(), [x])
    assert np.asarray(gg.data if hasattr(gg, "data") else gg).tolist() == [0.0, 0.0, 0.0, 0.0]


def test_relu_propagates_nan_for_values_and_tensors() -> None:
    v = Value(math.nan)
    out = v.relu()
    assert math.isnan(out.data)
    out.backward()
    assert v.grad == 1.0  # PyTorch: only x <= 0 is cut off
    t = Tensor(np.array([math.nan, -1.0, 2.0]), requires_grad=True)
    y = t.relu()
    assert math.isnan(y.data[0])
    y.sum().backward()
    assert np.asarray(t.grad).tolist() == [1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    "fn",
    [lambda n: n.elu(), lambda n: n.selu(), lambda n: n.elu(0.3)],
)
def test_elu_nan_in_gives_nan_value_and_gradient(fn) -> None:
    v = Value(math.nan)
    out = fn(v)
    out.backward()
    assert math.isnan(out.data) and math.isnan(v.grad)
    t = Tensor(np.array([math.nan, 1.0]), requires_grad=True)
    y = fn(t)
    y.sum().backward()
    g = np.asarray(t.grad)
    assert math.isnan(y.data[0]) and math.isnan(g[0]) and not math.isnan(g[1])
