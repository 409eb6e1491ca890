"""Adagrad: per-coordinate step sizes shrinking with the accumulated squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_nonnegative
from .optimizer import Optimizer, implementation_options, with_weight_decay


class Adagrad(Optimizer):
    r"""Adagrad (PyTorch's rule).

    Each step t (from 1), with g the gradient (negated when ``maximize``)::

        g   <- g + weight_decay * x
        clr  = lr / (1 + (t - 1) * lr_decay)
        G   <- G + g**2                  (G starts at initial_accumulator_value)
        x   <- x - clr * g / (sqrt(G) + eps)

    A gradient from ``sparse=True`` lookups updates only its rows (sums and values), as
    PyTorch's sparse gradients do; weight_decay is refused with it, as there.

    The notes write ``x <- x - lr * g / sqrt(G + eps)`` (eps inside the root). There is
    no switch for that: the two differ only while G is of the order of eps, i.e. for
    gradients of about 1e-5 and below with the default eps=1e-10.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
            maximize=maximize,
            **implementation_options(
                "Adagrad", foreach=foreach, differentiable=differentiable, fused=fused
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        for name in ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
            check_nonnegative(name, group[name])

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        g = with_weight_decay(grad, x, group["weight_decay"])
        self._step(x, g, state, group, ...)

    def _update_rows(
        self, x: np.ndarray, grad: np.ndarray, rows: np.ndarray, state: dict, group: dict
    ) -> None:
        if group["weight_decay"] != 0:
            raise RuntimeError("weight_decay option is not compatible with sparse gradients")
        self._step(x, grad, state, group, rows)

    def _step(self, x: np.ndarray, g: np.ndarray, state: dict, group: dict, at: Any) -> None:
        """One step on the entries ``at`` of ``x`` (all, or a sparse gradient's rows): the
        others keep their values and sums."""
        if not state:
            state["step"] = 0
            # torch starts every group's sums at the constructor's value (a group's own
            # initial_accumulator_value is kept in the group but not used)
            state["sum"] = np.full_like(x, self.defaults["initial_accumulator_value"])
        state["step"] += 1
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        g = g[at]
        total = state["sum"][at] + g * g
        state["sum"][at] = total
        x[at] -= clr * (g / (np.sqrt(total) + group["eps"]))
