"""Value: micrograd's contract (data, grad, label, operators, backward) and its derivatives."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value, grad
from autograd.function import Context
from autograd.ops import arithmetic as ar
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import floats, values


def central_difference(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


# --- construction and attributes ---


def test_data_is_a_python_float_grad_starts_at_zero_label_is_kept():
    v = Value(3, label="w")
    assert v.data == 3.0 and type(v.data) is float
    assert v.grad == 0.0 and type(v.grad) is float
    assert v.label == "w"
    assert Value(2.5).label == ""


def test_results_of_ops_hold_python_floats():
    v = Value(2.0)
    for r in (v + 1, v * v, v / 3, v**2, v.exp(), v.tanh(), v.sigmoid(), v.relu(), 2**v):
        assert type(r.data) is float


@pytest.mark.parametrize("bad", ["abc", None, [1.0]])
def test_non_numbers_are_refused(bad):
    with pytest.raises(TypeError, match="Value"):
        Value(bad)


def test_a_tensor_is_not_a_value():
    with pytest.raises(TypeError, match="Tensor"):
        Value(Tensor(1.0))


def test_item_float_and_repr():
    v = Value(1.5, label="x")
    assert v.item() == 1.5 and float(v) == 1.5
    assert "1.5" in repr(v) and "x" in repr(v)


# --- micrograd's worked examples ---


def micrograd_readme(a, b):
    """micrograd's README expression; works on floats and on Values alike."""

    def relu(x):
        return x.relu() if isinstance(x, Value) else max(x, 0.0)

    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + relu(b + a)
    d += 3 * d + relu(b - a)
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def test_micrograd_readme_example():
    a, b = Value(-4.0), Value(2.0)
    g = micrograd_readme(a, b)
    g.backward()
    assert g.data == pytest.approx(micrograd_readme(-4.0, 2.0), rel=1e-12)
    # the same numbers from central differences of the plain-float formula
    assert a.grad == pytest.approx(central_difference(lambda x: micrograd_readme(x, 2.0), -4.0))
    assert b.grad == pytest.approx(central_difference(lambda y: micrograd_readme(-4.0, y), 2.0))
    # and the figures micrograd prints
    assert round(g.data, 4) == 24.7041
    assert round(a.grad, 4) == 138.8338
    assert round(b.grad, 4) == 645.5773


def micrograd_sanity(x):
    def relu(v):
        return v.relu() if isinstance(v, Value) else max(v, 0.0)

    z = 2 * x + 2 + x
    q = relu(z) + z * x
    h = relu(z * z)
    return h + q + q * x


def test_micrograd_sanity_check():
    x = Value(-4.0)
    y = micrograd_sanity(x)
    y.backward()
    # for x < -2/3, relu(z) = 0 and y = (3x + 2)^2 + (3x + 2)x + (3x + 2)x^2
    assert y.data == pytest.approx(micrograd_sanity(-4.0), rel=1e-12)
    assert y.data == pytest.approx(-20.0)
    assert x.grad == pytest.approx(9 * x.data**2 + 28 * x.data + 14)  # 46, as micrograd's test
    assert x.grad == pytest.approx(central_difference(micrograd_sanity, -4.0))


# --- operators, with the reflected forms ---

BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    "sub": (lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    "mul": (lambda a, b: a * b, lambda a, b: (b, a)),
    "div": (lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2)),
}


@pytest.mark.parametrize("name", BINARY)
@given(x=floats(-5, 5), y=floats(-5, 5, avoid=(0.0,), min_distance=0.1))
def test_binary_operators_value_value_and_reflected(name, x, y):
    op, derivs = BINARY[name]
    da, db = derivs(x, y)
    a, b = Value(x), Value(y)
    out = op(a, b)
    out.backward()
    assert out.data == pytest.approx(op(x, y), rel=1e-12, abs=1e-12)
    assert a.grad == pytest.approx(da, rel=1e-12)
    assert b.grad == pytest.approx(db, rel=1e-12)
    # number on the right, then on the left (the reflected form)
    a = Value(x)
    op(a, y).backward()
    assert a.grad == pytest.approx(da, rel=1e-12)
    b = Value(y)
    r = op(x, b)
    assert isinstance(r, Value) and r.data == pytest.approx(op(x, y), rel=1e-12, abs=1e-12)
    r.backward()
    assert b.grad == pytest.approx(db, rel=1e-12)


def test_unary_minus_and_plus():
    v = Value(3.0)
    (-v).backward()
    assert (-v).data == -3.0 and v.grad == -1.0
    assert (+v) is v


