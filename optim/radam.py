"""RAdam: Adam whose adaptive step is switched on only once the variance of its estimate
is tractable, and then rectified (Liu et al., 2019)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_adam_group
from .adam import decayed_gradient, update_moments
from .optimizer import Optimizer, implementation_options


class RAdam(Optimizer):
    r"""RAdam (PyTorch's rule).

    Each step t (from 1), with g the gradient (negated when ``maximize``), weight decay as in
    Adam (``decoupled_weight_decay=True``: as in AdamW), and m, v as Adam's::

        rho_inf = 2 / (1 - beta2) - 1
        rho_t   = rho_inf - 2 t beta2**t / (1 - beta2**t)
        m_hat   = m / (1 - beta1**t)
        r_t     = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
        x <- x - lr * m_hat * r_t * sqrt(1 - beta2**t) / (sqrt(v) + eps)    if rho_t > 5
        x <- x - lr * m_hat                                                 otherwise
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
            **implementation_options(
                "RAdam", foreach=foreach, capturable=capturable, differentiable=differentiable
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_adam_group(group)

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        g = decayed_gradient(x, grad, group)
        beta1, beta2 = group["betas"]
        t = update_moments(x, g, state, group["betas"])
        correction2 = 1 - beta2**t
        m_hat = state["exp_avg"] / (1 - beta1**t)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2**t / correction2
        lr = group["lr"]
        if rho_t > 5.0:
            rect = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
            adaptive = math.sqrt(correction2) / (np.sqrt(state["exp_avg_sq"]) + group["eps"])
            x -= m_hat * lr * adaptive * rect
        else:
            x -= m_hat * lr
