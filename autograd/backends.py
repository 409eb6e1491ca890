"""``autograd.backends``: what ``torch.backends`` answers on a CPU-only machine.

Device-selection and seeding code from PyTorch runs unchanged: ``backends.mps.is_available()``
is False, and ``backends.cudnn.deterministic = True`` / ``.benchmark = False`` are accepted
(this library has no cuDNN; its CPU computations are deterministic anyway), as are the
TF32 switches training scripts set (``backends.cuda.matmul.allow_tf32 = True``).
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


class _CuBLAS:
    """cuBLAS's precision switches (torch's defaults), kept so that scripts can set them;
    nothing reads them. A misspelt switch is an AttributeError, as in torch."""

    __slots__ = (
        "allow_tf32",
        "allow_fp16_reduced_precision_reduction",
        "allow_bf16_reduced_precision_reduction",
    )

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


class _CUDA:
    """CUDA's backend switches: ``matmul`` holds cuBLAS's; the library has no CUDA."""

    def __init__(self) -> None:
        self.matmul = _CuBLAS()

    @staticmethod
    def is_built() -> bool:
        """False: the library has no CUDA support."""
        return False


mps = _MPS()
cuda = _CUDA()
cudnn = _CuDNN()
