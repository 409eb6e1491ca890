"""``autograd.cuda``: what ``torch.cuda`` answers on a machine without a GPU.

This library computes on the CPU only, so scripts that ask ``cuda.is_available()`` take their
CPU branch; seeding calls are accepted and ignored (as PyTorch does without CUDA).
"""

from __future__ import annotations

from typing import Any


def is_available() -> bool:
    """False: there is no CUDA device."""
    return False


def device_count() -> int:
    """0: there is no CUDA device."""
    return 0


def manual_seed(seed: int) -> None:
    """Accepted and ignored (there is no CUDA generator); see ``autograd.manual_seed``."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored (there is no CUDA generator); see ``autograd.manual_seed``."""


def seed() -> None:
    """Accepted and ignored (there is no CUDA generator)."""


def seed_all() -> None:
    """Accepted and ignored (there is no CUDA generator)."""


def empty_cache() -> None:
    """Nothing to free: there is no CUDA memory."""


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """False: there is no CUDA device (and numpy has no bfloat16)."""
    return False


def is_initialized() -> bool:
    """False: CUDA is never initialised."""
    return False


class _Amp:
    """``torch.cuda.amp``: ``autocast`` and ``GradScaler`` for the CUDA device, which is not
    available here, so both disable themselves with a warning (as PyTorch does without CUDA);
    see ``autograd.amp``."""

    @staticmethod
    def autocast(enabled: bool = True, dtype: Any = None, cache_enabled: bool = True) -> Any:
        from .amp import autocast

        return autocast("cuda", dtype, enabled, cache_enabled)

    @staticmethod
    def GradScaler(  # noqa: N802  (torch's name: a factory standing in for the class)
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> Any:
        from .amp import GradScaler

        return GradScaler(
            "cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled
        )


amp = _Amp()
