"""``autograd.NAME(input, ...)``: torch's module-level functions.

Most are the Tensor method of the same name applied to ``input`` (made a Tensor if it is
not one); those over several tensors (cat, stack, where, einsum...) are written here.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import ShapeError
from .grad_mode import is_grad_enabled
from .node import Node
from .ops import complex_parts
from .ops.elementwise import Maximum, Minimum, Where
from .ops.matmul import Einsum, parse_einsum
from .ops.shape import Concatenate
from .promotion import can_cast, inplace_cast_error
from .tensor import Tensor, as_array


def _as_tensors(xs: Sequence[Any], op: str) -> list[Tensor]:
    if isinstance(xs, Node) or not len(xs):
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    return [x if isinstance(x, Tensor) else Tensor(x) for x in xs]


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def concatenate(tensors: Sequence[Any], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join tensors along an existing axis."""
    axis = axis if dim is None else dim
    return Concatenate.apply(axis, *_as_tensors(tensors, "concatenate"))


cat = concat = concatenate


def stack(tensors: Sequence[Any], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join same-shaped tensors along a new axis."""
    axis = axis if dim is None else dim
    ts = _as_tensors(tensors, "stack")
    shapes = {t.shape for t in ts}
    if len(shapes) > 1:
        raise ShapeError(f"stack: all tensors need the same shape, got {sorted(shapes)}")
    return Concatenate.apply(axis, *(t.unsqueeze(axis) for t in ts))


def hstack(tensors: Sequence[Any]) -> Tensor:
    """Join along dim 1 (dim 0 for 1-d tensors; 0-d ones become 1-d)."""
    ts = [t.reshape(1) if t.ndim == 0 else t for t in _as_tensors(tensors, "hstack")]
    return concatenate(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Any]) -> Tensor:
    """Join along dim 0, 0-d and 1-d tensors first made rows."""
    ts = [t.reshape(1, -1) if t.ndim < 2 else t for t in _as_tensors(tensors, "vstack")]
    return concatenate(ts, 0)


row_stack = vstack


def where(condition: Any, input: Any = None, other: Any = None) -> Any:  # noqa: A002
    """Elements of ``input`` where ``condition`` holds, else of ``other`` (condition gets no
    gradient). With the condition alone: the indices where it holds, one tensor per dim."""
    cond = condition._data if isinstance(condition, Node) else np.asarray(condition)
    if input is None and other is None:
        return tuple(Tensor(i.astype(np.int64)) for i in np.nonzero(cond))
    if not isinstance(input, Node) and not isinstance(other, Node):
        input = Tensor(as_array(input))
    return Where.apply(cond, input, other)


def nonzero(input: Any, *, as_tuple: bool = False) -> Any:  # noqa: A002
    """Indices of the nonzero entries: an (n, ndim) int64 tensor, or one tensor per dim."""
    d = _as_tensor(input)._data
    if d.ndim == 0:  # PyTorch's: a 0-d input has (1 or 0) rows of 0 indices
        if as_tuple:
            return (Tensor(np.zeros(int(d != 0), dtype=np.int64)),)
        return Tensor(np.zeros((int(d != 0), 0), dtype=np.int64))
    idx = np.nonzero(d)
    if as_tuple:
        return tuple(Tensor(i.astype(np.int64)) for i in idx)
    return Tensor(np.stack(idx, axis=1).astype(np.int64).reshape(-1, d.ndim))


def maximum(input: Any, other: Any) -> Any:  # noqa: A002
    """Elementwise maximum; ties split the gradient equally."""
    return Maximum.apply(input, other)


def minimum(input: Any, other: Any) -> Any:  # noqa: A002
    """Elementwise minimum; ties split the gradient equally."""
    return Minimum.apply(input, other)


def pow(input: Any, exponent: Any) -> Any:  # noqa: A001, A002
    """input ** exponent; either may be a number."""
    if not isinstance(input, Node) and not isinstance(exponent, Node):
        input = Tensor(as_array(input))
    return input**exponent


def atan2(input: Any, other: Any) -> Any:  # noqa: A002
    """The angle of the point (other, input)."""
    return _as_tensor(input).atan2(other)


arctan2 = atan2


def lerp(input: Any, end: Any, weight: Any) -> Any:  # noqa: A002
    """input + weight * (end - input)."""
    return _as_tensor(input).lerp(end, weight)


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation, torch's (and numpy's) subscript notation with '...' and '->'."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    ts = _as_tensors(operands, "einsum")
    ins, out = parse_einsum(equation, [t.ndim for t in ts])
    return Einsum.apply(",".join(ins) + "->" + out, *ts)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple:
    """Coordinate grids: for 1-d inputs of lengths n1..nk, k tensors of shape (n1, .., nk)
    (``indexing='ij'``, the default) or with the first two dims swapped (``'xy'``)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    mode = "ij" if indexing is None else indexing
    if mode not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    ts = _as_tensors(tensors, "meshgrid")
    for t in ts:
        if t.ndim > 1:
            raise ValueError(f"meshgrid: expected 0-d or 1-d tensors, got shape {tuple(t.shape)}")
    ts = [t.reshape(-1) for t in ts]
    if mode == "xy" and len(ts) >= 2:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t.shape[0] for t in ts)
    grids = []
    for k, t in enumerate(ts):
        view = [1] * len(ts)
        view[k] = -1
        grids.append(t.reshape(tuple(view)).broadcast_to(shape))
    if mode == "xy" and len(grids) >= 2:  # (built from the swapped inputs) back in order
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, **_: Any) -> Tensor:
    """The (2, N) row and column indices of the lower triangle of a row x col matrix
    (diagonal ``offset``), in row-major order."""
    r, c = np.tril_indices(row, offset, col)
    return Tensor(np.stack([r, c]).astype(np.int64 if dtype is None else dtype))


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, **_: Any) -> Tensor:
    """The (2, N) row and column indices of the upper triangle of a row x col matrix."""
    r, c = np.triu_indices(row, offset, col)
    return Tensor(np.stack([r, c]).astype(np.int64 if dtype is None else dtype))


