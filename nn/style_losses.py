"""Module forms of Gatys et al.'s style-transfer criteria (``nn.functional.style_losses``):
the Gram matrix as a layer, and the content, style and total losses in loss-module style
(``loss_fn(input, target)``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Tensor

from . import functional as F
from .losses import _TensorLoss
from .module import Module


class GramMatrix(Module):
    """``G = F F^T`` of feature maps: (C, H, W) -> (C, C), (N, C, H, W) -> (N, C, C);
    ``normalize=True`` divides by C * H * W (see ``nn.functional.gram_matrix``)."""

    def __init__(self, normalize: bool = False) -> None:
        super().__init__()
        self.normalize = normalize

    def forward(self, features: Any) -> Tensor:
        return F.gram_matrix(features, normalize=self.normalize)

    def extra_repr(self) -> str:
        return f"normalize={self.normalize!r}"


class ContentLoss(_TensorLoss):
    """1/2 sum (F - P)^2 per image between the generated (input) and content (target)
    image's features; ``reduction`` over a batch."""

    function = staticmethod(F.content_loss)

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__(reduction)


class StyleLoss(_TensorLoss):
    """sum_l w_l E_l, E_l = 1/(4 N_l^2 M_l^2) sum (G^l - A^l)^2, between the generated
    (input) and style (target) image's features at one layer or a list of layers;
    ``weights`` default to 1/L each. ``reduction`` over a batch."""

    function = staticmethod(F.style_loss)
    options = ("weights",)

    def __init__(self, weights: Sequence[float] | None = None, reduction: str = "mean") -> None:
        super().__init__(reduction, weights=None if weights is None else list(weights))


class StyleTransferLoss(_TensorLoss):
    """alpha * content loss + beta * style loss;
    ``forward(content_input, content_target, style_input, style_target)``."""

    function = staticmethod(F.style_transfer_loss)
    options = ("alpha", "beta", "style_weights")

    def __init__(
        self,
        alpha: float = 1.0,
        beta: float = 1000.0,
        style_weights: Sequence[float] | None = None,
        reduction: str = "mean",
    ) -> None:
        weights = None if style_weights is None else list(style_weights)
        super().__init__(reduction, alpha=alpha, beta=beta, style_weights=weights)
