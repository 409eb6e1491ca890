"""autograd.grad: gradients returned as nodes, .grad untouched, grad_outputs, allow_unused,
and higher order through create_graph."""

import math

import numpy as np
import pytest
from hypothesis import given

import autograd as ag
from autograd import Tensor, Value
from autograd.testing import gradcheck
from autograd.testing.strategies import floats, tensors


def test_returns_a_tuple_of_nodes_and_leaves_grad_untouched():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    w = Tensor(np.array([3.0, -1.0]), requires_grad=True)
    y = (x * w).sum()
    gx, gw = ag.grad(y, [x, w])
    assert isinstance(gx, Tensor) and isinstance(gw, Tensor)
    np.testing.assert_array_equal(gx.data, w.data)
    np.testing.assert_array_equal(gw.data, x.data)
    assert x.grad is None and w.grad is None
    assert not gx.requires_grad  # without create_graph the result is a constant


def test_values_give_values():
    a, b = Value(2.0), Value(5.0)
    ga, gb = ag.grad(a * b, [a, b])
    assert isinstance(ga, Value) and (ga.data, gb.data) == (5.0, 2.0)
    assert a.grad == 0.0 and b.grad == 0.0


def test_a_single_input_node_is_accepted():
    x = Value(3.0)
    (g,) = ag.grad(x * x, x)
    assert g.data == 6.0


def test_grad_outputs_weights_a_non_scalar_output():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = x * x
    v = np.array([1.0, 0.5, -1.0])
    for weights in (v, Tensor(v), [v]):
        (g,) = ag.grad(y, x, grad_outputs=weights, retain_graph=True)
        np.testing.assert_array_equal(g.data, 2 * x.data * v)


def test_several_outputs_with_their_own_grad_outputs():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y1, y2 = x * 3, (x * x).sum()
    (g,) = ag.grad([y1, y2], [x], grad_outputs=[np.array([1.0, -1.0]), 2.0])
    np.testing.assert_array_equal(g.data, np.array([3.0, -3.0]) + 4 * x.data)
    with pytest.raises(ValueError, match="2 outputs but 1 grad_outputs"):
        ag.grad([x * 3, x * 2], [x], grad_outputs=[np.ones(2)])


def test_non_scalar_output_without_grad_outputs_raises():
    x = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"single-element.*\(3,\)"):
        ag.grad(x * 2, x)


def test_allow_unused():
    x, z = Value(1.0), Value(2.0)
    with pytest.raises(RuntimeError, match=r"inputs\[1\].*allow_unused"):
        ag.grad(x * 2, [x, z])
    gx, gz = ag.grad(x * 2, [x, z], allow_unused=True)
    assert gx.data == 2.0 and gz is None


def test_inputs_and_outputs_that_do_not_require_grad_raise():
    x = Tensor(np.ones(2), requires_grad=True)
    c = Tensor(np.ones(2))
    with pytest.raises(RuntimeError, match=r"inputs\[1\] does not require grad"):
        ag.grad((x * c).sum(), [x, c])
    with pytest.raises(RuntimeError, match=r"outputs\[0\] does not require grad"):
        ag.grad(c.sum(), [x])
    with pytest.raises(TypeError, match="not a Value or Tensor"):
        ag.grad((x * 2).sum(), [np.ones(2)])


def test_retain_graph_defaults_to_create_graph():
    x = Value(2.0)
    y = x * x
    ag.grad(y, x)
    with pytest.raises(RuntimeError, match="released"):
        ag.grad(y, x)
    y = x * x
    ag.grad(y, x, retain_graph=True)
    (g,) = ag.grad(y, x)
    assert g.data == 4.0
    y = x * x
    ag.grad(y, x, create_graph=True)
    (g,) = ag.grad(y, x)  # create_graph kept the graph
    assert g.data == 4.0


def test_gradient_of_an_intermediate_node():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    h = x * 2
    y = (h * h).sum()
    gh, gx = ag.grad(y, [h, x])
    np.testing.assert_array_equal(gh.data, 2 * h.data)
    np.testing.assert_array_equal(gx.data, 4 * h.data)
    assert h.grad is None


# --- higher order ---


