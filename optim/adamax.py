"""Adamax: Adam with the infinity norm of past gradients in place of their squared average."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_adam_group
from .optimizer import Optimizer, implementation_options, with_weight_decay


class Adamax(Optimizer):
    r"""Adamax (PyTorch's rule, from the Adam paper's section 7).

    Each step t (from 1), with g the gradient (negated when ``maximize``)::

        g <- g + weight_decay * x
        m <- beta1 * m + (1 - beta1) * g
        u <- max(beta2 * u, |g| + eps)
        x <- x - lr / (1 - beta1**t) * m / u
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            **implementation_options(
                "Adamax", foreach=foreach, differentiable=differentiable, capturable=capturable
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_adam_group(group)

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(x)
            state["exp_inf"] = np.zeros_like(x)
        state["step"] += 1
        beta1, beta2 = group["betas"]
        g = with_weight_decay(grad, x, group["weight_decay"])
        m, u = state["exp_avg"], state["exp_inf"]
        m += (1 - beta1) * (g - m)
        u *= beta2
        np.maximum(u, np.abs(g) + group["eps"], out=u)
        x -= (group["lr"] / (1 - beta1 ** state["step"])) * (m / u)
