"""Adam and AdamW: bias-corrected averages of the gradient and of its square."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_betas, check_nonnegative
from .optimizer import Optimizer, with_weight_decay


class Adam(Optimizer):
    r"""Adam (PyTorch's rule; the notes' form exactly).

    Each step t (from 1), with g the gradient (negated when ``maximize``)::

        g <- g + weight_decay * x           (L2 penalty; AdamW instead: x <- x * (1 - lr * wd))
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g**2
        v_max <- max(v_max, v)              (amsgrad; then v_max replaces v below)
        x <- x - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)

    ``decoupled_weight_decay=True`` makes this AdamW.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        for name in ("lr", "eps", "weight_decay"):
            check_nonnegative(name, group[name])
        check_betas(group["betas"])

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(x)
            state["exp_avg_sq"] = np.zeros_like(x)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(x)
        state["step"] += 1
        t = state["step"]
        lr, wd = group["lr"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        if group["decoupled_weight_decay"]:
            x *= 1 - lr * wd
            g = grad
        else:
            g = with_weight_decay(grad, x, wd)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1 - beta1) * (g - m)
        v *= beta2
        v += (1 - beta2) * (g * g)
        if group["amsgrad"]:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        denom = np.sqrt(v) / np.sqrt(1 - beta2**t) + group["eps"]
        x -= (lr / (1 - beta1**t)) * (m / denom)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (PyTorch's AdamW).

    Same as :class:`Adam`, except that weight decay shrinks the parameters directly,
    ``x <- x * (1 - lr * weight_decay)``, instead of adding ``weight_decay * x`` to the
    gradient; default ``weight_decay=1e-2``.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )
