"""Adam and AdamW: bias-corrected averages of the gradient and of its square."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_adam_group
from .optimizer import Optimizer, implementation_options, with_weight_decay


def decayed_gradient(x: np.ndarray, grad: np.ndarray, group: dict) -> np.ndarray:
    """Apply the group's weight decay: shrink ``x`` in place, ``x <- x * (1 - lr * wd)``,
    when it is decoupled (AdamW's way), else return the L2 gradient ``g + wd * x``."""
    wd = group["weight_decay"]
    if group["decoupled_weight_decay"]:
        if wd != 0:
            x *= 1 - group["lr"] * wd
        return grad
    return with_weight_decay(grad, x, wd)


def init_moments(x: np.ndarray, state: dict) -> None:
    """On the first step, create Adam's state: ``step`` 0 and the running averages of the
    gradient (``exp_avg``) and of its square (``exp_avg_sq``) as zeros like ``x``."""
    if "exp_avg" not in state:
        state["step"] = 0
        state["exp_avg"] = np.zeros_like(x)
        state["exp_avg_sq"] = np.zeros_like(x)


def update_moments(x: np.ndarray, g: np.ndarray, state: dict, betas: tuple) -> int:
    """Advance Adam's running averages of ``g`` (``exp_avg``) and ``g**2`` (``exp_avg_sq``),
    created as zeros like ``x`` on the first step; returns the step count t (from 1)."""
    init_moments(x, state)
    state["step"] += 1
    beta1, beta2 = betas
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m += (1 - beta1) * (g - m)
    v *= beta2
    v += (1 - beta2) * (g * g)
    return int(state["step"])


class Adam(Optimizer):
    r"""Adam (PyTorch's rule; the notes' form exactly).

    Each step t (from 1), with g the gradient (negated when ``maximize``)::

        g <- g + weight_decay * x           (L2 penalty; AdamW instead: x <- x * (1 - lr * wd))
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g**2
        v_max <- max(v_max, v)              (amsgrad; then v_max replaces v below)
        x <- x - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)

    ``decoupled_weight_decay=True`` makes this AdamW. ``foreach``, ``fused``, ``capturable``
    and ``differentiable`` are PyTorch's implementation switches (see
    ``optimizer.implementation_options``).
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
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            **implementation_options(
                type(self).__name__,
                foreach=foreach,
                capturable=capturable,
                differentiable=differentiable,
                fused=fused,
            ),
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_adam_group(group)

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if group["amsgrad"] and "max_exp_avg_sq" not in state:
            state["max_exp_avg_sq"] = np.zeros_like(x)
        g = decayed_gradient(x, grad, group)
        beta1, beta2 = group["betas"]
        t = update_moments(x, g, state, group["betas"])
        v = state["exp_avg_sq"]
        if group["amsgrad"]:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        denom = np.sqrt(v) / np.sqrt(1 - beta2**t) + group["eps"]
        x -= (group["lr"] / (1 - beta1**t)) * (state["exp_avg"] / denom)

    def _update_rows(
        self, x: np.ndarray, grad: np.ndarray, rows: np.ndarray, state: dict, group: dict
    ) -> None:
        raise RuntimeError(
            "Adam does not support sparse gradients, please consider SparseAdam instead"
        )


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
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
