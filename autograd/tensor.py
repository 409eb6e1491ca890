"""``Tensor``: a numpy array that records the ops made from it, for reverse-mode gradients."""

from __future__ import annotations

import builtins
import math
import sys
import warnings
from typing import Any

import numpy as np

from . import complex_grads, hooks, inplace, printing
from .devices import CPU, check_device, is_device
from .dtypes import dtype_of_legacy_type_name, get_default_dtype, legacy_type_name
from .dual import ones_array, sum_to
from .elementwise_methods import ElementwiseMethods
from .errors import DimError, DtypeError, ShapeError
from .function import apply_to_node
from .grad_fn import node_name, present_as
from .index_write_methods import IndexWriteMethods
from .layouts import strided
from .linalg_methods import LinalgMethods
from .math_methods import MathMethods
from .memory_format import check_memory_format, preserve_format
from .node import Node
from .ops import conversion, index_put, indexing, matmul, reductions
from .ops import shape as shape_ops
from .promotion import common_operands
from .random import resolve_generator
from .random_methods import RandomMethods
from .row_grad import NO_ROWS, RowGrad, forget_rows, merged_rows
from .scalar_conversion import checked_scalar
from .shape_methods import ShapeMethods
from .size import Size
from .spectral_methods import SpectralMethods
from .tensor_info import TensorInfo
from .tensor_methods import TensorMethods, _presented_pieces, _sqrt_zero_safe
from .tensor_style_array import TensorStyleArray
from .views import ViewInfo, from_multi_output, mark_view


def as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """``data`` as a new ndarray, following PyTorch's dtype rules.

    ndarrays and numpy scalars keep their dtype; Python floats (and lists holding any) get the
    default float dtype; Python ints stay int64 and bools bool.
    """
    if isinstance(data, Node):
        data = data._data
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


def _default_float_unless_complex(arr: np.ndarray) -> np.ndarray:
    """Integer and bool data as the default float dtype (torch.Tensor's list rule)."""
    return arr if arr.dtype.kind in "fc" else arr.astype(get_default_dtype())


_new_tensor = object.__new__

# References to a gradient handed to ``_store_grad`` by the engine: the engine's local name,
# the parameter of ``_store_grad``, and getrefcount's own argument.
_ENGINE_REFS = 3


_UNCOPIED_SLOTS = frozenset({"__dict__", "__weakref__", "_styled"})


def _set_data(t: Tensor, value: Any) -> None:
    """``t.data = value``: a Tensor's array is stored (not the Tensor), array-likes converted."""
    if value is t._data:  # ``t.data -= x``: numpy changed the array in place
        return
    seen = getattr(t, "_styled", None)
    if seen is not None and value is seen[1] and seen[0] is t._data:
        return  # the same, through ``t.data``'s own array
    if isinstance(value, Node):
        value = value._data
    if isinstance(value, TensorStyleArray):
        value = value.view(np.ndarray)
    if type(value) is not np.ndarray:
        value = as_array(value)
    if t.requires_grad and value.dtype.kind != "f":
        _check_can_require_grad(value.dtype)
    t._data = value


def _check_can_require_grad(dtype: np.dtype) -> None:
    if dtype.kind == "c":
        complex_grads.IN_USE[0] = True  # (see complex_grads.py)
        return
    if dtype.kind != "f":
        raise DtypeError(
            f"only floating-point Tensors can require grad (or complex ones); this one has "
            f"dtype {dtype} (make it a float, e.g. Tensor(data, dtype=np.float32), first)"
        )


def _axis_args(axis: Any, dim: Any, keepdims: bool | None, keepdim: bool | None) -> tuple:
    if dim is not None:
        if axis is not None:
            raise TypeError("pass either axis= or dim=, not both")
        axis = dim
    if keepdim is not None:
        keepdims = keepdim
    return axis, bool(keepdims)


def _full_as(t: Tensor, values: Any) -> Tensor:
    """``t`` overwritten by ``values`` (broadcast to its shape, cast to its dtype): a new node
    that keeps ``t`` as an input with a zero gradient (PyTorch's ``fill_``/``copy_``: a tensor
    that required grad still does) and passes the gradient on to ``values``."""
    if isinstance(values, Node):
        # fill_/copy_ sources that are nodes are Tensors (Node declares no Tensor methods)
        v: Any = values
        values = v if v.shape == t.shape else v.expand(t.shape)
    return index_put.IndexPut.apply(t, Ellipsis, values)


_COMPARABLE = (int, float, bool, complex, np.ndarray, np.generic, list, tuple)

# numpy's binary ufuncs as the Tensor operators: (method, reflected method)
_UFUNC_OPERATORS = {
    np.add: ("__add__", "__radd__"),
    np.subtract: ("__sub__", "__rsub__"),
    np.multiply: ("__mul__", "__rmul__"),
    np.true_divide: ("__truediv__", "__rtruediv__"),
    np.power: ("__pow__", "__rpow__"),
    np.matmul: ("__matmul__", "__rmatmul__"),
    np.floor_divide: ("__floordiv__", "__rfloordiv__"),
    np.remainder: ("__mod__", "__rmod__"),
    np.less: ("__lt__", "__gt__"),
    np.less_equal: ("__le__", "__ge__"),
    np.greater: ("__gt__", "__lt__"),
    np.greater_equal: ("__ge__", "__le__"),
    np.equal: ("__eq__", "__eq__"),
    np.not_equal: ("__ne__", "__ne__"),
    np.bitwise_and: ("__and__", "__rand__"),
    np.bitwise_or: ("__or__", "__ror__"),
    np.bitwise_xor: ("__xor__", "__rxor__"),
}


def _unwrap(x: Any) -> Any:
    """``x`` with every Tensor inside (lists, tuples, dicts) replaced by its array."""
    if isinstance(x, Node):
        return x._data
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(v) for v in x)
    if isinstance(x, dict):
        return {k: _unwrap(v) for k, v in x.items()}
    return x


def _var_args(
    dim: Any,
    unbiased: Any,
    keepdim: Any,
    correction: Any,
    axis: Any,
    keepdims: Any,
    ddof: Any,
) -> tuple:
    """var/std's overloads as (dim, keepdim, correction): ``var(unbiased)``, ``var(dim,
    unbiased, keepdim)``, ``var(dim, correction=, keepdim=)``, numpy's ``axis``/``ddof``."""
    if isinstance(dim, bool):  # var(False): the first positional is ``unbiased``
        if unbiased is not None:
            raise TypeError("var/std: unbiased given twice")
        dim, unbiased = None, dim
    dim, keep = _axis_args(axis, dim, keepdims, keepdim)
    given = [c for c in (correction, ddof) if c is not None]
    if len(given) + (unbiased is not None) > 1:
        raise TypeError("var/std: pass only one of ddof=, correction= and unbiased=")
    if unbiased is not None:
        corr = 1 if unbiased else 0
    else:
        corr = given[0] if given else 1
    return dim, keep, corr


