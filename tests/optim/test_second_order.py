"""Newton, LBFGS, conjugate gradients (and Adam) on Rosenbrock and quadratics."""

from __future__ import annotations

import numpy as np
import pytest

import optim
from autograd import Tensor, Value

from .problems import backward_closure, loss_float, rosenbrock_params, values_of

KINDS = ["float64", "value"]


def _assert_at_minimum(params: list, loss_fn) -> None:
    assert loss_float(loss_fn()) < 1e-8
    np.testing.assert_allclose(values_of(params), [1.0, 1.0], atol=1e-3)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_reaches_rosenbrock_minimum(kind: str, line_search_fn: str | None) -> None:
    params, loss_fn = rosenbrock_params(kind)
    lr = 1.0 if line_search_fn else 0.2
    opt = optim.LBFGS(params, lr=lr, line_search_fn=line_search_fn)
    closure = backward_closure(opt, loss_fn)
    for _ in range(50):
        opt.step(closure)
    _assert_at_minimum(params, loss_fn)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("line_search", ["strong_wolfe", "armijo"])
@pytest.mark.parametrize("beta", ["FR", "PR"])
def test_conjugate_gradient_reaches_rosenbrock_minimum(
    kind: str, beta: str, line_search: str
) -> None:
    params, loss_fn = rosenbrock_params(kind)
    opt = optim.ConjugateGradient(params, beta=beta, line_search=line_search)
    for _ in range(5000):
        opt.step(loss_fn)
        if loss_float(loss_fn()) < 1e-10:
            break
    _assert_at_minimum(params, loss_fn)


@pytest.mark.parametrize("kind", KINDS)
def test_newton_reaches_rosenbrock_minimum(kind: str) -> None:
    params, loss_fn = rosenbrock_params(kind)
    opt = optim.Newton(params)
    for _ in range(20):
        opt.step(loss_fn)
    _assert_at_minimum(params, loss_fn)


@pytest.mark.parametrize("kind", KINDS)
def test_adam_reaches_rosenbrock_minimum(kind: str) -> None:
    params, loss_fn = rosenbrock_params(kind)
    opt = optim.Adam(params, lr=0.05)
    for _ in range(20000):
        opt.zero_grad()
        loss = loss_fn()
        if loss_float(loss) < 1e-10:
            break
        loss.backward()
        opt.step()
    _assert_at_minimum(params, loss_fn)


def test_newton_solves_convex_quadratic_in_one_step() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 4))
    q = a @ a.T + 4 * np.eye(4)  # symmetric positive definite
    b = rng.normal(size=4)
    x = Tensor(rng.normal(size=4), requires_grad=True)
    opt = optim.Newton([x])
    opt.step(lambda: 0.5 * (x * (Tensor(q) @ x)).sum() - (x * b).sum() + 3.0)
    np.testing.assert_allclose(x.data, np.linalg.solve(q, b), rtol=1e-12, atol=1e-12)


def test_newton_across_params_and_groups_uses_the_full_hessian() -> None:
    # f(u, v) = u^2 + u v + v^2 - u: the cross term needs the off-diagonal block.
    u = Tensor(np.array([3.0]), requires_grad=True)
    v = Tensor(np.array([[-2.0]]), requires_grad=True)
    opt = optim.Newton([{"params": [u]}, {"params": [v]}])
    opt.step(lambda: (u * u + u * v[0] + v[0] * v[0] - u).sum())
    # minimum: 2u + v = 1, u + 2v = 0 -> u = 2/3, v = -1/3
    assert u.data[0] == pytest.approx(2 / 3, abs=1e-12)
    assert v.data[0, 0] == pytest.approx(-1 / 3, abs=1e-12)


def test_newton_on_values() -> None:
    u, v = Value(3.0), Value(-2.0)
    optim.Newton([u, v]).step(lambda: u * u + u * v + v * v - u)
    assert (u.data, v.data) == (pytest.approx(2 / 3), pytest.approx(-1 / 3))


def test_newton_damping_and_lr() -> None:
    # f = 2 x^2: g = 4x, H = 4; damped step x <- x - lr * 4x / (4 + damping)
    x = Value(1.0)
    optim.Newton([x], lr=0.5, damping=4.0).step(lambda: 2 * x * x)
    assert x.data == pytest.approx(1.0 - 0.5 * 4 / 8)


def test_newton_singular_hessian_says_use_damping() -> None:
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = optim.Newton([x])
    with pytest.raises(np.linalg.LinAlgError, match="damping"):
        opt.step(lambda: (x[0] - 1.0) ** 2 + 0 * x[1])


def test_newton_and_cg_leave_grad_alone() -> None:
    x = Tensor(np.array([2.0, 1.0]), requires_grad=True)
    for opt in (optim.Newton([x]), optim.ConjugateGradient([x])):
        opt.step(lambda: (x * x).sum())
        assert x.grad is None
