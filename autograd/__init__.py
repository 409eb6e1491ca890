"""Reverse-mode automatic differentiation on scalars (``Value``) and arrays (``Tensor``)."""

from . import node as _node  # noqa: F401  (first: the ops and Node import each other)
from . import random, return_types
from .creation import arange, full, ones, ones_like, rand, randn, tensor, zeros, zeros_like
from .dtypes import get_default_dtype, set_default_dtype
from .function import Context, Function
from .functions import *  # noqa: F403  (torch's module-level functions)
from .functions import __all__ as _function_names
from .functions import cat, concatenate, maximum, minimum, stack, where
from .grad import grad
from .grad_mode import enable_grad, is_grad_enabled, no_grad
from .random import manual_seed
from .tensor import Tensor
from .value import Value

__all__ = [
    "Context",
    "Function",
    "Tensor",
    "Value",
    "arange",
    "cat",
    "concatenate",
    "enable_grad",
    "full",
    "get_default_dtype",
    "grad",
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
    "return_types",
    *[
        n
        for n in _function_names
        if n not in ("cat", "concatenate", "maximum", "minimum", "stack", "where")
    ],
]


def __getattr__(name: str) -> object:
    """``autograd.viz`` and ``autograd.testing`` load on first use (graphviz, hypothesis)."""
    if name in ("viz", "testing"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
