"""Nonlinear conjugate gradients (Fletcher-Reeves and Polak-Ribiere) with a line search."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ._checks import check_choice, check_closure, check_nonnegative
from ._closure_grad import loss_and_grad
from ._params import add_flat, numel
from .line_search import LineSearchResult, along, armijo, strong_wolfe
from .optimizer import Optimizer


class ConjugateGradient(Optimizer):
    r"""Nonlinear conjugate gradient method.

    ``step(closure)`` runs one iteration: ``closure()`` computes and returns the loss and
    does NOT call backward (the optimizer differentiates it with ``autograd.grad``). The
    direction is ``d = -g + beta * d_prev`` with

    - ``beta='FR'`` (Fletcher-Reeves): ``beta = g.g / g_prev.g_prev``
    - ``beta='PR'`` (Polak-Ribiere, "PR+"): ``beta = max(0, g.(g - g_prev)) / g_prev.g_prev``

    and the step along d is found by a line search: ``'strong_wolfe'`` (curvature constant
    ``c2=0.1``, which keeps Fletcher-Reeves directions downhill) or ``'armijo'``
    (backtracking). The method restarts with ``d = -g`` every ``restart`` iterations
    (default: the number of parameter scalars), when d is not a descent direction, and
    after a failed line search. The first trial step is ``lr * min(1, 1/|g|_1)``, later
    ones ``t_prev * slope_prev / slope`` (Nocedal & Wright, 3.60), doubled for the Armijo
    search, which can only shorten it. No move is made when
    the largest gradient entry is at most ``tolerance_grad``.
    """

    def __init__(
        self,
        params: Iterable[Any],
        beta: str = "PR",
        line_search: str = "strong_wolfe",
        lr: float = 1.0,
        restart: int | None = None,
        tolerance_grad: float = 1e-12,
    ) -> None:
        defaults = dict(
            beta=beta,
            line_search=line_search,
            lr=lr,
            restart=restart,
            tolerance_grad=tolerance_grad,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError(
                "ConjugateGradient doesn't support per-parameter options (parameter groups)"
            )
        self._params = self.param_groups[0]["params"]

    def _check_group(self, group: dict[str, Any]) -> None:
        check_choice("beta", group["beta"], ["PR", "FR"])
        check_choice("line_search", group["line_search"], ["strong_wolfe", "armijo"])
        check_nonnegative("lr", group["lr"])
        check_nonnegative("tolerance_grad", group["tolerance_grad"])
        if group["restart"] is not None and group["restart"] < 1:
            raise ValueError(f"restart must be >= 1 or None, got {group['restart']!r}")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # type: ignore[override]
        """One conjugate-gradient iteration; return the loss before it."""
        check_closure("ConjugateGradient", closure, calls_backward=False)
        assert closure is not None
        group = self.param_groups[0]
        params = self._params
        state = self.state[params[0]]
        state.setdefault("n_iter", 0)
        state.setdefault("func_evals", 0)

        loss_node, loss, g, _ = loss_and_grad(closure, params, optimizer="ConjugateGradient")
        state["func_evals"] += 1
        if np.max(np.abs(g)) <= group["tolerance_grad"]:
            return loss_node

        restart = group["restart"] or sum(numel(p) for p in params)
        d_prev, g_prev = state.get("d"), state.get("prev_flat_grad")
        if d_prev is None or g_prev is None or state["n_iter"] % restart == 0:
            d = -g
        else:
            d = -g + _beta(group["beta"], g, g_prev) * d_prev
        slope = float(g @ d)
        if slope >= 0:
            d, slope = -g, -float(g @ g)

        if state.get("t") is None or state.get("slope") is None:
            t = group["lr"] * min(1.0, 1.0 / float(np.sum(np.abs(g))))
        else:
            t = state["t"] * state["slope"] / slope

        evaluate = along(
            params, d, lambda: loss_and_grad(closure, params, optimizer="ConjugateGradient")[1:3]
        )
        result: LineSearchResult
        if group["line_search"] == "strong_wolfe":
            result = strong_wolfe(evaluate, d, t, loss, g, slope, c2=0.1)
        else:
            # backtracking never lengthens a step: try twice the estimate so steps can grow
            result = armijo(evaluate, 2 * t, loss, g, slope)
        state["func_evals"] += result.evaluations
        state["n_iter"] += 1
        if result.step > 0:
            add_flat(params, result.step, d)
            state.update(d=d, prev_flat_grad=g, t=result.step, slope=slope)
        else:  # the line search found no decrease: restart from steepest descent
            state.update(d=None, prev_flat_grad=None, t=None, slope=None)
        return loss_node


def _beta(rule: str, g: np.ndarray, g_prev: np.ndarray) -> float:
    """The conjugacy coefficient: Fletcher-Reeves or Polak-Ribiere (clipped at 0)."""
    denom = float(g_prev @ g_prev)
    if rule == "FR":
        return float(g @ g) / denom
    return max(0.0, float(g @ (g - g_prev))) / denom
