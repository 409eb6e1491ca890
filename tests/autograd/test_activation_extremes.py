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


VALUE_METHODS = {
    "sigmoid": lambda v: v.sigmoid(),
    "tanh": lambda v: v.tanh(),
    "relu": lambda v: v.relu(),
    "leaky_relu": lambda v: v.leaky_relu(0.1),
    "elu": lambda v: v.elu(),
    "selu": lambda v: v.selu(),
    "softplus": lambda v: v.softplus(),
    "silu": lambda v: v.silu(),
    "swish": lambda v: v.swish(2.0),
    "mish": lambda v: v.mish(),
    "gelu": lambda v: v.gelu(),
    "gelu_tanh": lambda v: v.gelu("tanh"),
    "hardtanh": lambda v: v.hardtanh(),
    "exp": lambda v: v.exp(),
    "log": lambda v: v.log(),
    "sqrt": lambda v: v.sqrt(),
    "abs": lambda v: v.abs(),
    "neg": lambda v: -v,
    "square": lambda v: v**2,
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(VALUE_METHODS))
def test_value_nan_in_nan_out(name: str) -> None:
    out = VALUE_METHODS[name](Value(math.nan))
    assert math.isnan(out.data)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(VALUE_METHODS))
@pytest.mark.parametrize("x", [math.inf, -math.inf, math.nan, 0.0, -25.0, 25.0])
def test_value_and_tensor_agree_at_extremes(name: str, x: float) -> None:
    fn = VALUE_METHODS[name]
    v = Value(x)
    out = fn(v)
    out.backward()
    t = Tensor(np.array([x]), requires_grad=True)
    y = fn(t)
    y.sum().backward()
    for a, b in ((out.data, float(y.data[0])), (v.grad, float(np.asarray(t.grad)[0]))):
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=0)


def test_abs_gradient_at_nan_is_zero_as_torch_sign() -> None:
    # torch.sign(nan) == 0, so abs's gradient there is 0 (Values already did so)
    t = Tensor(np.array([math.nan, -2.0, 0.0, 3.0], dtype=np.float32), requires_grad=True)
    y = t.abs()
    assert math.isnan(y.data[0])
    y.sum().backward()
    g = np.asarray(t.grad)
    assert g.tolist() == [0.0, -1.0, 0.0, 1.0] and g.dtype == np.float32
