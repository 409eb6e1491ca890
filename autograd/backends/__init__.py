"""``autograd.backends``: what ``torch.backends`` answers on a CPU-only machine.

Device-selection and seeding code from PyTorch runs unchanged: ``backends.mps.is_available()``
is False, and ``backends.cudnn.deterministic = True`` / ``.benchmark = False`` are accepted
(this library has no cuDNN; its CPU computations are deterministic anyway), as are the
TF32 switches training scripts set (``backends.cuda.matmul.allow_tf32 = True``).
"""

from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
