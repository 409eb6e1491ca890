"""torch.Tensor's methods beyond the core ones in ``tensor.py``: elementwise maths, reductions,
sorting, comparisons and shape ops, with PyTorch's names, arguments and result dtypes.

``Tensor`` inherits them from ``TensorMethods``. Each method composes recorded ops (derivatives
live next to their forwards in ``autograd/ops``), so gradients of any order come for free.
numpy's ``axis=``/``keepdims=`` are accepted for ``dim``/``keepdim``.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from . import return_types
from .dtypes import get_default_dtype
from .errors import DtypeError, DtypeNotImplemented, ShapeError
from .function import binary_op, reflected_op, unary_op
from .grad_fn import present_as
from .linalg_methods import _scaled_sum
from .node import Node
from .ops import arithmetic, indexing, scatter, scatter_reduce, sorting
from .ops import elementwise as ew
from .ops import shape as shape_ops
from .ops.reductions import CumProd, CumSum, MedianAll, Prod, normalize_axes, normalize_axis
from .promotion import operands_result_type
from .scalar_conversion import checked_scalar
from .views import from_multi_output, mark_view

if TYPE_CHECKING:
    from .tensor import Tensor


def _dim(dim: Any, axis: Any, op: str) -> Any:
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{op}: pass either axis= or dim=, not both")
        return axis
    return dim


def _keep(keepdim: bool, keepdims: bool | None) -> bool:
    return bool(keepdim if keepdims is None else keepdims)


def _check_alpha(t: Any, other: Any, alpha: Any, op: str) -> None:
    """PyTorch's rules for ``alpha``: no float alpha for integer inputs, no bool alpha for
    non-bool ones."""
    kinds = {t.dtype.kind, np.asarray(_raw(other)).dtype.kind}
    if isinstance(alpha, bool) and kinds != {"b"}:
        raise TypeError(f"{op}: a boolean alpha is only allowed for boolean tensors")
    if isinstance(alpha, float) and kinds <= {"i", "u", "b"}:
        raise TypeError(f"{op}: for integer tensors, alpha must not be a floating point number")


def _median_positions(x: np.ndarray, axis: int) -> np.ndarray:
    """Where along ``axis`` each median sits: the lower middle in sorted order, or the first
    NaN of a slice that has one."""
    n = x.shape[axis]
    order = np.argsort(x, axis=axis, kind="stable")  # NaN sorts last
    middle = np.take(order, (n - 1) // 2, axis=axis)
    nan = np.isnan(x)
    return np.where(nan.any(axis=axis), np.argmax(nan, axis=axis), middle).astype(np.int64)


def _full_like(index: np.ndarray, value: Any, like: Any) -> Any:
    """A constant array of ``index``'s shape holding ``value`` in ``like``'s dtype."""
    return np.full(index.shape, value, dtype=like.dtype)


def _one_size(size: tuple) -> Any:
    """``new_zeros(2, 3)`` and ``new_zeros((2, 3))`` alike: the size as one argument."""
    return size[0] if len(size) == 1 and isinstance(size[0], (tuple, list)) else size


def _axes(t: Any, dim: Any, op: str) -> tuple | None:
    """dim as sorted non-negative axes; None or () (PyTorch's) means every axis."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return None
    return normalize_axes(tuple(dim) if isinstance(dim, list) else dim, t.ndim, op)


def _one_dim(t: Any, dim: Any, op: str) -> int:
    """One dim as a non-negative int; a 0-d tensor takes 0 or -1 (PyTorch's)."""
    if t.ndim == 0:
        if dim not in (0, -1):
            raise IndexError(f"{op}: dim {dim} is out of range for a 0-d tensor (use 0 or -1)")
        return 0
    return normalize_axis(dim, t.ndim, op)


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Node) else x


def _tensor(x: Any) -> Any:
    from .tensor import Tensor

    return x if isinstance(x, Tensor) else Tensor(x)


def _count(shape: tuple, axes: tuple | None) -> int:
    return math.prod(shape) if axes is None else math.prod(shape[a] for a in axes)


def _sqrt_zero_safe(v: Any) -> Any:
    """sqrt(v) whose gradient is 0 (not 0 * inf) where v == 0, as PyTorch's norm and std."""
    flat = v._data == 0
    if not flat.any():
        return v.sqrt()
    return ew.Where.apply(flat, 0.0, ew.Where.apply(flat, 1.0, v).sqrt())


def _presented_pieces(pieces: tuple, name: str, source: Any) -> tuple:
    """``pieces`` of ``source`` (split, unbind) shown as PyTorch's node ``name`` for them."""
    for piece in pieces:
        present_as(piece, name, (source,))
    return pieces


def _same_src_dtype(t: Any, src: Any, op: str) -> None:
    """torch's scatter family (and index_add, index_put's accumulate) writes a tensor src only
    of self's dtype (numbers are cast)."""
    s: Any = src if isinstance(src, Node) else None
    if s is not None and s.dtype != t.dtype:
        raise RuntimeError(
            f"{op}(): expected self.dtype to be equal to src.dtype, got {t.dtype} and {s.dtype}"
        )


def _in_common_dtype(*operands: Any) -> list[Any]:
    """The operands (Tensors or arrays) cast to their promoted dtype (torch's addcmul and
    addcdiv compute every entry in it, not part of the expression in a narrower dtype)."""
    dtype = operands_result_type(*operands)
    out = []
    for x in operands:
        if isinstance(x, Node):
            out.append(x if x.dtype == dtype else x.to(dtype))  # type: ignore[attr-defined]
        else:
            out.append(np.asarray(x, dtype=dtype))
    return out


