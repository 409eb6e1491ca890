"""``Tensor``: a numpy array that records the ops made from it, for reverse-mode gradients."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from .dtypes import get_default_dtype
from .dual import sum_to
from .node import Node
from .ops import elementwise, indexing, matmul, reductions
from .ops import shape as shape_ops


def as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """``data`` as a new ndarray, following PyTorch's dtype rules.

    ndarrays and numpy scalars keep their dtype; Python floats (and lists holding any) get the
    default float dtype; Python ints stay int64 and bools bool.
    """
    if isinstance(data, Node):
        data = data.data
    if dtype is not None:
        return np.array(data, dtype=dtype)
    if isinstance(data, (np.ndarray, np.generic)):
        return np.array(data)
    arr = np.array(data)
    if arr.dtype.kind == "f":
        return arr.astype(get_default_dtype(), copy=False)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind not in "bc":
        raise TypeError(
            f"Tensor(data): cannot make a numeric tensor from {type(data).__name__}"
            f" (numpy dtype {arr.dtype})"
        )
    return arr


# References to a gradient handed to ``_store_grad`` by the engine: the engine's local name,
# the parameter, and getrefcount's own argument.
_ENGINE_REFS = 3


def _check_can_require_grad(dtype: np.dtype) -> None:
    if dtype.kind != "f":
        raise TypeError(
            f"only floating-point Tensors can require grad; this one has dtype {dtype} "
            "(make it a float, e.g. Tensor(data, dtype=np.float32), first)"
        )


def _axis_args(axis: Any, dim: Any, keepdims: bool | None, keepdim: bool | None) -> tuple:
    if dim is not None:
        if axis is not None:
            raise TypeError("pass either axis= or dim=, not both")
        axis = dim
    if keepdim is not None:
        keepdims = keepdim
    return axis, bool(keepdims)


def shape_from_args(shape: tuple) -> tuple:
    """A shape passed as separate sizes, ``f(2, 3)``, or as one sequence, ``f((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _raw_index(index: Any) -> Any:
    if isinstance(index, Node):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Node) else i for i in index)
    return index


