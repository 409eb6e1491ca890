"""``autograd.cuda``: there is no GPU here; code that asks gets a clear answer."""

from __future__ import annotations


def is_available() -> bool:
    """False: this library computes on the CPU only."""
    return False


def device_count() -> int:
    """0: no CUDA devices."""
    return 0


def manual_seed(seed: int) -> None:
    """Nothing to seed (no CUDA generators); accepted so that seeding code runs unchanged."""


def manual_seed_all(seed: int) -> None:
    """Nothing to seed (no CUDA generators); accepted so that seeding code runs unchanged."""
