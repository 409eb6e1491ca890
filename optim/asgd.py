"""ASGD: stochastic gradient descent with a decaying step and a running (Polyak) average of
the iterates (Polyak and Juditsky, 1992)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_nonnegative
from .optimizer import Optimizer, implementation_options, scalar_state, with_weight_decay


class ASGD(Optimizer):
    r"""Averaged SGD (PyTorch's rule).

    Each step t (from 1), with g the gradient (negated when ``maximize``), eta starting at
    lr and mu at 1::

        g   <- g + weight_decay * x
        x   <- x * (1 - lambd * eta) - eta * g
        ax  <- ax + mu * (x - ax)                  (ax = x while mu == 1)
        eta <- lr / (1 + lambd * lr * t)**alpha
        mu  <- 1 / max(1, t - t0)

    The average is kept in ``state[p]["ax"]``; the parameters themselves are the iterates.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0.0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            lambd=lambd,
            alpha=alpha,
            t0=t0,
            weight_decay=weight_decay,
            maximize=maximize,
            **implementation_options(
                "ASGD", foreach=foreach, differentiable=differentiable, capturable=capturable
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        for name in ("lr", "weight_decay"):
            check_nonnegative(name, group[name])

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if not state:
            state["step"] = 0
            state["eta"] = scalar_state(group["lr"])
            state["mu"] = scalar_state(1.0)
            state["ax"] = np.zeros_like(x)
        state["step"] += 1
        t = state["step"]
        g = with_weight_decay(grad, x, group["weight_decay"])
        eta, lambd, lr = float(state["eta"]), group["lambd"], group["lr"]
        x *= 1 - lambd * eta
        x -= eta * g
        ax = state["ax"]
        if state["mu"] != 1:
            ax += (x - ax) * float(state["mu"])
        else:
            ax[...] = x
        state["eta"] = scalar_state(lr / (1 + lambd * lr * t) ** group["alpha"])
        state["mu"] = scalar_state(1 / max(1, t - group["t0"]))
