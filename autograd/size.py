"""``Size``: a tensor's shape, a tuple of ints that prints as PyTorch's ``torch.Size``."""

from __future__ import annotations

import math


class Size(tuple):
    """The shape of a Tensor (``t.shape``, ``t.size()``): a tuple, equal to the plain tuple of
    the same ints, printed as ``autograd.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"autograd.Size({list(self)})"

    __str__ = __repr__

    def numel(self) -> int:
        """How many elements a tensor of this shape holds."""
        return math.prod(self)
