"""Dropout modules (inverted, channel-wise and alpha dropout), active only in training
mode."""

from __future__ import annotations

from typing import TypeVar

from autograd import Tensor, Value

from .functional.dropout import (
    alpha_dropout,
    check_dropout_p,
    dropout,
    dropout1d,
    dropout2d,
    dropout3d,
    feature_alpha_dropout,
)
from .module import Module

N = TypeVar("N", Value, Tensor)


class Dropout(Module):
    """During training, zero each entry with probability ``p`` and scale the rest by
    1 / (1 - p) (written into the input with ``inplace=True``); in eval mode, the identity.
    See ``nn.functional.dropout``."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        self.p = check_dropout_p(p)
        self.inplace = inplace

    def forward(self, x: N) -> N:
        return dropout(x, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """During training, zero whole channels of (N, C, L) input with probability ``p``."""

    def forward(self, x: Tensor) -> Tensor:  # type: ignore[override]
        return dropout1d(x, self.p, self.training, self.inplace)


class Dropout2d(Dropout):
    """During training, zero whole feature maps of (N, C, H, W) input with probability ``p``."""

    def forward(self, x: Tensor) -> Tensor:  # type: ignore[override]
        return dropout2d(x, self.p, self.training, self.inplace)


class Dropout3d(Dropout):
    """During training, zero whole volumes of (N, C, D, H, W) input with probability ``p``."""

    def forward(self, x: Tensor) -> Tensor:  # type: ignore[override]
        return dropout3d(x, self.p, self.training, self.inplace)


class AlphaDropout(Dropout):
    """During training, alpha dropout (see ``nn.functional.alpha_dropout``): keeps the zero
    mean and unit variance of SELU activations; in eval mode, the identity."""

    def forward(self, x: Tensor) -> Tensor:  # type: ignore[override]
        return alpha_dropout(x, self.p, self.training, self.inplace)


class FeatureAlphaDropout(Dropout):
    """During training, alpha dropout of whole channels of (N, C, *) input (see
    ``nn.functional.feature_alpha_dropout``); in eval mode, the identity."""

    def forward(self, x: Tensor) -> Tensor:  # type: ignore[override]
        return feature_alpha_dropout(x, self.p, self.training, self.inplace)