class TensorMethods:
    """The torch.Tensor methods that are compositions of recorded ops (mixed into Tensor)."""

    __slots__ = ()

    if TYPE_CHECKING:
        data: np.ndarray
        _data: np.ndarray
        requires_grad: bool

        @property
        def shape(self) -> tuple: ...
        @property
        def ndim(self) -> int: ...
        @property
        def dtype(self) -> np.dtype: ...

        def reshape(self, *shape: Any) -> Tensor: ...
        def broadcast_to(self, *shape: Any) -> Tensor: ...
        def __getitem__(self, index: Any) -> Tensor: ...
        def sum(self, *a: Any, **k: Any) -> Tensor: ...
        def permute(self, *dims: Any) -> Tensor: ...
        def exp(self) -> Tensor: ...
        def log(self) -> Tensor: ...
        def abs(self) -> Tensor: ...
        def sqrt(self) -> Tensor: ...

    # --- sizes ---
    def numel(self) -> int:
        """The number of elements."""
        return int(self._data.size)

    nelement = numel

    def dim(self) -> int:
        """The number of dims (``ndim``)."""
        return self._data.ndim

    ndimension = dim

    def element_size(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    # --- elementwise maths ---
    neg = unary_op(arithmetic.Neg)
    negative = neg
    exp2 = unary_op(ew.Exp2)
    expm1 = unary_op(ew.Expm1)
    log2 = unary_op(ew.Log2)
    log10 = unary_op(ew.Log10)
    log1p = unary_op(ew.Log1p)
    rsqrt = unary_op(ew.Rsqrt)
    square = unary_op(ew.Square)
    reciprocal = unary_op(ew.Reciprocal)
    sin = unary_op(ew.Sin)
    cos = unary_op(ew.Cos)
    tan = unary_op(ew.Tan)
    asin = arcsin = unary_op(ew.Asin)
    acos = arccos = unary_op(ew.Acos)
    atan = arctan = unary_op(ew.Atan)
    sinh = unary_op(ew.Sinh)
    cosh = unary_op(ew.Cosh)
    erf = unary_op(ew.Erf)
    erfc = unary_op(ew.Erfc)
    floor = unary_op(ew.Floor)
    ceil = unary_op(ew.Ceil)
    trunc = fix = unary_op(ew.Trunc)
    frac = unary_op(ew.Frac)
    sign = unary_op(ew.Sign)
    __floordiv__ = binary_op(ew.FloorDivide)
    __rfloordiv__ = reflected_op(ew.FloorDivide)
    __mod__ = binary_op(ew.Remainder)
    __rmod__ = reflected_op(ew.Remainder)
    floor_divide = __floordiv__
    remainder = __mod__
    fmod = binary_op(ew.Fmod)

    def atan2(self, other: Any) -> Tensor:
        """The angle of the point (other, self): atan2(self, other)."""
        return ew.Atan2.apply(self, other)

    arctan2 = atan2

    def round(self, decimals: int = 0) -> Tensor:
        """Round to ``decimals`` places, halves to even; gradient 0."""
        return ew.Round.apply(self, int(decimals))

    def pow(self, exponent: Any) -> Tensor:
        """self ** exponent."""
        return self**exponent  # type: ignore[operator]

    # --- torch's named forms of the operators (torch.add(x, y), x.mul(y) ...) ---
    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """self + alpha * other."""
        _check_alpha(self, other, alpha, "add")
        return self + (other if alpha == 1 else other * alpha)  # type: ignore[operator]

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """self - alpha * other."""
        _check_alpha(self, other, alpha, "sub")
        return self - (other if alpha == 1 else other * alpha)  # type: ignore[operator]

    subtract = sub

    def mul(self, other: Any) -> Tensor:
        """self * other."""
        return self * other  # type: ignore[operator]

    multiply = mul

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """self / other; ``rounding_mode='trunc'`` or ``'floor'`` rounds the quotient (and
        keeps integer inputs' dtype, as PyTorch)."""
        if rounding_mode is None:
            return self / other  # type: ignore[operator]
        if rounding_mode not in ("trunc", "floor"):
            raise ValueError(
                f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}"
            )
        return ew.RoundedDivide.apply(self, other, rounding_mode)

    divide = div

    def true_divide(self, other: Any) -> Tensor:
        """self / other (always a floating result)."""
        return self / other  # type: ignore[operator]

    # --- new tensors like this one (dtype and device from self unless given) ---
    def new_tensor(
        self, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """A new leaf holding a copy of ``data``, in this tensor's dtype unless given."""
        from .creation import tensor

        return tensor(
            data,
            dtype=self.dtype if dtype is None else dtype,
            device=device,
            requires_grad=requires_grad,
        )

    def new(self, *args: Any) -> Tensor:
        """PyTorch's legacy ``t.new(2, 3)`` (a tensor of that size) or ``t.new(data)``, in
        this tensor's dtype."""
        from .size import Size

        if not args or all(type(a) is int for a in args) or isinstance(args[0], Size):
            return self.new_zeros(*args) if args else self.new_zeros(0)
        return self.new_tensor(args[0])

    def new_zeros(
        self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """Zeros of ``size``, in this tensor's dtype unless given."""
        return self.new_full(
            _one_size(size), 0, dtype=dtype, device=device, requires_grad=requires_grad
        )

    def new_ones(
        self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """Ones of ``size``, in this tensor's dtype unless given."""
        return self.new_full(
            _one_size(size), 1, dtype=dtype, device=device, requires_grad=requires_grad
        )

    def new_empty(
        self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """An uninitialised tensor of ``size`` (zeros here), in this tensor's dtype unless given."""
        return self.new_zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_full(
        self,
        size: Any,
        fill_value: Any,
        *,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """``fill_value`` everywhere in ``size``, in this tensor's dtype unless given."""
        from .creation import full

        return full(
            size,
            fill_value,
            dtype=self.dtype if dtype is None else dtype,
            device=device,
            requires_grad=requires_grad,
        )

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002 (torch's names)
        """Limit to [min, max] (numbers or tensors); gradient 1 inside, bounds included."""
        if min is None and max is None:
            raise ValueError("clamp: at least one of min and max must be given")
        if not isinstance(min, Node) and not isinstance(max, Node):
            lo = None if min is None else np.asarray(min).item() if np.ndim(min) == 0 else min
            hi = None if max is None else np.asarray(max).item() if np.ndim(max) == 0 else max
            return ew.Clip.apply(self, lo, hi)
        out: Any = self
        if min is not None:
            out = ew.Where.apply(self._data < _raw(min), min, out)
        if max is not None:
            out = ew.Where.apply(_raw(out) > _raw(max), max, out)
        # a nan in x or in a bound gives nan, with no gradient to any of them (PyTorch's)
        nan = np.zeros(out.shape, dtype=bool)
        for t in (self, min, max):
            if t is not None and np.asarray(_raw(t)).dtype.kind == "f":
                nan |= np.isnan(_raw(t))
        if nan.any():
            out = ew.Where.apply(nan, np.asarray(np.nan, dtype=out.dtype), out)
        return out

    clip = clamp

    def maximum(self, other: Any) -> Tensor:
        """Elementwise max; ties split the gradient equally."""
        return ew.Maximum.apply(self, other)

    def minimum(self, other: Any) -> Tensor:
        """Elementwise min; ties split the gradient equally."""
        return ew.Minimum.apply(self, other)

    def where(self, condition: Any, other: Any) -> Tensor:
        """self where condition holds, else other."""
        return ew.Where.apply(_raw(condition), self, other)

    def lerp(self, end: Any, weight: Any) -> Tensor:
        """self + weight * (end - self); a tensor ``end``, and a tensor ``weight`` of one or more
        dims, must have self's dtype (torch does not promote them)."""
        for name, t in (("end", end), ("weight", weight)):
            u: Any = t if isinstance(t, Node) else None
            if u is not None and u.dtype != self.dtype and (name == "end" or u.ndim):
                raise RuntimeError(
                    f"lerp: expected dtype {self.dtype} for `{name}` but got dtype {u.dtype}"
                )
        return self + weight * (end - self)  # type: ignore[operator]

    def addcmul(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """self + value * tensor1 * tensor2 (broadcast), computed in the three operands'
        promoted dtype."""
        a, t1, t2 = _in_common_dtype(self, tensor1, tensor2)
        return a + (t1 if value == 1 else t1 * value) * t2

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """self + value * tensor1 / tensor2 (broadcast), computed in the three operands'
        promoted dtype; integer tensor1 and tensor2 are refused, as torch."""
        if all(np.asarray(_raw(t)).dtype.kind in "biu" for t in (tensor1, tensor2)):
            raise RuntimeError(
                "addcdiv: integer division with addcdiv is no longer supported; use "
                "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for the "
                "historic behaviour or (input + value * tensor1 / tensor2) for true division"
            )
        a, t1, t2 = _in_common_dtype(self, tensor1, tensor2)
        return a + (t1 if value == 1 else t1 * value) / t2

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """``value`` where ``mask`` is true, else self (value may be a 0-d tensor)."""
        m = np.asarray(_raw(mask))
        if m.dtype != bool:
            raise TypeError(f"masked_fill: mask must be a bool tensor, got dtype {m.dtype}")
        if isinstance(value, Node) and np.ndim(value._data) != 0:
            raise ValueError(
                "masked_fill: value must be a number or a 0-d tensor, got shape "
                f"{np.shape(value.data)}"
            )
        if not isinstance(value, Node):
            value = np.asarray(checked_scalar(value, self._data.dtype, "masked_fill"), self.dtype)
        # out of place, self broadcasts with the mask (PyTorch's)
        try:
            shape = np.broadcast_shapes(m.shape, self.shape)
        except ValueError:
            raise ShapeError(
                f"masked_fill: mask of shape {m.shape} does not broadcast with the tensor's "
                f"shape {tuple(self.shape)}"
            ) from None
        return ew.Where.apply(np.broadcast_to(m, shape), value, self)

    def nan_to_num(
        self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        """NaN, +inf and -inf replaced by numbers (by default 0 and the dtype's extremes);
        the gradient passes at the finite entries."""
        d = self._data
        if d.dtype.kind != "f":
            return _tensor(d.copy())
        fixed = np.nan_to_num(d, nan=nan, posinf=posinf, neginf=neginf)
        return ew.Where.apply(~np.isfinite(d), fixed, self)

    def softmax(self, dim: int, dtype: Any = None) -> Tensor:
        """e^x_i / sum_j e^x_j along ``dim``, shifted by the maximum (no overflow)."""
        from .ops.activations import Softmax

        x = self if dtype is None else self.to(dtype)  # type: ignore[attr-defined]
        return Softmax.apply(x, dim)

    def log_softmax(self, dim: int, dtype: Any = None) -> Tensor:
        """log(softmax(x)) along ``dim``, finite for any finite input."""
        from .ops.activations import LogSoftmax

        x = self if dtype is None else self.to(dtype)  # type: ignore[attr-defined]
        return LogSoftmax.apply(x, dim)

    def prelu(self, weight: Any) -> Tensor:
        """x for x > 0, weight * x otherwise (one slope, or one per channel along dim 1)."""
        from .ops.activations import PReLU

        return PReLU.apply(self, weight)

    # --- comparisons (bool tensors, no gradient) ---
    def eq(self, other: Any) -> Tensor:
        return self == other  # type: ignore[return-value]

    def ne(self, other: Any) -> Tensor:
        return self != other  # type: ignore[return-value]

    def lt(self, other: Any) -> Tensor:
        return self < other  # type: ignore[operator]

    def le(self, other: Any) -> Tensor:
        return self <= other  # type: ignore[operator]

    def gt(self, other: Any) -> Tensor:
        return self > other  # type: ignore[operator]

    def ge(self, other: Any) -> Tensor:
        return self >= other  # type: ignore[operator]

    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    def isclose(
        self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> Tensor:
        """|self - other| <= atol + rtol * |other|, elementwise."""
        return _tensor(
            np.isclose(self._data, _raw(other), rtol=rtol, atol=atol, equal_nan=equal_nan)
        )

    def allclose(
        self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> bool:
        """True when every element is ``isclose``."""
        return bool(np.allclose(self._data, _raw(other), rtol=rtol, atol=atol, equal_nan=equal_nan))

    def equal(self, other: Any) -> bool:
        """True when shapes and all elements are equal."""
        o = np.asarray(_raw(other))
        return self._data.shape == o.shape and bool(np.array_equal(self._data, o))

    def isnan(self) -> Tensor:
        return _tensor(np.isnan(self._data))

    def isinf(self) -> Tensor:
        return _tensor(np.isinf(self._data))

    def isfinite(self) -> Tensor:
        return _tensor(np.isfinite(self._data))

    # --- reductions ---
    def amax(
        self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
    ) -> Tensor:
        """Largest values over one or several dims (all by default); ties share the gradient."""
        from .ops.reductions import Max

        axes = _axes(self, _dim(dim, axis, "amax"), "amax")
        return Max.apply(self, axes, _keep(keepdim, keepdims), False)

    def amin(
        self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
    ) -> Tensor:
        """Smallest values over one or several dims (all by default); ties share the gradient."""
        from .ops.reductions import Min

        axes = _axes(self, _dim(dim, axis, "amin"), "amin")
        return Min.apply(self, axes, _keep(keepdim, keepdims), False)

    def _arg(self, pick: Any, name: str, dim: Any, keepdim: bool) -> Tensor:
        d = self._data
        if dim is None:
            if d.size == 0:
                raise ValueError(f"{name}: cannot take the {name} of an empty tensor")
            idx = np.asarray(pick(d.reshape(-1)), dtype=np.int64)
            return _tensor(idx.reshape((1,) * d.ndim) if keepdim else idx)
        a = _one_dim(self, dim, name)
        if d.ndim == 0:
            return _tensor(np.zeros((), dtype=np.int64))
        if d.shape[a] == 0:
            raise ValueError(f"{name}: dim {dim} of shape {d.shape} is empty")
        idx = np.asarray(pick(d, axis=a, keepdims=keepdim), dtype=np.int64)
        return _tensor(idx)

    def argmax(
        self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
    ) -> Tensor:
        """Index of the largest entry (first among ties; NaN counts as largest)."""
        return self._arg(np.argmax, "argmax", _dim(dim, axis, "argmax"), _keep(keepdim, keepdims))

    def argmin(
        self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
    ) -> Tensor:
        """Index of the smallest entry (first among ties; NaN counts as smallest)."""
        return self._arg(np.argmin, "argmin", _dim(dim, axis, "argmin"), _keep(keepdim, keepdims))

    def _extreme_along(self, pick: Any, name: str, dim: Any, keepdim: bool) -> Any:
        """(values, indices) over one dim; the gradient goes to the returned index only."""
        a = _one_dim(self, dim, name)
        d = self._data
        if d.ndim and d.shape[a] == 0:
            raise ValueError(
                f"{name}: cannot reduce over dim {dim} of size 0 (tensor of shape {d.shape})"
            )
        if d.ndim == 0:
            idx = np.zeros((), dtype=np.int64)
            values = self.reshape(())
        else:
            idx = np.asarray(pick(d, axis=a, keepdims=True), dtype=np.int64)
            values = scatter.Gather.apply(self, a, idx)
            if not keepdim:
                idx = idx.squeeze(a)
                values = values.reshape(idx.shape)
            present_as(values, "MaxBackward0" if name == "max" else "MinBackward0", (self,))
        result = return_types.max if name == "max" else return_types.min
        return result(values, _tensor(idx))

    def logsumexp(
        self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
    ) -> Tensor:
        """log(sum(exp(self))) over dims, without overflow (the max is shifted out)."""
        from .ops.reductions import kept_shape

        axes = _axes(self, _dim(dim, axis, "logsumexp"), "logsumexp")
        keep = _keep(keepdim, keepdims)
        x = self if self.dtype.kind == "f" else _tensor(self._data.astype(get_default_dtype()))
        d = x._data
        if d.size == 0 or _count(d.shape, axes) == 0:
            shift = np.zeros(kept_shape(d.shape, axes), dtype=d.dtype)
        else:
            shift = np.max(d, axis=axes, keepdims=True)
            # beside a +inf, shift by the largest finite entry: exp of the others then cannot
            # overflow, and their gradient is exp(x - inf) = 0 (not 0 * inf = nan)
            finite = np.max(np.where(np.isfinite(d), d, -np.inf), axis=axes, keepdims=True)
            shift = np.where(np.isfinite(shift), shift, finite)
            shift = np.where(np.isfinite(shift), shift, 0).astype(d.dtype)
        total = (x - shift).exp().sum(axes, keep).log()
        return total + (shift if keep else shift.reshape(total.shape))

    def prod(
        self,
        dim: Any = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: Any = None,
    ) -> Tensor:
        """Product over one dim (or all); exact gradient also where entries are 0."""
        dim = _dim(dim, axis, "prod")
        keep = _keep(keepdim, keepdims)
        x = self if dtype is None else _tensor(self._data.astype(dtype))
        if x.dtype.kind in "bu" or x.dtype in (np.int8, np.int16, np.int32):
            x = _tensor(x._data.astype(np.int64))
        if dim is None:
            flat = x.reshape(-1)
            out = flat.prod(0)
            return out.reshape((1,) * self.ndim) if keep else out
        a = _one_dim(x, dim, "prod")
        if x.ndim == 0:
            return x.reshape(())
        n = x.shape[a]
        if n == 0:
            out = x.sum(a, keepdim=True) + 1  # the empty product, still a function of x
            return out if keep else out.reshape(tuple(s for i, s in enumerate(x.shape) if i != a))
        if n == 1:  # the product of one entry is the entry (a new node, as torch returns)
            last = x.narrow(a, 0, 1)
        else:
            last = Prod.apply(x, a)
        return last if keep else last.squeeze(a)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running sum along ``dim`` (ints and bools give int64)."""
        x = self if dtype is None else _tensor(self._data.astype(dtype))
        return CumSum.apply(x, _one_dim(x, dim, "cumsum"))

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running product along ``dim``."""
        x = self if dtype is None else _tensor(self._data.astype(dtype))
        return CumProd.apply(x, _one_dim(x, dim, "cumprod"))

    def norm(
        self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None
    ) -> Tensor:
        """The p-norm over dims (all by default): 'fro' and 2 the Euclidean one, inf the largest
        magnitude, 0 the count of nonzeros. Gradient 0 at a zero vector (PyTorch's)."""
        if self.dtype.kind != "f":
            raise DtypeError(f"norm: expected a floating tensor, got dtype {self.dtype}")
        x = self if dtype is None else _tensor(self._data.astype(dtype))
        axes = _axes(x, dim, "norm")
        if p != 0 and p != "nuc" and _count(x.shape, axes) == 1:
            # one entry per norm: its magnitude, as PyTorch (no square or power to overflow)
            return x.abs().sum(axes, keepdim)
        if p == "fro" or p == 2:
            return _sqrt_zero_safe((x * x).sum(axes, keepdim))  # type: ignore[operator]
        if p == "nuc":
            raise NotImplementedError("norm: the nuclear norm is not implemented")
        p = float(p)
        if p == math.inf:
            return x.abs().amax(() if axes is None else axes, keepdim)
        if p == -math.inf:
            return x.abs().amin(() if axes is None else axes, keepdim)
        if p == 0:
            return _tensor((x._data != 0).sum(axis=axes, keepdims=keepdim).astype(x.dtype))
        if p == 1:
            return x.abs().sum(axes, keepdim)
        a = x.abs()
        zero = a._data == 0
        if p < 1 and zero.any():
            # |x|^p has an infinite slope at 0 for p < 1: such entries pass back 0, as torch
            powers = ew.Where.apply(zero, 0.0, ew.Where.apply(zero, 1.0, a) ** p)
        else:
            powers = a**p
        s = powers.sum(axes, keepdim)
        flat = s._data == 0
        if not flat.any():
            return s ** (1.0 / p)
        return ew.Where.apply(flat, 0.0, ew.Where.apply(flat, 1.0, s) ** (1.0 / p))

    def all(
        self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
    ) -> Tensor:
        """True where every entry (over dims) is nonzero."""
        axes = _axes(self, _dim(dim, axis, "all"), "all")
        return _tensor(np.all(self._data, axis=axes, keepdims=_keep(keepdim, keepdims)))

    def any(
        self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
    ) -> Tensor:
        """True where some entry (over dims) is nonzero."""
        axes = _axes(self, _dim(dim, axis, "any"), "any")
        return _tensor(np.any(self._data, axis=axes, keepdims=_keep(keepdim, keepdims)))

    def count_nonzero(self, dim: Any = None) -> Tensor:
        """The number of nonzero entries (over dims), int64."""
        axes = _axes(self, dim, "count_nonzero")
        return _tensor(np.asarray(np.count_nonzero(self._data, axis=axes), dtype=np.int64))

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        """(values, indices) sorted along ``dim``; ties keep their order; NaN sorts largest."""
        a = _one_dim(self, dim, "sort")
        idx = sorting.sort_indices(self._data, a, descending)
        values = self.reshape(()) if self.ndim == 0 else scatter.Gather.apply(self, a, idx)
        if self.ndim:
            present_as(values, "SortBackward0", (self,))
        return return_types.sort(values, _tensor(idx))

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        """The indices that sort along ``dim``."""
        return _tensor(sorting.sort_indices(self._data, _one_dim(self, dim, "argsort"), descending))

    def msort(self) -> Tensor:
        return self.sort(0).values

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
        """(values, indices) of the k largest (or smallest) entries along ``dim``."""
        a = _one_dim(self, dim, "topk")
        idx = sorting.topk_indices(self._data, int(k), a, largest)
        values = self.reshape(()) if self.ndim == 0 else scatter.Gather.apply(self, a, idx)
        if self.ndim:
            present_as(values, "TopkBackward0", (self,))
        return return_types.topk(values, _tensor(idx))

    def histc(self, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
        """Counts in ``bins`` equal bins over [min, max] (the data's range when both are 0);
        entries outside are ignored. No gradient."""
        d = self._data
        if d.dtype.kind != "f":
            raise DtypeNotImplemented(f"histc: expected a floating tensor, got dtype {d.dtype}")
        lo, hi = float(min), float(max)
        if lo == hi and d.size:
            lo, hi = float(d.min()), float(d.max())
        if lo == hi:
            lo, hi = lo - 1, hi + 1
        if lo > hi:
            raise ValueError(f"histc: min ({lo}) must not exceed max ({hi})")
        n = int(bins)
        # PyTorch's rule, in the input's dtype: bin trunc((x - min) * bins / (max - min)), x ==
        # max in the last bin, outside [min, max] and nan skipped (np.histogram compares with
        # its edges instead, which puts some values next to an edge in the neighbouring bin)
        left, right = np.array(lo, d.dtype), np.array(hi, d.dtype)
        x = d[(d >= left) & (d <= right)]
        pos = ((x - left) * n / (right - left)).astype(np.int64)
        counts = np.bincount(np.minimum(pos, n - 1), minlength=n)
        return _tensor(counts.astype(d.dtype))

    def histogram(
        self, bins: Any = 100, *, range: Any = None, weight: Any = None, density: bool = False
    ) -> Any:  # noqa: A002
        """(hist, bin_edges): counts (or weights, or a density) in ``bins`` bins or between the
        given edges. No gradient."""
        d = self._data
        edges_in = _raw(bins)
        w = None if weight is None else _raw(weight)
        hist, edges = np.histogram(d, bins=edges_in, range=range, weights=w, density=density)
        return return_types.histogram(_tensor(hist.astype(d.dtype)), _tensor(edges.astype(d.dtype)))

    def bincount(self, weights: Any = None, minlength: int = 0) -> Tensor:
        """Counts of each non-negative integer (or sums of ``weights``). No gradient."""
        d = self._data
        if d.ndim != 1 or d.dtype.kind not in "iu":
            raise ValueError(
                f"bincount: expected a 1-d integer tensor, got {d.dtype} of shape {d.shape}"
            )
        if d.size and d.min() < 0:
            raise ValueError("bincount: the input must not contain negative values")
        w = None if weights is None else np.asarray(_raw(weights))
        out = np.bincount(d, weights=w, minlength=minlength)
        if w is None:
            return _tensor(out.astype(np.int64))
        return _tensor(out.astype(w.dtype if w.dtype.kind == "f" else np.float64))

    def unique(
        self,
        sorted: bool = True,
        return_inverse: bool = False,
        return_counts: bool = False,
        dim: Any = None,  # noqa: A002
    ) -> Any:
        """The distinct values (sorted), optionally with the inverse indices and counts."""
        res = np.unique(  # type: ignore[call-overload]
            self._data, return_inverse=return_inverse, return_counts=return_counts, axis=dim
        )
        if not (return_inverse or return_counts):
            return _tensor(res)
        res = list(res)
        out = [_tensor(res[0])]
        k = 1
        if return_inverse:
            out.append(_tensor(res[k].reshape(self.shape if dim is None else -1).astype(np.int64)))
            k += 1
        if return_counts:
            out.append(_tensor(res[k].astype(np.int64)))
        return tuple(out)

    # --- shape ---
    def view_as(self, other: Any) -> Tensor:
        return self.reshape(other.shape)

    def reshape_as(self, other: Any) -> Tensor:
        return self.reshape(other.shape)

    def expand_as(self, other: Any) -> Tensor:
        return self.broadcast_to(other.shape)

    def unflatten(self, dim: int, sizes: Any) -> Tensor:
        """Split ``dim`` into ``sizes`` (one may be -1)."""
        a = normalize_axis(dim, self.ndim, "unflatten")
        sizes = tuple(sizes)
        known = math.prod(s for s in sizes if s != -1)
        n = self.shape[a]
        if (-1 not in sizes and known != n) or (-1 in sizes and (known == 0 or n % known)):
            raise ShapeError(
                f"unflatten: sizes {sizes} do not multiply to the size {n} of dim {dim} "
                f"(tensor of shape {self.shape})"
            )
        sizes = tuple(n // known if s == -1 else s for s in sizes)
        return self.reshape(self.shape[:a] + sizes + self.shape[a + 1 :])

    def movedim(self, source: Any, destination: Any) -> Tensor:
        """Move dims from ``source`` to ``destination`` positions, the rest keeping order."""
        src = [source] if isinstance(source, int) else list(source)
        dst = [destination] if isinstance(destination, int) else list(destination)
        if len(src) != len(dst):
            raise ValueError(
                f"movedim: source {source} and destination {destination} differ in length"
            )
        # a 0-d tensor takes dims 0 and -1, as if it were 1-d (PyTorch's)
        src = [normalize_axis(s, max(self.ndim, 1), "movedim") for s in src]
        dst = [normalize_axis(s, max(self.ndim, 1), "movedim") for s in dst]
        if self.ndim == 0:
            return self.reshape(())
        order = [i for i in range(self.ndim) if i not in src]
        perm: list[Any] = [None] * self.ndim
        for s, d in zip(src, dst):
            perm[d] = s
        rest = iter(order)
        return self.permute([p if p is not None else next(rest) for p in perm])

    moveaxis = movedim

    def t(self) -> Tensor:
        """The transpose of a matrix (0-d and 1-d tensors come back as they are)."""
        if self.ndim > 2:
            raise ShapeError(
                f"t() expects a tensor with <= 2 dims, got shape {self.shape}; use transpose or mT"
            )
        return self.permute(tuple(range(self.ndim))[::-1])

    @property
    def mT(self) -> Tensor:  # noqa: N802 (torch's name)
        """The last two dims swapped (a batch of matrices transposed)."""
        if self.ndim == 0:
            warnings.warn(
                "Tensor.mT is deprecated on 0-D tensors. This function is the identity in "
                "these cases.",
                UserWarning,
                stacklevel=2,
            )
            return self  # type: ignore[return-value]
        if self.ndim < 2:
            raise ShapeError(
                "tensor.mT is only supported on matrices or batches of matrices. "
                f"Got {self.ndim}-D tensor."
            )
        return self.transpose(-2, -1)  # type: ignore[attr-defined]

    def repeat(self, *sizes: Any) -> Tensor:
        """Tile the tensor ``sizes[i]`` times along dim i (torch's repeat is numpy's tile).

        The result owns new memory, as torch's does (unlike ``expand``): writing into it in
        place leaves the input alone."""
        from .tensor import shape_from_args

        reps = tuple(int(r) for r in shape_from_args(sizes))
        if len(reps) < self.ndim:
            raise ShapeError(
                f"repeat: {len(reps)} repeat counts for a tensor with {self.ndim} dims "
                "(give at least one per dim)"
            )
        if any(r < 0 for r in reps):
            raise ShapeError(f"repeat: repeat counts must be non-negative, got {reps}")
        return shape_ops.Repeat.apply(self, reps)

    def tile(self, *dims: Any) -> Tensor:
        """numpy's tile: fewer reps than dims repeat the last dims."""
        from .tensor import shape_from_args

        reps = tuple(shape_from_args(dims))
        reps = (1,) * (self.ndim - len(reps)) + reps
        return self.repeat(reps)

    def repeat_interleave(
        self, repeats: Any, dim: Any = None, *, output_size: Any = None
    ) -> Tensor:
        """Repeat each entry ``repeats`` times along ``dim`` (numpy's repeat; flat if None)."""
        x = self.reshape(-1) if dim is None else self
        a = 0 if dim is None else _one_dim(x, dim, "repeat_interleave")
        r = np.asarray(_raw(repeats))
        if r.dtype.kind not in "iu" or (r.size and r.min() < 0):
            raise ValueError("repeat_interleave: repeats must be non-negative integers")
        n = x.shape[a] if x.ndim else 1
        index = np.repeat(np.arange(n), r)
        return x.index_select(a, index)

    def flip(self, *args: Any, dims: Any = None) -> Tensor:
        """Reverse the order along ``dims`` (positional, one sequence, or ``dims=``)."""
        from .tensor import shape_from_args

        if dims is not None and args:
            raise TypeError("flip: give the dims positionally or as dims=, not both")
        if dims is not None:
            args = (dims,)
        axes = normalize_axes(tuple(shape_from_args(args)), self.ndim, "flip")
        return shape_ops.Flip.apply(self, axes or ())

    def fliplr(self) -> Tensor:
        if self.ndim < 2:
            raise ValueError(f"fliplr: the input must be >= 2-d, got shape {self.shape}")
        return self.flip(1)

    def flipud(self) -> Tensor:
        if self.ndim < 1:
            raise ValueError(f"flipud: the input must be >= 1-d, got shape {self.shape}")
        return self.flip(0)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        """Shift cyclically along ``dims`` (the flattened tensor when None or empty, for one
        shift)."""
        shifts_t = (int(shifts),) if np.ndim(shifts) == 0 else tuple(int(s) for s in shifts)
        dims_t = () if dims is None else (dims,) if np.ndim(dims) == 0 else tuple(dims)
        if not shifts_t:
            raise ShapeError("roll: `shifts` required")
        if not dims_t and len(shifts_t) == 1:
            flat = shape_ops.Roll.apply(self.reshape(-1), shifts_t[0], None)
            return flat.reshape(self.shape)
        if len(shifts_t) != len(dims_t):
            raise ShapeError(
                f"roll: shifts and dimensions must align, got {len(shifts_t)} shifts for "
                f"{len(dims_t)} dims"
            )
        axes = tuple(normalize_axis(d, self.ndim, "roll") for d in dims_t)
        return shape_ops.Roll.apply(self, shifts_t, axes)

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """``length`` entries along ``dim`` from ``start``."""
        a = normalize_axis(dim, self.ndim, "narrow")
        n = self.shape[a]
        start = int(_raw(start))
        if start < 0:
            start += n
        if not 0 <= start <= n or length < 0 or start + length > n:
            raise IndexError(
                f"narrow: start {start} + length {length} exceeds dim {dim} of size {n}"
            )
        return self[(slice(None),) * a + (slice(start, start + length),)]

    def select(self, dim: int, index: int) -> Tensor:
        """The slice at ``index`` along ``dim`` (that dim removed)."""
        a = normalize_axis(dim, self.ndim, "select")
        return self[(slice(None),) * a + (int(index),)]

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple:
        """Pieces along ``dim``: of ``split_size`` each (the last may be smaller), or of the
        listed sizes (views that cannot be changed in place where it would be recorded, as
        PyTorch's)."""
        pieces = from_multi_output(self._split(split_size_or_sections, dim), "split")
        sizes_given = not isinstance(split_size_or_sections, (int, np.integer))
        return _presented_pieces(
            pieces, "SplitWithSizesBackward0" if sizes_given else "SplitBackward0", self
        )

    def _split(self, split_size_or_sections: Any, dim: int = 0) -> tuple:
        a = normalize_axis(dim, self.ndim, "split")
        n = self.shape[a]
        s = split_size_or_sections
        if isinstance(s, (int, np.integer)):
            if s <= 0 and n:
                raise ValueError(f"split: split_size must be positive, got {s}")
            sizes = [min(s, n - i) for i in range(0, n, s)] if n else [0]
        else:
            sizes = [int(v) for v in s]
            if sum(sizes) != n:
                raise ValueError(f"split: sizes {sizes} do not sum to dim {dim}'s size {n}")
        out, at = [], 0
        for size in sizes:
            out.append(self.narrow(a, at, size))
            at += size
        return tuple(out)

    def tensor_split(self, sections: int, dim: int = 0) -> tuple:
        a = normalize_axis(dim, self.ndim, "tensor_split")
        n = self.shape[a]
        q, r = divmod(n, sections)
        return self._split([q + 1] * r + [q] * (sections - r), a)

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        """At most ``chunks`` pieces of ceil(n / chunks) along ``dim``."""
        if chunks <= 0:
            raise ValueError(f"chunk: chunks must be positive, got {chunks}")
        a = normalize_axis(dim, self.ndim, "chunk")
        n = self.shape[a]
        if n == 0:  # PyTorch's: ``chunks`` empty pieces
            pieces = tuple(self.narrow(a, 0, 0) for _ in range(chunks))
            return _presented_pieces(from_multi_output(pieces, "split"), "SplitBackward0", self)
        return self.split(max(-(-n // chunks), 1), dim)

    def unbind(self, dim: int = 0) -> tuple:
        """The slices along ``dim``, that dim removed."""
        a = normalize_axis(dim, self.ndim, "unbind")
        pieces = tuple(self.select(a, i) for i in range(self.shape[a]))
        return _presented_pieces(from_multi_output(pieces, "unbind"), "UnbindBackward0", self)

    def gather(self, dim: int, index: Any) -> Tensor:
        """out[i][j] = self[index[i][j]][j] (dim 0), and so on."""
        return scatter.Gather.apply(self, _one_dim(self, dim, "gather"), np.asarray(_raw(index)))

    def take_along_dim(self, indices: Any, dim: int) -> Tensor:
        return self.gather(dim, indices)

    def scatter_add(self, dim: int, index: Any, src: Any) -> Tensor:
        """A copy of self with src added at the places ``index`` names along ``dim``."""
        _same_src_dtype(self, src, "scatter_add")
        return scatter.ScatterAdd.apply(
            self, _one_dim(self, dim, "scatter_add"), np.asarray(_raw(index)), src
        )

    def scatter_reduce(
        self, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """A copy of self where each entry that ``index`` names along ``dim`` is reduced with
        the src entries sent to it: ``reduce`` is 'sum', 'prod', 'mean', 'amax' or 'amin',
        over self's own entry too unless ``include_self=False``. 'mean' of integers rounds
        down, as PyTorch's; PyTorch's undocumented 'max' and 'min' are 'amax' and 'amin'."""
        op = "scatter_reduce"
        from .tensor import Tensor

        reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)
        if not isinstance(src, Tensor):
            raise TypeError(f"{op}: src must be a tensor, got {type(src).__name__}")
        if src.dtype != self.dtype:
            raise TypeError(
                f"{op}: expected self.dtype to be equal to src.dtype, got {self.dtype} and "
                f"{src.dtype}"
            )
        a = _one_dim(self, dim, op)
        idx = np.asarray(_raw(index))
        if self.ndim == 0 and idx.ndim == 0 and src.ndim == 0:  # as 1-element tensors
            one = self.reshape(1).scatter_reduce(
                0, idx.reshape(1), src.reshape(1), reduce, include_self=include_self
            )
            return one.reshape(())
        return scatter_reduce.ScatterReduce.apply(self, a, idx, src, reduce, bool(include_self))

    def scatter(
        self, dim: int, index: Any, src: Any = None, value: Any = None, *, reduce: Any = None
    ) -> Tensor:
        """A copy of self with ``src`` (a tensor, or a number) written at the places ``index``
        names along ``dim``; ``reduce='add'`` adds instead. Where an index repeats, the written
        values add up (PyTorch leaves which one wins unspecified)."""
        if value is not None:
            if src is not None:
                raise TypeError("scatter: give src or value, not both")
            src = value
        if src is None:
            raise TypeError("scatter: src (a tensor or a number) is required")
        a = _one_dim(self, dim, "scatter")
        idx = np.asarray(_raw(index))
        _same_src_dtype(self, src, "scatter")
        if reduce == "add":
            return self.scatter_add(
                a, idx, src if isinstance(src, Node) else _full_like(idx, src, self)
            )
        if reduce is not None:
            raise NotImplementedError(
                f"scatter: reduce={reduce!r} is not supported (None or 'add')"
            )
        hit = scatter.scatter_add_raw(np.zeros(self.shape, bool), a, idx, np.ones(idx.shape, bool))
        if not isinstance(src, Node):
            return self.masked_fill(hit, src)
        zeros = _tensor(np.zeros(self.shape, dtype=self.dtype))
        return self.masked_fill(hit, 0.0) + zeros.scatter_add(a, idx, src)

    def index_add(self, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """A copy of self with ``alpha * source`` added at the rows ``index`` (1-d) names
        along ``dim``; repeated indices add up."""
        a = _one_dim(self, dim, "index_add")
        idx = np.asarray(_raw(index))
        src = source if alpha == 1 else source * alpha
        shape = [1] * np.ndim(_raw(src))
        if idx.ndim != 1 or not shape or len(idx) != np.shape(_raw(src))[a]:
            raise ValueError(
                f"index_add: index must be 1-d with one entry per slice of source along dim "
                f"{a}; got index of shape {idx.shape} and source of shape {np.shape(_raw(src))}"
            )
        shape[a] = -1
        full = np.broadcast_to(idx.reshape(shape), np.shape(_raw(src)))
        _same_src_dtype(self, src, "index_add")
        return self.scatter_add(a, full, src)

    def masked_select(self, mask: Any) -> Tensor:
        """The entries where ``mask`` (broadcast with self) is True, as a 1-d tensor."""
        m = np.asarray(_raw(mask))
        if m.dtype != bool:
            raise TypeError(f"masked_select: mask must be a bool tensor, got dtype {m.dtype}")
        shape = np.broadcast_shapes(self.shape, m.shape)
        x = self if tuple(self.shape) == shape else self.broadcast_to(shape)
        out = x[np.broadcast_to(m, shape)]
        present_as(out, "MaskedSelectBackward0", (x,))
        return out

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        """Indices of the nonzero entries (see ``autograd.nonzero``)."""
        from .functions import nonzero

        return nonzero(self, as_tuple=as_tuple)

    def argwhere(self) -> Tensor:
        """Indices of the nonzero entries, one row each."""
        return self.nonzero()

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """Whether the data is one C-ordered block (after transpose or permute it is not)."""
        return bool(self._data.flags.c_contiguous)

    def clamp_min(self, min: Any) -> Tensor:  # noqa: A002 (torch's name)
        """max(self, min)."""
        return self.clamp(min=min)

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002 (torch's name)
        """min(self, max)."""
        return self.clamp(max=max)

    def logical_not(self) -> Tensor:
        """Elementwise not (nonzero is True), bool."""
        return _tensor(np.logical_not(self._data))

    def logical_and(self, other: Any) -> Tensor:
        """Elementwise and (nonzero is True), bool."""
        return _tensor(np.logical_and(self._data, _raw(other)))

    def logical_or(self, other: Any) -> Tensor:
        """Elementwise or (nonzero is True), bool."""
        return _tensor(np.logical_or(self._data, _raw(other)))

    def logical_xor(self, other: Any) -> Tensor:
        """Elementwise exclusive or (nonzero is True), bool."""
        return _tensor(np.logical_xor(self._data, _raw(other)))

    def diff(self, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
        """The n-th forward difference along ``dim`` (x[i + 1] - x[i]), after joining
        ``prepend`` and ``append`` to the ends."""
        from .functions import cat

        a = _one_dim(self, dim, "diff")
        x: Any = self
        if prepend is not None or append is not None:
            parts = [p for p in (prepend, self, append) if p is not None]
            x = cat([p if isinstance(p, Node) else _tensor(np.asarray(p)) for p in parts], a)
        for _ in range(int(n)):
            length = x.shape[a]
            head = (slice(None),) * a
            x = x[head + (slice(1, length),)] - x[head + (slice(0, length - 1),)]
        return x

    def trace(self) -> Tensor:
        """The sum of the main diagonal of a matrix."""
        if self.ndim != 2:
            raise ValueError(f"trace: expected a matrix, got shape {tuple(self.shape)}")
        return self.diagonal().sum()

    def mv(self, vec: Any) -> Tensor:
        """Matrix times vector."""
        if self.ndim != 2 or np.ndim(_raw(vec)) != 1:
            raise ValueError(
                f"mv: expected a matrix and a vector, got shapes {tuple(self.shape)} and "
                f"{np.shape(_raw(vec))}"
            )
        return self @ vec  # type: ignore[operator]

    def inverse(self) -> Tensor:
        """The inverse of (a batch of) square matrices (``autograd.linalg.inv``)."""
        from . import linalg

        return linalg.inv(self)

    def det(self) -> Tensor:
        """The determinant of (a batch of) square matrices (``autograd.linalg.det``)."""
        from . import linalg

        return linalg.det(self)

    def logdet(self) -> Tensor:
        """log det: nan for a negative determinant, -inf for a singular matrix."""
        from . import linalg

        return linalg.logdet(self)

    def slogdet(self) -> Any:
        """(sign, logabsdet) of the determinant (``autograd.linalg.slogdet``)."""
        from . import linalg

        return return_types.slogdet(*linalg.slogdet(self))

    def matrix_power(self, n: int) -> Tensor:
        """The matrix to the integer power n (``autograd.linalg.matrix_power``)."""
        from . import linalg

        return linalg.matrix_power(self, n)

    def addmm(self, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * (mat1 @ mat2): mat1 (n, m) and mat2 (m, p) matrices, self
        broadcast to (n, p); with beta == 0 self is ignored (its nan and inf do not
        propagate), as torch."""
        s1, s2 = np.shape(_raw(mat1)), np.shape(_raw(mat2))
        if len(s1) != 2 or len(s2) != 2:
            raise ValueError(f"addmm: mat1 and mat2 must be matrices, got shapes {s1} and {s2}")
        if self.ndim > 2 or np.broadcast_shapes(self.shape, (s1[0], s2[1])) != (s1[0], s2[1]):
            raise ValueError(
                f"addmm: self of shape {self.shape} does not broadcast to the product's shape "
                f"{(s1[0], s2[1])}"
            )
        return _scaled_sum("addmm", self, mat1 @ mat2, beta, alpha)

    def take(self, index: Any) -> Tensor:
        """The entries of the flattened tensor at ``index`` (any shape)."""
        idx = np.asarray(_raw(index))
        return self.reshape(-1)[idx]

    def median(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The median (the lower of the two middle values for an even count, PyTorch's):
        of everything, or (values, indices) along ``dim``. A NaN makes it NaN (at the first
        NaN's index); the median of an empty tensor is NaN."""
        if dim is None:
            if self._data.size == 0:
                return self.sum() * float("nan")  # NaN, in the graph (its gradient is empty)
            position = int(_median_positions(self._data.reshape(-1), 0))
            return MedianAll.apply(self, position)
        if self.ndim == 0:
            _one_dim(self, dim, "median")
            return return_types.median(MedianAll.apply(self, 0), _tensor(np.asarray(0)))
        a = _one_dim(self, dim, "median")
        if self.shape[a] == 0:
            raise IndexError(f"median: dim {a} of shape {tuple(self.shape)} is empty")
        idx = np.expand_dims(_median_positions(self._data, a), a)
        v, i = scatter.Gather.apply(self, a, idx), _tensor(idx)
        if not keepdim:
            v, i = v.squeeze(a), i.squeeze(a)
        return return_types.median(v, i)

    def nansum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Sum treating NaN as 0."""
        return self.masked_fill(np.isnan(self._data), 0.0).sum(dim=dim, keepdim=keepdim)

    def nanmean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Mean over the entries that are not NaN."""
        counts = (~np.isnan(self._data)).sum(axis=dim, keepdims=keepdim)
        return self.nansum(dim, keepdim) / _tensor(np.asarray(counts, dtype=self.dtype))

    def index_select(self, dim: int, index: Any) -> Tensor:
        """The entries at the (1-d) ``index`` along ``dim``; repeats add their gradients."""
        idx = np.asarray(_raw(index))
        if idx.ndim > 1 or idx.dtype.kind not in "iu":
            raise ValueError(
                "index_select: index must be a 1-d integer tensor, got "
                f"{idx.dtype} of shape {idx.shape}"
            )
        if self.ndim == 0:
            return self.reshape(1)[idx.reshape(-1)].reshape(idx.shape)
        a = normalize_axis(dim, self.ndim, "index_select")
        out = self[(slice(None),) * a + (idx.reshape(-1),)]
        present_as(out, "IndexSelectBackward0", (self,))
        return out

    def _tri(self, diagonal: int, upper: bool) -> Tensor:
        if self.ndim < 2:
            raise ShapeError(
                f"{'triu' if upper else 'tril'}: needs at least 2 dims, got shape {self.shape}"
            )
        r, c = self.shape[-2:]
        keep = (
            ~np.tri(r, c, diagonal - 1, dtype=bool) if upper else np.tri(r, c, diagonal, dtype=bool)
        )
        return ew.Where.apply(keep, self, np.zeros((), dtype=self.dtype))

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle (entries on or below the diagonal-th diagonal), zeros above."""
        return self._tri(diagonal, upper=False)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle, zeros below."""
        return self._tri(diagonal, upper=True)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The diagonal of dims (dim1, dim2), appended as the last dim (a view)."""
        a = normalize_axis(dim1, self.ndim, "diagonal")
        b = normalize_axis(dim2, self.ndim, "diagonal")
        if a == b:
            raise ValueError(f"diagonal: dim1 and dim2 are the same dim ({dim1})")
        offset = int(offset)
        src: Any = self
        out = shape_ops.Diagonal.apply(src, offset, a, b)
        return mark_view(out, src, lambda x: shape_ops.diagonal_of(x, offset, a, b))

    def diag(self, diagonal: int = 0) -> Tensor:
        """1-d: a square matrix with it on the diagonal-th diagonal; 2-d: that diagonal."""
        if self.ndim == 2:
            return self.diagonal(diagonal)
        if self.ndim != 1:
            raise ValueError(f"diag: expected a 1-d or 2-d tensor, got shape {self.shape}")
        n = self.shape[0] + abs(diagonal)
        k = np.arange(self.shape[0])
        rows, cols = (k, k + diagonal) if diagonal >= 0 else (k - diagonal, k)
        return indexing.ScatterAdd.apply(self, (rows, cols), (n, n))

    def diag_embed(self) -> Tensor:
        n = self.shape[-1]
        k = np.arange(n)
        return indexing.ScatterAdd.apply(self, (Ellipsis, k, k), self.shape + (n,))

    def outer(self, vec2: Any) -> Tensor:
        """The outer product of two 1-d tensors."""
        if self.ndim != 1 or np.ndim(_raw(vec2)) != 1:
            raise ValueError(
                "outer: expected two 1-d tensors, got shapes "
                f"{self.shape} and {np.shape(_raw(vec2))}"
            )
        return self.reshape(-1, 1) * _tensor(vec2).reshape(1, -1)  # type: ignore[operator]

    ger = outer

    def matmul(self, other: Any) -> Tensor:
        return self @ other  # type: ignore[operator]

    def mm(self, mat2: Any) -> Tensor:
        """Matrix product of two 2-d tensors."""
        if self.ndim != 2 or np.ndim(_raw(mat2)) != 2:
            raise ValueError(
                f"mm: expected two 2-d tensors, got shapes {self.shape} and {np.shape(_raw(mat2))}"
            )
        return self @ mat2  # type: ignore[operator]

    def bmm(self, mat2: Any) -> Tensor:
        """Batched matrix product of two 3-d tensors with the same batch size."""
        s2 = np.shape(_raw(mat2))
        if self.ndim != 3 or len(s2) != 3 or self.shape[0] != s2[0]:
            raise ValueError(
                "bmm: expected 3-d tensors with equal batch sizes, got shapes "
                f"{self.shape} and {s2}"
            )
        return self @ mat2  # type: ignore[operator]

    def dot(self, other: Any) -> Tensor:
        """The inner product of two 1-d tensors of the same length."""
        s2 = np.shape(_raw(other))
        if self.ndim != 1 or len(s2) != 1 or self.shape != s2:
            raise ShapeError(
                "dot: expected two 1-d tensors of the same length, got shapes "
                f"{self.shape} and {s2}"
            )
        return self @ other  # type: ignore[operator]

    def inner(self, other: Any) -> Tensor:
        """Sums of products over the last dims: shape self.shape[:-1] + other.shape[:-1] (a 0-d
        operand multiplies)."""
        o: Any = other if isinstance(other, Node) else _tensor(np.asarray(other))  # a Tensor
        if self.ndim == 0 or o.ndim == 0:
            return self * o  # type: ignore[operator]
        if self.shape[-1] != o.shape[-1]:
            raise ValueError(
                f"inner: the last dims differ, got shapes {self.shape} and {tuple(o.shape)}"
            )
        k = self.shape[-1]
        flat = self.reshape(-1, k) @ o.reshape(-1, k).mT  # type: ignore[operator]
        return flat.reshape(self.shape[:-1] + tuple(o.shape[:-1]))

    # --- scans, order statistics and more shape ops (torch's names) ---
    def _cum_extreme(self, dim: int, name: str) -> Any:
        a = _one_dim(self, dim, name)
        if self.ndim == 0:
            result = return_types.cummax if name == "cummax" else return_types.cummin
            return result(self.reshape(()), _tensor(np.zeros((), dtype=np.int64)))
        d = self._data
        acc = (np.maximum if name == "cummax" else np.minimum).accumulate(d, axis=a)
        shape = [1] * d.ndim
        shape[a] = -1
        pos = np.arange(d.shape[a]).reshape(shape)
        hit = (d == acc) | (np.isnan(d) if d.dtype.kind == "f" else False)
        idx = np.maximum.accumulate(np.where(hit, pos, 0), axis=a).astype(np.int64)
        values = scatter.Gather.apply(self, a, idx)
        result = return_types.cummax if name == "cummax" else return_types.cummin
        return result(values, _tensor(idx))

    def cummax(self, dim: int) -> Any:
        """(values, indices): the running maximum along ``dim`` and where it was reached (the
        latest of equal entries; NaN propagates). The gradient goes to those positions."""
        return self._cum_extreme(dim, "cummax")

    def cummin(self, dim: int) -> Any:
        """(values, indices): the running minimum along ``dim``, as ``cummax``."""
        return self._cum_extreme(dim, "cummin")

    def logcumsumexp(self, dim: int) -> Tensor:
        """log(cumsum(exp(self))) along ``dim``, without overflow or underflow: each running
        sum is shifted by its own value (numpy's ``logaddexp.accumulate``), through an
        (n, n) triangle per slice; very long dims (batch * n * n > 4e6) shift by each
        slice's largest finite entry instead."""
        a = _one_dim(self, dim, "logcumsumexp")
        x: Any = self if self.dtype.kind == "f" else _tensor(self._data.astype(get_default_dtype()))
        if x.ndim == 0:
            return x * 1
        d = x._data
        n = d.shape[a]
        if d.size * n > 4_000_000 or n == 0:
            finite = np.where(np.isfinite(d), d, -np.inf)
            shift = np.max(finite, axis=a, keepdims=True) if n else np.zeros(d.shape)
            shift = np.where(np.isfinite(shift), shift, 0).astype(d.dtype)
            with np.errstate(divide="ignore"):
                return (x - shift).exp().cumsum(a).log() + shift  # type: ignore[no-any-return]
        xm = x.movedim(a, -1)
        with np.errstate(invalid="ignore"):
            running = np.logaddexp.accumulate(xm._data, axis=-1)
        shift = np.where(np.isfinite(running), running, 0).astype(d.dtype)
        below = np.tri(n, n, dtype=bool)  # [i, j]: j <= i
        with np.errstate(invalid="ignore"):
            arg = ew.Where.apply(
                below, xm.unsqueeze(-2) - shift[..., :, None], np.asarray(-np.inf, d.dtype)
            )
        with np.errstate(divide="ignore"):
            out = arg.exp().sum(-1).log() + shift
        return out.movedim(-1, a)  # type: ignore[no-any-return]

    def _quantile(
        self, q: Any, dim: Any, keepdim: bool, interpolation: str, ignore_nan: bool
    ) -> Tensor:
        name = "nanquantile" if ignore_nan else "quantile"
        if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
            raise ValueError(
                f"{name}: interpolation must be one of linear, lower, higher, "
                f"midpoint or nearest, got {interpolation!r}"
            )
        if self.dtype.kind != "f":
            raise TypeError(f"{name}: input must be a float tensor, got {self.dtype}")
        qa = np.asarray(_raw(q), dtype=np.float64)
        if qa.ndim > 1:
            raise ValueError(f"{name}: q must be a number or a 0-d or 1-d tensor")
        if ((qa < 0) | (qa > 1)).any() or np.isnan(qa).any():
            raise ValueError(f"{name}: q must be in the range [0, 1]")
        if self._data.size == 0:
            raise ValueError(f"{name}: input tensor must be non-empty")
        if dim is None:
            x, a = self.reshape(-1), 0
        else:
            a = _one_dim(self, dim, name)
            x = self.reshape(1) if self.ndim == 0 else _tensor(self)
        if x.shape[a] == 0:
            raise ValueError(f"{name}: input tensor is empty along the reduced dim")
        s = x.sort(a).values.movedim(a, -1)  # NaN sorts last
        n = s.shape[-1]
        nan = np.isnan(s._data)
        qs = qa.reshape(-1)
        if ignore_nan:
            count = (n - nan.sum(-1))[..., None]
            rank = qs * (count - 1)
            rank = np.where(count == 0, n - 1, rank)
        else:
            rank = np.where(nan.any(-1)[..., None], n - 1, qs * (n - 1) + 0 * nan[..., :1])
        lo, hi = np.floor(rank), np.ceil(rank)
        if interpolation == "lower":
            hi = lo
        elif interpolation == "higher":
            lo = hi
        elif interpolation == "nearest":
            lo = hi = np.round(rank)
        weight = rank - lo if interpolation == "linear" else np.full(rank.shape, 0.5)
        v_lo = scatter.Gather.apply(s, s.ndim - 1, lo.astype(np.int64))
        v_hi = scatter.Gather.apply(s, s.ndim - 1, hi.astype(np.int64))
        if interpolation in ("lower", "higher", "nearest"):
            out = v_lo  # (an entry as it is: inf stays inf)
        else:
            # PyTorch's lerp: from the nearer end (so -inf and a finite neighbour give -inf,
            # not -inf + w * inf = nan, when the weight is at least 0.5)
            w = weight.astype(self.dtype)
            span = v_hi - v_lo  # type: ignore[operator]
            out = ew.Where.apply(w < 0.5, v_lo + span * _tensor(w), v_hi - span * _tensor(1 - w))
        out = out.movedim(-1, 0)  # (Q, ...)
        if keepdim:
            if dim is None:
                out = out.reshape((len(qs),) + (1,) * self.ndim)
            elif self.ndim:
                out = out.unsqueeze(a + 1)
        return out.reshape(out.shape[1:]) if qa.ndim == 0 else out

    def quantile(
        self, q: Any, dim: Any = None, keepdim: bool = False, *, interpolation: str = "linear"
    ) -> Tensor:
        """The q-th quantiles (q a number or a 1-d tensor, whose dim then comes first) of
        everything or along ``dim``; a NaN in a slice makes its quantiles NaN."""
        return self._quantile(q, dim, keepdim, interpolation, ignore_nan=False)

    def nanquantile(
        self, q: Any, dim: Any = None, keepdim: bool = False, *, interpolation: str = "linear"
    ) -> Tensor:
        """``quantile`` ignoring NaN (NaN where a slice is all NaN)."""
        return self._quantile(q, dim, keepdim, interpolation, ignore_nan=True)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        """(values, indices): the k-th smallest entry (k from 1) along ``dim``."""
        a = _one_dim(self, dim, "kthvalue")
        if self.ndim == 0:
            if k != 1:
                raise IndexError(f"kthvalue: k ({k}) out of range for a 0-d tensor")
            return return_types.kthvalue(self.reshape(()), _tensor(np.zeros((), np.int64)))
        if not 1 <= k <= self.shape[a]:
            raise IndexError(f"kthvalue: k ({k}) out of range for dim of size {self.shape[a]}")
        order = sorting.sort_indices(self._data, a, False)
        idx = np.take(order, [k - 1], axis=a).astype(np.int64)
        v, i = scatter.Gather.apply(self, a, idx), _tensor(idx)
        if not keepdim:
            v, i = v.squeeze(a), i.squeeze(a)
        return return_types.kthvalue(v, i)

    def mode(self, dim: int = -1, keepdim: bool = False) -> Any:
        """(values, indices): the most frequent entry along ``dim`` (the smallest of equally
        frequent ones) and its last position."""
        a = _one_dim(self, dim, "mode")
        if self.ndim == 0:
            return return_types.mode(self.reshape(()), _tensor(np.zeros((), np.int64)))
        if self.shape[a] == 0:
            raise IndexError(f"mode: dim {a} of shape {tuple(self.shape)} is empty")
        d = np.moveaxis(self._data, a, -1)
        rows = d.reshape(-1, d.shape[-1])
        best = np.empty(rows.shape[0], dtype=np.int64)
        for r, row in enumerate(rows):
            # each NaN counts alone (NaN != NaN), as in PyTorch
            vals, counts = np.unique(row, return_counts=True, equal_nan=False)
            v = vals[np.argmax(counts)]  # np.unique sorts: the smallest among ties
            hits = np.flatnonzero((row == v) | (np.isnan(row) & np.isnan(v)))
            best[r] = hits[-1]
        idx = np.expand_dims(best.reshape(d.shape[:-1]), a)
        v_, i = scatter.Gather.apply(self, a, idx), _tensor(idx)
        if not keepdim:
            v_, i = v_.squeeze(a), i.squeeze(a)
        return return_types.mode(v_, i)

    def rot90(self, k: int = 1, dims: Any = (0, 1)) -> Tensor:
        """Rotate by 90 degrees k times in the plane ``dims`` (from the first towards the
        second)."""
        if len(dims) != 2:
            raise ValueError(f"rot90: expected 2 dims, got {dims}")
        d0, d1 = (normalize_axis(d, self.ndim, "rot90") for d in dims)
        if d0 == d1:
            raise ValueError(f"rot90: the two dims must differ, got {dims}")
        k %= 4
        if k == 1:
            return self.flip(d1).transpose(d0, d1)  # type: ignore[attr-defined]
        if k == 2:
            return self.flip((d0, d1))
        if k == 3:
            return self.flip(d0).transpose(d0, d1)  # type: ignore[attr-defined]
        return self.reshape(self.shape)

    def kron(self, other: Any) -> Tensor:
        """The Kronecker product (the shorter shape padded with leading 1s)."""
        b = _tensor(other)
        n = max(self.ndim, b.ndim)
        sa = (1,) * (n - self.ndim) + tuple(self.shape)
        sb = (1,) * (n - b.ndim) + tuple(b.shape)
        left = self.reshape(tuple(x for s in sa for x in (s, 1)))
        right = b.reshape(tuple(x for s in sb for x in (1, s)))
        return (left * right).reshape(tuple(p * q for p, q in zip(sa, sb)))  # type: ignore[operator]

    def cross(self, other: Any, dim: Any = None) -> Tensor:
        """The cross product of 3-vectors along ``dim`` (default: the first dim of size 3),
        broadcasting."""
        b = _tensor(other)
        if self.ndim != b.ndim:
            raise ValueError(
                "cross: inputs must have the same number of dimensions, got shapes "
                f"{self.shape} and {b.shape}"
            )
        shape = np.broadcast_shapes(self.shape, b.shape)
        x, y = self.broadcast_to(shape), b.broadcast_to(shape)
        if dim is None:
            dim = next((i for i, s in enumerate(shape) if s == 3), None)
            if dim is None:
                raise ValueError(f"cross: no dim of size 3 in shape {shape}")
        a = normalize_axis(dim, len(shape), "cross")
        if self.shape[a] != 3 or b.shape[a] != 3:
            raise ValueError(
                f"cross: dim {dim} must have length 3 in both inputs, got shapes "
                f"{self.shape} and {b.shape}"
            )
        x0, x1, x2 = x.unbind(a)  # type: ignore[attr-defined]
        y0, y1, y2 = y.unbind(a)  # type: ignore[attr-defined]
        from .functions import stack

        return stack([x1 * y2 - x2 * y1, x2 * y0 - x0 * y2, x0 * y1 - x1 * y0], dim=a)

    def baddbmm(self, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * (batch1 @ batch2) (batched matrix products); with beta == 0
        self is ignored (its nan and inf do not propagate), as torch."""
        return _scaled_sum("baddbmm", self, _tensor(batch1).bmm(batch2), beta, alpha)

    def unique_consecutive(
        self, return_inverse: bool = False, return_counts: bool = False, dim: Any = None
    ) -> Any:
        """The entries (or slices along ``dim``) with consecutive repeats collapsed; with
        ``return_inverse`` / ``return_counts`` also where each input went and the run lengths.
        No gradient."""
        d = self._data
        if dim is None:
            flat = d.reshape(-1)
            change = flat[1:] != flat[:-1] if flat.size else np.zeros(0, bool)
            starts = np.concatenate([[True], change]) if flat.size else np.zeros(0, bool)
            out = flat[starts]
            inv_shape: tuple = d.shape
        else:
            a = normalize_axis(dim, d.ndim, "unique_consecutive")
            if sum(n == 0 for n in d.shape) > 1:
                raise ValueError(
                    f"unique_consecutive: shape {d.shape} has more than one dim of size 0, so "
                    "unique cannot be applied"
                )
            if d.size == 0 and d.shape[a] != 0:
                raise ValueError(
                    f"unique_consecutive: shape {d.shape} has a dim of size 0 other than the "
                    f"selected dim {dim}, so unique cannot be applied"
                )
            moved = np.moveaxis(d, a, 0).reshape(d.shape[a], d.size // max(d.shape[a], 1))
            change = (moved[1:] != moved[:-1]).any(axis=1)
            starts = np.concatenate([[True], change]) if len(moved) else np.zeros(0, bool)
            out = np.moveaxis(np.moveaxis(d, a, 0)[starts], 0, a)
            inv_shape = (d.shape[a],)
        result: list = [_tensor(np.ascontiguousarray(out))]
        if return_inverse:
            inverse = (np.cumsum(starts) - 1).astype(np.int64)
            result.append(_tensor(inverse.reshape(inv_shape)))
        if return_counts:
            bounds = np.concatenate([np.flatnonzero(starts), [len(starts)]])
            result.append(_tensor(np.diff(bounds).astype(np.int64)))
        return result[0] if len(result) == 1 else tuple(result)
