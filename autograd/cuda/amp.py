"""``autograd.cuda.amp``: torch.cuda.amp's ``autocast`` and ``GradScaler`` for the CUDA
device, which is not available here, so both disable themselves with a warning (as PyTorch
does without CUDA); see ``autograd.amp``."""

from __future__ import annotations

from typing import Any


def autocast(enabled: bool = True, dtype: Any = None, cache_enabled: bool = True) -> Any:
    """``torch.cuda.amp.autocast``: ``autograd.amp.autocast('cuda', ...)``."""
    from ..amp import autocast as _autocast  # (autograd.amp needs Tensor: loaded on use)

    return _autocast("cuda", dtype, enabled, cache_enabled)


def GradScaler(  # noqa: N802  (torch's name: a factory standing in for the class)
    init_scale: float = 2.0**16,
    growth_factor: float = 2.0,
    backoff_factor: float = 0.5,
    growth_interval: int = 2000,
    enabled: bool = True,
) -> Any:
    """``torch.cuda.amp.GradScaler``: ``autograd.amp.GradScaler('cuda', ...)``."""
    from ..amp import GradScaler as _GradScaler  # (autograd.amp needs Tensor: loaded on use)

    return _GradScaler("cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled)
