"""Tools for proving gradients: ``gradcheck``, ``gradgradcheck`` and hypothesis ``strategies``.

``strategies`` is imported on first use (``autograd.testing.strategies``), so the checks
work without hypothesis installed.
"""

from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]
