"""BFGS: quasi-Newton steps from a dense approximation of the inverse Hessian."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ._checks import check_choice, check_closure, check_nonnegative
from ._closure_grad import loss_and_grad
from ._params import add_flat, flat_dtype, numel
from .line_search import along, strong_wolfe
from .optimizer import Optimizer


class BFGS(Optimizer):
    r"""The Broyden-Fletcher-Goldfarb-Shanno method with a dense inverse-Hessian estimate.

    ``step(closure)``: ``closure()`` computes and returns the loss and does NOT call
    backward (the optimizer differentiates it with ``autograd.grad``). Each iteration moves
    along ``d = -H g``, where H approximates the inverse Hessian of the loss over all
    parameters (flattened into one vector of n scalars; H has n**2 entries, so this is for
    small parameter counts). After a move s with gradient change y, H is updated by

        H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T,   rho = 1 / (y^T s),

    only when the curvature condition y^T s > 0 holds (with a margin of machine epsilon
    relative to |y| |s|); otherwise the pair is skipped and H kept, so H stays positive
    definite. H starts as the identity (as scipy's BFGS; scaling it by y^T s / y^T y before
    the first update, Nocedal & Wright's eq. 6.20, took more iterations on our test problems).

    ``line_search='strong_wolfe'`` chooses the step length t along d satisfying the strong
    Wolfe conditions with constants ``c1`` and ``c2`` (a small ``c2`` makes the search
    nearly exact); ``line_search=None`` takes the fixed step ``t = lr``. The trial step is
    ``lr``, except for the very first iteration, where it is ``lr * min(1, 1/|g|_1)`` (as in
    LBFGS) because H = I knows nothing of the problem's scale yet.

    One ``step`` runs up to ``max_iter`` iterations (default 1, one per call, as Newton and
    ConjugateGradient), stopping early when the largest gradient entry is at most
    ``tolerance_grad`` (no move is made then), or when the move or the loss change is
    below ``tolerance_change``. If d is not a descent direction or the line search finds
    no decrease, H is reset to the identity. ``step`` returns the loss before the step.

    All parameters form one flat vector, so there is a single parameter group; the state
    (``H``, the last gradient and move, counters ``n_iter`` and ``func_evals``) is kept
    under the first parameter, as LBFGS does.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        line_search: str | None = "strong_wolfe",
        max_iter: int = 1,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        c1: float = 1e-4,
        c2: float = 0.9,
    ) -> None:
        defaults = dict(
            lr=lr,
            line_search=line_search,
            max_iter=max_iter,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            c1=c1,
            c2=c2,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("BFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _check_group(self, group: dict[str, Any]) -> None:
        check_choice("line_search", group["line_search"], ["strong_wolfe", None])
        for name in ("lr", "tolerance_grad", "tolerance_change"):
            check_nonnegative(name, group[name])
        if group["max_iter"] < 1:
            raise ValueError(f"max_iter must be >= 1, got {group['max_iter']!r}")
        if not 0 < group["c1"] < group["c2"] < 1:
            raise ValueError(
                f"the Wolfe constants must satisfy 0 < c1 < c2 < 1, got c1={group['c1']!r}, "
                f"c2={group['c2']!r}"
            )

    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` BFGS iterations; return the loss before them."""
        check_closure("BFGS", closure, calls_backward=False)
        assert closure is not None
        group = self.param_groups[0]
        params = self._params
        state = self.state[params[0]]
        state.setdefault("n_iter", 0)
        state.setdefault("func_evals", 0)
        n = sum(numel(p) for p in params)
        dtype = flat_dtype(params)
        if "H" not in state:
            state["H"] = np.eye(n, dtype=dtype)

        def evaluate() -> tuple[float, np.ndarray]:
            state["func_evals"] += 1
            _, f, g, _ = loss_and_grad(closure, params)
            return f, g

        loss_node, loss, g, _ = loss_and_grad(closure, params)
        state["func_evals"] += 1
        new_g: np.ndarray | None = g
        for it in range(group["max_iter"]):
            assert new_g is not None
            g = new_g
            if np.max(np.abs(g)) <= group["tolerance_grad"]:
                break
            if "s" in state:
                self._update_inverse_hessian(state, state.pop("s"), g - state.pop("prev_grad"))
            h = state["H"]
            d = -(h @ g)
            slope = float(g @ d)
            if not slope < 0:  # H lost positive definiteness to rounding: start again
                h = state["H"] = np.eye(n, dtype=dtype)
                state["updates"] = 0
                d, slope = -g, -float(g @ g)
            t = group["lr"]
            if state["n_iter"] == 0:
                t *= min(1.0, 1.0 / float(np.sum(np.abs(g))))
            state["n_iter"] += 1
            last = it == group["max_iter"] - 1
            new_loss: float | None = None
            if group["line_search"] == "strong_wolfe":
                search = along(params, d, evaluate)
                result = strong_wolfe(search, d, t, loss, g, slope, c1=group["c1"], c2=group["c2"])
                t, new_loss, new_g = result.step, result.loss, result.grad
                add_flat(params, t, d)
            else:
                add_flat(params, t, d)
                new_g = None
                if not last:
                    new_loss, new_g = evaluate()
            if t == 0:  # the line search found no decrease: forget the curvature learnt
                state["H"] = np.eye(n, dtype=dtype)
                state["updates"] = 0
                break
            state["s"], state["prev_grad"] = t * d, g
            if np.max(np.abs(t * d)) <= group["tolerance_change"]:
                break
            if new_loss is not None:
                if abs(new_loss - loss) < group["tolerance_change"]:
                    break
                loss = new_loss
        return loss_node

    @staticmethod
    def _update_inverse_hessian(state: dict, s: np.ndarray, y: np.ndarray) -> None:
        """The BFGS update of ``state['H']`` from a move s and gradient change y, if
        y^T s > 0 (else the pair is skipped)."""
        ys = float(y @ s)
        eps = np.finfo(s.dtype).eps
        if not ys > eps * float(np.linalg.norm(y)) * float(np.linalg.norm(s)):
            state["skipped"] = state.get("skipped", 0) + 1
            return
        h = state["H"]
        rho = 1.0 / ys
        hy = h @ y
        # (I - rho s y^T) H (I - rho y s^T) + rho s s^T, expanded (H symmetric)
        h = h + rho * (
            (1.0 + rho * float(y @ hy)) * np.outer(s, s) - np.outer(hy, s) - np.outer(s, hy)
        )
        state["H"] = h.astype(s.dtype, copy=False)
        state["updates"] = state.get("updates", 0) + 1
