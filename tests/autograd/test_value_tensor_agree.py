"""A Value and a 0-d float64 Tensor give the same numbers (forward, gradient, second
derivative) for every op they share."""

import math

import numpy as np
import pytest
from hypothesis import given

import autograd as ag
from autograd import Tensor, Value
from autograd.testing.strategies import floats

# name: (function of one node, input range)
UNARY = {
    "neg": (lambda x: -x, (-5, 5)),
    "exp": (lambda x: x.exp(), (-5, 5)),
    "log": (lambda x: x.log(), (0.05, 10)),
    "sqrt": (lambda x: x.sqrt(), (0.05, 10)),
    "abs": (lambda x: abs(x), (-5, 5)),
    "tanh": (lambda x: x.tanh(), (-5, 5)),
    "sigmoid": (lambda x: x.sigmoid(), (-30, 30)),
    "relu": (lambda x: x.relu(), (-5, 5)),
    "clip": (lambda x: x.clip(-1.0, 2.0), (-5, 5)),
    "pow": (lambda x: x**3, (-3, 3)),
    "fractional_pow": (lambda x: x**1.5, (0.05, 5)),
    "rpow": (lambda x: 2.0**x, (-3, 3)),
    "radd": (lambda x: 1.5 + x, (-5, 5)),
    "rsub": (lambda x: 1.5 - x, (-5, 5)),
    "rmul": (lambda x: 1.5 * x, (-5, 5)),
    "rdiv": (lambda x: 1.5 / x, (0.2, 5)),
    "maximum": (lambda x: ag.maximum(x, 0.5), (-5, 5)),
    "minimum": (lambda x: ag.minimum(0.5, x), (-5, 5)),
}

BINARY = {
    "add": (lambda a, b: a + b, (-5, 5)),
    "sub": (lambda a, b: a - b, (-5, 5)),
    "mul": (lambda a, b: a * b, (-5, 5)),
    "div": (lambda a, b: a / b, (0.2, 5)),
    "pow": (lambda a, b: a**b, (0.2, 3)),
    "maximum": (ag.maximum, (-5, 5)),
    "minimum": (ag.minimum, (-5, 5)),
    "composite": (lambda a, b: (a * b.exp() + a.tanh() / (1 + b * b)).sigmoid(), (-2, 2)),
}


def as_float(node):
    return node.data if isinstance(node, Value) else float(node.data)


def derivatives(fn, *xs):
    """Output, first derivatives and the diagonal second derivatives at ``xs``."""
    out = fn(*xs)
    firsts = ag.grad(out, list(xs), create_graph=True, allow_unused=True)
    seconds = []
    for x, g in zip(xs, firsts):
        if g is None or not g.requires_grad:
            seconds.append(0.0)
        else:
            (h,) = ag.grad(g, x, retain_graph=True, allow_unused=True)
            seconds.append(0.0 if h is None else as_float(h))
    return as_float(out), [0.0 if g is None else as_float(g) for g in firsts], seconds


def assert_same(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", UNARY)
def test_unary_ops_agree(name):
    fn, (lo, hi) = UNARY[name]

    @given(x=floats(lo, hi))
    def check(x):
        v = derivatives(fn, Value(x))
        t = derivatives(fn, Tensor(np.array(x), requires_grad=True))
        assert_same(v[0], t[0])
        assert_same(v[1], t[1])
        assert_same(v[2], t[2])

    check()


@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_agree(name):
    fn, (lo, hi) = BINARY[name]

    @given(x=floats(lo, hi), y=floats(lo, hi))
    def check(x, y):
        v = derivatives(fn, Value(x), Value(y))
        t = derivatives(
            fn, Tensor(np.array(x), requires_grad=True), Tensor(np.array(y), requires_grad=True)
        )
        assert_same(v[0], t[0])
        assert_same(v[1], t[1])
        assert_same(v[2], t[2])

    check()


def test_backward_agrees_on_micrograd_style_expression():
    def expr(a, b):
        c = a * b + b**3
        d = (c - a).relu() + (a / b).tanh()
        return d * d + (a * 0.5).exp()

    va, vb = Value(-1.3), Value(0.7)
    ta = Tensor(np.array(-1.3), requires_grad=True)
    tb = Tensor(np.array(0.7), requires_grad=True)
    vo, to = expr(va, vb), expr(ta, tb)
    vo.backward()
    to.backward()
    assert_same(vo.data, to.item())
    assert_same(va.grad, float(ta.grad))
    assert_same(vb.grad, float(tb.grad))


@pytest.mark.parametrize("x", [-1000.0, -50.0, 0.0, 50.0, 1000.0])
def test_extreme_inputs_agree(x):
    for fn in (lambda n: n.sigmoid(), lambda n: n.tanh(), lambda n: n.relu()):
        v, t = Value(x), Tensor(np.array(x), requires_grad=True)
        vo, to = fn(v), fn(t)
        vo.backward()
        to.backward()
        assert vo.data == to.item() or math.isclose(vo.data, to.item(), rel_tol=1e-15)
        assert math.isclose(v.grad, float(t.grad), rel_tol=1e-12, abs_tol=1e-300)
