"""``Flatten`` and ``Unflatten``: merge a range of axes into one, or split one into several."""

from __future__ import annotations

from typing import Any

from autograd import Tensor

from .functional.conv import as_tensor
from .module import Module


class Flatten(Module):
    """Merge axes ``start_dim`` .. ``end_dim`` into one (by default all but the batch axis)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Any) -> Tensor:
        return as_tensor(input, "Flatten").flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split axis ``dim`` into ``unflattened_size`` (whose product must be its length; one
    entry may be -1)."""

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        self.dim = dim
        self.unflattened_size = tuple(unflattened_size)

    def forward(self, input: Any) -> Tensor:
        x = as_tensor(input, "Unflatten")
        if not -x.ndim <= self.dim < x.ndim:
            raise ValueError(
                f"Unflatten: dim {self.dim} is out of range for input of shape {tuple(x.shape)}"
            )
        d = self.dim % x.ndim
        sizes = self.unflattened_size
        known = 1
        for s in sizes:
            if s != -1:
                known *= s
        n = x.shape[d]
        fits = n == known if -1 not in sizes else (known and n % known == 0)
        if not fits or sizes.count(-1) > 1:
            raise ValueError(
                f"Unflatten: unflattened_size {sizes} does not multiply to the size {n} of "
                f"dim {self.dim} (input of shape {tuple(x.shape)})"
            )
        return x.reshape(x.shape[:d] + sizes + x.shape[d + 1 :])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
