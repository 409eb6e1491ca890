"""Rprop: per-coordinate step sizes that grow while the gradient keeps its sign and shrink
when it flips; only the gradient's sign is used."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_nonnegative
from .optimizer import Optimizer, implementation_options


class Rprop(Optimizer):
    r"""Rprop (PyTorch's variant: after a sign flip the coordinate does not move and its
    gradient is forgotten).

    Each step, with g the gradient (negated when ``maximize``), per coordinate::

        s = sign(g * g_prev)
        d <- clamp(d * etaplus, *step_sizes)    if s > 0   (d starts at lr)
        d <- clamp(d * etaminus, *step_sizes);  g <- 0      if s < 0
        x <- x - sign(g) * d;  g_prev <- g
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            etas=tuple(etas),
            step_sizes=tuple(step_sizes),
            maximize=maximize,
            **implementation_options(
                "Rprop", capturable=capturable, foreach=foreach, differentiable=differentiable
            ),
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_nonnegative("lr", group["lr"])
        etaminus, etaplus = group["etas"]
        if not 0.0 < etaminus < 1.0 < etaplus:
            raise ValueError(
                f"Invalid eta values: {etaminus}, {etaplus} (need 0 < etaminus < 1 < etaplus)"
            )

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if not state:
            state["step"] = 0
            state["prev"] = np.zeros_like(x)
            state["step_size"] = np.full_like(x, group["lr"])
        state["step"] += 1
        etaminus, etaplus = group["etas"]
        low, high = group["step_sizes"]
        s = np.sign(grad * state["prev"])
        flipped = s < 0
        factor = np.where(s > 0, etaplus, np.where(flipped, etaminus, np.where(s == 0, 1.0, s)))
        step_size = state["step_size"]
        step_size *= factor.astype(x.dtype, copy=False)
        np.clip(step_size, low, high, out=step_size)
        g = np.where(flipped, 0.0, grad).astype(x.dtype, copy=False)
        x -= np.sign(g) * step_size
        state["prev"][...] = g
