"""Activations and losses as functions, with PyTorch's names and signatures."""

from .dropout import dropout

__all__ = [
    "dropout",
]
