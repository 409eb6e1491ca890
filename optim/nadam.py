"""NAdam: Adam with Nesterov momentum (Dozat, 2016), with PyTorch's momentum schedule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_adam_group
from .adam import decayed_gradient, update_moments
from .optimizer import Optimizer, implementation_options, scalar_state


class NAdam(Optimizer):
    r"""NAdam (PyTorch's rule).

    Each step t (from 1), with g the gradient (negated when ``maximize``) and weight decay
    as in Adam (``decoupled_weight_decay=True``: as in AdamW)::

        mu_t  = beta1 * (1 - 0.5 * 0.96**(t * momentum_decay))     (mu_{t+1} likewise)
        P    <- P * mu_t                                           (P starts at 1)
        m, v  as Adam's;  d = sqrt(v / (1 - beta2**t)) + eps
        x    <- x - lr * (1 - mu_t) / (1 - P) * g / d
                  - lr * mu_{t+1} / (1 - P * mu_{t+1}) * m / d
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
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
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
            **implementation_options(
                "NAdam", foreach=foreach, capturable=capturable, differentiable=differentiable
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_adam_group(group, "momentum_decay")

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if "mu_product" not in state:
            state["mu_product"] = scalar_state(1.0)
        g = decayed_gradient(x, grad, group)
        beta1, beta2 = group["betas"]
        t = update_moments(x, g, state, group["betas"])
        decay = group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * decay))
        state["mu_product"] *= mu
        product = float(state["mu_product"])
        denom = np.sqrt(state["exp_avg_sq"] / (1 - beta2**t)) + group["eps"]
        lr = group["lr"]
        x -= (lr * (1.0 - mu) / (1.0 - product)) * (g / denom)
        x -= (lr * mu_next / (1.0 - product * mu_next)) * (state["exp_avg"] / denom)