def shape_from_args(shape: tuple) -> tuple:
    """A shape passed as separate sizes, ``f(2, 3)``, or as one sequence, ``f((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _shape_or_keyword(sizes: tuple, keyword: Any, op: str, name: str) -> tuple:
    """A shape given positionally (sizes or one sequence) or by torch's keyword."""
    if keyword is None:
        return shape_from_args(sizes)
    if sizes:
        raise TypeError(f"{op}() got multiple values for argument '{name}'")
    return shape_from_args((keyword,))


def _raw_index(index: Any) -> Any:
    if isinstance(index, Node):
        return _mask_from_uint8(index._data)
    if isinstance(index, range):
        return np.arange(index.start, index.stop, index.step)
    if isinstance(index, tuple):
        return tuple(_raw_index(i) if isinstance(i, (Node, range)) else i for i in index)
    return index


def _mask_from_uint8(data: np.ndarray) -> np.ndarray:
    """A uint8 index tensor (an old ``ByteTensor`` mask) selects as a boolean mask, as in
    PyTorch; any other index array is returned as it is."""
    return data.astype(bool) if data.dtype == np.uint8 else data


def _uint8_parts(index: Any) -> bool:
    # (every indexing passes here: no tuple built for the common single index)
    if isinstance(index, Node):
        return index._data.dtype == _UINT8
    if type(index) is tuple:
        return any(isinstance(p, Node) and p._data.dtype == _UINT8 for p in index)
    return False


_UINT8 = np.dtype(np.uint8)


def _warn_uint8_index(index: Any) -> None:
    """PyTorch's deprecation warning for uint8 masks, pointing at the indexing line."""
    if _uint8_parts(index):
        warnings.warn(
            "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
            "instead.",
            UserWarning,
            stacklevel=3,
        )


def _refuse_uint8_mask_fill(index: Any, value: Any) -> None:
    """PyTorch fills a single value through masked_fill_, which refuses uint8 masks: its
    error for ``t[byte_mask] = 0`` (a tensor of values still assigns, as a boolean mask)."""
    if not _uint8_parts(index):
        return
    if isinstance(value, Node):
        value = value._data
    if np.ndim(value) == 0:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype unsigned char"
        )


_BASIC = (int, slice, type(None), type(Ellipsis))


def _basic_index(index: Any) -> Any:
    """``index`` as a tuple ending in ``...`` (numpy then gives a view, even of one entry)
    when it is made of ints (0-d integer arrays too, as torch's 0-d index tensors), slices,
    None and ``...`` only; None for any other index."""
    kind = type(index)
    if kind is slice or kind is int:  # the common cases
        return (index, Ellipsis)
    parts = index if kind is tuple else (index,)
    for p in parts:
        if type(p) not in _BASIC and not isinstance(p, np.integer):
            if isinstance(p, np.ndarray) and p.ndim == 0 and p.dtype.kind in "iu":
                parts = tuple(int(q) if q is p else q for q in parts)
                continue
            return None
    return parts if Ellipsis in parts else (*parts, Ellipsis)


