"""All parameters as one flat vector and back (PyTorch's ``nn.utils.parameters_to_vector``)."""

from __future__ import annotations

from collections.abc import Iterable

import autograd
from autograd import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and joined, in order, into one vector (differentiable)."""
    params = list(parameters)
    if not params:
        raise ValueError("parameters_to_vector: no parameters given")
    return autograd.cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Overwrite each parameter's data with its slice of ``vec`` (the inverse of
    ``parameters_to_vector``); records nothing in the graph."""
    if not isinstance(vec, Tensor) or vec.ndim != 1:
        raise TypeError(f"vector_to_parameters: expected a 1-d Tensor, got {vec!r:.60}")
    params = list(parameters)
    total = sum(p.numel() for p in params)
    if total != vec.numel():
        raise ValueError(
            f"vector_to_parameters: the vector has {vec.numel()} entries but the parameters "
            f"hold {total}"
        )
    start = 0
    for p in params:
        n = p.numel()
        p.data = vec._data[start : start + n].reshape(p.shape).astype(p.dtype, copy=True)
        start += n