def cdist(x1: Any, x2: Any, p: float = 2.0, **_: Any) -> Tensor:
    """The p-norm distance between each row of x1 (.., P, M) and each row of x2 (.., R, M):
    shape (.., P, R)."""
    a, b = _as_tensors([x1, x2], "cdist")
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"cdist: expected (.., P, M) and (.., R, M) with the same M, got shapes "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    return (a.unsqueeze(-2) - b.unsqueeze(-3)).norm(p, dim=-1)


def var_mean(input: Any, dim: Any = None, *args: Any, **kwargs: Any) -> tuple:  # noqa: A002
    """(variance, mean) over ``dim``, with ``var``'s arguments (unbiased by default)."""
    x = _as_tensor(input)
    keepdim = kwargs.get("keepdim", args[1] if len(args) > 1 else False)
    return x.var(dim, *args, **kwargs), x.mean(dim=dim, keepdim=bool(keepdim))


def std_mean(input: Any, dim: Any = None, *args: Any, **kwargs: Any) -> tuple:  # noqa: A002
    """(standard deviation, mean) over ``dim``, with ``std``'s arguments."""
    x = _as_tensor(input)
    keepdim = kwargs.get("keepdim", args[1] if len(args) > 1 else False)
    return x.std(dim, *args, **kwargs), x.mean(dim=dim, keepdim=bool(keepdim))


def searchsorted(
    sorted_sequence: Any,
    values: Any,
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: Any = None,
    out: Any = None,
) -> Tensor:
    """Where ``values`` would go in ``sorted_sequence`` (its last dim sorted; leading dims
    match values') to keep it sorted: the first such place, or the last with ``right=True`` /
    ``side='right'``. int64 (int32 with ``out_int32``), no gradient."""
    if side is not None:
        if side not in ("left", "right"):
            raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
        if right and side == "left":
            raise ValueError("searchsorted: side='left' and right=True contradict each other")
        right = side == "right"
    seq = sorted_sequence._data if isinstance(sorted_sequence, Node) else sorted_sequence
    seq = np.asarray(seq)
    v = np.asarray(values._data if isinstance(values, Node) else values)
    if sorter is not None:
        order = np.asarray(sorter._data if isinstance(sorter, Node) else sorter)
        seq = np.take_along_axis(seq, order.astype(np.int64), axis=-1)
    if seq.ndim == 0:
        raise ValueError("searchsorted: sorted_sequence must have at least 1 dim, got a 0-d tensor")
    if seq.ndim > 1 and v.ndim == 0:
        raise ValueError(
            "searchsorted: values can be a scalar only when sorted_sequence is 1-d, got "
            f"sorted_sequence of shape {seq.shape}"
        )
    how: Any = "right" if right else "left"
    if seq.ndim <= 1:
        idx = np.searchsorted(seq.reshape(-1), v, side=how)
    else:
        if v.shape[:-1] != seq.shape[:-1]:
            raise ValueError(
                "searchsorted: the leading dims of sorted_sequence and values must match, got "
                f"shapes {seq.shape} and {v.shape}"
            )
        n = int(np.prod(seq.shape[:-1]))  # (explicit sizes: a -1 cannot stand next to a 0)
        rows, vals = seq.reshape(n, seq.shape[-1]), v.reshape(n, v.shape[-1])
        idx = np.zeros(v.shape, dtype=np.int64)
        if n:
            found = [np.searchsorted(r, x, side=how) for r, x in zip(rows, vals)]
            idx = np.stack(found).reshape(v.shape)
    result = Tensor(np.asarray(idx, dtype=np.int32 if out_int32 else np.int64))
    return result if out is None else _write_out("searchsorted", out, result)


def bucketize(
    input: Any,  # noqa: A002
    boundaries: Any,
    *,
    out_int32: bool = False,
    right: bool = False,
    out: Any = None,
) -> Tensor:
    """The bucket of each entry of ``input`` among the 1-d sorted ``boundaries``
    (``boundaries[i-1] < x <= boundaries[i]``; ``<=`` / ``<`` with ``right=True``)."""
    b = np.asarray(boundaries._data if isinstance(boundaries, Node) else boundaries)
    if b.ndim != 1:
        raise ValueError(f"bucketize: boundaries must be 1-d, got shape {b.shape}")
    return searchsorted(b, input, out_int32=out_int32, right=right, out=out)


def isin(
    elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False
) -> Tensor:
    """A bool Tensor of ``elements``' shape: True where the entry occurs in
    ``test_elements`` (False with ``invert``). Either argument may be a number; no gradient."""
    if not isinstance(elements, Node) and not isinstance(test_elements, Node):
        if np.ndim(elements) == 0 and np.ndim(test_elements) == 0:
            raise TypeError("isin: elements and test_elements cannot both be numbers")
    e = np.asarray(elements._data if isinstance(elements, Node) else elements)
    t = np.asarray(test_elements._data if isinstance(test_elements, Node) else test_elements)
    found = np.isin(e, t, assume_unique=assume_unique, invert=invert)
    return Tensor(np.asarray(found, dtype=bool))