class Tensor(
    TensorMethods,
    MathMethods,
    ElementwiseMethods,
    ShapeMethods,
    IndexWriteMethods,
    LinalgMethods,
    RandomMethods,
    SpectralMethods,
    TensorInfo,
    Node,
):
    """An n-dimensional array node. ``.data`` is the ndarray, ``.grad`` its gradient (a Tensor
    without history) or None.

    Only leaf Tensors that require grad (parameters, inputs you ask about) receive ``.grad``
    from ``backward()``; call ``retain_grad()`` on an intermediate one to keep its gradient too.

    ``Tensor(list)`` follows ``torch.Tensor``: a list of numbers is of the default float dtype
    whatever its values (``autograd.tensor`` infers int64 or bool from them); ndarrays keep
    their dtype.
    """

    __slots__ = (
        "_ctx",
        "_data",
        "_grad",
        "requires_grad",
        "_keeps_grad",
        "_vc",
        "_used",
        "_styled",  # (array, its TensorStyleArray) once ``.data`` was read; unset before
        "__dict__",
        "__weakref__",
    )
    _data: np.ndarray
    _grad: Tensor | None
    _styled: tuple[np.ndarray, np.ndarray]  # set only once ``.data`` is read
    grad: Tensor | None  # a property made below the class
    _vc: list[int] | None  # [version, WRITES stamp of the last in-place write], made lazily
    _used: int  # how many recorded ops have taken this tensor as an input
    # Views and their bases (views.py): class defaults, set in the instance's __dict__ only by
    # view ops (nothing to initialise or read on the ordinary op path)
    _view_of: ViewInfo | None = None  # on a view: its root base and how to retake it
    _views: list | None = None  # on a base: weak references to its views
    _broadcasts = True
    _versioned = True  # ops note the versions of the tensors whose data they save
    # a gradient's rows when it came from sparse=True lookups only (see row_grad), else None
    _sparse_rows: np.ndarray | None = None
    is_sparse = False  # (sparse COO tensors are the subclass in sparse_tensor.py)
    layout = strided
    __hash__ = Node.__hash__

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, device: Any = None
    ) -> None:
        if type(data) is builtins.int and type(requires_grad) is builtins.int:
            # PyTorch's legacy ``torch.Tensor(2, 3)``: sizes, not data (a float tensor of
            # that shape; zeros here, uninitialised there)
            sizes = [data, requires_grad] + [a for a in (dtype, device) if type(a) is builtins.int]
            data, requires_grad, dtype, device = (
                np.zeros(sizes, get_default_dtype()),
                False,
                None,
                None,
            )
        elif isinstance(data, Size):  # ``torch.Tensor(x.size())``: a shape too
            data = np.zeros(tuple(data), get_default_dtype())
        elif dtype is None and isinstance(data, (list, tuple)):
            # ``torch.Tensor([0])`` is a float tensor (``torch.tensor([0])`` infers int64)
            data = _default_float_unless_complex(as_array(data))
        check_device(device, "Tensor")
        self._init_node(as_array(data, dtype), None, False)
        if requires_grad:
            _check_can_require_grad(self._data.dtype)
            self.requires_grad = True

    def __getstate__(self) -> Any:
        # copies and pickles leave out ``.data``'s cached view: a copy of it would not share
        # the copied array's memory
        slots = {}
        for cls in type(self).__mro__:
            for name in cls.__dict__.get("__slots__", ()):
                if name not in _UNCOPIED_SLOTS and hasattr(self, name):
                    slots[name] = getattr(self, name)
        return (self.__dict__ or None, slots)

    def _init_node(self, data: np.ndarray, ctx: Any, requires_grad: bool) -> None:
        self._data = data
        self._grad = None
        self.requires_grad = requires_grad
        self._keeps_grad = False
        self._vc = None
        self._used = 0
        self._ctx = ctx

    @classmethod
    def _from_op(cls, data: Any, ctx: Any) -> Tensor:
        t = Tensor.__new__(Tensor)
        t._data = data if type(data) is np.ndarray else np.asarray(data)
        t._grad = None
        t.requires_grad = ctx is not None
        t._keeps_grad = False
        t._vc = None
        t._used = 0
        t._ctx = ctx
        return t

    # (``data`` itself is defined below the class: the ndarray in the ``_data`` slot, read
    # without a Python call; assigning a Tensor or array-like stores its array)

    # (``grad`` itself is defined below the class, as ``data``: the ``_grad`` slot read without
    # a Python call, assignments checked by ``_set_grad``)

    def _set_grad(self, value: Any) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                value = Tensor(np.asarray(value, dtype=self._data.dtype))
            if value.shape != self._data.shape:
                raise RuntimeError(
                    f"assigned grad has shape {tuple(value.shape)}, but the tensor has shape "
                    f"{self.data.shape}"
                )
            if value.dtype != self._data.dtype:
                raise RuntimeError(
                    f"assigned grad has dtype {value.dtype}, but the tensor has dtype "
                    f"{self.data.dtype}"
                )
        self._grad = value

    @property
    def _version(self) -> int:
        """How many times this tensor's data has been modified in place."""
        return 0 if self._vc is None else self._vc[0]

    # --- what the engine needs ---
    def _conform_grad(self, g: Any) -> Any:
        target = self._data.shape
        if isinstance(g, Node):  # (create_graph): the same, as recorded ops
            gt: Any = g
            if gt.shape != target:
                gt = sum_to(gt, target)
            return gt if gt.dtype == self._data.dtype else gt.to(self._data.dtype)
        if type(g) is not np.ndarray and type(g) is not RowGrad:
            g = np.asarray(g, dtype=self._data.dtype)
        if g.shape != target:
            g = sum_to(g, target)
        if g.dtype != self._data.dtype:
            g = g.astype(self._data.dtype)
        return g

    def _store_grad(self, g: Any, interior: bool) -> None:
        current = self._grad
        if isinstance(g, Node):
            # backward(create_graph=True): .grad keeps its graph, as PyTorch's (which refers
            # back to this tensor: a cycle until .grad is reset, as there)
            summed: Any = g if current is None else current + g
            self._grad = summed
        elif current is None:
            # Keep ``g`` itself when nothing else can see it (it owns its memory and only the
            # engine's and this frame's names refer to it); otherwise store a private copy,
            # so that in-place changes to ``.grad`` can never reach another array.
            dtype = self._data.dtype
            owned = (
                type(g) is np.ndarray
                and g.base is None
                and g.dtype == dtype
                and g.flags.writeable
                and sys.getrefcount(g) <= _ENGINE_REFS
            )
            grad = _new_tensor(Tensor)  # as _from_op(g, None), without a call
            grad._data = g if owned else np.array(g, dtype=dtype)
            grad._grad = None
            grad.requires_grad = grad._keeps_grad = False
            grad._vc = grad._ctx = None
            grad._used = 0
            self._grad = grad
        else:
            acc = current._data
            if acc.shape == self._data.shape and acc.flags.writeable:
                np.add(acc, g, out=acc, casting="unsafe")  # accumulate in place, as PyTorch
                inplace.bump_version(current)
            else:
                current._data = (acc + g).astype(self._data.dtype, copy=False)
        if type(g) is RowGrad or (current is not None and current._sparse_rows is not None):
            before = NO_ROWS if current is None else current._sparse_rows
            self._grad._sparse_rows = merged_rows(before, g)  # type: ignore[union-attr]
        if hooks.REGISTERED[0] and self._ctx is None:
            self._run_post_accumulate_hooks()

    def _default_seed(self) -> np.ndarray:
        if self._data.dtype.kind == "c":
            raise RuntimeError(
                "backward() without a grad argument works only for real outputs; this Tensor "
                f"is {self._data.dtype} (grad can be implicitly created only for real scalar "
                "outputs): reduce a real function of it, e.g. .abs().sum() or .real.sum()"
            )
        if self._data.size != 1:
            raise RuntimeError(
                f"backward() without a grad argument works only for single-element outputs; "
                f"this Tensor has shape {self.data.shape}. Reduce it (e.g. .sum()) or pass "
                f"grad= of shape {self.data.shape}"
            )
        return ones_array(self._data.shape, self._data.dtype)

    def _seed(self, grad: Any) -> Any:
        if grad is None:
            return self._default_seed()
        g = grad._data if isinstance(grad, Node) else grad
        g = np.asarray(g, dtype=self._data.dtype)
        if g.shape != self._data.shape:
            if g.size == 1 and self._data.size == 1:
                return g.reshape(self._data.shape)
            raise ValueError(
                f"backward(gradient): gradient has shape {g.shape} but the output has shape "
                f"{self.data.shape}"
            )
        return g

    def register_hook(self, hook: Any) -> Any:
        """Call ``hook(grad)`` whenever backward computes this tensor's gradient; a Tensor it
        returns replaces the gradient. Returns a handle whose ``remove()`` unregisters it."""
        return hooks.register(self, hook)

    def retain_grad(self) -> None:
        """Keep this (intermediate) Tensor's gradient in ``.grad`` after backward."""
        self._keeps_grad = True

    # --- attributes ---
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    def size(self, dim: int | None = None) -> Any:
        """The shape (PyTorch's ``size()``), or the length of one dim."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[reductions.normalize_axis(dim, max(self.ndim, 1), "size")]

    @property
    def T(self) -> Tensor:
        """The dims reversed (a matrix transposed)."""
        return self.permute(tuple(range(self.ndim))[::-1])

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return len(self._data)

    def numpy(self) -> np.ndarray:
        """The data (the same array, not a copy; PyTorch's ``.numpy()`` shares memory too)."""
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """numpy's conversion: a copy (``np.asarray(t)`` too), unless numpy asks for none."""
        if copy is False:
            if dtype is not None and np.dtype(dtype) != self._data.dtype:
                raise ValueError(
                    f"cannot convert a {self.data.dtype} Tensor to {dtype} without a copy"
                )
            return self._data
        return np.array(self._data, dtype=dtype, copy=True)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """numpy meets a Tensor: ``ndarray += t`` writes into the ndarray; ``ndarray + t`` and
        other binary operators give Tensors (recorded); other ufuncs run on the data."""
        out = kwargs.get("out")
        if out is not None:
            if any(isinstance(o, Tensor) for o in out):
                return NotImplemented
            raw = tuple(x._data if isinstance(x, Node) else x for x in inputs)
            return getattr(ufunc, method)(*raw, **kwargs)
        if method == "__call__" and not kwargs and len(inputs) == 2:
            names = _UFUNC_OPERATORS.get(ufunc)
            if names is not None:
                a, b = inputs
                if isinstance(a, Tensor):
                    return getattr(a, names[0])(b)
                return getattr(b, names[1])(a)
        if any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
            raise TypeError(
                f"numpy's {ufunc.__name__} cannot take a Tensor that requires grad (the "
                "gradient would be lost); use the Tensor's own function, or .detach() first"
            )
        raw = tuple(x._data if isinstance(x, Node) else x for x in inputs)
        result = getattr(ufunc, method)(*raw, **kwargs)
        if isinstance(result, tuple):
            return tuple(Tensor(r) for r in result)
        return Tensor(result) if isinstance(result, (np.ndarray, np.generic)) else result

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        """numpy functions (``np.sum(t)``, ``np.allclose(t, a)``...) run on the data and give
        numpy results; none of them records a graph."""
        return func(*_unwrap(args), **_unwrap(kwargs))

    def to_sparse(self, sparse_dim: builtins.int | None = None) -> Tensor:
        """This tensor as a sparse COO tensor holding its nonzero entries (in its first
        ``sparse_dim`` dims, all by default), differentiable."""
        from .sparse_tensor import dense_to_sparse

        return dense_to_sparse(self, sparse_dim)

    def item(self) -> float:
        """The single element as a Python number."""
        if self._data.size != 1:
            raise ShapeError(
                f"item(): the Tensor has {self.data.size} elements, not 1 (shape {self.data.shape})"
            )
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def detach(self) -> Tensor:
        """A new leaf sharing this data (and its version counter), cut off from the graph."""
        t = Tensor.__new__(Tensor)
        t._init_node(self._data, None, False)
        if self._vc is None:
            self._vc = [0, 0]
        t._vc = self._vc
        return t

    def detach_(self) -> Tensor:
        """Cut this tensor off from the graph in place: it becomes a leaf without grad. A
        view refuses (as in PyTorch: it would stay a view of a base in the graph)."""
        if self._view_of is not None:
            raise RuntimeError(
                "detach_: Can't detach views in-place. Use detach() instead (it returns a new "
                "tensor sharing the data, outside the graph)"
            )
        self._ctx = None
        self.requires_grad = False
        return self

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (on leaves) and return self."""
        if requires_grad:
            _check_can_require_grad(self._data.dtype)
        if self._ctx is not None and not requires_grad:
            raise RuntimeError("requires_grad_(False) on a non-leaf Tensor: use detach()")
        self.requires_grad = bool(requires_grad)
        return self

    def zero_grad(self) -> None:
        """Forget the gradient (``.grad = None``)."""
        self._grad = None

    # --- copies, dtypes and devices ---
    def clone(self, *, memory_format: Any = None) -> Tensor:
        """A copy of the data that stays in the graph (gradients flow back to this tensor);
        ``memory_format`` is checked (layouts do not change values)."""
        check_memory_format(memory_format, "clone", self.ndim)
        return conversion.Clone.apply(self)

    def contiguous(self, memory_format: Any = None) -> Tensor:
        """This tensor if its data is one C-ordered block, else a copy that is (in the graph)."""
        check_memory_format(memory_format, "contiguous", self.ndim)
        if memory_format is preserve_format:
            raise RuntimeError(
                "contiguous: preserve memory format is unsupported by the contiguous operator"
            )
        return self if self._data.flags.c_contiguous else conversion.Clone.apply(self, "C")

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other_tensor)``:
        this tensor when nothing changes, else a cast that stays in the graph."""
        dtype = kwargs.pop("dtype", None)
        kwargs.pop("non_blocking", None)
        copy = bool(kwargs.pop("copy", False))
        check_device(kwargs.pop("device", None), "Tensor.to")
        check_memory_format(kwargs.pop("memory_format", None), "Tensor.to", self.ndim)
        if kwargs:
            raise TypeError(f"Tensor.to: unexpected arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif is_device(a):
                check_device(a, "Tensor.to")
            elif a is not None:
                dtype = a
        target = self._data.dtype if dtype is None else np.dtype(dtype)
        if target == self._data.dtype:
            return self.clone() if copy else self
        return conversion.Cast.apply(self, target)

    def type(self, dtype: Any = None, non_blocking: builtins.bool = False, **kwargs: Any) -> Any:
        """Without ``dtype``: PyTorch's type name ('torch.FloatTensor', 'torch.LongTensor'...).
        With one (a dtype, ``FloatTensor`` and friends, or such a name): this tensor cast to
        it, or this tensor itself when it already has it."""
        if dtype is None:
            return legacy_type_name(self._data.dtype)
        if isinstance(dtype, str):
            dtype = dtype_of_legacy_type_name(dtype)
        return self.to(getattr(dtype, "dtype", dtype))  # a dtype, or FloatTensor and friends

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in ``other``'s dtype."""
        return self.to(other.dtype)

    def float(self) -> Tensor:
        """As float32."""
        return self.to(np.float32)

    def double(self) -> Tensor:
        """As float64."""
        return self.to(np.float64)

    def half(self) -> Tensor:
        """As float16."""
        return self.to(np.float16)

    def long(self) -> Tensor:
        """As int64 (no gradient flows through an integer tensor)."""
        return self.to(np.int64)

    def int(self) -> Tensor:
        """As int32."""
        return self.to(np.int32)

    def short(self) -> Tensor:
        """As int16."""
        return self.to(np.int16)

    def bool(self) -> Tensor:
        """As bool."""
        return self.to(np.bool_)

    def byte(self) -> Tensor:
        """As uint8."""
        return self.to(np.uint8)

    def char(self) -> Tensor:
        """As int8."""
        return self.to(np.int8)

    def cfloat(self) -> Tensor:
        """As complex64."""
        return self.to(np.complex64)

    def cdouble(self) -> Tensor:
        """As complex128."""
        return self.to(np.complex128)

    def astype(self, dtype: Any) -> Tensor:
        """numpy's spelling of ``to(dtype)``."""
        return self.to(dtype)

    def cpu(self) -> Tensor:
        """This tensor (everything lives on the CPU)."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        """Always an error: no CUDA device here."""
        check_device("cuda", "Tensor.cuda")
        return self

    @property
    def device(self) -> Any:
        """``device('cpu')``."""
        return CPU

    @property
    def is_cuda(self) -> builtins.bool:
        return False

    def is_floating_point(self) -> builtins.bool:
        """True for float16/32/64 tensors."""
        return self._data.dtype.kind == "f"

    def element_size(self) -> builtins.int:
        """Bytes per element."""
        return self._data.itemsize

    # --- Python numbers and formatting ---
    def _one(self, what: str) -> Any:
        if self._data.size != 1:
            raise ValueError(
                f"{what}: only a one-element Tensor converts to a Python number; this one has "
                f"shape {self.data.shape}"
            )
        return self._data.item()

    def __float__(self) -> builtins.float:
        return float(self._one("float()"))

    def __int__(self) -> builtins.int:
        return int(self._one("int()"))

    def __index__(self) -> builtins.int:
        if self._data.dtype.kind not in "iub":
            raise TypeError(
                f"only integer tensors of a single element can be used as an index "
                f"(this one has dtype {self.data.dtype})"
            )
        return int(self._one("index"))

    def __complex__(self) -> complex:
        return complex(self._one("complex()"))

    def __format__(self, spec: str) -> str:
        if self._data.size == 1 and self._data.ndim == 0 or spec and self._data.size == 1:
            return format(self._data.item(), spec)
        if spec:
            raise TypeError(
                f"unsupported format string {spec!r} for a Tensor of shape {self.data.shape} "
                "(only one-element tensors take a number format)"
            )
        return str(self)

    # --- in-place operations (see autograd/inplace.py for the rules) ---
    def _inplace(self, compute: Any, op: str) -> Tensor:
        return inplace.modify(self, compute, op)

    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace(lambda t: t + other, "+=")

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace(lambda t: t - other, "-=")

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace(lambda t: t * other, "*=")

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace(lambda t: t / other, "/=")

    def __ipow__(self, other: Any) -> Tensor:
        return self._inplace(lambda t: t**other, "**=")

    def add_(self, other: Any, alpha: Any = 1) -> Tensor:
        """``self += alpha * other`` in place."""
        return self._inplace(lambda t: t + (other if alpha == 1 else other * alpha), "add_")

    def sub_(self, other: Any, alpha: Any = 1) -> Tensor:
        """``self -= alpha * other`` in place."""
        return self._inplace(lambda t: t - (other if alpha == 1 else other * alpha), "sub_")

    def mul_(self, other: Any) -> Tensor:
        """``self *= other`` in place."""
        return self._inplace(lambda t: t * other, "mul_")

    def div_(self, other: Any, rounding_mode: str | None = None) -> Tensor:
        """``self /= other`` in place."""
        if rounding_mode is not None:
            raise NotImplementedError("div_: rounding_mode is not supported; use // instead")
        return self._inplace(lambda t: t / other, "div_")

    def pow_(self, exponent: Any) -> Tensor:
        """``self **= exponent`` in place."""
        return self._inplace(lambda t: t**exponent, "pow_")

    def neg_(self) -> Tensor:
        """``self = -self`` in place."""
        return self._inplace(lambda t: -t, "neg_")

    def exp_(self) -> Tensor:
        """``self = exp(self)`` in place."""
        return self._inplace(lambda t: t.exp(), "exp_")

    def lerp_(self, end: Any, weight: Any) -> Tensor:
        """``self += weight * (end - self)`` in place (an exponential moving average step)."""
        return self._inplace(lambda t: t.lerp(end, weight), "lerp_")

    def addcmul_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self += value * tensor1 * tensor2`` in place."""
        return self._inplace(lambda t: t.addcmul(tensor1, tensor2, value=value), "addcmul_")

    def addcdiv_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self += value * tensor1 / tensor2`` in place."""
        return self._inplace(lambda t: t.addcdiv(tensor1, tensor2, value=value), "addcdiv_")

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        """Limit to [min, max] in place."""
        return self._inplace(lambda t: t.clamp(min, max), "clamp_")

    clip_ = clamp_

    def scatter_(
        self,
        dim: builtins.int,
        index: Any,
        src: Any = None,
        value: Any = None,
        *,
        reduce: Any = None,
    ) -> Tensor:
        """``scatter`` in place (one-hot rows: ``zeros(n, k).scatter_(1, y[:, None], 1)``)."""
        return self._inplace(lambda t: t.scatter(dim, index, src, value, reduce=reduce), "scatter_")

    def scatter_add_(self, dim: builtins.int, index: Any, src: Any) -> Tensor:
        """``scatter_add`` in place."""
        return self._inplace(lambda t: t.scatter_add(dim, index, src), "scatter_add_")

    def scatter_reduce_(
        self,
        dim: builtins.int,
        index: Any,
        src: Any,
        reduce: builtins.str,
        *,
        include_self: builtins.bool = True,
    ) -> Tensor:
        """``scatter_reduce`` in place."""
        return self._inplace(
            lambda t: t.scatter_reduce(dim, index, src, reduce, include_self=include_self),
            "scatter_reduce_",
        )

    def index_add_(self, dim: builtins.int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """``index_add`` in place."""
        return self._inplace(lambda t: t.index_add(dim, index, source, alpha=alpha), "index_add_")

    def fill_diagonal_(self, fill_value: Any, wrap: builtins.bool = False) -> Tensor:
        """Write ``fill_value`` on the main diagonal (all dims equal, or a tall matrix; with
        ``wrap`` a tall matrix's diagonal restarts every ncols + 1 rows), in place."""
        d = self._data
        if d.ndim < 2 or (d.ndim > 2 and len(set(d.shape)) != 1):
            raise ValueError(
                f"fill_diagonal_: needs a matrix or a tensor with all dims equal, got {d.shape}"
            )
        mask = np.zeros(d.shape, dtype=bool)
        if d.ndim == 2:
            rows, cols = d.shape
            step = cols + 1
            end = rows * cols if wrap else min(rows, cols) * cols
            mask.reshape(-1)[:end:step] = True
        else:
            mask[(np.arange(d.shape[0]),) * d.ndim] = True
        return self.masked_fill_(mask, fill_value)

    def zero_(self) -> Tensor:
        """Fill with zeros in place (a gradient from sparse lookups then holds no rows)."""
        forget_rows(self)
        return self.fill_(0)

    def fill_(self, value: Any) -> Tensor:
        """Fill with ``value`` (a number or a one-element tensor) in place."""
        if isinstance(value, Tensor) and value._data.size != 1:
            raise RuntimeError(
                f"fill_: the value must be a number or a one-element tensor, got shape "
                f"{value.shape}"
            )
        value = checked_scalar(value, self._data.dtype, "fill_")
        return self._inplace(lambda t: _full_as(t, value), "fill_")

    def copy_(self, src: Any) -> Tensor:
        """Copy ``src`` (broadcast to this shape, cast to this dtype) into this tensor."""
        return self._inplace(lambda t: _full_as(t, src), "copy_")

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        """Write ``value`` where ``mask`` is True, in place."""
        return self._inplace(lambda t: t.masked_fill(mask, value), "masked_fill_")

    def uniform_(
        self, a: builtins.float = 0.0, b: builtins.float = 1.0, *, generator: Any = None
    ) -> Tensor:
        """Fill with samples from U(a, b), drawn from the library's generator."""
        rng = resolve_generator(generator, "uniform_")
        return self._inplace(lambda t: _full_as(t, rng.uniform(a, b, t.shape)), "uniform_")

    def normal_(
        self, mean: builtins.float = 0.0, std: builtins.float = 1.0, *, generator: Any = None
    ) -> Tensor:
        """Fill with samples from N(mean, std^2), drawn from the library's generator."""
        rng = resolve_generator(generator, "normal_")
        return self._inplace(lambda t: _full_as(t, rng.normal(mean, std, t.shape)), "normal_")

    def __setitem__(self, index: Any, value: Any) -> None:
        _refuse_uint8_mask_fill(index, value)
        _warn_uint8_index(index)
        raw = _raw_index(index)
        value = checked_scalar(value, self._data.dtype, "index assignment", half_rounds=True)
        if isinstance(value, Tensor) and not value.requires_grad:
            value = value._data
        self._inplace(lambda t: index_put.IndexPut.apply(t, raw, value), "index assignment")

    def __repr__(self) -> str:
        """PyTorch's layout (see ``autograd.printing``): ``tensor([0.2429, 0.5899])``, then
        the dtype where it is not the default, and ``grad_fn=<MulBackward0>`` or
        ``requires_grad=True``."""
        if self._ctx is not None:
            history = [f"grad_fn=<{node_name(self._ctx)}>"]
        else:
            history = ["requires_grad=True"] if self.requires_grad else []
        return printing.tensor_repr(self._data, history)

    def __bool__(self) -> builtins.bool:
        """The single entry's truth; PyTorch's RuntimeError for empty or many-valued tensors
        (``if m.bias:`` on a layer's bias vector)."""
        if self._data.size != 1:
            what = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {what} is ambiguous")
        return bool(self._data)

    # --- products and comparisons ---
    def __matmul__(self, other: Any) -> Tensor:
        return matmul.MatMul.apply(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return matmul.MatMul.apply(other, self)

    def _compare(self, other: Any, op: Any) -> Any:
        if isinstance(other, Node):
            other = other._data
        elif not isinstance(other, _COMPARABLE):
            return NotImplemented  # let the other side decide (e.g. pytest.approx)
        return Tensor(op(*common_operands(self._data, other)))

    # bitwise and logical operators: bool and integer tensors, no gradient
    def _bitwise(self, other: Any, op: Any, name: str) -> Any:
        if isinstance(other, Node):
            other = other._data
        elif not isinstance(other, _COMPARABLE):
            return NotImplemented
        for dt in (self._data.dtype, np.asarray(other).dtype):
            if dt.kind not in "biu":
                raise TypeError(
                    f"{name}: only bool and integer tensors take bitwise operators, got {dt}"
                )
        return Tensor(op(*common_operands(self._data, other)))

    def __and__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_and, "&")

    __rand__ = __and__

    def __or__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_or, "|")

    __ror__ = __or__

    def __xor__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_xor, "^")

    __rxor__ = __xor__

    def __invert__(self) -> Tensor:
        if self._data.dtype.kind not in "biu":
            raise TypeError(f"~: only bool and integer tensors can be inverted, got {self.dtype}")
        return Tensor(np.invert(self._data))

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
        keepdims: builtins.bool = False,
        *,
        dim: Any = None,
        keepdim: builtins.bool | None = None,
        dtype: Any = None,
    ) -> Tensor:
        """Sum over ``axis`` (all axes when None); ``dtype`` casts the input first."""
        if dtype is not None:
            return self.to(dtype).sum(axis, keepdims, dim=dim, keepdim=keepdim)
        if axis is None and dim is None and keepdim is None and keepdims is False:
            return apply_to_node(reductions.Sum, self, None, False)  # sum(): the common case
        return self._reduce(reductions.Sum, "sum", axis, keepdims, dim, keepdim)

    def _reduce(self, op: Any, name: str, axis: Any, keepdims: Any, dim: Any, keepdim: Any) -> Any:
        axis, keepdims = _axis_args(axis, dim, keepdims, keepdim)
        if isinstance(axis, (tuple, list)) and len(axis) == 0:
            axis = None  # PyTorch's: dim=() reduces every dim
        return apply_to_node(op, self, reductions.normalize_axes(axis, self.ndim, name), keepdims)

    def mean(
        self,
        axis: Any = None,
        keepdims: builtins.bool = False,
        *,
        dim: Any = None,
        keepdim: builtins.bool | None = None,
        dtype: Any = None,
    ) -> Tensor:
        """Mean over ``axis`` (all axes when None or ()); ``dtype`` casts the input first."""
        if dtype is not None:
            return self.to(dtype).mean(axis, keepdims, dim=dim, keepdim=keepdim)
        if self._data.dtype.kind not in "fc":
            raise DtypeError(
                f"mean: expected a floating tensor, got dtype {self.dtype} (PyTorch's rule; "
                "convert with .float() first)"
            )
        if axis is None and dim is None and keepdim is None and keepdims is False:
            return apply_to_node(reductions.Mean, self, None, False)  # mean(): the common case
        return self._reduce(reductions.Mean, "mean", axis, keepdims, dim, keepdim)

    def var(
        self,
        dim: Any = None,
        unbiased: builtins.bool | None = None,
        keepdim: builtins.bool | None = None,
        *,
        correction: builtins.float | None = None,
        axis: Any = None,
        keepdims: builtins.bool | None = None,
        ddof: builtins.float | None = None,
    ) -> Tensor:
        """Variance over ``dim`` (all when None), dividing by n - correction.

        Unbiased by default (correction=1, PyTorch's); ``unbiased=False``, ``correction=0``
        or numpy's ``ddof=0`` give the population variance.
        """
        var = self._wide_var(dim, unbiased, keepdim, correction, axis, keepdims, ddof)
        return var if var.dtype == self._data.dtype else var.to(self._data.dtype)

    def _wide_var(
        self,
        dim: Any,
        unbiased: builtins.bool | None,
        keepdim: builtins.bool | None,
        correction: builtins.float | None,
        axis: Any,
        keepdims: builtins.bool | None,
        ddof: builtins.float | None,
        op: str = "var",
    ) -> Tensor:
        """``var`` in the dtype it accumulates in (float64 for narrower floats), not rounded."""
        dim, keep, corr = _var_args(dim, unbiased, keepdim, correction, axis, keepdims, ddof)
        if self.dtype.kind != "f":
            raise DtypeError(f"var/std: expected a floating tensor, got dtype {self.dtype}")
        if isinstance(dim, (tuple, list)) and len(dim) == 0:
            dim = None
        axes = reductions.normalize_axes(dim, self.ndim, "var")
        n = self._data.size if axes is None else math.prod(self.shape[a] for a in axes)
        # narrower floats accumulate in float64 and round once at the end, as PyTorch's CPU
        # kernel does (squares of float32 entries beyond ~1e19 would overflow float32)
        x = self.double() if self._data.dtype.itemsize < 8 else self
        centred = x - x.mean(axes, keepdims=True)
        # n <= correction divides by zero or a negative count: inf or nan, as PyTorch
        scale = 1.0 / (n - corr) if n > corr else np.inf if n else np.nan
        if n <= corr:
            warnings.warn(
                f"{op}(): degrees of freedom is <= 0. Correction should be strictly less than "
                "the reduction factor (input numel divided by output numel).",
                UserWarning,
                stacklevel=3,
            )
        with np.errstate(invalid="ignore"):  # 0 * inf: the nan PyTorch gives, without a warning
            return (centred * centred).sum(axis=axes, keepdims=keep) * scale

    def std(
        self,
        dim: Any = None,
        unbiased: builtins.bool | None = None,
        keepdim: builtins.bool | None = None,
        *,
        correction: builtins.float | None = None,
        axis: Any = None,
        keepdims: builtins.bool | None = None,
        ddof: builtins.float | None = None,
    ) -> Tensor:
        """Standard deviation: sqrt of ``var`` with the same arguments (unbiased by default).

        Where the variance is 0 the gradient is 0 (PyTorch's), not 0 / 0 = nan. Narrower
        floats take the root in float64 and round once (a float32 variance of ~1e-60 would
        round to 0 first).
        """
        d = _var_args(dim, unbiased, keepdim, correction, axis, keepdims, ddof)[0]
        if not (isinstance(d, (tuple, list)) and len(d) == 0):
            reductions.normalize_axes(d, self.ndim, "std")
        root = _sqrt_zero_safe(
            self._wide_var(dim, unbiased, keepdim, correction, axis, keepdims, ddof, "std")
        )
        return root if root.dtype == self._data.dtype else root.to(self._data.dtype)

    def max(
        self,
        dim: Any = None,
        keepdim: builtins.bool | None = None,
        *,
        axis: Any = None,
        keepdims: builtins.bool | None = None,
    ) -> Any:
        """The largest entry; with ``dim``, the pair (values, indices) along that dim.

        ``t.max(other_tensor)`` is ``maximum``. Gradients: without dim, tied maxima share it
        equally; with dim, the returned index gets it all (PyTorch's).
        """
        return self._max_min(dim, keepdim, axis, keepdims, "max")

    def min(
        self,
        dim: Any = None,
        keepdim: builtins.bool | None = None,
        *,
        axis: Any = None,
        keepdims: builtins.bool | None = None,
    ) -> Any:
        """The smallest entry; with ``dim``, the pair (values, indices) along that dim."""
        return self._max_min(dim, keepdim, axis, keepdims, "min")

    def _max_min(self, dim: Any, keepdim: Any, axis: Any, keepdims: Any, name: str) -> Any:
        if isinstance(dim, (Node, np.ndarray)):
            return self.maximum(dim) if name == "max" else self.minimum(dim)
        dim, keep = _axis_args(axis, dim, keepdims, keepdim)
        if dim is None:
            if self._data.size == 0:
                raise ValueError(
                    f"{name}(): the tensor is empty (shape {self.shape}); give a dim to reduce"
                )
            op = reductions.Max if name == "max" else reductions.Min
            return op.apply(self, None, False, True)
        pick = np.argmax if name == "max" else np.argmin
        return self._extreme_along(pick, name, dim, keep)

    # --- shape ---
    def reshape(self, *sizes: Any, shape: Any = None) -> Tensor:
        """Same data in a new shape (numpy's rules, one -1 allowed): a view when the data's
        layout allows it (as PyTorch's), else a copy. The shape is given as separate sizes,
        one sequence, or torch's keyword ``shape=`` (MAE's ``x.reshape(shape=(n, h, w))``)."""
        new = _shape_or_keyword(sizes, shape, "reshape", "shape")
        out = shape_ops.Reshape.apply(self, new)
        # numpy's copy of a non-contiguous array has a base too (its own buffer): only shared
        # memory makes a view, whose in-place changes would reach ``self``
        data = out._data
        if data.base is not None and (data.size == 0 or np.may_share_memory(data, self._data)):
            new = data.shape
            mark_view(out, self, lambda a: a.reshape(new))
        return out

    def view(self, *sizes: Any, size: Any = None) -> Tensor:
        """``reshape`` under torch's other name; the shape as sizes, one sequence or
        ``size=``."""
        return self.reshape(_shape_or_keyword(sizes, size, "view", "size"))

    def transpose(self, dim0: builtins.int, dim1: builtins.int) -> Tensor:
        """Swap two dims (PyTorch's transpose; ``permute`` reorders all of them)."""
        nd = max(self.ndim, 1)
        a = reductions.normalize_axis(dim0, nd, "transpose")
        b = reductions.normalize_axis(dim1, nd, "transpose")
        if self.ndim == 0:
            return self.permute(())
        perm = list(range(self.ndim))
        perm[a], perm[b] = perm[b], perm[a]
        return self._permuted(tuple(perm))

    def _permuted(self, perm: Any) -> Tensor:
        out = shape_ops.Transpose.apply(self, perm)
        return mark_view(out, self, lambda a: a.transpose(perm))

    swapaxes = swapdims = transpose

    def permute(self, *dims: Any) -> Tensor:
        """Reorder the dims: result dim i is input dim ``dims[i]``."""
        dims = shape_from_args(dims)
        if len(dims) != self.ndim:
            raise ValueError(
                f"permute: dims {dims} are not a permutation of the {self.ndim} dims of a "
                f"tensor of shape {self.shape}"
            )
        perm = reductions.normalize_axes(dims, self.ndim, "permute")
        return self._permuted(perm)

    def squeeze(self, axis: Any = None, *, dim: Any = None) -> Tensor:
        """Drop axes of length 1 (all of them, or those given); a given axis of another length
        stays, as in PyTorch."""
        axis, _ = _axis_args(axis, dim, None, None)
        if self.ndim == 0:  # PyTorch takes dim 0 or -1 of a 0-d tensor: nothing to drop
            reductions.normalize_axes(axis, 1, "squeeze")
            return self.reshape(())
        axes = reductions.normalize_axes(axis, self.ndim, "squeeze")
        drop = range(self.ndim) if axes is None else axes
        new = tuple(s for i, s in enumerate(self.shape) if s != 1 or i not in drop)
        out = self.reshape(new)
        # PyTorch's node by the form of the call: no dim, one int, a sequence of dims
        form = 0 if axis is None else 1 if isinstance(axis, (builtins.int, np.integer)) else 2
        present_as(out, f"SqueezeBackward{form}", (self,))
        return out

    def unsqueeze(
        self, axis: builtins.int | None = None, *, dim: builtins.int | None = None
    ) -> Tensor:
        """Insert an axis of length 1 at ``axis`` (``dim`` in PyTorch)."""
        axis, _ = _axis_args(axis, dim, None, None)
        if axis is None:
            raise TypeError("unsqueeze: missing the axis (or dim) argument")
        if not -self.ndim - 1 <= axis <= self.ndim:
            raise DimError(
                f"unsqueeze: dim {axis} is out of range for a tensor with {self.ndim} dims "
                f"(expected to be in range of [{-self.ndim - 1}, {self.ndim}])"
            )
        axis = axis % (self.ndim + 1)
        out = self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])
        present_as(out, "UnsqueezeBackward0", (self,))
        return out

    def flatten(self, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
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
        merged = int(np.prod(self.shape[s : e + 1]))  # not -1: ambiguous when a size is 0
        return self.reshape(self.shape[:s] + (merged,) + self.shape[e + 1 :])

    def broadcast_to(self, *shape: Any) -> Tensor:
        """Repeat along axes of length 1 (and new leading axes) to reach ``shape``."""
        target = shape_from_args(shape)
        out = shape_ops.BroadcastTo.apply(self, target)
        return mark_view(out, self, lambda a: np.broadcast_to(a, target))

    def expand(self, *sizes: Any) -> Tensor:
        """PyTorch's expand: like broadcast_to, with -1 keeping a size."""
        if not sizes:
            raise TypeError("expand() missing the sizes (expand(()) gives a 0-d tensor)")
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
        _warn_uint8_index(index)
        raw = _raw_index(index)
        basic = _basic_index(raw)
        if basic is None:  # integer arrays or masks: a copy, as in PyTorch
            return indexing.GetItem.apply(self, raw)
        out = indexing.GetItem.apply(self, basic)
        return mark_view(out, self, lambda a: a[basic])

    def __iter__(self) -> Any:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d Tensor")
        # the rows, as torch's (unbind's views)
        return (
            _presented_pieces(from_multi_output((self[i],), "unbind"), "UnbindBackward0", self)[0]
            for i in range(len(self._data))
        )


def _get_data(t: Tensor) -> np.ndarray:
    """``t.data``: the tensor's array, as a TensorStyleArray on its memory (the same object
    while the tensor keeps that array), so that PyTorch's ``p.data.zero_()``,
    ``w.data.normal_(0, 0.02)`` or ``target.data.copy_(source.data)`` work on it."""
    array = t._data
    seen = getattr(t, "_styled", None)  # (set only here: ops pay nothing for the slot)
    if seen is not None and seen[0] is array:
        return seen[1]
    styled = array.view(TensorStyleArray)
    t._styled = (array, styled)
    return styled


Tensor.data = property(  # type: ignore[assignment]
    _get_data,
    _set_data,
    doc="The values: the numpy array itself (no copy), which also answers Tensor methods "
    "(tensor_style_array); assigning a Tensor or an array stores its array.",
)
Tensor.grad = property(  # type: ignore[assignment]
    Tensor._grad.__get__,  # type: ignore[union-attr]
    Tensor._set_grad,
    doc="The gradient from ``backward()``: a Tensor without history, or None.",
)
Tensor._result_type = Tensor


def _inplace_form(name: str) -> Any:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return self._inplace(lambda t: getattr(t, name)(*args, **kwargs), name + "_")

    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"``self = self.{name}(...)`` in place."
    return method


# x.relu_(), x.sqrt_(), x.atan2_(y), x.tril_(-1) ...: the in-place forms of ops that keep
# the shape (PyTorch's names), with the out-of-place op's arguments
IN_PLACE_FORMS = (
    "abs sqrt rsqrt sigmoid tanh relu log log2 log10 log1p expm1 floor ceil round trunc frac "
    "sign sin cos tan reciprocal square "
    "acos asin atan atan2 arccos arcsin arctan arctan2 cosh sinh erf erfc erfinv exp2 lgamma "
    "digamma polygamma i0 logit sinc hypot copysign xlogy fmod remainder floor_divide fix "
    "negative divide multiply subtract true_divide eq ne lt le gt ge greater greater_equal less "
    "less_equal not_equal logical_and logical_or logical_xor logical_not nan_to_num tril triu "
    "cumsum cumprod addmm baddbmm addbmm "
    "asinh acosh atanh arcsinh arccosh arctanh absolute sgn deg2rad rad2deg heaviside "
    "ldexp nextafter gcd lcm bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift "
    "bitwise_right_shift index_fill index_copy index_put masked_scatter put addmv addr renorm"
).split()
for _name in IN_PLACE_FORMS:
    setattr(Tensor, _name + "_", _inplace_form(_name))


def _view_form(name: str) -> Any:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return inplace.restride(self, lambda t: getattr(t, name)(*args, **kwargs), name + "_")

    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"``self`` becomes ``self.{name}(...)`` (a view of the same data) in place."
    return method


# x.squeeze_(), x.t_() ...: in-place shape changes (the values stay)
VIEW_FORMS = "squeeze unsqueeze t transpose swapdims swapaxes".split()
for _name in VIEW_FORMS:
    setattr(Tensor, _name + "_", _view_form(_name))


def _clamp_one_side(name: str, kw: str) -> Any:
    def method(self: Tensor, bound: Any) -> Tensor:
        return self._inplace(lambda t: t.clamp(**{kw: bound}), name)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``clamp({kw}=...)`` in place."
    return method


Tensor.clamp_min_ = _clamp_one_side("clamp_min_", "min")  # type: ignore[attr-defined]
Tensor.clamp_max_ = _clamp_one_side("clamp_max_", "max")  # type: ignore[attr-defined]
