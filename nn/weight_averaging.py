"""Averages of a model's weights over training, as ``torch.optim.swa_utils``: ``AveragedModel``
(stochastic weight averaging, SWA, or an exponential moving average, EMA), the averaging
functions ``get_swa_avg_fn`` / ``get_ema_avg_fn`` and their list forms, and ``update_bn``
(BatchNorm statistics recomputed for the averaged weights). Reached as
``optim.swa_utils.AveragedModel`` and ``optim.swa_utils.update_bn`` (torch's names); they live
in ``nn`` because they are modules, and ``optim`` does not import ``nn`` until they are asked
for.

SWA (Izmailov et al. 2018) keeps the running mean of the weights seen at each
``update_parameters``: ``avg <- avg + (w - avg) / (n + 1)``. EMA keeps
``avg <- decay * avg + (1 - decay) * w``. The first update copies the weights.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

import autograd
from autograd import Tensor

from .module import Module
from .normalization import _BatchNorm

__all__ = [
    "AveragedModel",
    "update_bn",
    "get_ema_multi_avg_fn",
    "get_swa_multi_avg_fn",
    "get_ema_avg_fn",
    "get_swa_avg_fn",
]


def _check_decay(decay: float) -> None:
    if decay < 0.0 or decay > 1.0:
        raise ValueError(
            f"Invalid decay value {decay} provided. Please provide a value in [0,1] range."
        )


def _write(target: Tensor, value: Any) -> None:
    """``target.copy_(value)`` on the data, without recording (cast to target's dtype)."""
    target._data[...] = value._data if isinstance(value, Tensor) else value


def _is_float(t: Tensor) -> bool:
    return t._data.dtype.kind in "fc"


def _lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """start + weight * (end - start), in the two forms torch's lerp uses (the second for
    weights of one half and more, exact at weight 1)."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


def get_ema_multi_avg_fn(decay: float = 0.999) -> Callable[[list, list, Any], None]:
    """The EMA update applied in place to lists of averaged and current tensors."""
    _check_decay(decay)

    def ema_update(ema_param_list: list, current_param_list: list, _: Any) -> None:
        if _is_float(ema_param_list[0]):
            for e, c in zip(ema_param_list, current_param_list, strict=True):
                _write(e, _lerp(e._data, c._data, 1 - decay))
        else:  # integer buffers: torch's arithmetic (a float32 result), truncated back
            with autograd.no_grad():
                for e, c in zip(ema_param_list, current_param_list, strict=True):
                    _write(e, e * decay + c * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn() -> Callable[[list, list, Any], None]:
    """The SWA update applied in place to lists of averaged and current tensors."""

    def swa_update(averaged_param_list: list, current_param_list: list, num_averaged: Any) -> None:
        n = float(num_averaged.item() if isinstance(num_averaged, Tensor) else num_averaged)
        if _is_float(averaged_param_list[0]):
            for a, c in zip(averaged_param_list, current_param_list, strict=True):
                _write(a, _lerp(a._data, c._data, 1 / (n + 1)))
        else:
            with autograd.no_grad():
                for a, c in zip(averaged_param_list, current_param_list, strict=True):
                    _write(a, a + (c - a) / (n + 1))

    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> Callable[[Tensor, Tensor, Any], Tensor]:
    """``(ema, current, n) -> decay * ema + (1 - decay) * current``."""
    _check_decay(decay)

    def ema_update(ema_param: Tensor, current_param: Tensor, num_averaged: Any) -> Tensor:
        with autograd.no_grad():
            return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn() -> Callable[[Tensor, Tensor, Any], Tensor]:
    """``(avg, current, n) -> avg + (current - avg) / (n + 1)``."""

    def swa_update(averaged_param: Tensor, current_param: Tensor, num_averaged: Any) -> Tensor:
        with autograd.no_grad():
            return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


class AveragedModel(Module):
    """A copy of ``model`` whose parameters (and buffers, with ``use_buffers``) hold the
    average of ``model``'s over the calls to ``update_parameters``: equally weighted (SWA)
    unless ``avg_fn(avg, current, n)`` (returning the new average) or
    ``multi_avg_fn(avg_list, current_list, n)`` (updating in place) says otherwise. Calling
    it calls the copy. ``n_averaged`` (a buffer) counts the updates."""

    n_averaged: Tensor

    def __init__(
        self,
        model: Module,
        device: Any = None,
        avg_fn: Callable[[Tensor, Tensor, Any], Tensor] | None = None,
        multi_avg_fn: Callable[[list, list, Any], None] | None = None,
        use_buffers: bool = False,
    ) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = copy.deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", autograd.tensor(0, dtype=autograd.long))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def update_parameters(self, model: Module) -> None:
        """Fold ``model``'s current weights into the average (copy them the first time)."""
        if self.use_buffers:
            mine = list(itertools.chain(self.module.parameters(), self.module.buffers()))
            theirs = list(itertools.chain(model.parameters(), model.buffers()))
        else:
            mine, theirs = list(self.parameters()), list(model.parameters())
        pairs = list(zip(mine, theirs))
        n = int(self.n_averaged.item())
        if n == 0:
            for a, c in pairs:
                _write(a, c)
        elif self.avg_fn is None:
            by_dtype: dict[Any, tuple[list, list]] = {}
            for a, c in pairs:
                group = by_dtype.setdefault(a._data.dtype, ([], []))
                group[0].append(a.detach())
                group[1].append(c.detach())
            for avg_list, cur_list in by_dtype.values():
                if self.multi_avg_fn is not None:
                    self.multi_avg_fn(avg_list, cur_list, self.n_averaged.clone())
                else:  # torch's CPU path: the SWA mean, one tensor at a time
                    fn = get_swa_avg_fn()
                    for a, c in zip(avg_list, cur_list):
                        _write(a, fn(a, c, self.n_averaged))
        else:
            for a, c in pairs:
                _write(a, self.avg_fn(a.detach(), c.detach(), self.n_averaged.clone()))
        if not self.use_buffers:  # the buffers follow the model's
            for b_mine, b_model in zip(self.module.buffers(), model.buffers(), strict=True):
                _write(b_mine, b_model)
        self.n_averaged._data[...] = n + 1


def update_bn(loader: Iterable[Any], model: Module, device: Any = None) -> None:
    """Recompute the running statistics of every BatchNorm layer of ``model`` with one pass
    over ``loader`` (batches, or tuples/lists whose first item is the batch): the statistics
    are reset and averaged over the whole pass (momentum None), in training mode, without
    gradients; the layers' momenta and the model's mode are restored afterwards."""
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    with autograd.no_grad():
        for batch in loader:
            if isinstance(batch, (list, tuple)):
                batch = batch[0]
            if device is not None:
                batch = batch.to(device)
            model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)
