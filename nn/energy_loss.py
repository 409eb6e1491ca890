"""Module form of LeCun et al.'s energy criterion (``nn.functional.energy_loss``)."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .losses import _TensorLoss


class EnergyLoss(_TensorLoss):
    """E_target + log(e^-j + sum_i e^-E_i) per sample (just E_target when ``j`` is None),
    averaged over the batch by default: ``loss_fn(energies, target)``.

    A ``j`` given as an ``nn.Parameter`` is registered as one, and is learnt with the rest.
    """

    function = staticmethod(F.energy_loss)
    options = ("j",)

    def __init__(self, j: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction, j=j)
