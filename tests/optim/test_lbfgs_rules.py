"""LBFGS without PyTorch: its iterations against a dense-matrix BFGS reference, its stopping
rules (max_iter, max_eval, tolerance_grad, tolerance_change, history_size) and the strong Wolfe
conditions of its line search."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import optim

from .problems import W0, make_params, quartic, quartic_grad, quartic_value, values_of


class DenseLBFGS:
    """PyTorch's L-BFGS iteration (no line search) with the inverse Hessian as a dense matrix.

    The two-loop recursion of the optimizer must equal H g where H starts from gamma I
    (gamma = s.y / y.y of the newest pair) and takes the BFGS update
    H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T for each kept pair, oldest first.
    """

    def __init__(
        self,
        lr: float,
        max_iter: int,
        max_eval: int,
        tolerance_grad: float,
        tolerance_change: float,
        history_size: int,
    ) -> None:
        self.lr, self.max_iter, self.max_eval = lr, max_iter, max_eval
        self.tol_grad, self.tol_change, self.history = (
            tolerance_grad,
            tolerance_change,
            history_size,
        )
        self.pairs: list[tuple[np.ndarray, np.ndarray]] = []
        self.n_iter, self.gamma = 0, 1.0
        self.d: Any = None
        self.t = 0.0
        self.prev_g: Any = None

    def direction(self, g: np.ndarray) -> np.ndarray:
        n = g.size
        H = self.gamma * np.eye(n)
        for s, y in self.pairs:
            rho = 1.0 / (y @ s)
            V = np.eye(n) - rho * np.outer(y, s)
            H = V.T @ H @ V + rho * np.outer(s, s)
        return -H @ g

    def step(self, x: np.ndarray) -> tuple[np.ndarray, int]:
        loss, g, calls = quartic_value(x), quartic_grad(x), 1
        if np.max(np.abs(g)) <= self.tol_grad:
            return x, calls
        k = 0
        while k < self.max_iter:
            k += 1
            self.n_iter += 1
            if self.n_iter == 1:
                d = -g
            else:
                y, s = g - self.prev_g, self.t * self.d
                if y @ s > 1e-10:
                    self.pairs = (self.pairs + [(s, y)])[-self.history :]
                    self.gamma = (y @ s) / (y @ y)
                d = self.direction(g)
            self.prev_g, prev_loss = g, loss
            self.d = d
            self.t = min(1.0, 1.0 / np.sum(np.abs(g))) * self.lr if self.n_iter == 1 else self.lr
            if g @ d > -self.tol_change:
                break
            x = x + self.t * d
            if k != self.max_iter:
                loss, g = quartic_value(x), quartic_grad(x)
                calls += 1
            if k == self.max_iter or calls >= self.max_eval:
                break
            if np.max(np.abs(g)) <= self.tol_grad:
                break
            if (
                np.max(np.abs(self.t * d)) <= self.tol_change
                or abs(loss - prev_loss) < self.tol_change
            ):
                break
        return x, calls


def counting_closure(opt: Any, params: list) -> tuple[Any, list[int]]:
    calls = [0]

    def closure() -> Any:
        calls[0] += 1
        opt.zero_grad()
        loss = quartic(params)
        loss.backward()
        return loss

    return closure, calls


CASES = [
    # (lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size, steps)
    (1.0, 20, 25, 1e-7, 1e-9, 100, 1),  # PyTorch's defaults; max_eval = max_iter * 5 / 4
    (1.0, 4, 5, 1e-7, 1e-9, 100, 3),  # state carried across step() calls
    (0.5, 10, 12, 0.0, 0.0, 2, 1),  # history_size 2 drops the oldest pairs
    (1.0, 20, 4, 0.0, 0.0, 100, 1),  # max_eval stops first
    (1.0, 20, 25, 0.5, 0.0, 100, 1),  # tolerance_grad stops first
    (1.0, 20, 25, 0.0, 1e-2, 100, 1),  # tolerance_change stops first
    (1.0, 20, 25, 0.0, 1e3, 100, 1),  # not a descent direction by tolerance_change: no move
]


@pytest.mark.parametrize("kind", ["float64", "value"])
@pytest.mark.parametrize("case", CASES)
def test_iterations_and_stopping_rules_match_the_dense_reference(case: tuple, kind: str) -> None:
    lr, max_iter, max_eval, tol_grad, tol_change, history, steps = case
    params = make_params(kind)
    opt = optim.LBFGS(
        params,
        lr=lr,
        max_iter=max_iter,
        max_eval=max_eval,
        tolerance_grad=tol_grad,
        tolerance_change=tol_change,
        history_size=history,
    )
    ref = DenseLBFGS(lr, max_iter, max_eval, tol_grad, tol_change, history)
    closure, calls = counting_closure(opt, params)
    x = W0.copy()
    for k in range(steps):
        before = calls[0]
        opt.step(closure)
        x, ref_calls = ref.step(x)
        assert calls[0] - before == ref_calls, f"closure calls in step {k + 1}"
        np.testing.assert_allclose(
            values_of(params), x, rtol=1e-10, atol=1e-12, err_msg=f"step {k + 1}"
        )


def test_max_eval_defaults_to_five_quarters_of_max_iter() -> None:
    params = make_params("float64")
    opt = optim.LBFGS(params, max_iter=8)
    assert opt.param_groups[0]["max_eval"] == 10


def test_first_iteration_is_a_gradient_step_scaled_by_the_l1_norm() -> None:
    params = make_params("float64")
    opt = optim.LBFGS(params, lr=0.7, max_iter=1)
    closure, calls = counting_closure(opt, params)
    loss = opt.step(closure)
    g = quartic_grad(W0)
    np.testing.assert_allclose(
        values_of(params), W0 - 0.7 * min(1.0, 1 / np.abs(g).sum()) * g, rtol=1e-13
    )
    assert calls[0] == 1 and loss.item() == pytest.approx(quartic_value(W0), rel=1e-13)


def test_strong_wolfe_step_satisfies_the_strong_wolfe_conditions() -> None:
    params = make_params("float64")
    opt = optim.LBFGS(params, max_iter=1, line_search_fn="strong_wolfe")
    closure, _ = counting_closure(opt, params)
    opt.step(closure)
    x1, g0 = values_of(params), quartic_grad(W0)
    # the first direction is -g, so x1 = W0 - t g for one step size t > 0
    t = (W0 - x1) / g0
    np.testing.assert_allclose(t, t[0], rtol=1e-10)
    assert t[0] > 0
    slope = -(g0 @ g0)
    assert quartic_value(x1) <= quartic_value(W0) + 1e-4 * t[0] * slope  # sufficient decrease
    assert abs(quartic_grad(x1) @ -g0) <= 0.9 * abs(slope)  # curvature