def broadcast_tensors(*tensors: Any) -> tuple:
    """The tensors broadcast to their common shape."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    ts = [_as_tensor(t) for t in tensors]
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in ts))
    return tuple(t.broadcast_to(shape) for t in ts)


def cartesian_prod(*tensors: Any) -> Tensor:
    """Every combination of entries of the 1-d tensors, one per row (shape (N, k)); one
    tensor comes back as it is."""
    ts = _as_tensors(tensors, "cartesian_prod")
    for t in ts:
        if t.ndim != 1:
            raise ValueError(f"cartesian_prod: expected 1-d tensors, got shape {tuple(t.shape)}")
    if len(ts) == 1:
        return ts[0]
    grids = meshgrid(*ts, indexing="ij")
    return stack([g.reshape(-1) for g in grids], dim=1)


def _atleast(n: int, tensors: tuple) -> Any:
    single = len(tensors) == 1 and not isinstance(tensors[0], (list, tuple))
    items = (
        tensors if not (len(tensors) == 1 and isinstance(tensors[0], (list, tuple))) else tensors[0]
    )
    out = []
    for x in items:
        t = _as_tensor(x)
        if t.ndim < n:
            if n == 3 and t.ndim == 2:
                t = t.unsqueeze(-1)
            elif n == 3 and t.ndim == 1:
                t = t.reshape(1, -1, 1)
            else:
                t = t.reshape((1,) * (n - t.ndim) + tuple(t.shape))
        out.append(t)
    return out[0] if single else tuple(out)


def atleast_1d(*tensors: Any) -> Any:
    """The tensor (or each of them) with at least 1 dim (a 0-d one becomes shape (1,))."""
    return _atleast(1, tensors)


def atleast_2d(*tensors: Any) -> Any:
    """At least 2 dims: 1-d (n,) becomes (1, n)."""
    return _atleast(2, tensors)


def atleast_3d(*tensors: Any) -> Any:
    """At least 3 dims: (n,) becomes (1, n, 1), (m, n) becomes (m, n, 1)."""
    return _atleast(3, tensors)


def column_stack(tensors: Sequence[Any]) -> Tensor:
    """Columns side by side: 0-d and 1-d tensors become columns, then ``hstack``."""
    ts = _as_tensors(tensors, "column_stack")
    return concatenate([t.reshape(-1, 1) if t.ndim < 2 else t for t in ts], dim=1)


def dstack(tensors: Sequence[Any]) -> Tensor:
    """Concatenation along the third dim (after ``atleast_3d``)."""
    ts = _as_tensors(tensors, "dstack")
    return concatenate(list(atleast_3d(ts)), dim=2)


def block_diag(*tensors: Any) -> Tensor:
    """The 0-d, 1-d or 2-d tensors as blocks on the diagonal of a matrix, zeros elsewhere."""
    ts = [_as_tensor(t) for t in tensors]
    if not ts:
        return Tensor(np.zeros((0, 0), dtype=np.float32))
    blocks = []
    for t in ts:
        if t.ndim > 2:
            raise ValueError(f"block_diag: expected tensors of at most 2 dims, got {t.ndim}")
        blocks.append(t.reshape(1, -1) if t.ndim < 2 else t)
    dtype = np.result_type(*(b.dtype for b in blocks))
    width = int(np.sum([b.shape[1] for b in blocks]))
    rows, col = [], 0
    for b in blocks:
        r, c = b.shape
        parts = [
            Tensor(np.zeros((r, col), dtype)),
            b.to(dtype),
            Tensor(np.zeros((r, width - col - c), dtype)),
        ]
        rows.append(concatenate(parts, dim=1))
        col += c
    return concatenate(rows, dim=0)


def polygamma(n: int, input: Any, *, out: Any = None) -> Tensor:  # noqa: A002
    """The n-th derivative of digamma of ``input`` (n >= 0)."""
    result = _as_tensor(input).polygamma(n)
    return result if out is None else _write_out("polygamma", out, result)


def _contraction_dims(dims: Any, a: Tensor, b: Tensor) -> tuple[list[int], list[int]]:
    if isinstance(dims, Node):
        dims = dims._data.tolist()
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        return list(range(a.ndim - dims, a.ndim)), list(range(dims))
    if isinstance(dims, (list, tuple)) and len(dims) == 2:
        da, db = ([d] if isinstance(d, (int, np.integer)) else list(d) for d in dims)
        if len(da) != len(db):
            raise RuntimeError(
                f"tensordot: both dimension lists should have same length, got {da} and {db}"
            )
        return [int(d) for d in da], [int(d) for d in db]
    raise TypeError("tensordot: dims must be an int or a pair of lists of dims, got " + repr(dims))


def tensordot(a: Any, b: Any, dims: Any = 2, out: Any = None) -> Tensor:
    """The sum of products of ``a`` and ``b`` over the dims in ``dims`` (an int n: a's last n
    dims with b's first n; or a pair of lists of dims), the free dims of a then of b."""
    ta, tb = _as_tensors([a, b], "tensordot")
    da, db = _contraction_dims(dims, ta, tb)
    from .ops.reductions import normalize_axis

    da = [normalize_axis(d, ta.ndim, "tensordot") for d in da]
    db = [normalize_axis(d, tb.ndim, "tensordot") for d in db]
    shape_a, shape_b = list(ta.shape), list(tb.shape)
    for i, j in zip(da, db):
        if shape_a[i] == 1:  # a size-1 dim broadcasts against the other's (torch)
            shape_a[i] = shape_b[j]
        elif shape_b[j] == 1:
            shape_b[j] = shape_a[i]
        elif shape_a[i] != shape_b[j]:
            raise RuntimeError(
                f"tensordot: contracted dimensions need to match, but first has size "
                f"{ta.shape[i]} in dim {i} and second has size {tb.shape[j]} in dim {j}"
            )
    if tuple(shape_a) != ta.shape:
        ta = ta.expand(*shape_a)
    if tuple(shape_b) != tb.shape:
        tb = tb.expand(*shape_b)
    letters = iter("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    sa = [next(letters) for _ in range(ta.ndim)]
    sb = [next(letters) for _ in range(tb.ndim)]
    for i, j in zip(da, db):
        sb[j] = sa[i]
    free = [c for k, c in enumerate(sa) if k not in da] + [
        c for k, c in enumerate(sb) if k not in db
    ]
    result = einsum("".join(sa) + "," + "".join(sb) + "->" + "".join(free), ta, tb)
    return result if out is None else _write_out("tensordot", out, result)


def combinations(input: Any, r: int = 2, with_replacement: bool = False) -> Tensor:  # noqa: A002
    """The length-``r`` combinations of the entries of the 1-d ``input``, one per row
    (itertools.combinations' order; with repeats when ``with_replacement``)."""
    import itertools

    t = _as_tensor(input)
    if t.ndim != 1:
        raise RuntimeError(f"combinations: Expect a 1D vector, but got shape {list(t.shape)}")
    if r < 0:
        raise RuntimeError(f"combinations: Expect a non-negative number, but got {r}")
    if r == 0:
        return Tensor(np.zeros(0, dtype=t.dtype))
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    rows = list(pick(range(t.shape[0]), r))
    index = np.asarray(rows, dtype=np.int64).reshape(len(rows), r)
    return t[Tensor(index)]


def broadcast_shapes(*shapes: Any) -> Any:
    """The shape that tensors of the given shapes broadcast to (an error if they do not)."""
    from .size import Size

    as_tuples = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    try:
        return Size(np.broadcast_shapes(*as_tuples))
    except ValueError:
        raise RuntimeError(f"broadcast_shapes: shapes {as_tuples} do not broadcast") from None


def rsub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """other - alpha * input."""
    t = _as_tensor(input)
    return other - (t if alpha == 1 else t * alpha)


def real(input: Any) -> Tensor:  # noqa: A002
    """``input.real``: the tensor itself when it is real, the real parts of a complex one."""
    return _as_tensor(input).real


def imag(input: Any) -> Tensor:  # noqa: A002
    """``input.imag``: the imaginary parts of a complex tensor."""
    return _as_tensor(input).imag


def view_as_real(input: Any) -> Tensor:  # noqa: A002
    """A complex tensor as real (real, imaginary) pairs along a new last axis of size 2 (a
    copy here, where PyTorch's shares the memory)."""
    return complex_parts.ViewAsReal.apply(_as_tensor(input))


def view_as_complex(input: Any) -> Tensor:  # noqa: A002
    """Real pairs along a last axis of size 2 as complex numbers (a copy here, where PyTorch's
    shares the memory)."""
    return complex_parts.ViewAsComplex.apply(_as_tensor(input))


def complex(real: Any, imag: Any) -> Tensor:  # noqa: A001
    """``real + i imag`` from two float tensors of one dtype (complex64 from float32,
    complex128 from float64), broadcast together."""
    return complex_parts.Complex.apply(_as_tensor(real), _as_tensor(imag))


def polar(abs: Any, angle: Any) -> Tensor:  # noqa: A002
    """The complex numbers of absolute value ``abs`` and argument ``angle``,
    ``abs * (cos(angle) + i sin(angle))``, from two float tensors of one dtype (complex64 from
    float32, complex128 from float64), broadcast together."""
    return complex_parts.Polar.apply(_as_tensor(abs), _as_tensor(angle))


def conj_physical(input: Any) -> Tensor:  # noqa: A002
    """The complex conjugate (``input`` itself when it is real)."""
    return _as_tensor(input).conj()


def fill(input: Any, value: Any) -> Tensor:  # noqa: A002
    """A new tensor of ``input``'s shape and dtype filled with ``value`` (a number or a 0-d
    tensor, whose gradient is the sum of the result's)."""
    t = _as_tensor(input)
    if isinstance(value, Node) and value._data.ndim != 0:
        raise RuntimeError(
            f"fill: only supports a 0-dimension value tensor, but got one with {value.data.ndim} "
            "dimension(s)"
        )
    if isinstance(value, Node):
        return value.to(t.dtype).expand(t.shape)  # type: ignore[attr-defined]
    return Tensor(np.full(t.shape, value, dtype=t.dtype))


# torch.add(2, t) and friends: a Python number first is a number operand for type
# promotion (as in 2 + t), not an int64 or float tensor
_REFLECTED = {
    "add": "__radd__",
    "sub": "__rsub__",
    "subtract": "__rsub__",
    "mul": "__rmul__",
    "multiply": "__rmul__",
    "div": "__rtruediv__",
    "divide": "__rtruediv__",
    "true_divide": "__rtruediv__",
    "floor_divide": "__rfloordiv__",
    "remainder": "__rmod__",
}
_PY_NUMBERS = (bool, int, float, builtins.complex)  # (``complex`` is torch.complex here)


def _method_function(name: str) -> Any:
    reflected = _REFLECTED.get(name)

    def fn(input: Any, *args: Any, out: Any = None, **kwargs: Any) -> Any:  # noqa: A002
        if (
            reflected is not None
            and isinstance(input, _PY_NUMBERS)
            and len(args) == 1
            and isinstance(args[0], Node)
            and kwargs.get("rounding_mode") is None
        ):
            alpha = kwargs.pop("alpha", 1)
            other = args[0] if alpha == 1 else args[0] * alpha
            result = getattr(other, reflected)(input)
        else:
            result = getattr(_as_tensor(input), name)(*args, **kwargs)
        return result if out is None else _write_out(name, out, result)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = getattr(Tensor, name).__doc__ or f"``input.{name}(...)``."
    return fn


def _write_out(name: str, out: Any, result: Any) -> Tensor:
    """``torch.name(..., out=out)``: the result written into ``out`` (resized if its shape
    differs), which is returned. Not differentiable, as in PyTorch."""
    if not isinstance(out, Tensor) or not isinstance(result, Tensor):
        raise TypeError(f"{name}: out= must be a Tensor, for an op with one Tensor result")
    if is_grad_enabled() and (result.requires_grad or out.requires_grad):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad"
        )
    if not can_cast(result.dtype, out.dtype):
        raise inplace_cast_error(name, result.dtype, out.dtype)
    if out.shape == result.shape:
        out.copy_(result)
    else:
        out.data = result._data.astype(out.dtype)
    return out


_METHOD_FUNCTIONS = """
addcmul addcdiv
abs neg negative exp exp2 expm1 log log2 log10 log1p sqrt rsqrt square reciprocal sin cos tan
asin arcsin acos arccos atan arctan sinh cosh tanh sigmoid relu erf erfc floor ceil round
trunc fix frac sign clamp clip logsumexp floor_divide remainder softmax log_softmax selu prelu
sum mean prod var std max min amax amin argmax argmin norm cumsum cumprod all any sort argsort
msort topk histc histogram bincount unique count_nonzero
eq ne lt le gt ge greater greater_equal less less_equal not_equal isclose allclose equal isnan
isinf isfinite nan_to_num
reshape flatten unflatten squeeze unsqueeze permute transpose swapaxes swapdims movedim moveaxis
t broadcast_to tile repeat_interleave flip fliplr flipud roll narrow select split tensor_split
chunk unbind gather take_along_dim scatter_add index_select masked_fill tril triu diag
diagonal diag_embed outer ger matmul mm bmm dot inner numel as_strided
add sub subtract mul multiply div divide true_divide
scatter index_add masked_select clamp_min clamp_max logical_and logical_or logical_xor
logical_not diff trace mv addmm take median nansum nanmean clone argwhere
inverse det logdet slogdet matrix_power
cummax cummin logcumsumexp quantile nanquantile kthvalue mode fmod rot90 kron cross baddbmm
unique_consecutive scatter_reduce
lgamma digamma erfinv i0 sinc logit xlogy logaddexp logaddexp2 hypot copysign signbit vdot addbmm
aminmax
asinh acosh atanh arcsinh arccosh arctanh absolute sgn positive deg2rad rad2deg float_power fmax
fmin heaviside ldexp frexp nextafter gcd lcm bitwise_and bitwise_or bitwise_xor bitwise_not
bitwise_left_shift bitwise_right_shift isposinf isneginf isreal conj resolve_conj resolve_neg
is_conj is_neg is_nonzero is_same_size is_signed get_device detach
abs_ acos_ acosh_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ atan_ atanh_
ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ detach_ erf_ erfc_ exp2_ exp_ expm1_
fill_ fix_ floor_ frac_ gcd_ i0_ lcm_ ldexp_ log10_ log1p_ log2_ log_ logit_ nan_to_num_ neg_
negative_ rad2deg_ reciprocal_ relu_ resize_as_ round_ rsqrt_ sigmoid_ sin_ sinc_ sinh_ sqrt_
square_ tan_ tanh_ trunc_ xlogy_ zero_
index_fill index_copy index_put index_put_ masked_scatter put
addmv addmv_ addr svd qr lu lu_solve pinverse matrix_exp dist renorm cov corrcoef nanmedian
adjoint angle unsafe_chunk unsafe_split unsafe_split_with_sizes narrow_copy
ravel split_with_sizes hsplit vsplit dsplit diagflat slice_scatter select_scatter diagonal_scatter
""".split()

for _name in _METHOD_FUNCTIONS:
    globals()[_name] = _method_function(_name)

__all__ = [
    "broadcast_shapes",
    "rsub",
    "real",
    "imag",
    "view_as_real",
    "view_as_complex",
    "complex",
    "polar",
    "conj_physical",
    "fill",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "block_diag",
    "broadcast_tensors",
    "bucketize",
    "cartesian_prod",
    "isin",
    "column_stack",
    "combinations",
    "polygamma",
    "tensordot",
    "dstack",
    "searchsorted",
    "arctan2",
    "cdist",
    "meshgrid",
    "std_mean",
    "tril_indices",
    "triu_indices",
    "var_mean",
    "atan2",
    "cat",
    "concat",
    "concatenate",
    "einsum",
    "hstack",
    "lerp",
    "maximum",
    "minimum",
    "nonzero",
    "pow",
    "row_stack",
    "stack",
    "vstack",
    "where",
    *_METHOD_FUNCTIONS,
]
