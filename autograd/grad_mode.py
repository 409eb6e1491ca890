"""Switching graph recording off and on: ``no_grad`` and ``enable_grad``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode:
    """Holds the process-wide switch read by every op."""

    enabled: bool = True


def is_grad_enabled() -> bool:
    """True when ops record the graph needed for backward."""
    return _GradMode.enabled


class _SetGradMode:
    """Context manager and decorator that sets grad mode for its extent."""

    mode: bool = True

    def __new__(cls, fn: Callable[..., Any] | None = None) -> Any:
        # ``@no_grad`` without parentheses (PyTorch allows it) decorates ``fn`` directly.
        self = super().__new__(cls)
        return self if fn is None else self(fn)

    def __init__(self, fn: Callable[..., Any] | None = None) -> None:
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(_GradMode.enabled)
        _GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self._previous.pop()

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_SetGradMode):
    """Ops inside neither record a graph nor make outputs that require grad."""

    mode = False


class enable_grad(_SetGradMode):
    """Turns recording back on inside a ``no_grad`` region."""

    mode = True
