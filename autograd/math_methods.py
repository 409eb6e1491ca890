"""Tensor methods for torch's special functions and a few products: ``x.lgamma()``,
``x.polygamma(n)``, ``x.xlogy(y)``, ``x.logaddexp(y)``, ``x.aminmax()``, ``x.vdot(y)``,
``x.addbmm(b1, b2)`` and friends (the ops are in ops/special_functions.py)."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from . import return_types
from .function import binary_op, unary_op
from .linalg_methods import _scaled_sum
from .ops import special_functions as sf

if TYPE_CHECKING:
    from .tensor import Tensor


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"polygamma: n must be an int, got {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return int(n)


class MathMethods:
    """Mixed into Tensor."""

    lgamma = unary_op(sf.Lgamma)
    digamma = unary_op(sf.Digamma)
    erfinv = unary_op(sf.Erfinv)
    i0 = unary_op(sf.I0)
    sinc = unary_op(sf.Sinc)
    xlogy = binary_op(sf.Xlogy)
    logaddexp = binary_op(sf.LogAddExp)
    logaddexp2 = binary_op(sf.LogAddExp2)
    hypot = binary_op(sf.Hypot)
    copysign = binary_op(sf.Copysign)

    def polygamma(self, n: int) -> Tensor:
        """The n-th derivative of digamma (n >= 0), elementwise."""
        return sf.Polygamma.apply(self, _check_n(n))

    def logit(self, eps: float | None = None) -> Tensor:
        """log(x / (1 - x)), x clamped to [eps, 1 - eps] first when eps is given."""
        return sf.Logit.apply(self, None if eps is None else float(eps))

    def signbit(self) -> Tensor:
        """True where the sign bit is set (negative numbers, -0.0 and nans with it)."""
        from .tensor import Tensor

        return Tensor(np.signbit(self._data))  # type: ignore[attr-defined]

    def aminmax(self, *, dim: int | None = None, keepdim: bool = False) -> Any:
        """(min, max) over ``dim`` (all entries by default) as ``return_types.aminmax``; ties
        share the gradient, as amin/amax."""
        t: Any = self
        if t.numel() == 0 and (dim is None or t.shape[dim] == 0):
            raise RuntimeError(
                "aminmax(): cannot compute aminmax over an empty dimension as the operation "
                "has no identity."
            )
        if dim is None and keepdim:
            lo = t.amin(tuple(range(t.ndim)), keepdim=True)
            hi = t.amax(tuple(range(t.ndim)), keepdim=True)
        else:
            lo, hi = t.amin(dim, keepdim=keepdim), t.amax(dim, keepdim=keepdim)
        return return_types.aminmax(lo, hi)

    def vdot(self, other: Any) -> Tensor:
        """The dot product of two 1-d tensors of one dtype (the first conjugated if complex)."""
        from .tensor import Tensor

        t: Any = self
        o = other if isinstance(other, Tensor) else Tensor(other)
        if t.ndim != 1 or o.ndim != 1:
            raise RuntimeError(
                f"vdot: 1D tensors expected, but got {t.ndim}D and {o.ndim}D tensors"
            )
        if t.dtype != o.dtype:
            raise RuntimeError(
                f"vdot: expected both vectors to have same dtype, but found {t.dtype} and {o.dtype}"
            )
        if t.shape[0] != o.shape[0]:
            raise RuntimeError(
                f"vdot: inconsistent tensor size, expected tensor [{t.shape[0]}] and src "
                f"[{o.shape[0]}] to have the same number of elements"
            )
        if t.dtype.kind == "c":
            return Tensor(np.vdot(t._data, o._data))
        return t.dot(o)

    def addbmm(self, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * sum_b batch1[b] @ batch2[b]; with beta == 0 self is ignored
        (its nan and inf do not propagate), as torch."""
        from .functions import einsum

        b1: Any = batch1
        b2: Any = batch2
        if np.ndim(b1) != 3 or np.ndim(b2) != 3:
            raise RuntimeError(
                f"addbmm: batch1 and batch2 must be 3-D tensors, got {np.ndim(b1)}-D and "
                f"{np.ndim(b2)}-D"
            )
        if b1.shape[0] != b2.shape[0] or b1.shape[2] != b2.shape[1]:
            raise RuntimeError(
                f"addbmm: batch shapes {tuple(b1.shape)} and {tuple(b2.shape)} do not multiply"
            )
        product = einsum("bij,bjk->ik", b1, b2)
        return _scaled_sum("addbmm", self, product, beta, alpha)
