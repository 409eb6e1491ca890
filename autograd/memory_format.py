"""Memory formats (``torch.preserve_format``, ``contiguous_format``, ``channels_last``,
``channels_last_3d``), accepted wherever PyTorch takes ``memory_format=``.

A memory format chooses how PyTorch lays out an array's elements in memory, never their
values. Here every result is an ordinary C-ordered numpy array, so the formats are checked
(the kind, and the rank ``channels_last`` needs) and the values are what PyTorch computes.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "memory_format",
    "preserve_format",
    "contiguous_format",
    "channels_last",
    "channels_last_3d",
    "check_memory_format",
]


class memory_format:  # noqa: N801 (torch's name)
    """One of the memory-format constants."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"autograd.{self.name}"

    def __reduce__(self) -> str:  # copy/deepcopy/pickle give the same constant back
        return self.name


preserve_format = memory_format("preserve_format")
contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")

_RANK = {"channels_last": 4, "channels_last_3d": 5}


def check_memory_format(value: Any, op: str, ndim: int | None = None) -> None:
    """Refuse anything but a memory format (None is the default); ``channels_last`` needs a
    4-d tensor and ``channels_last_3d`` a 5-d one, as in PyTorch."""
    if value is None:
        return
    if not isinstance(value, memory_format):
        raise TypeError(
            f"{op}: memory_format must be an autograd memory format (e.g. "
            f"autograd.preserve_format), got {value!r}"
        )
    rank = _RANK.get(value.name)
    if rank is not None and ndim is not None and ndim != rank:
        raise RuntimeError(
            f"{op}: required rank {rank} tensor to use {value.name} format, got a {ndim}-d tensor"
        )
