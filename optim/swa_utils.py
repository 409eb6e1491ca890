"""``torch.optim.swa_utils``: stochastic weight averaging. ``SWALR`` (here) anneals each group's
learning rate to a constant ``swa_lr``; ``AveragedModel``, ``update_bn`` and the averaging
functions are modules' business and live in ``nn.weight_averaging``: this module hands them
out on first use, so that ``import optim`` does not import ``nn``."""

from __future__ import annotations

import importlib
import math
from typing import Any

from .lr_scheduler import LRScheduler, _per_group
from .optimizer import Optimizer

# modules' business, from nn.weight_averaging on first use
_FROM_NN = (
    "AveragedModel",
    "update_bn",
    "get_ema_multi_avg_fn",
    "get_swa_multi_avg_fn",
    "get_ema_avg_fn",
    "get_swa_avg_fn",
)
__all__ = ["SWALR", *_FROM_NN]


def __getattr__(name: str) -> Any:
    if name in _FROM_NN:
        return getattr(importlib.import_module("nn.weight_averaging"), name)
    raise AttributeError(f"module 'optim.swa_utils' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FROM_NN})


def _linear_anneal(t: float) -> float:
    return t


def _cosine_anneal(t: float) -> float:
    return (1 - math.cos(math.pi * t)) / 2


class SWALR(LRScheduler):
    """Move each group's lr from its current value to ``swa_lr`` (one value, or one per
    group) over ``anneal_epochs`` steps along ``anneal_strategy`` (``'cos'``: the half
    cosine, ``'linear'``), then hold it there. At step t the lr is
    ``alpha_t * swa_lr + (1 - alpha_t) * lr_0`` with ``alpha_t = anneal(min(1, t /
    anneal_epochs))``, where lr_0 is recovered from the current lr each step (so another
    schedule may have changed it)."""

    def __init__(
        self,
        optimizer: Optimizer,
        swa_lr: float | list[float],
        anneal_epochs: int = 10,
        anneal_strategy: str = "cos",
        last_epoch: int = -1,
    ) -> None:
        for lr, group in zip(_per_group("swa_lr", optimizer, swa_lr), optimizer.param_groups):
            group["swa_lr"] = lr
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}"
            )
        self._anneal_strategy = anneal_strategy
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    def anneal_func(self, t: float) -> float:
        """The fraction of the way to ``swa_lr`` at fraction ``t`` of the annealing."""
        return _cosine_anneal(t) if self._anneal_strategy == "cos" else _linear_anneal(t)

    @staticmethod
    def _get_initial_lr(lr: float, swa_lr: float, alpha: float) -> float:
        """The lr the annealing started from, given the lr ``lr`` reached at ``alpha``."""
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self) -> list[float]:
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        span = max(1, self.anneal_epochs)
        prev_alpha = self.anneal_func(max(0, min(1, (step - 1) / span)))
        groups = self.optimizer.param_groups
        starts = [self._get_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in groups]
        alpha = self.anneal_func(max(0, min(1, step / span)))
        return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(groups, starts)]
