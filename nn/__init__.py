"""Neural-network building blocks: modules, layers, activations, losses, initialisation."""

from . import functional, init
from .containers import ModuleList, Residual, Sequential
from .dropout import Dropout
from .linear import Linear
from .losses import (
    BCELoss,
    BCEWithLogitsLoss,
    ContrastiveLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    HingeLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    LogCoshLoss,
    MarginRankingLoss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
    TripletMarginLoss,
)
from .module import Module
from .parameter import Parameter
from .serialization import load, save

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "ContrastiveLoss",
    "CosineEmbeddingLoss",
    "CrossEntropyLoss",
    "HingeLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "LogCoshLoss",
    "MSELoss",
    "MarginRankingLoss",
    "NLLLoss",
    "SmoothL1Loss",
    "TripletMarginLoss",
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
