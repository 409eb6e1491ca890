"""The classes ``load`` may rebuild from a checkpoint: ``torch.serialization``'s allowlist.

A checkpoint stores a dataclass as its class's module and qualified name plus its fields. A
name read from a file is never imported: ``load`` rebuilds the object only when the class is
on this list (as PyTorch's ``weights_only=True`` loading), or, with ``weights_only=False``,
when a module already imported defines it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any

# "module.qualname" -> the class, as given to add_safe_globals
_ALLOWED: dict[str, Any] = {}
_Entry = Callable[..., Any] | tuple[Callable[..., Any], str]


def global_name(cls: Any) -> str:
    """``module.qualname`` of a class, as PyTorch names globals."""
    return f"{cls.__module__}.{cls.__qualname__}"


def add_safe_globals(safe_globals: list[_Entry]) -> None:
    """Allow ``load`` to rebuild instances of these classes (each a class, or a (class,
    "module.qualname") pair naming it as it was saved)."""
    for name, cls in _named(safe_globals):
        _ALLOWED[name] = cls


def get_safe_globals() -> list[_Entry]:
    """The classes ``add_safe_globals`` allowed (pairs where the saved name differs)."""
    return [cls if name == global_name(cls) else (cls, name) for name, cls in _ALLOWED.items()]


def clear_safe_globals() -> None:
    """Forget every class ``add_safe_globals`` allowed."""
    _ALLOWED.clear()


def allowed(name: str) -> Any:
    """The allowed class saved under ``name``, or None."""
    return _ALLOWED.get(name)


class safe_globals(AbstractContextManager):  # noqa: N801  (torch's name)
    """``with safe_globals([cls, ...]):`` allows the classes for the block only."""

    def __init__(self, safe_globals: list[_Entry]) -> None:
        self._entries = list(_named(safe_globals))
        self._before: dict[str, Any] = {}

    def __enter__(self) -> safe_globals:
        self._before = dict(_ALLOWED)
        for name, cls in self._entries:
            _ALLOWED[name] = cls
        return self

    def __exit__(self, *exc: object) -> None:
        _ALLOWED.clear()
        _ALLOWED.update(self._before)


def _named(entries: Iterable[Any]) -> Iterable[tuple[str, Any]]:
    if isinstance(entries, (str, bytes)) or not isinstance(entries, Iterable):
        raise TypeError(
            f"safe globals: expected a list of classes or (class, name) pairs, got "
            f"{type(entries).__name__}"
        )
    for entry in entries:
        if isinstance(entry, tuple):
            if len(entry) != 2 or not isinstance(entry[1], str) or not callable(entry[0]):
                raise TypeError(f"safe globals: {entry!r} is not a (class, 'module.name') pair")
            yield entry[1], entry[0]
        elif callable(entry) and hasattr(entry, "__qualname__"):
            yield global_name(entry), entry
        else:
            raise TypeError(f"safe globals: {entry!r} is not a class or function")


__all__ = ["add_safe_globals", "clear_safe_globals", "get_safe_globals", "safe_globals"]
