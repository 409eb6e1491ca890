"""Devices: this library computes on the CPU only; ``'cpu'`` is accepted wherever PyTorch
takes a device, and anything else is a clear error."""

from __future__ import annotations

from typing import Any


class device:  # noqa: N801 (torch's name)
    """A device, as ``torch.device``: only ``'cpu'`` (optionally ``'cpu:0'``) exists here."""

    def __init__(self, type: Any = "cpu", index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index
        check_device(type, "device")
        self.type = "cpu"
        self.index = index

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                return device(other) == self
            except RuntimeError:
                return False
        return isinstance(other, device) and other.type == self.type

    def __hash__(self) -> int:
        return hash(self.type)

    def __repr__(self) -> str:
        return "device(type='cpu')"

    def __str__(self) -> str:
        return "cpu"


def check_device(dev: Any, op: str) -> None:
    """Accept None, 'cpu', 'cpu:N' or a cpu ``device``; raise a clear error for anything else."""
    if dev is None or isinstance(dev, device):
        return
    if isinstance(dev, str) and (dev == "cpu" or dev.startswith("cpu:")):
        return
    raise RuntimeError(
        f"{op}: device {dev!r} is not available; this library computes on the CPU only "
        "(use device='cpu', or leave device out)"
    )


def is_device(x: Any) -> bool:
    """True for a device given as a ``device`` object or a string naming one."""
    if isinstance(x, device):
        return True
    return isinstance(x, str) and x.split(":")[0] in ("cpu", "cuda", "mps", "xla", "meta", "xpu")


CPU = device("cpu")
