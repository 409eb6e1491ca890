"""PyTorch's performance switches: accepted, with no effect on any result.

``set_num_threads`` records the count that ``get_num_threads`` reports (numpy's BLAS takes its
thread count from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS when it loads);
``set_float32_matmul_precision`` records the setting (numpy's float32 matmul is always full
float32, PyTorch's 'highest'); ``compile`` returns the module or function it is given, since
running it eagerly computes exactly what a compiled version would.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

_SETTINGS: dict[str, Any] = {"threads": os.cpu_count() or 1, "matmul": "highest"}
_PRECISIONS = ("highest", "high", "medium")


def set_num_threads(num: int) -> None:
    """Record the intra-op thread count (see the module doc); ``num`` must be positive."""
    if not isinstance(num, int) or isinstance(num, bool) or num <= 0:
        raise ValueError(f"set_num_threads: expected a positive integer, got {num!r}")
    _SETTINGS["threads"] = num


def get_num_threads() -> int:
    """The count last given to ``set_num_threads`` (at first, the number of CPUs)."""
    return int(_SETTINGS["threads"])


def set_num_interop_threads(num: int) -> None:
    """Accepted (this library runs no inter-op thread pool); ``num`` must be positive."""
    if not isinstance(num, int) or isinstance(num, bool) or num <= 0:
        raise ValueError(f"set_num_interop_threads: expected a positive integer, got {num!r}")


def set_float32_matmul_precision(precision: str) -> None:
    """Record 'highest', 'high' or 'medium' (another value warns and changes nothing, as in
    PyTorch); float32 matmuls stay full precision."""
    if precision not in _PRECISIONS:
        warnings.warn(
            f"{precision} is not one of 'highest', 'high', or 'medium'; the "
            "set_float32_matmul_precision call has no effect.",
            UserWarning,
            stacklevel=2,
        )
        return
    _SETTINGS["matmul"] = precision


def get_float32_matmul_precision() -> str:
    """The setting last given to ``set_float32_matmul_precision`` ('highest' at first)."""
    return str(_SETTINGS["matmul"])


def compile(
    model: Any = None,
    *,
    fullgraph: bool = False,
    dynamic: bool | None = None,
    backend: Any = None,
    mode: str | None = None,
    options: dict[str, Any] | None = None,
    name: str | None = None,
    disable: bool = False,
    recompile_limit: int | None = None,
    isolate_recompiles: bool = False,
    shapes_spec: Any = None,
) -> Any:
    """PyTorch's ``compile``: returns ``model`` itself (see the module doc); with no model,
    a decorator that does so. The options choose how PyTorch compiles and are accepted."""
    if model is None:
        return lambda fn: compile(fn)
    if not callable(model):
        raise TypeError(f"compile: expected a Module or a function, got {type(model).__name__}")
    return model
