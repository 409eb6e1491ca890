"""``autograd.accelerator``: what ``torch.accelerator`` answers on a machine without one.

PyTorch's current tutorials pick their device with
``torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"``;
this library computes on the CPU only, so that takes the CPU branch. Asking for the accelerator
device itself raises as PyTorch does when none is available.
"""

from __future__ import annotations

from typing import Any

_NONE = "Cannot access accelerator device when none is available."


def is_available() -> bool:
    """False: there is no accelerator."""
    return False


def device_count() -> int:
    """0: there is no accelerator."""
    return 0


def current_accelerator(check_available: bool = False) -> Any:
    """None: there is no accelerator (whatever ``check_available`` asks)."""
    return None


def current_device_index() -> int:
    """Raises: there is no accelerator device to index."""
    raise RuntimeError(_NONE)


def synchronize(device: Any = None) -> None:
    """Raises: there is no accelerator device to wait for."""
    raise RuntimeError(_NONE)
