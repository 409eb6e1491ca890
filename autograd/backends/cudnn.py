"""``autograd.backends.cudnn``: cuDNN's switches (torch's defaults), kept so that scripts can
set them (``cudnn.benchmark = True``); nothing reads them, as the library has no cuDNN and its
CPU computations are deterministic anyway."""

from __future__ import annotations

enabled = True
deterministic = False
benchmark = False
allow_tf32 = True


def is_available() -> bool:
    """False: there is no cuDNN."""
    return False


def version() -> None:
    """None: there is no cuDNN."""
    return None
