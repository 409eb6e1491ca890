"""Devices: this library computes on the CPU only; ``device`` objects and ``device=``
arguments exist so that PyTorch code which names its device runs unchanged."""

from __future__ import annotations

from typing import Any

# Device types PyTorch knows; naming one of them builds a ``device`` (as in PyTorch), but only
# 'cpu' can hold data here. Any other word is refused at once.
_KNOWN_TYPES = (
    "cpu",
    "cuda",
    "mps",
    "xpu",
    "ipu",
    "hip",
    "xla",
    "lazy",
    "meta",
    "hpu",
    "mtia",
    "vulkan",
    "mkldnn",
    "opengl",
    "opencl",
    "ideep",
    "ve",
    "fpga",
    "maia",
    "privateuseone",
)


class device:  # noqa: N801  (PyTorch's name)
    """A device description, as ``torch.device``: ``device('cpu')``, ``device('cpu:0')``,
    ``device('cpu', 0)``, ``device(other_device)``.

    ``.type`` is the kind ('cpu'), ``.index`` the ordinal or None. Devices compare equal when
    type and index agree. Only 'cpu' devices can hold tensors here (``check_device``).
    """

    __slots__ = ("_type", "_index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            if index is not None:
                raise TypeError("device(device, index): the index is already in the device")
            self._type, self._index = type.type, type.index
            return
        if isinstance(type, bool) or not isinstance(type, str):
            raise TypeError(
                f"device(): expected a device string such as 'cpu' (or a device), got "
                f"{type!r}; integer ordinals name accelerators, which this CPU-only library "
                "does not have"
            )
        kind, sep, ordinal = type.partition(":")
        if kind not in _KNOWN_TYPES:
            raise RuntimeError(
                f"device(): expected one of {', '.join(_KNOWN_TYPES)} device type at start of "
                f"device string: {type!r}"
            )
        if sep:
            if index is not None:
                raise RuntimeError(f"device(): index given twice ({type!r} and index={index})")
            if not ordinal.isdigit():
                raise RuntimeError(f"device(): invalid device string {type!r}")
            index = int(ordinal)
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            raise TypeError(f"device(): index must be an int, got {index!r}")
        if index is not None and index < 0:
            raise RuntimeError(f"device(): device index must be non-negative, got {index}")
        self._type, self._index = kind, index

    @property
    def type(self) -> str:
        """The device kind: 'cpu', 'cuda', ..."""
        return self._type

    @property
    def index(self) -> int | None:
        """The device ordinal, or None."""
        return self._index

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return (self._type, self._index) == (other._type, other._index)

    def __hash__(self) -> int:
        return hash((self._type, self._index))

    def __str__(self) -> str:
        return self._type if self._index is None else f"{self._type}:{self._index}"

    def __repr__(self) -> str:
        if self._index is None:
            return f"device(type={self._type!r})"
        return f"device(type={self._type!r}, index={self._index})"

    def __reduce__(self) -> tuple:
        return (device, (self._type, self._index))


CPU = device("cpu")


def check_device(arg: Any, op: str) -> device:
    """``arg`` (None, 'cpu', 'cpu:0', a ``device``) as the CPU device; anything else is an
    error naming ``op``: this library has no accelerators."""
    if arg is None:
        return CPU
    if isinstance(arg, bool) or not isinstance(arg, (str, device, int)):
        raise TypeError(
            f"{op}: device must be None, a string such as 'cpu', or an autograd.device, "
            f"got {type(arg).__name__} {arg!r}"
        )
    if isinstance(arg, int):
        raise RuntimeError(
            f"{op}: device {arg} names an accelerator, but this library runs on the CPU only "
            "(use device='cpu')"
        )
    dev = arg if isinstance(arg, device) else device(arg)
    if dev.type != "cpu":
        raise RuntimeError(
            f"{op}: device {str(dev)!r} is not available; this library runs on the CPU only "
            "(autograd.cuda.is_available() is False). Use device='cpu'"
        )
    if dev.index not in (None, 0):
        raise RuntimeError(f"{op}: there is only one CPU device, got {str(dev)!r}")
    return CPU


def is_device(x: Any) -> bool:
    """True for a device given as a ``device`` object or a string naming one (``Tensor.to``
    tells a device from a dtype with this)."""
    if isinstance(x, device):
        return True
    return isinstance(x, str) and x.split(":")[0] in (
        "cpu",
        "cuda",
        "mps",
        "xla",
        "meta",
        "xpu",
        "hip",
        "vulkan",
        "ipu",
        "hpu",
    )


def set_default_device(device: Any) -> None:
    """``torch.set_default_device``: the device tensors are made on when none is named. None
    and the CPU are accepted (the CPU is the only device here); any other device is refused at
    once, naming it."""
    check_device(device, "set_default_device")


def get_default_device() -> device:
    """``torch.get_default_device``: the CPU, always."""
    return CPU
