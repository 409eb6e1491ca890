"""``autograd.xpu``: what ``torch.xpu`` answers on a machine without an Intel GPU.

PyTorch's examples choose their device with ``torch.xpu.is_available()`` next to
``torch.cuda.is_available()``; this library computes on the CPU only, so both take the CPU
branch. The answers are ``autograd.cuda``'s (these are its functions): no device, seeding
accepted and ignored, nothing to free.
"""

from __future__ import annotations

from .cuda import (
    device_count,
    empty_cache,
    is_available,
    is_bf16_supported,
    is_initialized,
    manual_seed,
    manual_seed_all,
    seed,
    seed_all,
)

__all__ = [
    "device_count",
    "empty_cache",
    "is_available",
    "is_bf16_supported",
    "is_initialized",
    "manual_seed",
    "manual_seed_all",
    "seed",
    "seed_all",
]
