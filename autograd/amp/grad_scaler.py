"""``GradScaler``: PyTorch's loss scaling for mixed-precision training.

``scale(loss)`` multiplies by the current scale; ``unscale_(optimizer)`` divides the
gradients back and looks for inf/NaN; ``step(optimizer)`` unscales if needed and skips the
step when a gradient overflowed; ``update()`` halves the scale after an overflow (by
``backoff_factor``) and doubles it (``growth_factor``) after ``growth_interval`` clean steps.

A scaler for ``'cuda'`` is disabled here (with PyTorch's warning), as on a machine without a
GPU: every method is then a pass-through, so AMP boilerplate runs unchanged. A ``'cpu'``
scaler does the full algorithm, as PyTorch's.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

_READY, _UNSCALED, _STEPPED = "ready", "unscaled", "stepped"


def _is_node(x: Any) -> bool:
    from ..node import Node  # here, not at import: autograd.cuda loads this module early

    return isinstance(x, Node)


def _scaled(x: Any, scale: float) -> Any:
    if _is_node(x):
        return x * scale
    if isinstance(x, (list, tuple)):
        return type(x)(_scaled(v, scale) for v in x)
    if isinstance(x, dict):
        return {k: _scaled(v, scale) for k, v in x.items()}
    raise ValueError("GradScaler.scale: outputs must be a Tensor or an iterable of Tensors")


class GradScaler:
    """``GradScaler(device='cuda', init_scale=2.**16, growth_factor=2.0, backoff_factor=0.5,
    growth_interval=2000, enabled=True)``."""

    def __init__(
        self,
        device: str = "cuda",
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        self._device = str(device).split(":")[0]
        self._enabled = bool(enabled)
        if self._enabled and self._device == "cuda":
            warnings.warn(
                "GradScaler is enabled, but CUDA is not available.  Disabling.",
                UserWarning,
                stacklevel=2,
            )
            self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise ValueError("GradScaler: the growth factor must be > 1.0")
            if backoff_factor >= 1.0:
                raise ValueError("GradScaler: the backoff factor must be < 1.0")
        self._scale = float(init_scale)
        self._growth_factor = float(growth_factor)
        self._backoff_factor = float(backoff_factor)
        self._growth_interval = int(growth_interval)
        self._growth_tracker = 0
        self._stages: dict[int, tuple[str, bool]] = {}  # id(optimizer) -> (stage, found inf)

    def is_enabled(self) -> bool:
        """Whether scaling happens (False for a 'cuda' scaler here)."""
        return self._enabled

    def scale(self, outputs: Any) -> Any:
        """``outputs`` (a Tensor, or lists/tuples/dicts of them) times the current scale."""
        if not self._enabled:
            return outputs
        return _scaled(outputs, self._scale)

    def unscale_(self, optimizer: Any) -> None:
        """Divide ``optimizer``'s gradients by the scale, in place, and note any inf/NaN."""
        if not self._enabled:
            return
        stage, _ = self._stages.get(id(optimizer), (_READY, False))
        if stage == _UNSCALED:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if stage == _STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv = 1.0 / self._scale
        found = False
        for group in optimizer.param_groups:
            for p in group["params"]:
                if getattr(p, "grad", None) is None:
                    continue
                g = p.grad.data
                g *= np.asarray(inv, dtype=g.dtype)
                found = found or not bool(np.isfinite(g).all())
        self._stages[id(optimizer)] = (_UNSCALED, found)

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """``optimizer.step(*args, **kwargs)`` on unscaled gradients, skipped (returning None)
        when one of them is inf or NaN."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        stage, _ = self._stages.get(id(optimizer), (_READY, False))
        if stage == _STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if stage == _READY:
            self.unscale_(optimizer)
        _, found = self._stages[id(optimizer)]
        result = None if found else optimizer.step(*args, **kwargs)
        self._stages[id(optimizer)] = (_STEPPED, found)
        return result

    def update(self, new_scale: Any = None) -> None:
        """Set the scale for the next iteration: ``new_scale`` if given, else back off after
        an overflow or grow after ``growth_interval`` clean iterations."""
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale = float(new_scale.item() if _is_node(new_scale) else new_scale)
        else:
            if not self._stages:
                raise RuntimeError("No inf checks were recorded prior to update.")
            if any(found for _, found in self._stages.values()):
                self._scale *= self._backoff_factor
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    self._scale *= self._growth_factor
                    self._growth_tracker = 0
        self._stages = {}

    def get_scale(self) -> float:
        """The current scale (1.0 when disabled)."""
        return self._scale if self._enabled else 1.0

    def get_growth_factor(self) -> float:
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        self._growth_factor = float(new_factor)

    def get_backoff_factor(self) -> float:
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        self._backoff_factor = float(new_factor)

    def get_growth_interval(self) -> int:
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        self._growth_interval = int(new_interval)

    def state_dict(self) -> dict:
        """PyTorch's keys (empty when disabled)."""
        if not self._enabled:
            return {}
        return {
            "scale": self._scale,
            "growth_factor": self._growth_factor,
            "backoff_factor": self._backoff_factor,
            "growth_interval": self._growth_interval,
            "_growth_tracker": self._growth_tracker,
        }

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore ``state_dict()``'s values (nothing happens when disabled)."""
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError(
                "The source state dict is empty, possibly because it was saved from a disabled "
                "instance of GradScaler."
            )
        self._scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])
