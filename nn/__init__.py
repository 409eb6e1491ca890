"""Neural-network building blocks: modules, layers, activations, losses, initialisation."""

from .module import Module
from .parameter import Parameter

__all__ = [
    "Module",
    "Parameter",
]
