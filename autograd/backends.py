"""``autograd.backends``: what ``torch.backends`` answers on a CPU-only machine.

Device-selection and seeding code from PyTorch runs unchanged: ``backends.mps.is_available()``
is False, and ``backends.cudnn.deterministic = True`` / ``.benchmark = False`` are accepted
(this library has no cuDNN; its CPU computations are deterministic anyway).
"""

from __future__ import annotations


class _MPS:
    """Apple's Metal backend: not available."""

    @staticmethod
    def is_available() -> bool:
        """False: there is no MPS device."""
        return False

    @staticmethod
    def is_built() -> bool:
        """False: the library has no MPS support."""
        return False


class _CuDNN:
    """cuDNN's switches, kept so that scripts can set them; nothing reads them."""

    def __init__(self) -> None:
        self.enabled = True
        self.deterministic = False
        self.benchmark = False
        self.allow_tf32 = True

    @staticmethod
    def is_available() -> bool:
        """False: there is no cuDNN."""
        return False

    @staticmethod
    def version() -> None:
        """None: there is no cuDNN."""
        return None


mps = _MPS()
cudnn = _CuDNN()
