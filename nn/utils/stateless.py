"""``torch.nn.utils.stateless``: ``functional_call``, PyTorch's deprecated spelling of
``torch.func.functional_call`` (here ``autograd.func.functional_call``)."""

from __future__ import annotations

import warnings
from typing import Any

from autograd.module_swap import call_with_tensors

__all__ = ["functional_call"]


def functional_call(
    module: Any,
    parameters_and_buffers: dict[str, Any],
    args: Any = None,
    kwargs: dict[str, Any] | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """Call ``module(*args, **kwargs)`` with the parameters and buffers named in
    ``parameters_and_buffers`` replaced for the call. Deprecated, as in PyTorch (a
    FutureWarning): use ``autograd.func.functional_call``."""
    warnings.warn(
        "`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will "
        "be removed in a future version of PyTorch. Please use `torch.func.functional_call` "
        "instead which is a drop-in replacement.",
        FutureWarning,
        stacklevel=2,
    )
    return call_with_tensors(
        module, parameters_and_buffers, args, kwargs, tie_weights=tie_weights, strict=strict
    )
