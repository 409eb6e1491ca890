"""torch.Tensor's matrix and statistics methods beyond the core products: ``addmv``, ``addr``,
the legacy ``svd``/``qr``/``pinverse`` (the ``autograd.linalg`` ops with torch's old
conventions), ``matrix_exp``, ``dist``, ``renorm``, ``cov``, ``corrcoef`` and ``nanmedian``.

All compose recorded ops, so they are differentiable to any order.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from . import return_types
from .dtypes import get_default_dtype
from .node import Node
from .ops import scatter
from .ops.reductions import normalize_axis

if TYPE_CHECKING:
    from .tensor import Tensor


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Node) else x


def _tensor(x: Any) -> Any:
    from .tensor import Tensor

    return x if isinstance(x, Tensor) else Tensor(x)


def _scaled_sum(op: str, t: Any, product: Any, beta: Any, alpha: Any) -> Tensor:
    """beta * t + alpha * product (t broadcast to the product's shape; ignored when beta is 0,
    so its nan and inf do not propagate, as torch)."""
    shape = tuple(product.shape)
    if np.broadcast_shapes(tuple(t.shape), shape) != shape:
        raise RuntimeError(f"{op}: input of shape {tuple(t.shape)} does not broadcast to {shape}")
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:
        return scaled
    return (t if beta == 1 else t * beta) + scaled


def _nan_lower_median_positions(x: np.ndarray, axis: int) -> np.ndarray:
    """Along ``axis``: where the lower median of the non-nan entries sits (0 if all are nan)."""
    order = np.argsort(x, axis=axis, kind="stable")  # nan sorts last
    count = (~np.isnan(x)).sum(axis=axis, keepdims=True)
    rank = np.maximum(count - 1, 0) // 2
    return np.take_along_axis(order, rank, axis=axis).astype(np.int64)


class LinalgMethods:
    """Mixed into Tensor."""

    __slots__ = ()

    if TYPE_CHECKING:
        data: np.ndarray
        _data: np.ndarray

        @property
        def shape(self) -> tuple: ...
        @property
        def ndim(self) -> int: ...
        @property
        def dtype(self) -> np.dtype: ...
        def __matmul__(self, other: Any) -> Tensor: ...
        def __sub__(self, other: Any) -> Tensor: ...
        def outer(self, other: Any) -> Tensor: ...
        def median(self, dim: Any = None, keepdim: bool = False) -> Any: ...
        def masked_select(self, mask: Any) -> Tensor: ...

    def addmv(self, mat: Any, vec: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * (mat @ vec), for a matrix and a vector."""
        m, v = _tensor(mat), _tensor(vec)
        if m.ndim != 2 or v.ndim != 1:
            raise RuntimeError(
                f"addmv: expected a 2-D matrix and a 1-D vector, got {m.ndim}-D and {v.ndim}-D"
            )
        if m.shape[1] != v.shape[0]:
            raise RuntimeError(
                f"addmv: size mismatch, matrix of shape {tuple(m.shape)} and vector of "
                f"{v.shape[0]} entries"
            )
        return _scaled_sum("addmv", self, m @ v, beta, alpha)

    def addr(self, vec1: Any, vec2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * outer(vec1, vec2)."""
        a, b = _tensor(vec1), _tensor(vec2)
        if a.ndim != 1 or b.ndim != 1:
            raise RuntimeError(f"addr: expected 1-D vectors, got {a.ndim}-D and {b.ndim}-D tensors")
        return _scaled_sum("addr", self, a.outer(b), beta, alpha)

    def svd(self, some: bool = True, compute_uv: bool = True) -> Any:
        """The legacy ``torch.svd``: (U, S, V) with self = U diag(S) V^T (note V, not Vh);
        ``some=False`` gives square U and V; without ``compute_uv``, U and V are zeros."""
        from . import linalg

        if not compute_uv:
            s = linalg.svdvals(self)
            *batch, m, n = self.shape
            u = _tensor(np.zeros((*batch, m, m), s.dtype))
            return return_types.svd(u, s, _tensor(np.zeros((*batch, n, n), s.dtype)))
        u, s, vh = linalg.svd(self, full_matrices=not some)
        return return_types.svd(u, s, vh.mT)

    def qr(self, some: bool = True) -> Any:
        """The legacy ``torch.qr``: (Q, R), reduced unless ``some=False`` (square Q)."""
        from . import linalg

        q, r = linalg.qr(self, "reduced" if some else "complete")
        return return_types.qr(q, r)

    def lu(self, pivot: bool = True, get_infos: bool = False) -> tuple:
        """The deprecated ``torch.lu``: ``(LU, pivots)`` (and ``infos``) as
        ``linalg.lu_factor_ex`` gives them (warns, as torch does)."""
        from .linalg_lu import legacy_lu

        return legacy_lu(self, pivot=pivot, get_infos=get_infos)

    def lu_solve(self, LU_data: Any, LU_pivots: Any) -> Tensor:  # noqa: N803
        """The deprecated ``torch.lu_solve``: X with A X = self for A's ``lu_factor``
        (warns, as torch does)."""
        from .linalg_lu import legacy_lu_solve

        return legacy_lu_solve(self, LU_data, LU_pivots)

    def pinverse(self, rcond: float = 1e-15) -> Tensor:
        """The pseudo-inverse, singular values below ``rcond`` times the largest dropped."""
        from . import linalg

        return linalg.pinv(self, rtol=rcond)

    def matrix_exp(self) -> Tensor:
        """The exponential of square matrices (batched): scaling and squaring of a Taylor
        polynomial (to float64's precision), differentiable as the matrix products it is."""
        if self.ndim < 2 or self.shape[-1] != self.shape[-2]:
            raise RuntimeError(
                f"matrix_exp: expected a square matrix or a batch of them, got shape "
                f"{tuple(self.shape)}"
            )
        if self.dtype.kind not in "fc":
            raise RuntimeError(f"matrix_exp: expected a floating tensor, got {self.dtype}")
        a: Any = self
        norms = np.abs(self._data).sum(axis=-2).max(axis=-1, initial=0.0)
        bad = ~np.isfinite(norms)  # a matrix holding inf or nan: all nan, as torch
        if bad.any():
            a = a.masked_fill(_tensor(bad[..., None, None]), 0.0)
        norm = float(np.max(np.where(bad, 0.0, norms), initial=0.0))
        squarings = max(0, math.ceil(math.log2(norm)) + 1) if norm > 0.5 else 0
        scaled = a * (0.5**squarings) if squarings else a
        n = self.shape[-1]
        eye = _tensor(np.broadcast_to(np.eye(n, dtype=self.dtype), tuple(self.shape)).copy())
        result = eye
        for k in range(18, 0, -1):  # Horner: I + A/1 (I + A/2 (I + ... A/18))
            result = eye + (scaled @ result) * (1.0 / k)
        for _ in range(squarings):
            result = result @ result
        if bad.any():
            result = result.masked_fill(_tensor(bad[..., None, None]), float("nan"))
        return result

    def dist(self, other: Any, p: float = 2) -> Tensor:
        """The p-norm of self - other (broadcast), over all entries."""
        from . import linalg

        return linalg.vector_norm(self - other, p)

    def renorm(self, p: float, dim: int, maxnorm: float) -> Tensor:
        """Each slice along ``dim`` whose p-norm exceeds ``maxnorm`` scaled down to that norm
        (times maxnorm / (norm + 1e-7), as torch)."""
        from . import linalg
        from .ops.elementwise import Where

        if float(p) <= 0:
            raise RuntimeError(f"renorm: non-positive-norm not supported, got p={p}")
        if float(maxnorm) < 0:
            raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
        if self.ndim <= 1:
            raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {self.ndim}")
        a = normalize_axis(dim, self.ndim, "renorm")
        others = tuple(i for i in range(self.ndim) if i != a)
        x: Any = self
        norms = linalg.vector_norm(x.detach(), p, dim=others, keepdim=True)
        over = norms._data > maxnorm
        # the norms again, on the slices that are scaled only: a slice left alone (a nan norm
        # included) sends no gradient through its norm, as torch
        kept = Where.apply(over, self, 0.0)
        norms = linalg.vector_norm(kept, p, dim=others, keepdim=True)
        factor = Where.apply(over, maxnorm / (norms + 1e-7), 1.0)
        return self * factor

    def cov(self, *, correction: int = 1, fweights: Any = None, aweights: Any = None) -> Tensor:
        """The covariance matrix of the variables in the rows (observations in the columns;
        a 1-d tensor is one variable), optionally weighted by integer frequency weights and
        observation weights, divided by the weights' sum minus ``correction``."""
        x: Any = self
        if x.ndim > 2:
            raise RuntimeError(
                f"cov(): expected input to have two or fewer dimensions but got {x.ndim}"
            )
        if x.ndim < 2:
            x = x.reshape(1, -1)
        if x.dtype.kind not in "fc":
            x = x.to(get_default_dtype())
        n = x.shape[1]
        w = _observation_weights(fweights, aweights, n, x.dtype)
        if w is None:
            total = float(n)
            avg = x.mean(dim=1, keepdim=True)
            factor = total - correction
        else:
            total = w.sum()
            avg = (x * w).sum(dim=1, keepdim=True) / total
            if aweights is None or correction == 0:
                factor = total - correction
            else:
                aw = _tensor(aweights).to(x.dtype)
                factor = total - correction * (w * aw).sum() / total
        f = float(_raw(factor))
        if f <= 0:
            warnings.warn("cov(): degrees of freedom is <= 0", RuntimeWarning, stacklevel=2)
            factor = 0.0 * factor if isinstance(factor, Node) else 0.0
        centred = x - avg
        weighted = centred if w is None else centred * w
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (weighted @ centred.mT) / factor
        # one variable (a 1-d input or a single row): a 0-d result, as torch
        return out.reshape(()) if self.ndim < 2 or self.shape[0] == 1 else out

    def corrcoef(self) -> Tensor:
        """The Pearson correlation coefficients of the variables in the rows (clamped to
        [-1, 1])."""
        c: Any = self.cov()
        if c.ndim == 0:
            return c / c
        d = c.diagonal()
        std = d.sqrt()
        return (c / std[:, None] / std[None, :]).clamp(-1, 1)

    def nanmedian(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The median of the entries that are not nan (the lower middle one; nan if all are):
        of everything, or (values, indices) along ``dim``."""
        x: Any = self
        if dim is None:
            kept = x.masked_select(~np.isnan(self._data))
            if kept._data.size == 0:  # nan (or empty): the nan entries share the gradient
                return x.median()
            return kept.median()
        if x.ndim == 0:
            normalize_axis(dim, 1, "nanmedian")
            return return_types.nanmedian(x * 1, _tensor(np.asarray(0)))
        a = normalize_axis(dim, x.ndim, "nanmedian")
        if x.shape[a] == 0:
            raise IndexError(f"nanmedian: dim {a} of shape {tuple(x.shape)} is empty")
        idx = _nan_lower_median_positions(self._data, a)
        v, i = scatter.Gather.apply(x, a, idx), _tensor(idx)
        if not keepdim:
            v, i = v.squeeze(a), i.squeeze(a)
        return return_types.nanmedian(v, i)


def _observation_weights(fweights: Any, aweights: Any, n: int, dtype: np.dtype) -> Any:
    """The product of the frequency and observation weights (None when neither is given)."""
    w: Any = None
    for name, given, kinds, kind_name in (
        ("fweights", fweights, "iu", "integral dtype"),
        ("aweights", aweights, "f", "floating point dtype"),
    ):
        if given is None:
            continue
        wt = _tensor(given)
        if wt.dtype.kind not in kinds:
            raise RuntimeError(f"cov(): expected {name} to have {kind_name}, got {wt.dtype}")
        if wt.ndim > 1 or wt._data.size != n:
            raise RuntimeError(
                f"cov(): expected {name} to have one entry per observation ({n}), got shape "
                f"{tuple(wt.shape)}"
            )
        if np.any(wt._data < 0):
            raise RuntimeError(f"cov(): {name} cannot be negative")
        wt = wt.to(dtype)
        w = wt if w is None else w * wt
    return w
