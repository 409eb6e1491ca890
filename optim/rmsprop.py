"""RMSprop: steps scaled by a running root-mean-square of the gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_nonnegative
from .optimizer import Optimizer, implementation_options, with_weight_decay


class RMSprop(Optimizer):
    r"""RMSprop (PyTorch's rule).

    Each step, with g the gradient (negated when ``maximize``)::

        g   <- g + weight_decay * x
        v   <- alpha * v + (1 - alpha) * g**2
        avg  = sqrt(v - m**2) + eps   with m <- alpha * m + (1 - alpha) * g  if centered
        avg  = sqrt(v) + eps                                                 otherwise
        b   <- momentum * b + g / avg;  x <- x - lr * b     if momentum > 0
        x   <- x - lr * g / avg                             otherwise

    The notes write the same average with ``beta`` (= alpha, "usually 0.9" / 0.95 there)
    and either ``lr * g / sqrt(v + eps)`` (eps inside the root; no switch for it, the
    difference matters only while v is of the order of eps) or with a bias-corrected
    ``v / (1 - beta**t)``, which PyTorch's RMSprop does not apply: Adam with
    ``betas=(0, beta)`` is exactly that bias-corrected RMSprop.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
            **implementation_options(
                "RMSprop", capturable=capturable, foreach=foreach, differentiable=differentiable
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        for name in ("lr", "alpha", "eps", "weight_decay", "momentum"):
            check_nonnegative(name, group[name])

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(x)
            if group["momentum"] > 0:
                state["momentum_buffer"] = np.zeros_like(x)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(x)
        state["step"] += 1
        alpha = group["alpha"]
        g = with_weight_decay(grad, x, group["weight_decay"])
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * (g * g)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - alpha) * (g - grad_avg)
            avg = np.sqrt(square_avg - grad_avg * grad_avg) + group["eps"]
        else:
            avg = np.sqrt(square_avg) + group["eps"]
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf *= group["momentum"]
            buf += g / avg
            x -= group["lr"] * buf
        else:
            x -= group["lr"] * (g / avg)
