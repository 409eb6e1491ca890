"""Tools for proving gradients: ``gradcheck``, ``gradgradcheck`` and hypothesis ``strategies``;
and torch.testing's ``assert_close``.

``strategies`` is imported on first use (``autograd.testing.strategies``), so the checks
work without hypothesis installed.
"""

from .comparison import assert_close
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["GradcheckError", "assert_close", "gradcheck", "gradgradcheck"]


def __getattr__(name: str) -> object:
    if name == "strategies":
        import importlib

        return importlib.import_module(".strategies", __name__)
    raise AttributeError(f"module 'autograd.testing' has no attribute {name!r}")
