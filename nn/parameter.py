"""``Parameter``: a Tensor that a Module owns and an optimizer trains."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.dtypes import get_default_dtype


class Parameter(Tensor):
    """A leaf Tensor that requires grad and registers itself when assigned to a Module.

    ``data`` may be a Tensor, an ndarray or (lists of) numbers; it is copied. Python floats
    get the default float dtype (float32). A parameter that requires grad must hold floats;
    integer data is refused rather than silently converted. ``Parameter()`` is an empty
    float tensor, as in PyTorch.
    """

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.empty((0,), dtype=get_default_dtype())
        if isinstance(data, Tensor):
            data = data.data
        arr = np.asarray(data)
        if requires_grad and arr.dtype.kind != "f":
            raise TypeError(
                f"Parameter(data): a parameter that requires grad needs floating-point data, "
                f"got dtype {arr.dtype} (convert it first, e.g. np.asarray(data, np.float32))"
            )
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
