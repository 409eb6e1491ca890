"""Adadelta: steps whose size follows a running average of past step sizes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_nonnegative, check_unit_interval
from .optimizer import Optimizer, implementation_options, with_weight_decay


class Adadelta(Optimizer):
    r"""Adadelta (PyTorch's rule).

    Each step, with g the gradient (negated when ``maximize``)::

        g     <- g + weight_decay * x
        v     <- rho * v + (1 - rho) * g**2
        delta  = sqrt(u + eps) / sqrt(v + eps) * g
        u     <- rho * u + (1 - rho) * delta**2
        x     <- x - lr * delta

    With ``lr=1`` (the default) this is the notes' second form (Zeiler's Adadelta, eps
    inside both roots). The notes' first form, ``(sqrt(u) + eps) / (sqrt(v) + eps)``,
    puts eps outside the roots; there is no switch for it.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            rho=rho,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            **implementation_options(
                "Adadelta", foreach=foreach, capturable=capturable, differentiable=differentiable
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        for name in ("lr", "eps", "weight_decay"):
            check_nonnegative(name, group[name])
        check_unit_interval("rho", group["rho"], closed=True)

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(x)
            state["acc_delta"] = np.zeros_like(x)
        state["step"] += 1
        rho, eps = group["rho"], group["eps"]
        g = with_weight_decay(grad, x, group["weight_decay"])
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        square_avg *= rho
        square_avg += (1 - rho) * (g * g)
        delta = np.sqrt(acc_delta + eps) / np.sqrt(square_avg + eps) * g
        acc_delta *= rho
        acc_delta += (1 - rho) * (delta * delta)
        x -= group["lr"] * delta
