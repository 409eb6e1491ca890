"""``torch.linalg.householder_product``: the first n columns of the product of Householder
reflectors H_1 ... H_k, H_i = I - tau_i v_i v_i^T (LAPACK's orgqr, e.g. Q from geqrf's
output). Composed of matrix products, so differentiable in A and tau to any order."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ShapeError
from .linalg_inputs import as_tensor, matrices, same_dtype
from .ops.elementwise import Where
from .tensor import Tensor


def householder_product(A: Any, tau: Any) -> Tensor:  # noqa: N803 (torch's argument names)
    """Q (m x n) = the first n columns of H_1 ... H_k for A (*, m, n) holding the vectors v_i
    below its diagonal (v_i's entry i is 1, those above it 0) and tau (*, k), k <= n <= m."""
    a = matrices(A, "householder_product", square=False)
    t = as_tensor(tau)
    m, n = a.shape[-2:]
    if m < n:
        raise ShapeError(
            "linalg.householder_product: input.shape[-2] must be greater than or equal to "
            f"input.shape[-1], got shape {tuple(a.shape)}"
        )
    if t.ndim < 1 or t.shape[-1] > n:
        raise ShapeError(
            "linalg.householder_product: input.shape[-1] must be greater than or equal to "
            f"tau.shape[-1], got shapes {tuple(a.shape)} and {tuple(t.shape)}"
        )
    if tuple(t.shape[:-1]) != tuple(a.shape[:-2]):
        raise ShapeError(
            "linalg.householder_product: expected batch dims of tau to match those of input, "
            f"got shapes {tuple(a.shape)} and {tuple(t.shape)}"
        )
    same_dtype("householder_product", a, t, ("input", "tau"))
    vs = a.tril(-1) + np.eye(m, n, dtype=a.dtype)
    q: Any = Tensor(np.broadcast_to(np.eye(m, dtype=a.dtype), tuple(a.shape[:-2]) + (m, m)))
    if t.shape[-1] == 0:  # no reflectors: I's first columns, still in A's graph (as torch)
        return Where.apply(np.ones(tuple(a.shape), dtype=bool), q[..., :, :n]._data, a)
    for i in range(t.shape[-1]):
        v = vs[..., :, i : i + 1]
        q = q - (q @ v) * t[..., i, None, None] @ v.mT
    return q[..., :, :n]