@given(x=floats(-2, 2))
def test_derivatives_of_x_cubed_on_values(x):
    v = Value(x)
    (d1,) = ag.grad(v**3, v, create_graph=True)
    (d2,) = ag.grad(d1, v, create_graph=True)
    (d3,) = ag.grad(d2, v)
    assert d1.data == pytest.approx(3 * x**2, abs=1e-12)
    assert d2.data == pytest.approx(6 * x, abs=1e-12)
    assert d3.data == pytest.approx(6.0)


@given(x=floats(-2, 2))
def test_second_derivatives_of_compositions_on_values(x):
    v = Value(x)
    (d1,) = ag.grad((v * v).tanh(), v, create_graph=True)
    (d2,) = ag.grad(d1, v)
    t = math.tanh(x * x)
    # d/dx tanh(x^2) = 2x (1 - t^2); again: 2 (1 - t^2) - 8 x^2 t (1 - t^2)
    assert d2.data == pytest.approx(2 * (1 - t**2) - 8 * x**2 * t * (1 - t**2), abs=1e-9)


@given(
    x=tensors(shape=(3,), min_value=-2, max_value=2),
    v=tensors(shape=(3,), min_value=-2, max_value=2, requires_grad=False),
)
def test_hessian_vector_product_of_a_quadratic(x, v):
    A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 4.0]])
    b = np.array([1.0, -2.0, 0.5])
    f = 0.5 * (x * (Tensor(A) @ x)).sum() + (x * b).sum()
    (g,) = ag.grad(f, x, create_graph=True)
    np.testing.assert_allclose(g.data, A @ x.data + b, rtol=1e-12, atol=1e-12)
    (hv,) = ag.grad(g, x, grad_outputs=v.data)
    np.testing.assert_allclose(hv.data, A @ v.data, rtol=1e-12, atol=1e-12)


def test_full_hessian_of_a_non_quadratic_function():
    x = Tensor(np.array([0.3, -0.7]), requires_grad=True)

    def f(x):
        return (x[0] * x[1]).exp() + x[0] ** 3

    (g,) = ag.grad(f(x), x, create_graph=True)
    rows = [ag.grad(g[i], x, retain_graph=True)[0].data for i in range(2)]
    a, b = x.data
    e = np.exp(a * b)
    expected = np.array([[b * b * e + 6 * a, e + a * b * e], [e + a * b * e, a * a * e]])
    np.testing.assert_allclose(np.stack(rows), expected, rtol=1e-12)


def test_newton_step_on_a_one_dimensional_function():
    # f(x) = x^4 - 3x; Newton: x <- x - f'(x) / f''(x); converges to (3/4)^(1/3)
    x = Value(1.0)
    for _ in range(20):
        (d1,) = ag.grad(x**4 - 3 * x, x, create_graph=True)
        (d2,) = ag.grad(d1, x)
        x = Value(x.data - d1.data / d2.data)
    assert x.data == pytest.approx(0.75 ** (1 / 3), rel=1e-12)


def test_gradient_penalty_trains_through_the_gradient_norm():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)

    def penalty(w):
        (gx,) = ag.grad((w * x).sum().tanh(), x, create_graph=True)
        return (gx * gx).sum()

    w = Tensor(np.array([0.5, -0.3]), requires_grad=True)
    # ||d tanh(w.x)/dx||^2 = (1 - t^2)^2 ||w||^2
    t = np.tanh(w.data @ x.data)
    assert penalty(w).item() == pytest.approx((1 - t**2) ** 2 * (w.data @ w.data))
    assert gradcheck(penalty, [w])


def test_create_graph_result_requires_grad_only_where_it_depends_on_inputs():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (g,) = ag.grad((x * 3).sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.data, [3.0, 3.0])
    (g2,) = ag.grad((x * x).sum(), x, create_graph=True)
    assert g2.requires_grad


def test_third_derivative_on_tensors():
    x = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    (d1,) = ag.grad((x**4).sum(), x, create_graph=True)
    (d2,) = ag.grad(d1.sum(), x, create_graph=True)
    (d3,) = ag.grad(d2.sum(), x)
    np.testing.assert_allclose(d1.data, 4 * x.data**3)
    np.testing.assert_allclose(d2.data, 12 * x.data**2)
    np.testing.assert_allclose(d3.data, 24 * x.data)
