"""Neural-network building blocks: modules, layers, activations, losses, initialisation."""

from . import functional, init
from .containers import ModuleList, Residual, Sequential
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .parameter import Parameter
from .serialization import load, save

__all__ = [
    "Dropout",
    "Linear",
    "Module",
    "ModuleList",
    "Parameter",
    "Residual",
    "Sequential",
    "functional",
    "init",
    "load",
    "save",
]
