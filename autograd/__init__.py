"""Reverse-mode automatic differentiation on scalars (``Value``) and arrays (``Tensor``)."""

from . import cuda, random
from . import node as _node  # noqa: F401  (first: the ops and Node import each other)
from .creation import arange, full, ones, ones_like, rand, randn, tensor, zeros, zeros_like
from .device import device
from .dtypes import get_default_dtype, set_default_dtype
from .function import Context, Function
from .functions import cat, concatenate, maximum, minimum, stack, where
from .grad import grad
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .random import manual_seed
from .tensor import Tensor
from .value import Value

__all__ = [
    "Context",
    "Function",
    "Tensor",
    "Value",
    "cuda",
    "device",
    "arange",
    "cat",
    "concatenate",
    "enable_grad",
    "full",
    "get_default_dtype",
    "grad",
    "inference_mode",
    "set_grad_enabled",
    "is_grad_enabled",
    "manual_seed",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "random",
    "set_default_dtype",
    "stack",
    "tensor",
    "where",
    "zeros",
    "zeros_like",
]


def __getattr__(name: str) -> object:
    """``autograd.viz`` and ``autograd.testing`` load on first use (graphviz, hypothesis)."""
    if name in ("viz", "testing"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