@given(x=floats(0.1, 5), p=floats(-3, 3))
def test_power_with_a_number_exponent(x, p):
    v = Value(x)
    (v**p).backward()
    assert (Value(x) ** p).data == pytest.approx(x**p, rel=1e-12)
    assert v.grad == pytest.approx(p * x ** (p - 1), rel=1e-9)


def test_power_with_an_integer_exponent_of_a_negative_base():
    v = Value(-2.0)
    (v**3).backward()
    assert (Value(-2.0) ** 3).data == -8.0
    assert v.grad == pytest.approx(12.0)


@given(x=floats(0.1, 3), y=floats(-2, 2))
def test_value_to_the_power_of_a_value(x, y):
    a, b = Value(x), Value(y)
    out = a**b
    out.backward()
    assert out.data == pytest.approx(x**y, rel=1e-12)
    assert a.grad == pytest.approx(y * x ** (y - 1), rel=1e-9)
    assert b.grad == pytest.approx(x**y * math.log(x), rel=1e-9, abs=1e-12)
    assert gradgradcheck(lambda a, b: a**b, [Value(x), Value(y)])


@given(y=floats(-3, 3))
def test_number_to_the_power_of_a_value(y):
    b = Value(y)
    out = 2**b
    out.backward()
    assert out.data == pytest.approx(2**y, rel=1e-12)
    assert b.grad == pytest.approx(2**y * math.log(2), rel=1e-12)


def test_zero_to_a_positive_value_power_has_a_finite_exponent_gradient():
    # d(a**b)/db = a**b * log(a) -> 0 as a -> 0+ (PyTorch gives 0 too), not nan
    a, b = Value(0.0), Value(2.0)
    (a**b).backward()
    assert a.grad == 0.0
    assert b.grad == 0.0


# --- elementwise functions: values against math, derivatives against central differences ---

UNARY = {
    # name: (method, math reference, domain of inputs, kinks to avoid)
    "exp": (lambda v: v.exp(), math.exp, (-5, 5), ()),
    "log": (lambda v: v.log(), math.log, (0.05, 10), ()),
    "sqrt": (lambda v: v.sqrt(), math.sqrt, (0.05, 10), ()),
    "abs": (lambda v: v.abs(), abs, (-5, 5), (0.0,)),
    "builtin_abs": (abs, abs, (-5, 5), (0.0,)),
    "tanh": (lambda v: v.tanh(), math.tanh, (-5, 5), ()),
    "relu": (lambda v: v.relu(), lambda x: max(x, 0.0), (-5, 5), (0.0,)),
    "sigmoid": (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), (-10, 10), ()),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_function_values_and_derivatives(name):
    method, reference, (lo, hi), kinks = UNARY[name]

    @given(x=floats(lo, hi, avoid=kinks, min_distance=1e-3))
    def check(x):
        assert method(Value(x)).data == pytest.approx(reference(x), rel=1e-12, abs=1e-15)
        assert gradcheck(method, [Value(x)])
        assert gradgradcheck(method, [Value(x)])

    check()


def test_derivatives_in_the_notes_form():
    x = 0.7
    s, t = 1 / (1 + math.exp(-x)), math.tanh(x)
    for method, expected in [
        (lambda v: v.sigmoid(), s * (1 - s)),
        (lambda v: v.tanh(), 1 - t**2),
        (lambda v: v.exp(), math.exp(x)),
        (lambda v: v.log(), 1 / x),
        (lambda v: v.sqrt(), 0.5 / math.sqrt(x)),
    ]:
        v = Value(x)
        method(v).backward()
        assert v.grad == pytest.approx(expected, rel=1e-12)


def test_relu_and_abs_have_zero_gradient_at_the_kink():
    for method in (lambda v: v.relu(), lambda v: v.abs()):
        v = Value(0.0)
        method(v).backward()
        assert v.grad == 0.0


# --- extreme inputs stay finite, IEEE results instead of exceptions ---


@pytest.mark.parametrize("x", [-1000.0, 1000.0])
def test_sigmoid_and_tanh_saturate_without_overflow(x):
    cases = [
        (lambda v: v.sigmoid(), 1.0 if x > 0 else 0.0),
        (lambda v: v.tanh(), math.copysign(1.0, x)),
    ]
    for method, limit in cases:
        v = Value(x)
        out = method(v)
        out.backward()
        assert out.data == pytest.approx(limit, abs=1e-300)
        assert math.isfinite(v.grad) and v.grad == pytest.approx(0.0, abs=1e-300)


