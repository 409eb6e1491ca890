"""``autocast``: PyTorch's mixed-precision region (a context manager and a decorator).

There is no CUDA here, so ``autocast('cuda', ...)`` does what PyTorch does on a machine
without a GPU: it warns and runs the region in full precision. Reduced-precision CPU autocast
(bfloat16 / float16 matmuls) is not implemented: asking for it is an error rather than a run
in another precision than the one requested. ``enabled=False`` is always accepted.
"""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Callable
from typing import Any

_STATE = threading.local()


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """False: no region here ever runs in reduced precision."""
    return False


class autocast:  # noqa: N801 (torch's name)
    """``with autocast(device_type, dtype=None, enabled=True, cache_enabled=None):``."""

    def __init__(
        self,
        device_type: str,
        dtype: Any = None,
        enabled: bool = True,
        cache_enabled: bool | None = None,
    ) -> None:
        if not isinstance(device_type, str):
            raise ValueError(
                f"autocast: expected device_type to be a string such as 'cuda' or 'cpu', got "
                f"{type(device_type).__name__}"
            )
        kind = device_type.split(":")[0]
        self.device = kind
        self.fast_dtype = dtype
        self._enabled = bool(enabled)
        if not self._enabled:
            return
        if kind == "cuda":
            warnings.warn(
                "User provided device_type of 'cuda', but CUDA is not available. Disabling",
                UserWarning,
                stacklevel=2,
            )
            self._enabled = False
        elif kind == "cpu":
            raise NotImplementedError(
                "autocast('cpu'): mixed precision on the CPU is not supported by this library "
                "(its ops run in the tensors' own dtype); pass enabled=False, or cast the model "
                "with .half() / .float() yourself"
            )
        else:
            raise RuntimeError(f"autocast: unsupported device_type {device_type!r}")

    def __enter__(self) -> autocast:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return wrapper
