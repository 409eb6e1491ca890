"""Training utilities: gradient clipping and a data loader."""

from .clip_grad import clip_grad_norm_, clip_grad_value_
from .data import DataLoader

__all__ = ["clip_grad_norm_", "clip_grad_value_", "DataLoader"]