class Tensor(Node):
    """An n-dimensional array node. ``.data`` is the ndarray, ``.grad`` its gradient or None.

    Only leaf Tensors that require grad (parameters, inputs you ask about) receive ``.grad``
    from ``backward()``; call ``retain_grad()`` on an intermediate one to keep its gradient too.
    """

    __slots__ = ("data", "grad", "requires_grad", "_keeps_grad", "__dict__")
    _broadcasts = True
    __array_ufunc__ = None  # numpy defers to our reflected operators: ndarray + Tensor -> Tensor
    __hash__ = Node.__hash__

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        self.data = as_array(data, dtype)
        if requires_grad:
            _check_can_require_grad(self.data.dtype)
        self.requires_grad = bool(requires_grad)
        self.grad: np.ndarray | None = None
        self._keeps_grad = False
        self._ctx = None

    @classmethod
    def _from_op(cls, data: Any, ctx: Any) -> Tensor:
        t = Tensor.__new__(Tensor)
        t.data = data if type(data) is np.ndarray else np.asarray(data)
        t.grad = None
        t.requires_grad = ctx is not None
        t._keeps_grad = False
        t._ctx = ctx
        return t

    # --- what the engine needs ---
    def _conform_grad(self, g: Any) -> Any:
        target = self.data.shape
        if isinstance(g, Node):
            return g if g.shape == target else sum_to(g, target)  # type: ignore[attr-defined]
        if type(g) is not np.ndarray:
            g = np.asarray(g, dtype=self.data.dtype)
        if g.shape != target:
            g = sum_to(g, target)
        if g.dtype != self.data.dtype:
            g = g.astype(self.data.dtype)
        return g

    def _store_grad(self, g: Any, interior: bool) -> None:
        if self.grad is None:
            # Keep ``g`` itself when nothing else can see it (it owns its memory and only the
            # engine's and this frame's names refer to it); otherwise store a private copy,
            # so that in-place changes to ``.grad`` can never reach another array.
            dtype = self.data.dtype
            owned = (
                type(g) is np.ndarray
                and g.base is None
                and g.dtype == dtype
                and g.flags.writeable
                and sys.getrefcount(g) <= _ENGINE_REFS
            )
            self.grad = g if owned else np.array(g, dtype=dtype)
        else:
            self.grad = (self.grad + g).astype(self.data.dtype, copy=False)

    def _default_seed(self) -> np.ndarray:
        if self.data.size != 1:
            raise RuntimeError(
                f"backward() without a grad argument works only for single-element outputs; "
                f"this Tensor has shape {self.data.shape}. Reduce it (e.g. .sum()) or pass "
                f"grad= of shape {self.data.shape}"
            )
        return np.ones_like(self.data)

    def _seed(self, grad: Any) -> Any:
        if grad is None:
            return self._default_seed()
        g = grad.data if isinstance(grad, Node) else grad
        g = np.asarray(g, dtype=self.data.dtype)
        if g.shape != self.data.shape:
            if g.size == 1 and self.data.size == 1:
                return g.reshape(self.data.shape)
            raise ValueError(
                f"backward(grad): grad has shape {g.shape} but the output has shape "
                f"{self.data.shape}"
            )
        return g

    def retain_grad(self) -> None:
        """Keep this (intermediate) Tensor's gradient in ``.grad`` after backward."""
        self._keeps_grad = True

    # --- attributes ---
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def T(self) -> Tensor:
        """The axes reversed (numpy's ``.T``)."""
        return self.transpose()

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return len(self.data)

    def numpy(self) -> np.ndarray:
        """The data (the same array, not a copy; PyTorch's ``.numpy()`` shares memory too)."""
        return self.data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """numpy's conversion: ``np.array(t)`` copies, ``np.asarray(t)`` shares the data."""
        if copy is False and dtype is not None and np.dtype(dtype) != self.data.dtype:
            raise ValueError(f"cannot convert a {self.data.dtype} Tensor to {dtype} without a copy")
        arr = self.data if dtype is None else self.data.astype(dtype, copy=False)
        return arr.copy() if copy and arr is self.data else arr

    def item(self) -> Any:
        """The single element as a Python number."""
        if self.data.size != 1:
            raise ValueError(
                f"item(): the Tensor has {self.data.size} elements, not 1 (shape {self.data.shape})"
            )
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    def detach(self) -> Tensor:
        """A new leaf sharing this data, cut off from the graph."""
        t = Tensor.__new__(Tensor)
        t.data, t.grad, t.requires_grad, t._keeps_grad, t._ctx = (
            self.data,
            None,
            False,
            False,
            None,
        )
        return t

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (on leaves) and return self."""
        if requires_grad:
            _check_can_require_grad(self.data.dtype)
        if self._ctx is not None and not requires_grad:
            raise RuntimeError("requires_grad_(False) on a non-leaf Tensor: use detach()")
        self.requires_grad = bool(requires_grad)
        return self

    def zero_grad(self) -> None:
        """Forget the gradient (``.grad = None``)."""
        self.grad = None

    def astype(self, dtype: Any) -> Tensor:
        """A copy with another dtype (a new leaf: casting does not carry gradients)."""
        return Tensor(self.data.astype(dtype), requires_grad=False)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        if (
            self.data.dtype != get_default_dtype()
            and self.data.dtype.kind == "f"
            or self.data.dtype.kind not in "fi"
        ):
            extra = f", dtype={self.data.dtype}" + extra
        return f"Tensor({body}{extra})"

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a Tensor with {self.data.size} elements is ambiguous"
            )
        return bool(self.data)

    # --- products and comparisons ---
    def __matmul__(self, other: Any) -> Tensor:
        return matmul.MatMul.apply(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return matmul.MatMul.apply(other, self)

    def _compare(self, other: Any, op: Any) -> Tensor:
        return Tensor(op(self.data, other.data if isinstance(other, Node) else other))

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.not_equal)

    # --- reductions ---
    def sum(
        self,
        axis: Any = None,
        keepdims: bool = False,
        *,
        dim: Any = None,
        keepdim: bool | None = None,
    ) -> Tensor:
        """Sum over ``axis`` (all axes when None)."""
        return self._reduce(reductions.Sum, "sum", axis, keepdims, dim, keepdim)

    def _reduce(self, op: Any, name: str, axis: Any, keepdims: Any, dim: Any, keepdim: Any) -> Any:
        axis, keepdims = _axis_args(axis, dim, keepdims, keepdim)
        return op.apply(self, reductions.normalize_axes(axis, self.ndim, name), keepdims)

    def mean(
        self,
        axis: Any = None,
        keepdims: bool = False,
        *,
        dim: Any = None,
        keepdim: bool | None = None,
    ) -> Tensor:
        """Mean over ``axis`` (all axes when None)."""
        axis, keepdims = _axis_args(axis, dim, keepdims, keepdim)
        axes = reductions.normalize_axes(axis, self.ndim, "mean")
        n = self.size if axes is None else int(np.prod([self.shape[a] for a in axes]))
        # the mean of nothing is nan (0 / 0), as in PyTorch; its gradient is empty
        return reductions.Sum.apply(self, axes, keepdims) * (1.0 / n if n else float("nan"))

    def var(
        self,
        axis: Any = None,
        keepdims: bool = False,
        ddof: int | None = None,
        *,
        correction: int | None = None,
        dim: Any = None,
        keepdim: bool | None = None,
    ) -> Tensor:
        """Variance over ``axis``, dividing by n - ddof (numpy's default ddof=0)."""
        axis, keepdims = _axis_args(axis, dim, keepdims, keepdim)
        if correction is not None:
            if ddof is not None:
                raise TypeError("var/std: pass either ddof= or correction=, not both")
            ddof = correction
        ddof = 0 if ddof is None else ddof
        axes = reductions.normalize_axes(axis, self.ndim, "var")
        n = self.size if axes is None else int(np.prod([self.shape[a] for a in axes]))
        centred = self - self.mean(axis=axes, keepdims=True)
        # n <= ddof divides by zero, as numpy does: inf (nan where the sum is 0).
        scale = 1.0 / (n - ddof) if n > ddof else np.inf
        return (centred * centred).sum(axis=axes, keepdims=keepdims) * scale

    def std(
        self,
        axis: Any = None,
        keepdims: bool = False,
        ddof: int | None = None,
        *,
        correction: int | None = None,
        dim: Any = None,
        keepdim: bool | None = None,
    ) -> Tensor:
        """Standard deviation: sqrt of ``var`` with the same arguments.

        Where the variance is 0 the gradient is 0 (PyTorch's), not 0 / 0 = nan.
        """
        reductions.normalize_axes(_axis_args(axis, dim, None, None)[0], self.ndim, "std")
        v = self.var(axis, keepdims, ddof, correction=correction, dim=dim, keepdim=keepdim)
        flat = v.data == 0
        if not flat.any():
            return v.sqrt()
        # the square root only sees positive numbers, so no inf * 0 reaches the gradient
        return elementwise.Where.apply(flat, 0.0, elementwise.Where.apply(flat, 1.0, v).sqrt())

    def max(
        self,
        axis: Any = None,
        keepdims: bool = False,
        *,
        dim: Any = None,
        keepdim: bool | None = None,
    ) -> Tensor:
        """Largest entries over ``axis``; tied maxima share the gradient equally."""
        return self._reduce(reductions.Max, "max", axis, keepdims, dim, keepdim)

    def min(
        self,
        axis: Any = None,
        keepdims: bool = False,
        *,
        dim: Any = None,
        keepdim: bool | None = None,
    ) -> Tensor:
        """Smallest entries over ``axis``; tied minima share the gradient equally."""
        return self._reduce(reductions.Min, "min", axis, keepdims, dim, keepdim)

    # --- shape ---
    def reshape(self, *shape: Any) -> Tensor:
        """Same data in a new shape (numpy's rules, one -1 allowed)."""
        return shape_ops.Reshape.apply(self, shape_from_args(shape))

    view = reshape

    def transpose(self, *axes: Any) -> Tensor:
        """Permute the axes (numpy's semantics: no axes reverses them)."""
        axes = shape_from_args(axes)
        if not axes:
            return shape_ops.Transpose.apply(self, tuple(range(self.ndim))[::-1])
        if len(axes) != self.ndim:
            raise ValueError(
                f"transpose: axes {axes} are not a permutation of the {self.ndim} axes of a "
                f"tensor of shape {self.shape}"
            )
        perm = reductions.normalize_axes(axes, self.ndim, "transpose")
        return shape_ops.Transpose.apply(self, perm)

    def permute(self, *axes: Any) -> Tensor:
        """Permute the axes (PyTorch's name for numpy's transpose with axes)."""
        return self.transpose(*axes)

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        """Exchange two axes (PyTorch's two-argument ``transpose``)."""
        a = reductions.normalize_axis(axis1, self.ndim, "swapaxes")
        b = reductions.normalize_axis(axis2, self.ndim, "swapaxes")
        perm = list(range(self.ndim))
        perm[a], perm[b] = perm[b], perm[a]
        return self.transpose(*perm)

    def squeeze(self, axis: Any = None, *, dim: Any = None) -> Tensor:
        """Drop axes of length 1 (all of them, or those given)."""
        axis, _ = _axis_args(axis, dim, None, None)
        axes = reductions.normalize_axes(axis, self.ndim, "squeeze")
        if axes is None:
            new = tuple(s for s in self.shape if s != 1)
        else:
            for a in axes:
                if self.shape[a] != 1:
                    raise ValueError(
                        f"squeeze: axis {a} has length {self.shape[a]}, not 1 (shape {self.shape})"
                    )
            new = tuple(s for i, s in enumerate(self.shape) if i not in axes)
        return self.reshape(new)

    def unsqueeze(self, axis: int | None = None, *, dim: int | None = None) -> Tensor:
        """Insert an axis of length 1 at ``axis`` (``dim`` in PyTorch)."""
        axis, _ = _axis_args(axis, dim, None, None)
        if axis is None:
            raise TypeError("unsqueeze: missing the axis (or dim) argument")
        if not -self.ndim - 1 <= axis <= self.ndim:
            raise ValueError(f"unsqueeze: axis {axis} out of range for {self.ndim} dims")
        axis = axis % (self.ndim + 1)
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge axes start_dim..end_dim into one (all of them by default)."""
        ndim = max(self.ndim, 1)  # a 0-d tensor flattens as if it were 1-d (PyTorch's)
        s = reductions.normalize_axis(start_dim, ndim, "flatten")
        e = reductions.normalize_axis(end_dim, ndim, "flatten")
        if s > e:
            raise ValueError(
                f"flatten: start_dim {start_dim} comes after end_dim {end_dim} "
                f"(tensor of shape {self.shape})"
            )
        if self.ndim == 0:
            return self.reshape(1)
        return self.reshape(self.shape[:s] + (-1,) + self.shape[e + 1 :])

    def broadcast_to(self, *shape: Any) -> Tensor:
        """Repeat along axes of length 1 (and new leading axes) to reach ``shape``."""
        return shape_ops.BroadcastTo.apply(self, shape_from_args(shape))

    def expand(self, *sizes: Any) -> Tensor:
        """PyTorch's expand: like broadcast_to, with -1 keeping a size."""
        sizes = shape_from_args(sizes)
        lead = len(sizes) - self.ndim
        if -1 in sizes[: max(lead, 0)]:
            raise ValueError(
                f"expand: -1 (keep the size) is not allowed for the new leading axes of {sizes} "
                f"(tensor of shape {self.shape})"
            )
        full = tuple(self.shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
        return self.broadcast_to(full)

    def __getitem__(self, index: Any) -> Tensor:
        return indexing.GetItem.apply(self, _raw_index(index))

    def __iter__(self) -> Any:
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d Tensor")
        return (self[i] for i in range(len(self.data)))


Tensor._result_type = Tensor
