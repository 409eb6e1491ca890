"""``autograd.cuda``: what ``torch.cuda`` answers on a machine without a GPU.

This library computes on the CPU only, so scripts that ask ``cuda.is_available()`` take their
CPU branch; seeding calls are accepted and ignored (as PyTorch does without CUDA).
"""

from __future__ import annotations


def is_available() -> bool:
    """False: there is no GPU device (CUDA, or XPU for ``autograd.xpu``)."""
    return False


def device_count() -> int:
    """0: there is no GPU device."""
    return 0


def manual_seed(seed: int) -> None:
    """Accepted and ignored (there is no GPU generator); see ``autograd.manual_seed``."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored (there is no GPU generator); see ``autograd.manual_seed``."""


def seed() -> None:
    """Accepted and ignored (there is no GPU generator)."""


def seed_all() -> None:
    """Accepted and ignored (there is no GPU generator)."""


def empty_cache() -> None:
    """Nothing to free: there is no GPU memory."""


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """False: there is no GPU device (and numpy has no bfloat16)."""
    return False


def is_initialized() -> bool:
    """False: no GPU runtime is ever initialised."""
    return False


from . import amp as amp  # noqa: E402  (torch.cuda.amp, a submodule as in torch)
