"""relu6, hardsigmoid, hardswish, logsigmoid, softsign, softmin, glu, celu, threshold,
softshrink, hardshrink, tanhshrink and their modules, plus CosineSimilarity and
PairwiseDistance: values checked by hand, PyTorch's gradients at the kinks, shapes, dtypes,
reprs, argument checks, and first and second derivatives by finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor, Value
from autograd.testing import gradcheck, gradgradcheck


def _sig(x):
    return 1 / (1 + np.exp(-x))


# name -> (function with its settings, numpy reference, the kinks to keep away from)
ELEMENTWISE = {
    "relu6": (F.relu6, lambda x: np.clip(x, 0, 6), (0.0, 6.0)),
    "hardsigmoid": (F.hardsigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1), (-3.0, 3.0)),
    "hardswish": (F.hardswish, lambda x: x * np.clip(x + 3, 0, 6) / 6, (-3.0, 3.0)),
    "logsigmoid": (F.logsigmoid, lambda x: np.log(_sig(x)), ()),
    "softsign": (F.softsign, lambda x: x / (1 + np.abs(x)), ()),
    "tanhshrink": (F.tanhshrink, lambda x: x - np.tanh(x), ()),
    "celu": (F.celu, lambda x: np.where(x > 0, x, np.expm1(x)), (0.0,)),
    "celu_2": (
        lambda x: F.celu(x, alpha=2.0),
        lambda x: np.where(x > 0, x, 2 * np.expm1(x / 2)),
        (0.0,),
    ),
    "threshold": (
        lambda x: F.threshold(x, 0.5, -2.0),
        lambda x: np.where(x > 0.5, x, -2.0),
        (0.5,),
    ),
    "softshrink": (
        F.softshrink,
        lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
        (-0.5, 0.5),
    ),
    "hardshrink": (
        lambda x: F.hardshrink(x, 1.0),
        lambda x: np.where(np.abs(x) > 1.0, x, 0.0),
        (-1.0, 1.0),
    ),
}

X = np.array([-7.0, -3.5, -2.0, -0.8, -0.3, 0.2, 0.6, 1.7, 2.5, 4.0, 9.0])


# --- values ------------------------------------------------------------------------------------


def test_hand_checked_values():
    x = Tensor(np.array([-4.0, -3.0, -1.5, 0.0, 1.5, 3.0, 4.0, 7.0]))
    np.testing.assert_array_equal(F.relu6(x).data, [0, 0, 0, 0, 1.5, 3, 4, 6])
    np.testing.assert_allclose(F.hardsigmoid(x).data, [0, 0, 0.25, 0.5, 0.75, 1, 1, 1], rtol=1e-15)
    np.testing.assert_allclose(F.hardswish(x).data, [0, 0, -0.375, 0, 1.125, 3, 4, 7], rtol=1e-15)
    np.testing.assert_allclose(
        F.softsign(x).data, [-0.8, -0.75, -0.6, 0, 0.6, 0.75, 0.8, 0.875], rtol=1e-15
    )
    np.testing.assert_array_equal(F.threshold(x, 1.5, 10.0).data, [10, 10, 10, 10, 10, 3, 4, 7])
    np.testing.assert_array_equal(F.softshrink(x, 1.5).data, [-2.5, -1.5, 0, 0, 0, 1.5, 2.5, 5.5])
    np.testing.assert_array_equal(F.hardshrink(x, 1.5).data, [-4, -3, 0, 0, 0, 3, 4, 7])
    np.testing.assert_array_equal(F.hardshrink(x).data, [-4, -3, -1.5, 0, 1.5, 3, 4, 7])
    # celu is exactly x above 0; alpha (e^(x / alpha) - 1) below
    np.testing.assert_array_equal(F.celu(x, 2.0).data[4:], [1.5, 3, 4, 7])
    assert F.celu(x, 2.0).data[2] == pytest.approx(2 * math.expm1(-0.75), rel=1e-15)
    assert F.logsigmoid(Tensor(np.array(0.0))).item() == pytest.approx(-math.log(2), rel=1e-15)
    assert F.tanhshrink(Tensor(np.array(1.0))).item() == pytest.approx(1 - math.tanh(1.0))


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_values_shapes_and_dtypes(name):
    fn, ref, _ = ELEMENTWISE[name]
    np.testing.assert_allclose(fn(Tensor(X)).data, ref(X), rtol=1e-13, atol=1e-15)
    x = X.reshape(1, 11).repeat(2, 0).astype(np.float32)
    y = fn(Tensor(x, requires_grad=True))
    assert y.shape == (2, 11) and y.dtype == np.float32
    y.sum().backward()
    assert y.data.dtype == np.float32
    assert fn(Tensor(np.array(0.7))).shape == ()


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_values_and_tensors_agree(name):
    fn, _, _ = ELEMENTWISE[name]
    t = Tensor(X, requires_grad=True)
    fn(t).backward(np.ones_like(X))
    for k, x in enumerate(X):
        v = Value(x)
        out = fn(v)
        assert isinstance(out, Value) and type(out.data) is float
        out.backward()
        # (math's tanh and numpy's may differ in the last digit)
        assert out.data == pytest.approx(fn(Tensor(X)).data[k], rel=1e-13, abs=1e-300)
        assert v.grad == pytest.approx(t.grad.data[k], rel=1e-13, abs=1e-300)


def test_logsigmoid_is_finite_in_both_tails():
    x = Tensor(np.array([-1e3, -40.0, 40.0, 1e3]), requires_grad=True)
    y = F.logsigmoid(x)
    np.testing.assert_allclose(y.data, [-1e3, -40.0 - math.exp(-40.0), -math.exp(-40.0), 0.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [1.0, 1 - math.exp(-40.0), math.exp(-40.0), 0.0])
    assert F.logsigmoid(Value(-800.0)).data == -800.0


# (the engine may warn while computing a gradient for a constant factor, which is dropped)
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_large_inputs_give_finite_gradients():
    for fn in (F.relu6, F.hardsigmoid, F.hardswish, F.celu, F.logsigmoid, F.softshrink):
        x = Tensor(np.array([-np.inf, -1e300, 1e300, np.inf]), requires_grad=True)
        fn(x).backward(np.ones(4))
        assert np.isfinite(x.grad).all(), fn.__name__
    x = Tensor(np.array([-1e3, 1e3]), requires_grad=True)
    F.celu(x, 0.5).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0])


def test_nan_passes_through():
    for name, (fn, _, _) in ELEMENTWISE.items():
        assert math.isnan(fn(Tensor(np.array([np.nan]))).data[0]), name


# --- gradients -------------------------------------------------------------------------------

# PyTorch's derivative at each kink: name -> (points, derivatives there)
KINK_GRADIENTS = {
    "relu6": ([0.0, 6.0], [0.0, 0.0]),
    "hardsigmoid": ([-3.0, 3.0], [0.0, 0.0]),
    "hardswish": ([-3.0, 3.0], [0.0, 1.0]),
    "celu": ([0.0], [1.0]),
    "celu_2": ([0.0], [1.0]),
    "threshold": ([0.5], [0.0]),
    "softshrink": ([-0.5, 0.5], [0.0, 0.0]),
    "hardshrink": ([-1.0, 1.0], [0.0, 0.0]),
}


@pytest.mark.parametrize("name", list(KINK_GRADIENTS))
def test_gradients_at_the_kinks_are_pytorchs(name):
    fn = ELEMENTWISE[name][0]
    points, expected = KINK_GRADIENTS[name]
    x = Tensor(np.array(points), requires_grad=True)
    fn(x).sum().backward()
    np.testing.assert_array_equal(x.grad, expected)
    for p, e in zip(points, expected):
        v = Value(p)
        fn(v).backward()
        assert v.grad == e


def _away_from_kinks(x: np.ndarray, kinks: tuple) -> np.ndarray:
    for k in kinks:
        x = np.where(np.abs(x - k) < 1e-3, k + 0.01, x)
    return x


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_gradcheck(name):
    fn, _, kinks = ELEMENTWISE[name]
    x = _away_from_kinks(np.random.default_rng(1).normal(scale=3.0, size=(3, 5)), kinks)
    assert gradcheck(fn, [Tensor(x, requires_grad=True)])
    assert gradgradcheck(fn, [Tensor(x, requires_grad=True)])


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(list(ELEMENTWISE)),
    xs=st.lists(st.floats(-8, 8, allow_nan=False), min_size=1, max_size=6),
)
def test_gradient_property(name, xs):
    fn, _, kinks = ELEMENTWISE[name]
    x = _away_from_kinks(np.array(xs), kinks)
    assert gradcheck(fn, [Tensor(x, requires_grad=True)])


def test_analytic_derivatives():
    x = Tensor(np.array([-2.0, 0.5, 2.0]), requires_grad=True)
    F.softsign(x).sum().backward()
    np.testing.assert_allclose(x.grad, 1 / (1 + np.abs(x.data)) ** 2, rtol=1e-15)
    x.grad = None
    F.tanhshrink(x).sum().backward()
    np.testing.assert_allclose(x.grad, np.tanh(x.data) ** 2, rtol=1e-14)
    x.grad = None
    F.hardswish(x).sum().backward()
    np.testing.assert_allclose(x.grad, [2 * -2 / 6 + 0.5, 2 * 0.5 / 6 + 0.5, 2 * 2 / 6 + 0.5])
    x.grad = None
    F.logsigmoid(x).sum().backward()
    np.testing.assert_allclose(x.grad, _sig(-x.data), rtol=1e-15)


# --- softmin and glu ------------------------------------------------------------------------


def test_softmin_is_softmax_of_minus_x():
    x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    y = F.softmin(Tensor(x), dim=1)
    e = np.exp(-x)
    np.testing.assert_allclose(y.data, e / e.sum(axis=1, keepdims=True), rtol=1e-15)
    np.testing.assert_allclose(F.softmin(Tensor(x), 0).data.sum(axis=0), 1.0)
    np.testing.assert_allclose(F.softmin(Tensor(x), axis=0).data, F.softmin(Tensor(x), 0).data)
    big = F.softmin(Tensor(np.array([-1000.0, 0.0])), 0)
    np.testing.assert_array_equal(big.data, [1.0, 0.0])
    gradcheck(lambda t: F.softmin(t, 1), [Tensor(x, requires_grad=True)])
    gradgradcheck(lambda t: F.softmin(t, 0), [Tensor(x, requires_grad=True)])


def test_softmin_implicit_dim_warns_and_follows_pytorch():
    for shape, axis in [((4,), 0), ((2, 3), 1), ((2, 3, 4), 0), ((2, 3, 4, 5), 1)]:
        x = np.random.default_rng(2).normal(size=shape)
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
            y = F.softmin(Tensor(x))
        np.testing.assert_allclose(y.data.sum(axis=axis), 1.0)


def test_softmin_dtype_and_lists_of_values():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    y = F.softmin(x, 0, dtype=np.float64)
    assert y.dtype == np.float64
    y[0].backward()
    assert x.grad.dtype == np.float32
    vs = [Value(1.0), Value(2.0), Value(-0.5)]
    out = F.softmin(vs)
    assert all(isinstance(o, Value) for o in out)
    np.testing.assert_allclose(
        [o.data for o in out], F.softmin(Tensor(np.array([1.0, 2.0, -0.5])), 0).data
    )
    with pytest.raises(TypeError, match="softmin: pass either axis= or dim="):
        F.softmin(Tensor(np.ones(3)), 0, axis=0)
    with pytest.raises(TypeError, match="softmin: expected a Tensor"):
        F.softmin(np.ones(3), 0)


def test_glu_halves_along_dim():
    x = np.arange(12.0).reshape(2, 6) / 4 - 1
    y = F.glu(Tensor(x))
    assert y.shape == (2, 3)
    np.testing.assert_allclose(y.data, x[:, :3] * _sig(x[:, 3:]), rtol=1e-15)
    y0 = F.glu(Tensor(x), 0)
    assert y0.shape == (1, 6)
    np.testing.assert_allclose(y0.data, x[:1] * _sig(x[1:]), rtol=1e-15)
    assert F.glu(Tensor(x.astype(np.float32))).dtype == np.float32
    gradcheck(lambda t: F.glu(t, 1), [Tensor(x, requires_grad=True)])
    gradgradcheck(F.glu, [Tensor(x, requires_grad=True)])


def test_glu_errors():
    with pytest.raises(ValueError, match="dimension 1 is size 3"):
        F.glu(Tensor(np.ones((2, 3))))
    with pytest.raises(ValueError, match="glu: a 0-d tensor"):
        F.glu(Tensor(np.array(1.0)))
    with pytest.raises(ValueError, match="out of range"):
        F.glu(Tensor(np.ones((2, 2))), 2)
    with pytest.raises(TypeError, match="glu: expected a Tensor"):
        F.glu(Value(1.0))  # type: ignore[arg-type]


# --- argument checks -------------------------------------------------------------------------


def test_argument_checks():
    with pytest.raises(ValueError, match="celu: alpha cannot be 0"):
        F.celu(Tensor(np.ones(2)), 0.0)
    with pytest.raises(ValueError, match="softshrink: lambd must be at least 0, got -1.0"):
        F.softshrink(Tensor(np.ones(2)), -1.0)
    with pytest.raises(ValueError, match="hardshrink: lambd must be at least 0"):
        F.hardshrink(Tensor(np.ones(2)), -0.1)
    for name in (
        "relu6",
        "hardsigmoid",
        "hardswish",
        "logsigmoid",
        "softsign",
        "tanhshrink",
        "celu",
        "softshrink",
        "hardshrink",
    ):
        with pytest.raises(TypeError, match=f"{name}: expected a Value or a Tensor"):
            getattr(F, name)(np.ones(3))
    with pytest.raises(TypeError, match="threshold: expected a Value or a Tensor"):
        F.threshold(np.ones(3), 0.0, 0.0)


def test_inplace_writes_into_the_input_as_torch():
    for fn, expected in (
        (F.relu6, [0.0, 6.0]),
        (F.hardsigmoid, [1 / 3, 1.0]),
        (F.hardswish, [-1 / 3, 7.0]),
        (lambda t, **kw: F.celu(t, 1.0, **kw), [np.expm1(-1.0), 7.0]),
        (lambda t, **kw: F.threshold(t, 0.0, 1.0, **kw), [1.0, 7.0]),
    ):
        x = Tensor(np.array([-1.0, 7.0]))
        assert fn(x) is not x and x.data.tolist() == [-1.0, 7.0]
        y = fn(x, inplace=True)
        assert y is x
        np.testing.assert_allclose(x.data, expected)


def test_inplace_on_a_computed_tensor_keeps_the_gradient_right():
    w = Tensor(np.array([-1.0, 2.0, 8.0]), requires_grad=True)
    h = w * 1.0
    out = F.relu6(h, inplace=True)
    assert out is h
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [0.0, 1.0, 0.0])
    with pytest.raises(RuntimeError, match="a leaf Tensor that requires grad"):
        F.relu(Tensor(np.ones(2), requires_grad=True), inplace=True)


# --- modules ---------------------------------------------------------------------------------

MODULES = [
    (nn.ReLU6(), "ReLU6()", lambda x: F.relu6(x)),
    (nn.ReLU6(inplace=True), "ReLU6(inplace=True)", lambda x: F.relu6(x)),
    (nn.Hardsigmoid(), "Hardsigmoid()", F.hardsigmoid),
    (nn.Hardsigmoid(inplace=True), "Hardsigmoid()", F.hardsigmoid),
    (nn.Hardswish(), "Hardswish()", F.hardswish),
    (nn.LogSigmoid(), "LogSigmoid()", F.logsigmoid),
    (nn.Softsign(), "Softsign()", F.softsign),
    (nn.Tanhshrink(), "Tanhshrink()", F.tanhshrink),
    (nn.CELU(), "CELU(alpha=1.0)", F.celu),
    (nn.CELU(2, True), "CELU(alpha=2, inplace=True)", lambda x: F.celu(x, 2.0)),
    (
        nn.Threshold(0.1, 20),
        "Threshold(threshold=0.1, value=20)",
        lambda x: F.threshold(x, 0.1, 20),
    ),
    (
        nn.Threshold(0.1, 20.0, inplace=True),
        "Threshold(threshold=0.1, value=20.0, inplace=True)",
        lambda x: F.threshold(x, 0.1, 20.0),
    ),
    (nn.Softshrink(), "Softshrink(0.5)", F.softshrink),
    (nn.Softshrink(1), "Softshrink(1)", lambda x: F.softshrink(x, 1.0)),
    (nn.Hardshrink(), "Hardshrink(0.5)", F.hardshrink),
    (nn.Hardshrink(lambd=2.0), "Hardshrink(2.0)", lambda x: F.hardshrink(x, 2.0)),
]


@pytest.mark.parametrize("module,text,fn", MODULES, ids=[m[1] for m in MODULES])
def test_elementwise_module_forward_and_repr(module, text, fn):
    assert repr(module) == text
    np.testing.assert_array_equal(module(Tensor(X)).data, fn(Tensor(X)).data)
    assert module(Value(-0.7)).data == fn(Value(-0.7)).data
    assert list(module.parameters()) == []


def test_relu6_module_is_a_hardtanh():
    m = nn.ReLU6()
    assert isinstance(m, nn.Hardtanh) and (m.min_val, m.max_val, m.inplace) == (0.0, 6.0, False)


def test_softmin_and_glu_modules():
    x = np.random.default_rng(3).normal(size=(2, 4, 6))
    assert repr(nn.Softmin()) == "Softmin(dim=None)" and repr(nn.Softmin(1)) == "Softmin(dim=1)"
    np.testing.assert_array_equal(nn.Softmin(1)(Tensor(x)).data, F.softmin(Tensor(x), 1).data)
    with pytest.warns(UserWarning, match="Implicit dimension"):
        np.testing.assert_allclose(nn.Softmin()(Tensor(x)).data.sum(axis=0), 1.0)
    assert repr(nn.GLU()) == "GLU(dim=-1)" and repr(nn.GLU(1)) == "GLU(dim=1)"
    assert nn.GLU()(Tensor(x)).shape == (2, 4, 3)
    assert nn.GLU(1)(Tensor(x)).shape == (2, 2, 6)
    model = nn.Sequential(nn.Linear(6, 8), nn.GLU(), nn.Hardswish(), nn.Linear(4, 3), nn.Softmin(1))
    out = model(Tensor(np.ones((5, 6), dtype=np.float32)))
    assert out.shape == (5, 3) and out.dtype == np.float32
    out.sum().backward()
    assert model[0].weight.grad.shape == (8, 6)
    assert "(1): GLU(dim=-1)" in repr(model) and "(4): Softmin(dim=1)" in repr(model)


def test_distance_modules():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    cs = nn.CosineSimilarity()
    assert repr(cs) == "CosineSimilarity()" and (cs.dim, cs.eps) == (1, 1e-8)
    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    np.testing.assert_allclose(cs(Tensor(a), Tensor(b)).data, (an * bn).sum(axis=1), rtol=1e-13)
    assert nn.CosineSimilarity(dim=0)(Tensor(a), Tensor(b)).shape == (5,)
    pd = nn.PairwiseDistance()
    assert repr(pd) == "PairwiseDistance()" and (pd.norm, pd.eps, pd.keepdim) == (2.0, 1e-6, False)
    np.testing.assert_allclose(
        pd(Tensor(a), Tensor(b)).data, np.linalg.norm(a - b + 1e-6, axis=1), rtol=1e-13
    )
    d1 = nn.PairwiseDistance(p=1.0, eps=0.0, keepdim=True)(Tensor(a), Tensor(b))
    assert d1.shape == (3, 1)
    np.testing.assert_allclose(d1.data[:, 0], np.abs(a - b).sum(axis=1), rtol=1e-13)
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    gradcheck(lambda x, y: nn.CosineSimilarity()(x, y), [ta, tb])
    gradcheck(lambda x, y: nn.PairwiseDistance(3.0)(x, y), [ta, tb])
    assert list(cs.parameters()) == [] and list(pd.parameters()) == []
