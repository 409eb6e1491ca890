"""BFGS: iterates against a numpy BFGS written here from the textbook update, termination
in n steps on an n-dimensional quadratic with an exact line search, the curvature-condition
skip, Rosenbrock, scipy.optimize (when installed), Values and Tensors, state_dict round
trips, and bad arguments."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import optim
from autograd import Tensor

from .problems import (
    KINDS,
    loss_float,
    make_params,
    quartic,
    quartic_grad,
    quartic_value,
    rosenbrock_params,
    values_of,
)

# --- the textbook method, in numpy ---


def textbook_update(h: np.ndarray, s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """H+ = (I - rho s y^T) H (I - rho y s^T) + rho s s^T, skipped unless y^T s > 0."""
    ys = y @ s
    if ys <= 1e-12 * np.linalg.norm(y) * np.linalg.norm(s):
        return h
    rho = 1.0 / ys
    left = np.eye(len(s)) - rho * np.outer(s, y)
    return left @ h @ left.T + rho * np.outer(s, s)


def reference_bfgs(grad, x0, steps, step_length):
    """Iterates of BFGS from x0; ``step_length(x, g, d, k)`` gives t for iteration k."""
    x, h = np.array(x0, dtype=np.float64), np.eye(len(x0))
    g = grad(x)
    xs = [x.copy()]
    for k in range(steps):
        d = -h @ g
        t = step_length(x, g, d, k)
        s = t * d
        x = x + s
        g_new = grad(x)
        h, g = textbook_update(h, s, g_new - g), g_new
        xs.append(x.copy())
    return np.array(xs), h


def spd_problem(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, n))
    return a @ a.T + 0.5 * np.eye(n), rng.normal(size=n)


def quadratic_loss(x: Tensor, a: np.ndarray, b: np.ndarray) -> Tensor:
    """1/2 x^T A x - b^T x, minimum at A^-1 b."""
    return 0.5 * (x * (Tensor(a) @ x)).sum() - (x * Tensor(b)).sum()


# --- quadratics ---


@pytest.mark.parametrize("n", [2, 5, 8])
def test_exact_line_search_solves_quadratic_in_n_steps(n: int) -> None:
    a, b = spd_problem(n, seed=n)
    x0 = np.random.default_rng(10 + n).normal(size=n)
    x = Tensor(x0.copy(), requires_grad=True)
    # tiny c2: the strong Wolfe search is then exact (its cubic fit of a quadratic is exact)
    opt = optim.BFGS([x], c1=1e-12, c2=1e-10)
    ours = [x0.copy()]
    for _ in range(n):
        opt.step(lambda: quadratic_loss(x, a, b))
        ours.append(x.data.copy())

    def exact(x, g, d, k):
        return -(g @ d) / (d @ a @ d)

    theirs, h = reference_bfgs(lambda v: a @ v - b, x0, n, exact)
    np.testing.assert_allclose(np.array(ours), theirs, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(x.data, np.linalg.solve(a, b), rtol=1e-8, atol=1e-10)
    # after n exact steps the estimate of the inverse Hessian is exact too; the state holds
    # H before the update from the last move, which the next step applies
    state = opt.state[x]
    y = (a @ x.data - b) - state["prev_grad"]
    pending = textbook_update(state["H"], state["s"], y)
    np.testing.assert_allclose(pending, np.linalg.inv(a), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(h, np.linalg.inv(a), rtol=1e-6, atol=1e-8)


def test_max_iter_runs_several_iterations_in_one_step() -> None:
    a, b = spd_problem(4, seed=1)
    x = Tensor(np.zeros(4), requires_grad=True)
    opt = optim.BFGS([x], max_iter=50, c1=1e-12, c2=1e-10, tolerance_grad=1e-10)
    loss = opt.step(lambda: quadratic_loss(x, a, b))
    assert loss.item() == 0.0  # the loss before the step, at x = 0
    np.testing.assert_allclose(x.data, np.linalg.solve(a, b), rtol=1e-9, atol=1e-12)
    assert opt.state[x]["n_iter"] <= 5  # n iterations, and at most one more to confirm


@pytest.mark.parametrize("kind", KINDS)
def test_fixed_step_iterates_match_the_textbook(kind: str) -> None:
    params = make_params(kind)
    lr = 0.5
    opt = optim.BFGS(params, lr=lr, line_search=None)
    ours = [values_of(params)]
    for _ in range(12):
        opt.step(lambda: quartic(params))
        ours.append(values_of(params))

    def fixed(x, g, d, k):
        return lr * min(1.0, 1.0 / np.sum(np.abs(g))) if k == 0 else lr

    theirs, _ = reference_bfgs(quartic_grad, ours[0], 12, fixed)
    rtol = 1e-5 if kind == "float32" else 1e-10
    np.testing.assert_allclose(np.array(ours), theirs, rtol=rtol, atol=rtol)
    assert quartic_value(ours[-1]) < quartic_value(ours[0])


def test_update_is_skipped_when_curvature_condition_fails() -> None:
    # f = x^4/4 - x^2 is concave near 0 (f'' = 3x^2 - 2 < 0): a small move there has
    # y s < 0, and the update must be skipped, leaving H = I
    x = Tensor(np.array([0.1]), requires_grad=True)
    opt = optim.BFGS([x], lr=0.1, line_search=None)

    def f():
        return (x**4 / 4 - x * x).sum()

    opt.step(f)
    opt.step(f)
    state = opt.state[x]
    assert state["skipped"] == 1
    np.testing.assert_array_equal(state["H"], np.eye(1))
    # in the convex region the update happens
    x.data[...] = 2.0
    opt = optim.BFGS([x], lr=0.1, line_search=None)
    opt.step(f)
    opt.step(f)
    assert "skipped" not in opt.state[x] and opt.state[x]["updates"] == 1


# --- Rosenbrock ---


@pytest.mark.parametrize("kind", ["float64", "value"])
@pytest.mark.parametrize(("line_search", "lr"), [("strong_wolfe", 1.0), (None, 0.5)])
def test_rosenbrock_converges(kind: str, line_search: str | None, lr: float) -> None:
    params, loss_fn = rosenbrock_params(kind)
    opt = optim.BFGS(params, lr=lr, line_search=line_search)
    for _ in range(200):
        opt.step(loss_fn)
        if loss_float(loss_fn()) < 1e-8:
            break
    assert loss_float(loss_fn()) < 1e-8
    np.testing.assert_allclose(values_of(params), [1.0, 1.0], atol=1e-3)


def test_rosenbrock_steps_with_line_search() -> None:
    params, loss_fn = rosenbrock_params("float64")
    opt = optim.BFGS(params)
    steps = 0
    while loss_float(loss_fn()) >= 1e-8:
        opt.step(loss_fn)
        steps += 1
        assert steps <= 45, "BFGS with a strong Wolfe search needs about 32 steps here"
    # keeps converging: to the gradient tolerance, at the exact minimum
    for _ in range(30):
        opt.step(loss_fn)
    np.testing.assert_allclose(values_of(params), [1.0, 1.0], atol=1e-7)


def test_agrees_with_scipy() -> None:
    scipy_optimize = pytest.importorskip("scipy.optimize")
    # a smooth convex non-quadratic problem in 4 dimensions
    a, b = spd_problem(4, seed=3)

    def f_np(v):
        return 0.5 * v @ a @ v - b @ v + np.sum(np.logaddexp(0.0, v))

    def g_np(v):
        return a @ v - b + 1.0 / (1.0 + np.exp(-v))

    x = Tensor(np.ones(4), requires_grad=True)
    opt = optim.BFGS([x], max_iter=100, tolerance_grad=1e-10, tolerance_change=0.0)

    def closure():
        return 0.5 * (x * (Tensor(a) @ x)).sum() - (x * Tensor(b)).sum() + x.softplus().sum()

    opt.step(closure)
    ref = scipy_optimize.minimize(f_np, np.ones(4), jac=g_np, method="BFGS", tol=1e-12)
    np.testing.assert_allclose(x.data, ref.x, rtol=1e-7, atol=1e-9)


# --- parameters, state, errors ---


def test_several_parameters_form_one_vector() -> None:
    u = Tensor(np.array([-1.5]), requires_grad=True)
    w = Tensor(np.array([[2.0]]), requires_grad=True)
    opt = optim.BFGS([u, w])
    for _ in range(100):
        opt.step(lambda: ((1 - u) ** 2 + 100 * (w[0] - u * u) ** 2).sum())
    np.testing.assert_allclose([u.data[0], w.data[0, 0]], [1.0, 1.0], atol=1e-6)
    assert opt.state[u]["H"].shape == (2, 2)
    assert w.data.shape == (1, 1)


@pytest.mark.parametrize("line_search", ["strong_wolfe", None])
def test_state_dict_round_trip(line_search: str | None) -> None:
    params, loss_fn = rosenbrock_params("float64")
    opt = optim.BFGS(params, lr=0.5, line_search=line_search)
    for _ in range(5):
        opt.step(loss_fn)
    saved = copy.deepcopy(opt.state_dict())
    (p,) = params
    twin = Tensor(p.data.copy(), requires_grad=True)
    twin_opt = optim.BFGS([twin], lr=0.1, line_search="strong_wolfe")
    twin_opt.load_state_dict(saved)
    assert twin_opt.param_groups[0]["lr"] == 0.5
    assert twin_opt.param_groups[0]["line_search"] == line_search
    for _ in range(5):
        opt.step(loss_fn)
        twin_opt.step(lambda: (1 - twin[0]) ** 2 + 100 * (twin[1] - twin[0] * twin[0]) ** 2)
        np.testing.assert_array_equal(twin.data, p.data)
    np.testing.assert_array_equal(twin_opt.state[twin]["H"], opt.state[p]["H"])


def test_no_move_at_a_stationary_point() -> None:
    x = Tensor(np.zeros(3), requires_grad=True)
    opt = optim.BFGS([x])
    loss = opt.step(lambda: (x * x).sum())
    assert loss.item() == 0.0
    np.testing.assert_array_equal(x.data, np.zeros(3))
    assert opt.state[x]["func_evals"] == 1 and opt.state[x]["n_iter"] == 0


def test_bad_arguments() -> None:
    x = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(ValueError, match="line_search must be one of"):
        optim.BFGS([x], line_search="armijo")
    with pytest.raises(ValueError, match="lr must be >= 0"):
        optim.BFGS([x], lr=-1.0)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        optim.BFGS([x], max_iter=0)
    with pytest.raises(ValueError, match="0 < c1 < c2 < 1"):
        optim.BFGS([x], c1=0.9, c2=0.1)
    y = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(ValueError, match="parameter groups"):
        optim.BFGS([{"params": [x]}, {"params": [y]}])
    opt = optim.BFGS([x])
    with pytest.raises(TypeError, match=r"BFGS.step\(\) requires a closure"):
        opt.step()


def test_closure_that_calls_backward_is_refused() -> None:
    x = Tensor(np.ones(2), requires_grad=True)
    opt = optim.BFGS([x])

    def closure():
        opt.zero_grad()
        loss = (x * x).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="backward"):
        opt.step(closure)
    np.testing.assert_array_equal(x.data, np.ones(2))
