"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_nonnegative
from .optimizer import Optimizer, implementation_options, with_weight_decay


class SGD(Optimizer):
    r"""Stochastic gradient descent (PyTorch's rule), optionally with momentum.

    Each step, with g the gradient (negated when ``maximize``)::

        g <- g + weight_decay * x
        b <- g                                  (first step)
        b <- momentum * b + (1 - dampening) * g (later steps)
        g <- g + momentum * b   if nesterov   else   b
        x <- x - lr * g

    A gradient from ``sparse=True`` lookups takes the same rule (weight_decay refused, as
    PyTorch refuses it for sparse gradients).

    Plain (batch, mini-batch or stochastic) gradient descent is ``momentum=0``: the batch
    size is chosen by what the loss is computed on, see ``nn.utils.data.DataLoader``.

    The notes write momentum as an exponential average, ``v = beta * v + (1 - beta) * g;
    x = x - lr * v``: that is ``momentum=beta, dampening=beta``, except that PyTorch's
    buffer starts at the first gradient instead of at ``(1 - beta) * g``, so the two
    differ by ``beta**t * g_1`` at step t (a difference that dies out). PyTorch's default
    ``dampening=0`` gives ``v = beta * v + g``, the same average scaled by 1 / (1 - beta):
    use ``lr * (1 - beta)`` for the notes' step size.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            **implementation_options(
                "SGD", foreach=foreach, differentiable=differentiable, fused=fused
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        for name in ("lr", "momentum", "weight_decay"):
            check_nonnegative(name, group[name])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("nesterov=True requires momentum > 0 and dampening = 0")

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        g = with_weight_decay(grad, x, group["weight_decay"])
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(g, dtype=x.dtype)
            else:
                buf *= momentum
                buf += (1 - group["dampening"]) * g
            g = g + momentum * buf if group["nesterov"] else buf
        x -= group["lr"] * g

    def _update_rows(
        self, x: np.ndarray, grad: np.ndarray, rows: np.ndarray, state: dict, group: dict
    ) -> None:
        # PyTorch's sparse momentum buffer holds what the dense one would (zeros elsewhere),
        # so the dense rule gives its numbers; its L2 term (sparse + dense) is refused there
        if group["weight_decay"] != 0:
            raise RuntimeError(
                "SGD: weight_decay is not supported with sparse gradients (PyTorch: add(sparse, "
                "dense) is not supported); use sparse=False or weight_decay=0"
            )
        self._update(x, grad, state, group)
