"""``torch.linalg``'s general (non-symmetric) eigendecomposition, ``eig`` and ``eigvals``:
complex results (complex64 for float32 input, complex128 for float64), as LAPACK's geev gives
them (each eigenvector of unit norm, its largest component real). Complex tensors cannot
require grad in this library, so these results carry no gradient (PyTorch's do)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import return_types
from .errors import ShapeError
from .grad_mode import is_grad_enabled
from .linalg_inputs import as_tensor
from .ops.linalg import LinAlgError
from .tensor import Tensor


def _geev(A: Any, op: str, vectors: bool) -> tuple:  # noqa: N803 (torch's argument names)
    a = as_tensor(A)
    if a.dtype.kind not in "fc":
        raise TypeError(f"linalg.{op}: expected a floating point or complex tensor, got {a.dtype}")
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"linalg.{op}: A must be batches of square matrices, got shape {tuple(a.shape)}"
        )
    if a.requires_grad and is_grad_enabled():
        warnings.warn(
            f"linalg.{op}: its complex results carry no gradient in this library (complex "
            "tensors cannot require grad); the input's gradient will not include this path",
            UserWarning,
            stacklevel=3,
        )
    cdtype = np.complex64 if a.dtype in (np.float32, np.complex64) else np.complex128
    try:
        if vectors:
            w, v = np.linalg.eig(a._data)
            return w.astype(cdtype), v.astype(cdtype)
        return np.linalg.eigvals(a._data).astype(cdtype), None
    except np.linalg.LinAlgError:
        raise LinAlgError(
            f"linalg.{op}: the eigendecomposition of the input of shape {tuple(a.shape)} did "
            "not converge"
        ) from None


def eig(A: Any) -> Any:  # noqa: N803
    """``(eigenvalues, eigenvectors)`` of square matrices (batched), complex: A V = V diag(w)
    with the eigenvectors as columns of V, in LAPACK's order."""
    w, v = _geev(A, "eig", True)
    return return_types.linalg_eig(Tensor(w), Tensor(v))


def eigvals(A: Any) -> Tensor:  # noqa: N803
    """The eigenvalues of square matrices (batched), complex, in LAPACK's order."""
    return Tensor(_geev(A, "eigvals", False)[0])
