"""``autograd.version``: what ``torch.version`` answers on a CPU-only build.

Scripts print ``torch.version.cuda`` or test it for None to choose a device; this library
computes on the CPU only, so every accelerator version is None, as in PyTorch's CPU wheels.
``__version__`` is the package's own (``autograd.__version__``).
"""

from __future__ import annotations

__version__ = "0.1.0"  # the package version in pyproject.toml (a test keeps them equal)
cuda: str | None = None
hip: str | None = None
rocm: str | None = None
xpu: str | None = None
debug = False

__all__ = ["__version__", "cuda", "debug", "hip", "rocm", "xpu"]
