"""``autograd.amp``: PyTorch's automatic-mixed-precision API (``torch.amp``) as it behaves
on this CPU-only library: ``autocast`` and ``GradScaler``."""

from __future__ import annotations

from .autocast_mode import autocast, is_autocast_enabled
from .grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "is_autocast_enabled"]