def test_ieee_results_instead_of_python_exceptions():
    assert Value(1000.0).exp().data == math.inf
    assert Value(0.0).log().data == -math.inf
    assert math.isnan(Value(-1.0).log().data)
    assert math.isnan(Value(-1.0).sqrt().data)
    assert (Value(1.0) / Value(0.0)).data == math.inf
    assert (Value(-1.0) / 0.0).data == -math.inf
    assert math.isnan((Value(0.0) / 0.0).data)
    assert (Value(0.0) ** -1).data == math.inf
    assert math.isnan((Value(-8.0) ** (1 / 3)).data)


# --- backward on Values ---


def test_gradients_accumulate_over_backward_calls_until_zeroed():
    x = Value(3.0)
    (x * 2).backward()
    (x * 5).backward()
    assert x.grad == 7.0
    x.zero_grad()
    assert x.grad == 0.0


def test_every_value_in_the_graph_receives_its_gradient():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + a
    d.backward()
    assert (d.grad, c.grad, a.grad, b.grad) == (1.0, 1.0, b.data + 1.0, a.data)


def test_backward_with_a_seed():
    x = Value(2.0)
    (x * x).backward(3.0)
    assert x.grad == 12.0


@given(st.lists(floats(-2, 2), min_size=1, max_size=6))
def test_a_small_neuron_against_central_differences(xs):
    def neuron(*ws):
        total = Value(0.5)
        for w, x in zip(ws, xs):
            total = total + w * x
        return total.tanh()

    assert gradcheck(neuron, [Value(0.1 * k) for k in range(len(xs))])


@given(values(-3, 3), values(-3, 3))
def test_strategies_values_feed_gradcheck(a, b):
    assert gradcheck(lambda a, b: (a * b + a.exp()).sigmoid(), [a, b])


# --- the float path: ops whose node is made without a call into forward ---


@pytest.mark.parametrize("fn", [f for f in vars(ar).values() if getattr(f, "_on_floats", None)])
@given(floats(-1e6, 1e6), st.one_of(floats(-1e6, 1e6), st.integers(-50, 50)))
def test_a_float_path_computes_and_saves_what_forward_does(fn, x, y):
    args = (x,) if fn is ar.Neg else (x, y)
    ctx = Context()
    ctx.saved_tensors = ()
    assert fn._on_floats(*args) == fn.forward(ctx, *args)
    assert ctx.saved_tensors == (args if fn._saves_inputs else ())


def _product_gradients(run):
    a, b = Value(3.0), Value(-2.0)
    products = [a * b, a * 5.0, 5.0 * b]  # Value * Value, and a number on either side
    total = products[0] + products[1] + products[2]
    run(total, products)
    return a.grad, b.grad


def test_a_product_gathers_its_saved_inputs_on_every_way_backward_runs():
    expected = (-2.0 + 5.0, 3.0 + 5.0)

    def twice(total, _):
        total.backward(retain_graph=True)
        total.backward()

    assert _product_gradients(twice) == (2 * expected[0], 2 * expected[1])

    def by_hand(total, products):  # micrograd's _backward, node by node
        total.grad = 1.0
        total._backward()
        total._ctx._a._backward()
        for p in products:
            p._backward()

    assert _product_gradients(by_hand) == expected

    a, b = Value(3.0), Value(-2.0)
    (ga,) = grad(a * a * b, [a], create_graph=True)  # d/da = 2ab, d2/da2 = 2b
    assert ga.data == 2 * 3.0 * -2.0
    ga.backward()
    assert a.grad == 2 * -2.0


def test_an_op_node_reports_which_inputs_need_a_gradient():
    a, b = Value(3.0), Value(-2.0)
    both, first, second, one = a / b, a / 4.0, 4.0 / b, a.exp()
    assert both._ctx.needs_input_grad == (True, True) and both._ctx.parents == (a, b)
    assert first._ctx.needs_input_grad == (True, False) and first._ctx.parents == (a,)
    assert second._ctx.needs_input_grad == (False, True) and second._ctx.parents == (b,)
    assert one._ctx.needs_input_grad == (True,) and one._ctx.parents == (a,)
    assert both.grad_fn.fn.__name__ == "Div" and one.grad_fn.name() == "ExpBackward0"
    (both + first + second).backward()  # Div's rule reads needs_input_grad
    assert math.isclose(a.grad, 1 / -2.0 + 1 / 4.0)
    assert math.isclose(b.grad, -3.0 / 4.0 - 4.0 / 4.0)
