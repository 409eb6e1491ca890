"""ConjugateGradient's rules read off its iterates (PyTorch has no CG to compare with): the
first direction is -g, the second -g + beta d with the Fletcher-Reeves or Polak-Ribiere+
beta, restarts go back to -g, and each step meets its line search's conditions."""

from __future__ import annotations

import numpy as np
import pytest

import optim

from .problems import W0, make_params, quartic, quartic_grad, quartic_value, values_of


def iterates(kind: str, steps: int, **options: object) -> list[np.ndarray]:
    params = make_params(kind)
    opt = optim.ConjugateGradient(params, **options)
    xs = [values_of(params)]
    for _ in range(steps):
        opt.step(lambda: quartic(params))
        xs.append(values_of(params))
    return xs


def split(step: np.ndarray, g: np.ndarray, d_prev: np.ndarray) -> tuple[float, float]:
    """Coefficients (a, b) with step = a * (-g) + b * d_prev, checked to be exact."""
    basis = np.stack([-g, d_prev], axis=1)
    (a, b), *_ = np.linalg.lstsq(basis, step, rcond=None)
    np.testing.assert_allclose(basis @ [a, b], step, rtol=1e-9, atol=1e-12)
    return float(a), float(b)


BETAS = {
    "FR": lambda g, gp: (g @ g) / (gp @ gp),
    "PR": lambda g, gp: max(0.0, g @ (g - gp)) / (gp @ gp),
}


@pytest.mark.parametrize("kind", ["float64", "value"])
@pytest.mark.parametrize("line_search", ["strong_wolfe", "armijo"])
@pytest.mark.parametrize("beta", ["FR", "PR"])
def test_second_direction_uses_the_named_beta(beta: str, line_search: str, kind: str) -> None:
    x0, x1, x2 = iterates(kind, 2, beta=beta, line_search=line_search)
    g0, g1 = quartic_grad(x0), quartic_grad(x1)
    t0 = (x0 - x1) / g0  # the first step goes along -g0: one step size for every entry
    assert t0[0] > 0
    np.testing.assert_allclose(t0, t0[0], rtol=1e-10)
    a1, b1 = split(x2 - x1, g1, -g0)  # d1 = -g1 + beta * d0 with d0 = -g0
    expected = {name: rule(g1, g0) for name, rule in BETAS.items()}
    # the two rules differ here, so the check tells them apart
    assert abs(expected["FR"] - expected["PR"]) > 0.1 * max(expected.values())
    assert a1 > 0 and b1 / a1 == pytest.approx(expected[beta], rel=1e-8)


def test_restart_every_step_is_steepest_descent() -> None:
    x0, x1, x2 = iterates("float64", 2, restart=1)
    g1 = quartic_grad(x1)
    a, b = split(x2 - x1, g1, x1 - x0)
    assert a > 0 and b == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("line_search", ["strong_wolfe", "armijo"])
def test_each_step_meets_its_line_search_conditions(line_search: str) -> None:
    xs = iterates("float64", 4, line_search=line_search)
    for k in range(4):
        x, x_next = xs[k], xs[k + 1]
        g = quartic_grad(x)
        step = x_next - x
        slope = g @ step  # t * f'(0) along the direction
        assert slope < 0
        assert quartic_value(x_next) <= quartic_value(x) + 1e-4 * slope  # sufficient decrease
        if line_search == "strong_wolfe":  # CG's curvature constant c2 = 0.1
            assert abs(quartic_grad(x_next) @ step) <= 0.1 * abs(slope)


def test_first_trial_step_is_scaled_by_the_l1_norm_of_the_gradient() -> None:
    # with lr tiny, the first trial step lr * min(1, 1/|g|_1) already decreases the loss
    xs = iterates("float64", 1, lr=1e-3, line_search="armijo")
    g = quartic_grad(W0)
    t = 1e-3 * min(1.0, 1.0 / np.abs(g).sum())
    # armijo starts at twice the estimate and accepts it when it decreases enough
    np.testing.assert_allclose(xs[1], W0 - 2 * t * g, rtol=1e-12)
