"""Arrays that answer torch.Tensor's methods, so that PyTorch code using them runs unchanged:
``t.data`` (``TensorStyleArray``) and what a user's ``Function`` receives (``FunctionArray``).

PyTorch code calls Tensor methods on ``p.data`` (``p.data.zero_()``, ``w.data.normal_(0,
0.02)``, ``target.data.copy_(source.data)``, ``x.data.cpu().numpy()``) and on what a custom
Function's forward and backward get (``input.clamp(min=0)``, ``grad_output.clone()``,
``input.mm(weight.t())``, ``i.exp()``). Both are ndarrays here (API.md); these subclasses keep
every numpy meaning and add:

- every torch.Tensor method or attribute numpy does not have (``clamp``, ``clone``, ``mm``,
  ``t``, ``exp``, ``unsqueeze``, ``expand_as``, ``masked_fill``, ``zero_``, ``normal_``,
  ``copy_``, ``new_zeros``, ``cpu``, ``numpy``...), run by our Tensor on the same memory
  without recording, with array results again of the caller's class (in-place methods write
  into the array and return it);
- torch's spellings where numpy's would fail or do nothing anyone means: ``size(dim)`` (the
  ``size`` attribute stays the element count), ``view(*shape)`` (``view(dtype)`` stays numpy's),
  ``flatten(start_dim, end_dim)``, ``transpose(dim0, dim1)`` (swap two axes, where numpy's
  ``transpose(0, 1)`` of a matrix is the identity), ``max(dim)`` / ``min(dim)`` (torch's
  ``(values, indices)`` pair: ``pred = output.data.max(1)[1]``; ``max()`` and ``max(axis=1)``
  stay numpy's), and torch's keywords on the reductions (``max(dim=1)``, ``std(dim=0)``
  unbiased, ``sort(dim=-1)`` a sorted pair);
- ``.data``: the array itself, as torch's (numpy's buffer object is ``memoryview(a)``).

Where numpy gives a call another meaning (``std()``: biased or not; ``sort()``: in place or
a sorted pair; ``repeat``: entries or tiles), ``t.data`` keeps numpy's, as the ndarray API.md
makes it, and a Function's arrays take torch's, as they stand for tensors in torch code
(except when numpy's own functions call these methods: ``np.unique`` sorts with
``a.sort()``, ``np.tile`` repeats with ``a.repeat(n, 0)``; or with numpy's keywords,
``axis=``, ``ddof=``).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from . import grad_mode

_ndarray = np.ndarray


class _Size(int):
    """The element count (numpy's ``a.size``) that is also torch's ``a.size(dim=None)``."""

    _shape: tuple

    def __call__(self, dim: int | None = None) -> Any:
        from .size import Size

        return Size(self._shape) if dim is None else self._shape[dim]


def _tensor_of(a: Any) -> Any:
    """A Tensor without history on ``a``'s memory (ndarrays), else ``a`` as it is."""
    if isinstance(a, _ndarray):
        from .tensor import Tensor

        return Tensor._from_op(a, None)
    return a


def styled(a: Any) -> Any:
    """A plain ndarray as a FunctionArray on the same memory; anything else as it is."""
    return a.view(FunctionArray) if type(a) is _ndarray else a


def plain(a: Any) -> Any:
    """What a user's rule returned, as raw data: these arrays as plain ndarrays on the same
    memory, a Tensor without history as its array; anything else (a sparse tensor, whose
    data is no array, too) as it is."""
    from .node import Node

    if isinstance(a, TensorStyleArray):
        return a.view(_ndarray)
    if isinstance(a, Node) and not a.requires_grad and not getattr(a, "is_sparse", False):
        return a._data
    return a


def _as_result(value: Any, tensor: Any, raw: np.ndarray, array: TensorStyleArray) -> Any:
    """A Tensor method's result for a TensorStyleArray caller: ``array`` itself where the
    method returned ``tensor`` (the one on ``raw``, its memory), arrays of this class for
    Tensors, and the same for the items of tuples (torch's named pairs too) and lists."""
    from .tensor import Tensor

    if value is tensor:
        if tensor._data is not raw:
            np.copyto(array, tensor._data)  # an in-place method that replaced the array
        return array
    if isinstance(value, Tensor):
        return value._data.view(type(array))
    if isinstance(value, tuple):
        items = [_as_result(v, tensor, raw, array) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, list):
        return [_as_result(v, tensor, raw, array) for v in value]
    return value


class TensorStyleArray(np.ndarray):
    """An ndarray that also answers torch.Tensor's methods (see the module's docstring)."""

    def __repr__(self) -> str:
        return np.array_repr(self.view(_ndarray))

    def _torch(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """``Tensor(self).name(*args, **kwargs)`` on this memory, without recording."""
        raw = self.view(_ndarray)
        tensor = _tensor_of(raw)
        with grad_mode.no_grad():
            value = getattr(tensor, name)(
                *[_tensor_of(a) for a in args], **{k: _tensor_of(v) for k, v in kwargs.items()}
            )
        return _as_result(value, tensor, raw, self)

    def __getattr__(self, name: str) -> Any:
        # only names ndarray lacks reach here; private and dunder names are not torch's API
        from .tensor import Tensor

        if name.startswith("_") or not hasattr(Tensor, name):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        raw = self.view(_ndarray)
        value = getattr(_tensor_of(raw), name)
        if not callable(value):
            return _as_result(value, None, raw, self)

        def method(*args: Any, **kwargs: Any) -> Any:
            return self._torch(name, *args, **kwargs)

        method.__name__ = name
        return method

    @property  # type: ignore[override]
    def data(self) -> TensorStyleArray:  # type: ignore[override]
        """Itself, as a tensor's ``.data.data`` is (numpy's buffer object: ``memoryview(a)``)."""
        return self

    @property  # type: ignore[override]
    def size(self) -> _Size:  # type: ignore[override]
        """numpy's element count, callable as torch's ``size()`` / ``size(dim)``."""
        count = _Size(super().size)
        count._shape = self.shape
        return count

    def view(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """torch's ``view(*shape)`` for sizes (or ``size=``); numpy's ``view(dtype or type)``
        otherwise."""
        if (args and isinstance(args[0], (int, np.integer, tuple, list))) or "size" in kwargs:
            return self._torch("view", *args, **kwargs)
        return super().view(*args, **kwargs)

    def reshape(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """numpy's reshape, which is torch's too; torch's keyword ``shape=`` as well."""
        if "shape" in kwargs and not args:
            return super().reshape(kwargs.pop("shape"), **kwargs)
        return super().reshape(*args, **kwargs)

    def flatten(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """torch's ``flatten(start_dim, end_dim)`` for dims; numpy's ``flatten(order)``."""
        if any(isinstance(a, (int, np.integer)) for a in args) or (
            "start_dim" in kwargs or "end_dim" in kwargs
        ):
            return self._torch("flatten", *args, **kwargs)
        return super().flatten(*args, **kwargs)

    def transpose(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """torch's ``transpose(dim0, dim1)`` (swap two axes); numpy's for an axes tuple."""
        if (len(args) == 2 and all(isinstance(a, (int, np.integer)) for a in args)) or kwargs:
            return self._torch("transpose", *args, **kwargs)
        return super().transpose(*args)


_NUMPY_KEYWORDS = frozenset({"axis", "out", "ddof", "dtype", "keepdims", "kind", "order", "where"})
_TORCH_KEYWORDS = frozenset({"dim", "keepdim", "descending", "unbiased", "correction"})


def _from_numpy(frame: Any) -> bool:
    return str(frame.f_globals.get("__name__", "")).startswith("numpy")


def _dim_aware(name: str, torch_first: bool, torch_given_dim: bool = False) -> Any:
    """The method ``name`` answering torch's call where ``torch_first`` (or, with
    ``torch_given_dim``, where the first argument is a dim), else numpy's."""
    numpy_method = getattr(np.ndarray, name)

    def method(self: TensorStyleArray, *args: Any, **kwargs: Any) -> Any:
        if not _TORCH_KEYWORDS.isdisjoint(kwargs) or (
            (torch_first or (torch_given_dim and args and isinstance(args[0], _INTEGERS)))
            and _NUMPY_KEYWORDS.isdisjoint(kwargs)
            and not _from_numpy(sys._getframe(1))
        ):
            return self._torch(name, *args, **kwargs)
        result = numpy_method(self, *args, **kwargs)
        # a reduction to one number gives numpy's scalar, as for a plain ndarray (numpy hands a
        # subclass a 0-d array); done here rather than in __array_wrap__, which every ufunc on
        # these arrays would call
        if type(result) is not _ndarray and isinstance(result, _ndarray) and not result.ndim:
            return result[()]
        return result

    method.__name__ = method.__qualname__ = name
    method.__doc__ = (
        f"torch's ``{name}``, except for numpy's own functions and calls with numpy's keywords"
        if torch_first
        else f"torch's ``{name}`` given torch's keywords (``dim=``...); numpy's otherwise."
    )
    return method


class FunctionArray(TensorStyleArray):
    """What a user's Function's forward and backward receive: torch's meaning also where numpy
    gives a call another (see the module's docstring)."""


_INTEGERS = (int, np.integer)
# The same meaning in both: numpy's, unless torch's keywords are given
for _name in "sum mean prod all any argmax argmin cumsum cumprod argsort squeeze".split():
    setattr(TensorStyleArray, _name, _dim_aware(_name, torch_first=False))
for _name in "std var sort repeat".split():
    setattr(TensorStyleArray, _name, _dim_aware(_name, torch_first=False))
for _name in "max min".split():
    # given a dim, torch's (values, indices): ``pred.data.max(1)[1]`` is common torch code, and
    # numpy's values there would be indexed silently as the pair
    setattr(TensorStyleArray, _name, _dim_aware(_name, torch_first=False, torch_given_dim=True))
for _name in "max min std var sort repeat".split():
    setattr(FunctionArray, _name, _dim_aware(_name, torch_first=True))
