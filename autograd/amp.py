"""``autograd.amp``: torch.amp's mixed-precision names, ``autocast`` and ``GradScaler``.

This library computes on the CPU with numpy, which has no bfloat16 and no reduced-precision
matmul kernels. ``autocast`` therefore runs every op in its inputs' dtype: for
``device_type='cuda'`` it is disabled with PyTorch's own warning on a machine without CUDA,
and for ``'cpu'`` it warns that ops stay in full precision. ``GradScaler`` is PyTorch's loss
scaling, exactly (scale, unscale_, inf/NaN checks that skip a step, growth and backoff); as
in PyTorch, one made for ``'cuda'`` (the default device) disables itself when there is no
CUDA, and then each of its methods passes through.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from .tensor import Tensor

F = TypeVar("F", bound=Callable[..., Any])

# the device types torch's autocast accepts (torch.device's list)
_DEVICE_TYPES = frozenset(
    "cpu cuda ipu xpu mkldnn opengl opencl ideep hip ve fpga maia xla lazy vulkan mps meta hpu "
    "mtia privateuseone".split()
)


def is_autocast_available(device_type: str) -> bool:
    """Whether ``autocast`` knows ``device_type`` (it never lowers precision here)."""
    return device_type in _DEVICE_TYPES


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """False: no autocast region lowers precision in this library (see the module doc)."""
    return False


class autocast:
    """PyTorch's ``autocast(device_type, dtype=None, enabled=True, cache_enabled=None)``, as a
    context manager or a decorator; ops inside keep their inputs' dtype (see the module doc).
    """

    def __init__(
        self,
        device_type: str,
        dtype: Any = None,
        enabled: bool = True,
        cache_enabled: bool | None = None,
    ) -> None:
        if not isinstance(device_type, str):
            raise ValueError(
                f"autocast: expected device_type of type str, got {type(device_type).__name__}"
            )
        if device_type not in _DEVICE_TYPES:
            raise RuntimeError(
                f"autocast: unsupported device_type {device_type!r}; expected one of "
                f"{', '.join(sorted(_DEVICE_TYPES))}"
            )
        self.device = device_type
        self.fast_dtype = dtype
        self._enabled = bool(enabled)
        if self._enabled and device_type != "cpu":
            warnings.warn(
                f"autocast: device_type {device_type!r} is not available (this library runs "
                "on the CPU). Disabling autocast.",
                UserWarning,
                stacklevel=2,
            )
            self._enabled = False

    def __enter__(self) -> autocast:
        if self._enabled:
            warnings.warn(
                "autocast(device_type='cpu'): this library has no reduced-precision kernels; "
                "ops inside run in their inputs' dtype (full precision)",
                UserWarning,
                stacklevel=2,
            )
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with autocast(self.device, self.fast_dtype, self._enabled):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class GradScaler:
    """PyTorch's gradient scaler for mixed-precision training (see the module doc).

    ``scaler.scale(loss).backward(); scaler.step(optimizer); scaler.update()``: the loss is
    multiplied by the scale; ``step`` divides the gradients by it (``unscale_``) and skips the
    optimizer's step when any gradient is inf or NaN; ``update`` multiplies the scale by
    ``backoff_factor`` after a skipped step and by ``growth_factor`` after
    ``growth_interval`` steps in a row without one.
    """

    def __init__(
        self,
        device: str = "cuda",
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        if enabled and device != "cpu":
            warnings.warn(
                f"GradScaler is enabled, but device {device!r} is not available (this library "
                "runs on the CPU). Disabling.",
                UserWarning,
                stacklevel=2,
            )
            enabled = False
        if enabled:
            if not growth_factor > 1.0:
                raise ValueError(f"GradScaler: growth_factor must be > 1, got {growth_factor}")
            if not 0.0 < backoff_factor < 1.0:
                raise ValueError(
                    f"GradScaler: backoff_factor must be in (0, 1), got {backoff_factor}"
                )
            if growth_interval <= 0:
                raise ValueError(
                    f"GradScaler: growth_interval must be positive, got {growth_interval}"
                )
        self._device = device
        self._enabled = bool(enabled)
        self._scale = float(np.float32(init_scale))
        self._growth_factor = float(growth_factor)
        self._backoff_factor = float(backoff_factor)
        self._growth_interval = int(growth_interval)
        self._growth_tracker = 0
        self._per_optimizer: dict[int, dict[str, Any]] = {}

    def is_enabled(self) -> bool:
        """Whether the scaler scales (False: every method passes through)."""
        return self._enabled

    def scale(self, outputs: Any) -> Any:
        """``outputs`` (a Tensor, or lists/tuples of them) multiplied by the current scale."""
        if not self._enabled:
            return outputs
        if isinstance(outputs, Tensor):
            return outputs * self._scale
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        raise ValueError(
            f"GradScaler.scale: outputs must be a Tensor or an iterable of Tensors, got "
            f"{type(outputs).__name__}"
        )

    def _state(self, optimizer: Any) -> dict[str, Any]:
        return self._per_optimizer.setdefault(
            id(optimizer), {"unscaled": False, "stepped": False, "found_inf": False}
        )

    def unscale_(self, optimizer: Any) -> None:
        """Divide the gradients of ``optimizer``'s parameters by the scale, in place, and note
        whether any is inf or NaN (then ``step`` skips this optimizer's step)."""
        if not self._enabled:
            return
        state = self._state(optimizer)
        if state["unscaled"]:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if state["stepped"]:
            raise RuntimeError("unscale_() is being called after step().")
        inv = float(np.float32(1.0 / self._scale))  # torch's reciprocal, kept as float32
        found = False
        for group in optimizer.param_groups:
            for p in group["params"]:
                g = getattr(p, "grad", None)
                if not isinstance(g, Tensor):
                    continue
                g.data *= np.asarray(inv, dtype=g._data.dtype)
                found = found or not bool(np.isfinite(g._data).all())
        state["unscaled"] = True
        state["found_inf"] = found

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """Unscale (unless done already) and run ``optimizer.step(*args, **kwargs)``, unless a
        gradient is inf or NaN; returns what ``step`` returned, or None when skipped."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        state = self._state(optimizer)
        if state["stepped"]:
            raise RuntimeError("step() has already been called since the last update().")
        if not state["unscaled"]:
            self.unscale_(optimizer)
        state["stepped"] = True
        return None if state["found_inf"] else optimizer.step(*args, **kwargs)

    def update(self, new_scale: float | Tensor | None = None) -> None:
        """Adjust the scale for the next iteration (or set it to ``new_scale``)."""
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale = float(new_scale.item() if isinstance(new_scale, Tensor) else new_scale)
        else:
            checked = [s for s in self._per_optimizer.values() if s["unscaled"]]
            if not checked:
                raise AssertionError("No inf checks were recorded prior to update.")
            if any(s["found_inf"] for s in checked):
                self._scale *= self._backoff_factor
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    self._scale *= self._growth_factor
                    self._growth_tracker = 0
            self._scale = float(np.float32(self._scale))  # torch keeps the scale as float32
        self._per_optimizer.clear()

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

    def state_dict(self) -> dict[str, Any]:
        """The scaler's settings and progress (empty when disabled), in PyTorch's keys."""
        if not self._enabled:
            return {}
        return {
            "scale": self._scale,
            "growth_factor": self._growth_factor,
            "backoff_factor": self._backoff_factor,
            "growth_interval": self._growth_interval,
            "_growth_tracker": self._growth_tracker,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()``."""
        if not self._enabled:
            return
        if not state_dict:
            raise RuntimeError(
                "The source state dict is empty, possibly because it was saved from a disabled "
                "instance of GradScaler."
            )
        self._scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])
