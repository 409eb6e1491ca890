"""Distributions whose draws come from numpy's generators without a reparameterisation."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor


class SampleOnly:
    """``sample`` gives draws without gradient; ``rsample`` raises, because PyTorch's
    reparameterised draws for these distributions need implicit reparameterisation
    gradients, which are not implemented here."""

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        raise NotImplementedError(
            f"{type(self).__name__}.rsample is not implemented (it needs implicit "
            "reparameterisation gradients); use sample() for draws without gradient"
        )
