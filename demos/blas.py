"""One BLAS thread for the small matrix products of the demos.

On a machine whose cores are busy, a multi-threaded BLAS (OpenBLAS's default: one thread per
core) spends more time waiting for its threads than computing a 64x64 product: the recurrent
and attention demos ran 20-80 times slower. Small products gain nothing from threads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context limiting numpy's BLAS to one thread (threadpoolctl, which scikit-learn
    installs); a no-op context if threadpoolctl is missing."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - depends on the environment
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def on_one_blas_thread(fn: F) -> F:
    """``fn`` run inside ``one_blas_thread()`` (a decorator for a demo's ``main``)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with one_blas_thread():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
