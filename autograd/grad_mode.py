"""Switching graph recording off and on, per thread: ``no_grad``, ``enable_grad``,
``inference_mode`` and ``set_grad_enabled``."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from threading import get_ident
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode(threading.local):
    """The switch read by every op; each thread has its own (on when the thread starts)."""

    enabled: bool = True


STATE = _GradMode()
# The threads (by ident) that have grad mode off now. While it is empty every thread records,
# and ops test it rather than the per-thread switch (a thread-local lookup costs three times
# more). set.add and set.discard are atomic, so no lock; an ident left by a thread that ended
# with grad mode off only sends ops to the per-thread switch, which is always right.
OFF: set[int] = set()


def set_enabled(enabled: bool) -> None:
    """Set this thread's grad mode, keeping ``OFF`` up to date."""
    if enabled:
        STATE.enabled = True
        OFF.discard(get_ident())
    else:
        OFF.add(get_ident())
        STATE.enabled = False


def is_grad_enabled() -> bool:
    """True when ops in this thread record the graph needed for backward."""
    return STATE.enabled


class _SetGradMode:
    """Context manager and decorator that sets this thread's grad mode for its extent."""

    mode: bool = True

    def __new__(cls, fn: Callable[..., Any] | None = None) -> Any:
        # ``@no_grad`` without parentheses (PyTorch allows it) decorates ``fn`` directly.
        self = super().__new__(cls)
        return self if fn is None or not callable(fn) else self(fn)

    def __init__(self, fn: Callable[..., Any] | None = None) -> None:
        # the modes to restore; the switch itself is per thread (an instance used by several
        # threads at once should be one per thread, as in PyTorch)
        self._previous: list[bool] = []

    def _stack(self) -> list[bool]:
        return self._previous

    def _target(self) -> bool:
        return self.mode

    def __enter__(self) -> None:
        self._stack().append(STATE.enabled)
        set_enabled(self._target())

    def __exit__(self, *exc: object) -> None:
        set_enabled(self._stack().pop())

    def _clone(self) -> _SetGradMode:
        return self.__class__()

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._clone():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_SetGradMode):
    """Ops inside neither record a graph nor make outputs that require grad."""

    mode = False


class enable_grad(_SetGradMode):
    """Turns recording back on inside a ``no_grad`` region."""

    mode = True


class inference_mode(_SetGradMode):
    """``inference_mode(True)`` (the default) acts as ``no_grad``; ``inference_mode(False)``
    leaves the mode as it is. (PyTorch's inference tensors have further restrictions that
    this library does not model.)"""

    def __new__(cls, mode: Any = True) -> Any:
        if callable(mode) and not isinstance(mode, bool):
            return super().__new__(cls)(mode)  # bare @inference_mode
        return super().__new__(cls)

    def __init__(self, mode: Any = True) -> None:
        super().__init__()
        self._on = bool(mode) if isinstance(mode, bool) else True

    def _target(self) -> bool:
        return False if self._on else STATE.enabled

    def _clone(self) -> _SetGradMode:
        return inference_mode(self._on)


class set_grad_enabled(_SetGradMode):
    """Sets grad mode to ``mode``: as a function call at once (as PyTorch), or for the extent
    of a ``with`` block, or of a decorated function."""

    def __new__(cls, mode: bool) -> Any:
        return super().__new__(cls)

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self._mode = bool(mode)
        # PyTorch's set_grad_enabled(False) alone, without ``with``, switches the mode now
        self._before_call = STATE.enabled
        set_enabled(self._mode)

    def _target(self) -> bool:
        return self._mode

    def __enter__(self) -> None:
        # the constructor already switched; remember the mode from before it
        self._stack().append(self._before_call)
        set_enabled(self._mode)

    def __call__(self, fn: F) -> F:
        set_enabled(self._before_call)  # decorating switches nothing (PyTorch's)
        return super().__call__(fn)

    def _clone(self) -> _SetGradMode:
        clone = set_grad_enabled.__new__(set_grad_enabled, self._mode)
        _SetGradMode.__init__(clone)
        clone._mode = self._mode
        clone._before_call = STATE.enabled
        return clone
