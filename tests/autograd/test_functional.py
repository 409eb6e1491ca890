"""autograd.functional (jacobian, hessian, vjp, jvp, hvp, vhp) against closed forms, and the
function form autograd.backward."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor
from autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp


def t(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


X = np.array([0.5, -1.0, 2.0])


def test_jacobian_of_elementwise_square_is_diagonal():
    j = jacobian(lambda x: x**2, t(X))
    np.testing.assert_allclose(j.data, np.diag(2 * X))
    assert not j.requires_grad


def test_jacobian_of_matrix_vector_product_is_the_matrix():
    a = np.arange(6.0).reshape(2, 3)
    j = jacobian(lambda x: t(a) @ x, t(X))
    np.testing.assert_allclose(j.data, a)


def test_jacobian_shapes_and_nesting_for_tuples():
    x, y = t(np.ones((2, 3))), t(np.ones(4))
    j = jacobian(lambda x, y: (x.sum() * y, x * 2), (x, y))
    assert isinstance(j, tuple) and len(j) == 2 and all(len(r) == 2 for r in j)
    assert j[0][0].shape == (4, 2, 3) and j[0][1].shape == (4, 4)
    assert j[1][0].shape == (2, 3, 2, 3) and j[1][1].shape == (2, 3, 4)
    np.testing.assert_allclose(j[1][1].data, 0.0)  # unused input: zeros
    np.testing.assert_allclose(j[0][1].data, 6 * np.eye(4))
    # one tuple level dropped for a single tensor output
    j2 = jacobian(lambda x, y: (x * y[:1]).sum(), (x, y))
    assert isinstance(j2, tuple) and j2[0].shape == (2, 3) and j2[1].shape == (4,)


def test_strict_refuses_an_unused_input():
    with pytest.raises(RuntimeError, match="independent of input 1"):
        jacobian(lambda x, y: x * 2, (t(X), t(X)), strict=True)


def test_jacobian_create_graph_is_differentiable():
    x = t(X, requires_grad=True)
    j = jacobian(lambda x: x**3, x, create_graph=True)
    assert j.requires_grad
    (g,) = ag.grad(j.sum(), x)
    np.testing.assert_allclose(g.data, 6 * X)


def test_hessian_of_cubic_sum_and_quadratic_form():
    h = hessian(lambda x: (x**3).sum(), t(X))
    np.testing.assert_allclose(h.data, np.diag(6 * X))
    a = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 4.0]])
    h2 = hessian(lambda x: x @ (t(a) @ x), t(X))
    np.testing.assert_allclose(h2.data, 2 * a)


def test_hessian_of_two_inputs():
    # f(x, y) = sum(x^2 * y): d2/dx2 = diag(2y), d2/dxdy = diag(2x), d2/dy2 = 0
    x, y = t([1.0, 2.0]), t([3.0, -1.0])
    h = hessian(lambda x, y: (x**2 * y).sum(), (x, y))
    np.testing.assert_allclose(h[0][0].data, np.diag(2 * y.data))
    np.testing.assert_allclose(h[0][1].data, np.diag(2 * x.data))
    np.testing.assert_allclose(h[1][0].data, np.diag(2 * x.data))
    np.testing.assert_allclose(h[1][1].data, 0.0)


def test_hessian_refuses_a_non_scalar_function():
    with pytest.raises(RuntimeError, match="single element"):
        hessian(lambda x: x**2, t(X))


def test_vjp_and_jvp_of_sin():
    v = np.array([1.0, 2.0, -1.0])
    out, g = vjp(lambda x: x.sin(), t(X), t(v))
    np.testing.assert_allclose(out.data, np.sin(X))
    np.testing.assert_allclose(g.data, v * np.cos(X))
    out, g = jvp(lambda x: x.sin(), t(X), t(v))
    np.testing.assert_allclose(g.data, v * np.cos(X))


def test_jvp_of_a_non_square_map_is_j_times_v():
    a = np.arange(6.0).reshape(2, 3)
    v = np.array([1.0, -2.0, 0.5])
    _, g = jvp(lambda x: t(a) @ x, t(X), t(v))
    np.testing.assert_allclose(g.data, a @ v)
    _, g = vjp(lambda x: t(a) @ x, t(X), t([1.0, 1.0]))
    np.testing.assert_allclose(g.data, a.sum(0))


def test_v_may_be_omitted_only_for_one_element():
    out, g = vjp(lambda x: (x**2).sum(), t(X))
    np.testing.assert_allclose(g.data, 2 * X)
    with pytest.raises(RuntimeError, match="v can only be None"):
        vjp(lambda x: x**2, t(X))
    with pytest.raises(RuntimeError, match="invalid size"):
        vjp(lambda x: x**2, t(X), t([1.0, 2.0]))


def test_hvp_and_vhp_of_quadratic_form():
    a = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 4.0]])
    v = np.array([1.0, 0.0, 2.0])
    f = lambda x: x @ (t(a) @ x)  # noqa: E731
    out, hv = hvp(f, t(X), t(v))
    np.testing.assert_allclose(out.data, X @ a @ X)
    np.testing.assert_allclose(hv.data, 2 * a @ v)
    _, vh = vhp(f, t(X), t(v))
    np.testing.assert_allclose(vh.data, 2 * v @ a)


def test_inputs_must_be_tensors():
    with pytest.raises(TypeError, match="must be either a Tensor"):
        jacobian(lambda x: x, [1.0, 2.0])


def test_backward_function_sums_several_roots_and_respects_inputs():
    x = t(X, requires_grad=True)
    y = t(X, requires_grad=True)
    a, b = (x * y).sum(), (x**2).sum()
    ag.backward([a, b])
    np.testing.assert_allclose(x.grad.data, X + 2 * X)
    np.testing.assert_allclose(y.grad.data, X)
    x.grad = y.grad = None
    ag.backward(x * y, grad_tensors=t([1.0, 2.0, 3.0]), inputs=[x])
    np.testing.assert_allclose(x.grad.data, X * [1.0, 2.0, 3.0])
    assert y.grad is None
    with pytest.raises(RuntimeError, match="only for single-element|implicitly|grad="):
        ag.backward(x * y)


def test_backward_function_create_graph():
    x = t(X, requires_grad=True)
    ag.backward((x**3).sum(), create_graph=True)
    g = x.grad
    assert g.requires_grad
    (gg,) = ag.grad(g.sum(), x)
    np.testing.assert_allclose(gg.data, 6 * X)


def test_grad_outputs_that_require_grad_stay_in_the_graph():
    x = t(X, requires_grad=True)
    u = t(np.zeros(3), requires_grad=True)
    (gx,) = ag.grad(x**2, x, u, create_graph=True)
    (gu,) = ag.grad(gx.sum(), u)
    np.testing.assert_allclose(gu.data, 2 * X)
