"""Early stopping: end training when a validation metric has stopped improving, and go back
to the model's state at its best epoch."""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np

from autograd import Tensor, Value


def _as_float(metric: Any) -> float:
    if isinstance(metric, Value):
        return float(metric._data)
    if isinstance(metric, Tensor):
        if metric._data.size != 1:
            raise ValueError(
                f"EarlyStopping.step: metric must be a single number; got a Tensor of shape "
                f"{metric.shape}"
            )
        return float(metric._data.reshape(()))
    try:
        if isinstance(metric, (str, bytes)):
            raise TypeError
        return float(metric)
    except (TypeError, ValueError):
        raise TypeError(
            f"EarlyStopping.step: metric must be a number (or a one-element Tensor or a "
            f"Value), got {type(metric).__name__}"
        ) from None


def _snapshot(model: Any) -> OrderedDict[str, np.ndarray]:
    """Copies of every array in the model's state_dict (nothing shared with the model)."""
    return OrderedDict(
        (k, np.array(v._data if isinstance(v, (Tensor, Value)) else v, copy=True))
        for k, v in model.state_dict().items()
    )


class EarlyStopping:
    """Tell a training loop to stop when a metric has not improved for ``patience`` epochs.

    Call ``step(metric, model)`` once per epoch with the validation metric; it returns True
    when training should stop. An epoch improves when (``mode='min'``) the metric is below
    ``best - min_delta``, or (``mode='max'``) above ``best + min_delta``: the margin is
    measured from the best value so far, not from the previous epoch, as in
    ``optim.lr_scheduler.ReduceLROnPlateau`` with ``threshold_mode='abs'``. An improving
    epoch resets ``num_bad_epochs`` to 0, any other (a NaN metric included) adds 1, and
    training should stop once ``num_bad_epochs >= patience`` (on the ``patience``-th epoch
    in a row without improvement, as Keras's and PyTorch Lightning's EarlyStopping; note
    that ReduceLROnPlateau acts one epoch later, when the count exceeds its patience).
    ``patience=0`` stops at the first epoch without improvement, as ``patience=1`` does.

    When a ``model`` is passed, each improving epoch keeps a copy of its ``state_dict()``
    (``best_state``). With ``restore_best=True`` the model is put back to that state at the
    moment the stopping condition is first met; ``restore(model)`` does it at any time
    (for instance after a training loop that ran out of epochs before stopping).

    Attributes: ``best`` (the best metric so far; inf / -inf before the first step),
    ``best_epoch`` (the epoch it was seen, counting ``step`` calls from 1; 0 before any),
    ``num_bad_epochs``, ``last_epoch`` (epochs seen), ``stopped_epoch`` (the epoch at which
    the stopping condition was last met anew, or None), ``best_state``. A loop that goes on
    after a stop keeps counting: should the metric improve and stall again, the model is
    restored again when the condition is met anew.
    """

    def __init__(
        self,
        patience: int = 10,
        min_delta: float = 0.0,
        mode: str = "min",
        restore_best: bool = True,
    ) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min' or 'max', got {mode!r}")
        if isinstance(patience, bool) or not isinstance(patience, (int, np.integer)):
            raise TypeError(
                f"EarlyStopping: patience must be an int, got {type(patience).__name__}"
            )
        if patience < 0:
            raise ValueError(f"EarlyStopping: patience must be >= 0, got {patience}")
        if not min_delta >= 0:
            raise ValueError(
                f"EarlyStopping: min_delta must be >= 0 (the margin an improvement must "
                f"beat, in the direction of mode={mode!r}), got {min_delta!r}"
            )
        self.patience = int(patience)
        self.min_delta = float(min_delta)
        self.mode = mode
        self.restore_best = restore_best
        self.reset()

    def reset(self) -> None:
        """Forget every epoch seen (a new training run)."""
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch = 0
        self.num_bad_epochs = 0
        self.last_epoch = 0
        self.stopped_epoch: int | None = None
        self.best_state: OrderedDict[str, np.ndarray] | None = None

    def is_better(self, current: float, best: float) -> bool:
        """Whether ``current`` improves on ``best`` by more than ``min_delta``."""
        if self.mode == "min":
            return current < best - self.min_delta
        return current > best + self.min_delta

    @property
    def should_stop(self) -> bool:
        """Whether the last ``step`` said to stop."""
        return self.last_epoch > 0 and self.num_bad_epochs >= max(self.patience, 1)

    def step(self, metric: Any, model: Any = None) -> bool:
        """Record one epoch's metric (and snapshot ``model`` if it is the best so far);
        return True when training should stop."""
        current = _as_float(metric)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.best_epoch = self.last_epoch
            self.num_bad_epochs = 0
            if model is not None:
                self.best_state = _snapshot(model)
        else:
            self.num_bad_epochs += 1
        stop = self.should_stop
        if stop and self.num_bad_epochs == max(self.patience, 1):  # the condition is new
            self.stopped_epoch = self.last_epoch
            if self.restore_best and model is not None and self.best_state is not None:
                model.load_state_dict(self.best_state)
        return stop

    def restore(self, model: Any) -> None:
        """Load the best epoch's state into ``model``."""
        if self.best_state is None:
            raise RuntimeError(
                "EarlyStopping.restore: no state to restore; pass the model to "
                "step(metric, model) so that the best epoch's state_dict is kept"
            )
        model.load_state_dict(self.best_state)

    def state_dict(self) -> dict[str, Any]:
        """The stopper's state, for resuming training (``best_state`` arrays copied)."""
        state = {k: v for k, v in self.__dict__.items() if k != "best_state"}
        state["best_state"] = (
            None
            if self.best_state is None
            else OrderedDict((k, v.copy()) for k, v in self.best_state.items())
        )
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()``."""
        state = dict(state_dict)
        best_state = state.pop("best_state", None)
        self.__dict__.update(state)
        self.best_state = (
            None
            if best_state is None
            else OrderedDict((k, np.array(v, copy=True)) for k, v in best_state.items())
        )

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
            f"mode={self.mode!r}, restore_best={self.restore_best}, best={self.best}, "
            f"best_epoch={self.best_epoch}, num_bad_epochs={self.num_bad_epochs})"
        )
