"""L-BFGS: quasi-Newton steps from a short history of gradient changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from autograd import enable_grad

from ._checks import check_choice, check_closure, check_nonnegative
from ._params import add_flat, gather_flat_grad, loss_value
from .line_search import along, strong_wolfe
from .optimizer import Optimizer


class LBFGS(Optimizer):
    """Limited-memory BFGS (PyTorch's algorithm and defaults).

    ``step(closure)`` runs up to ``max_iter`` iterations; ``closure()`` must zero the
    gradients, compute the loss, call ``loss.backward()`` and return the loss. The inverse
    Hessian is approximated from the last ``history_size`` pairs of parameter and gradient
    changes (the two-loop recursion). Without a line search each iteration moves by ``lr``
    times the quasi-Newton direction (the very first by ``lr * min(1, 1/|g|_1)``); with
    ``line_search_fn='strong_wolfe'`` the step is chosen to satisfy the strong Wolfe
    conditions. An iteration run stops early when the largest gradient entry is at most
    ``tolerance_grad``, or the step or the loss change is below ``tolerance_change``.

    All parameters form one flat vector, so there is a single parameter group, and the
    optimizer's state is kept under the first parameter (as in PyTorch).
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _check_group(self, group: dict[str, Any]) -> None:
        for name in ("lr", "tolerance_grad", "tolerance_change"):
            check_nonnegative(name, group[name])
        for name in ("max_iter", "max_eval", "history_size"):
            if group[name] < 1:
                raise ValueError(f"{name} must be >= 1, got {group[name]!r}")
        check_choice("line_search_fn", group["line_search_fn"], [None, "strong_wolfe"])

    def _evaluate(self, closure: Callable[[], Any]) -> tuple[Any, float, np.ndarray]:
        with enable_grad():
            loss = closure()
        return loss, loss_value(loss), gather_flat_grad(self._params)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` L-BFGS iterations; return the loss at the start."""
        check_closure("LBFGS", closure, calls_backward=True)
        assert closure is not None
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss, loss, flat_grad = self._evaluate(closure)
        evals = 1
        state["func_evals"] += 1
        if np.max(np.abs(flat_grad)) <= tol_grad:
            return orig_loss

        d: np.ndarray | None = state.get("d")
        t: float | None = state.get("t")
        old_dirs: list[np.ndarray] = state.get("old_dirs", [])
        old_stps: list[np.ndarray] = state.get("old_stps", [])
        ro: list[float] = state.get("ro", [])
        h_diag: float | None = state.get("H_diag")
        prev_flat_grad: np.ndarray | None = state.get("prev_flat_grad")
        prev_loss: float | None = state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                h_diag = 1.0
            else:
                # every iteration after the very first finds these in the state
                assert d is not None and t is not None and h_diag is not None
                assert prev_flat_grad is not None
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y @ s)
                if ys > 1e-10:  # keep the pair only where the curvature condition holds
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / float(y @ y)
                d = _two_loop(flat_grad, old_dirs, old_stps, ro, h_diag)
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss

            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / float(np.sum(np.abs(flat_grad)))) * lr
            else:
                t = lr
            slope = float(flat_grad @ d)
            if slope > -tol_change:  # not a descent direction (any more)
                break

            if group["line_search_fn"] == "strong_wolfe":
                evaluate = along(self._params, d, lambda: self._evaluate(closure)[1:])
                result = strong_wolfe(
                    evaluate, d, t, loss, flat_grad, slope, max_ls=max_eval - evals
                )
                loss, flat_grad, t, ls_evals = (
                    result.loss,
                    result.grad,
                    result.step,
                    result.evaluations,
                )
                add_flat(self._params, t, d)
            else:
                add_flat(self._params, t, d)
                ls_evals = 0
                if n_iter != max_iter:
                    _, loss, flat_grad = self._evaluate(closure)
                    ls_evals = 1
            evals += ls_evals
            state["func_evals"] += ls_evals

            if n_iter == max_iter or evals >= max_eval:
                break
            if np.max(np.abs(flat_grad)) <= tol_grad:
                break
            if np.max(np.abs(d * t)) <= tol_change or abs(loss - prev_loss) < tol_change:
                break

        state.update(
            d=d,
            t=t,
            old_dirs=old_dirs,
            old_stps=old_stps,
            ro=ro,
            H_diag=h_diag,
            prev_flat_grad=prev_flat_grad,
            prev_loss=prev_loss,
        )
        return orig_loss


def _two_loop(
    grad: np.ndarray,
    ys: list[np.ndarray],
    ss: list[np.ndarray],
    rhos: list[float],
    h_diag: float,
) -> np.ndarray:
    """The L-BFGS direction -H g from the stored (s, y) pairs and the scaling h_diag."""
    q = -grad
    alphas = [0.0] * len(ys)
    for i in reversed(range(len(ys))):
        alphas[i] = float(ss[i] @ q) * rhos[i]
        q = q - alphas[i] * ys[i]
    r = q * h_diag
    for i in range(len(ys)):
        beta = float(ys[i] @ r) * rhos[i]
        r = r + (alphas[i] - beta) * ss[i]
    return r
