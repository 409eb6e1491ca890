"""Sparse COO tensors (PyTorch's ``layout=torch.sparse_coo``), enough for graph convolutions.

``sparse_coo_tensor(indices, values, size)`` makes a ``SparseCOOTensor``: a ``Tensor`` whose
data is a ``COOData`` (int64 ``indices`` of shape (sparse_dim, nnz) and ``values`` of shape
(nnz, *dense sizes)), never a dense array. Supported, with PyTorch's semantics:

- construction: ``sparse_coo_tensor`` (size inferred as max index + 1 when omitted; indices
  checked: 2-d integers, same nnz as values, none negative or out of range), the legacy
  ``autograd.sparse.FloatTensor / DoubleTensor / LongTensor(indices, values, size)``, and
  dense ``Tensor.to_sparse()``;
- reading: ``is_sparse``, ``layout``, ``shape / size() / dtype / dim() / ndim / numel()``,
  ``sparse_dim() / dense_dim() / _nnz()``, ``is_coalesced() / coalesce()``, ``indices() /
  values()`` (coalesced tensors only, as PyTorch), ``_indices() / _values()`` (without
  history, as PyTorch's), ``to_dense()``, ``clone()``, ``detach()``, ``requires_grad_()``,
  dtype casts, ``repr`` in PyTorch's form;
- arithmetic with a sparse result: ``*`` and ``/`` by a number, ``-S``, ``S + S``, ``S - S``,
  ``t() / transpose`` of sparse dims; dense ``D + S`` (a dense result);
- products with a dense matrix (``autograd.sparse.mm`` and ``addmm``, ``mm``, ``spmm``,
  ``matmul``, ``@`` on either side; ``ops/sparse_products.py``), ``autograd.sparse.sum``,
  ``softmax`` and ``log_softmax`` (``ops/sparse_softmax.py``);
- a user's ``autograd.Function`` may build one in ``forward`` and save it for ``backward``
  (pyGAT's sparse layer).

Gradients: the gradient of a sparse tensor is the gradient with respect to the dense array it
stands for, held densely (``mm``, ``spmm``, ``matmul``, ``@``, ``dense + sparse``) or
sparsely with the coalesced tensor's pattern (``autograd.sparse.mm``, ``to_dense``,
``values()``, ``sparse.sum``, ``softmax``), as PyTorch gives them; a tensor made from values
that require grad passes it on to them (each entry gets the gradient at its index). A sparse
leaf made with ``requires_grad=True`` receives ``.grad``. Second derivatives
(``create_graph=True``) through sparse ops are refused.

Not supported: every other op a dense tensor has (they refuse a sparse operand, naming the
op and the layout; PyTorch answers a few of them, e.g. ``abs`` and ``relu``, with sparse
results), sparse @ sparse, hybrid tensors in products (values with dense dims work in
construction, coalescing, ``to_dense``, sums and scaling), CSR/CSC/BSR layouts, in-place ops
on sparse tensors, ``autograd.save`` of a sparse tensor (pickle works), a custom Function
returning a sparse tensor, sparse gradients of ``nn.Embedding`` (those stay dense, see
``row_grad``).
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from . import grad_mode, printing
from .coo_data import COOData, refuse
from .devices import check_device
from .dtypes import get_default_dtype
from .errors import DtypeError
from .function import WRITES, Context, Function, _next_seq
from .layouts import sparse_coo
from .node import Node
from .tensor import Tensor, as_array


class SparseCOOTensor(Tensor):
    """A sparse tensor in COO form (see the module's docstring). Dense-only methods refuse it."""

    is_sparse = True
    layout = sparse_coo
    __hash__ = Tensor.__hash__
    _data: COOData  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            "SparseCOOTensor is made by autograd.sparse_coo_tensor(indices, values, size) or "
            "Tensor.to_sparse()"
        )

    @classmethod
    def _wrap(cls, data: COOData) -> SparseCOOTensor:
        t = object.__new__(cls)
        t._init_node(data, None, False)  # type: ignore[arg-type]
        return t

    @classmethod
    def _from_op(cls, data: Any, ctx: Any) -> Tensor:
        """A node for ``data``: sparse for a COOData (a sparse gradient shown to a hook),
        else dense."""
        if not isinstance(data, COOData):
            return Tensor._from_op(data, ctx)
        t = cls._wrap(data)
        t._ctx, t.requires_grad = ctx, ctx is not None
        return t

    def __getattribute__(self, name: str) -> Any:
        if name in _DENSE_ONLY:
            refuse(name)
        return object.__getattribute__(self, name)

    # --- what the engine needs ---
    def _conform_grad(self, g: Any) -> Any:
        if isinstance(g, Node):
            refuse("backward with create_graph=True (second derivatives)")
        dtype = self._data.dtype
        return g if g.dtype == dtype else g.astype(dtype)

    def _store_grad(self, g: Any, interior: bool) -> None:
        g = self._conform_grad(g)
        current = self._grad
        if current is not None:
            g = current._data + g  # sparse + sparse stays sparse; any dense term makes it dense
        if isinstance(g, COOData):
            self._grad = SparseCOOTensor._wrap(g.coalesce())
        else:
            self._grad = Tensor(np.array(g, dtype=self._data.dtype))

    # --- reading ---
    def sparse_dim(self) -> int:
        """How many leading dims are indexed by ``indices``."""
        return self._data.sparse_dim

    def dense_dim(self) -> int:
        """How many trailing dims each value has."""
        return self._data.dense_dim

    def _nnz(self) -> int:
        """The number of stored entries (duplicates counted)."""
        return self._data.nnz

    def element_size(self) -> int:
        """Bytes per value."""
        return int(self._data.values.itemsize)

    def clone(self, *, memory_format: Any = None) -> SparseCOOTensor:
        """A copy with its own indices and values, differentiable."""
        return Clone.apply_sparse(self)

    def numel(self) -> int:
        return math.prod(self._data.shape)

    def __len__(self) -> int:
        if not self._data.shape:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def is_coalesced(self) -> bool:
        """True when the indices are known sorted and unique."""
        return self._data.coalesced

    def coalesce(self) -> SparseCOOTensor:
        """This tensor with sorted, unique indices, duplicates' values summed (``self`` when
        already coalesced)."""
        if self._data.coalesced:
            return self
        return Coalesce.apply_sparse(self)

    def _indices(self) -> Tensor:
        """The stored indices (duplicates included), as an int64 Tensor."""
        return Tensor(self._data.indices)

    def indices(self) -> Tensor:
        """The indices of a coalesced tensor (refused on an uncoalesced one, as PyTorch)."""
        self._check_coalesced("indices")
        return self._indices()

    def _values(self) -> Tensor:
        """The stored values (duplicates included), sharing memory, without history (as
        PyTorch's)."""
        return Tensor._from_op(self._data.values, None)

    def values(self) -> Tensor:
        """The values of a coalesced tensor, differentiable (refused on an uncoalesced one,
        as PyTorch)."""
        self._check_coalesced("values")
        return SparseValues.apply(self)

    def _check_coalesced(self, what: str) -> None:
        if not self._data.coalesced:
            raise RuntimeError(
                f"Cannot get {what} on an uncoalesced tensor, please call .coalesce() first"
            )

    def to_dense(self, dtype: Any = None, *, masked_grad: bool | None = None) -> Tensor:
        """The dense tensor this one stands for (duplicates summed), differentiable."""
        out = ToDense.apply(self)
        return out if dtype is None else out.to(dtype)

    def to_sparse(self, sparse_dim: int | None = None) -> SparseCOOTensor:
        if sparse_dim is not None and sparse_dim != self._data.sparse_dim:
            raise RuntimeError(
                f"to_sparse: cannot change the sparse dims of a sparse tensor (it has "
                f"{self._data.sparse_dim}, asked for {sparse_dim})"
            )
        return self

    @property  # type: ignore[override]
    def data(self) -> SparseCOOTensor:
        return self.detach()

    @data.setter
    def data(self, value: Any) -> None:
        """Replace the contents by another sparse tensor's (or its COOData: a module's dtype
        cast of its buffers)."""
        data = value._data if isinstance(value, SparseCOOTensor) else value
        if not isinstance(data, COOData):
            raise RuntimeError(
                f"data: a sparse tensor's data can only be replaced by another sparse "
                f"tensor's, got {type(value).__name__}"
            )
        if self.requires_grad and data.dtype.kind != "f":
            raise DtypeError(f"only floating-point Tensors can require grad, got {data.dtype}")
        self._data = data

    def detach(self) -> SparseCOOTensor:
        return SparseCOOTensor._wrap(self._data)

    def requires_grad_(self, requires_grad: bool = True) -> SparseCOOTensor:
        if requires_grad and self._data.dtype.kind != "f":
            raise DtypeError(
                f"only floating-point Tensors can require grad; this sparse tensor has dtype "
                f"{self._data.dtype}"
            )
        if not requires_grad and self._ctx is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables; use .detach()"
            )
        self.requires_grad = requires_grad
        return self

    def to(self, *args: Any, **kwargs: Any) -> SparseCOOTensor:
        """A copy in another dtype (the device stays the CPU, the only one)."""
        dtype = kwargs.pop("dtype", None)
        for a in args:
            if isinstance(a, Node):
                dtype = a._data.dtype
            elif not isinstance(a, (str, builtins.int)) and not hasattr(a, "type"):
                dtype = a
            else:
                check_device(a, "to")
        check_device(kwargs.pop("device", None), "to")
        if dtype is None or np.dtype(dtype) == self._data.dtype:
            return self
        return Cast.apply_sparse(self, np.dtype(dtype))

    def cpu(self) -> SparseCOOTensor:
        return self

    def float(self) -> SparseCOOTensor:
        return self.to(np.float32)

    def double(self) -> SparseCOOTensor:
        return self.to(np.float64)

    # --- sparse results ---
    def t(self) -> SparseCOOTensor:
        """The transpose of a 2-d sparse tensor."""
        if self._data.ndim != 2 or self._data.sparse_dim != 2:
            raise RuntimeError(
                f"t() expects a 2-d sparse tensor with 2 sparse dims, got size "
                f"{self._data.shape} with {self._data.sparse_dim} sparse dims"
            )
        return Transpose.apply_sparse(self, 0, 1, "TBackward0")

    def transpose(self, dim0: int, dim1: int) -> SparseCOOTensor:
        """Two sparse dims swapped."""
        n, sd = self._data.ndim, self._data.sparse_dim
        d0, d1 = (_wrap_dim(d, n, "transpose") for d in (dim0, dim1))
        if d0 >= sd or d1 >= sd:
            raise RuntimeError(
                f"transpose: only sparse dims of a sparse tensor can be swapped (it has {sd} "
                f"sparse dims of {n}), got dims {dim0} and {dim1}"
            )
        return self if d0 == d1 else Transpose.apply_sparse(self, d0, d1, "TransposeBackward0")

    def __mul__(self, other: Any) -> SparseCOOTensor:
        return Scale.apply_sparse(self, _number(other, "mul"), False, "MulBackward0")

    __rmul__ = __mul__

    def mul(self, other: Any) -> SparseCOOTensor:
        return self * other

    def __truediv__(self, other: Any) -> SparseCOOTensor:
        return Scale.apply_sparse(self, _number(other, "div"), True, "DivBackward0")

    def div(self, other: Any, *, rounding_mode: str | None = None) -> SparseCOOTensor:
        if rounding_mode is not None:
            refuse(f"div with rounding_mode={rounding_mode!r}")
        return self / other

    def __neg__(self) -> SparseCOOTensor:
        return Scale.apply_sparse(self, -1, False, "NegBackward0")

    def neg(self) -> SparseCOOTensor:
        return -self

    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        """``self + alpha * other`` for another sparse tensor of the same size (a sparse
        result); a dense ``other`` is refused, as PyTorch (use ``dense + sparse``)."""
        return self._add(other, _number(alpha, "add"), "AddBackward0")

    def _add(self, other: Any, alpha: Any, name: str) -> Any:
        if not isinstance(other, SparseCOOTensor):
            raise RuntimeError(
                "add(sparse, dense) is not supported. Use add(dense, sparse) instead."
            )
        if other.shape != self.shape:
            raise RuntimeError(
                f"add: expected 'self' and 'other' to have same size, but self has size "
                f"{list(self.shape)} while other has size {list(other.shape)}"
            )
        return AddSparse.apply_sparse(self, other, alpha, name)

    def __add__(self, other: Any) -> Any:
        return self.add(other)

    def sub(self, other: Any, *, alpha: Any = 1) -> Any:
        return self._add(other, -_number(alpha, "sub"), "SubBackward0")

    def __sub__(self, other: Any) -> Any:
        return self.sub(other)

    def __radd__(self, other: Any) -> Any:
        """``dense + sparse``: a dense result, as PyTorch."""
        if not isinstance(other, Tensor):
            refuse("add of a number")
        return DensePlusSparse.apply(other, self)

    def sum(self, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:  # type: ignore[override]
        from .sparse import sum as sparse_sum

        if keepdim:
            refuse("sum with keepdim=True")
        return sparse_sum(self, dim, dtype=dtype)

    # --- products (dense results) ---
    def mm(self, mat2: Any) -> Tensor:
        from .ops.sparse_products import sparse_dense_product

        return sparse_dense_product(self, mat2, "mm", sparse_grad=False)

    def matmul(self, other: Any) -> Tensor:
        from .ops.sparse_products import sparse_dense_product

        return sparse_dense_product(self, other, "matmul", sparse_grad=False)

    def __matmul__(self, other: Any) -> Tensor:
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        """``dense @ sparse``: the transpose of ``sparse.T @ dense.T``."""
        from .ops.sparse_products import dense_sparse_product

        return dense_sparse_product(other, self, "matmul")

    def __format__(self, spec: str) -> str:
        if spec:
            refuse(f"format with spec {spec!r}")
        return repr(self)

    def __repr__(self) -> str:
        d = self._data
        default = get_default_dtype()
        suffixes = [f"size={d.shape}", f"nnz={d.nnz}"]
        if d.dtype not in (
            default,
            np.complex128 if default == np.float64 else np.complex64,
            np.int64,
            np.bool_,
        ):
            suffixes.append(f"dtype=autograd.{d.dtype}")
        suffixes.append(f"layout={sparse_coo!r}")
        if self._ctx is not None:
            from .grad_fn import node_name

            suffixes.append(f"grad_fn=<{node_name(self._ctx)}>")
        elif self.requires_grad:
            suffixes.append("requires_grad=True")
        indices = _shown(d.indices, default)
        values = _shown(d.values, default)
        out = "tensor(indices=" + _indent(indices, 15) + ",\n       values=" + _indent(values, 14)
        return printing.with_suffixes(out + ",\n       " + suffixes[0], suffixes[1:]) + ")"


def _shown(a: np.ndarray, default: np.dtype) -> str:
    """A component as PyTorch prints it inside a sparse tensor's repr (its dtype left to the
    outer line)."""
    if a.size == 0:
        return f"tensor([], size={a.shape})"
    return printing.tensor_repr(a.astype(default) if a.dtype.kind == "f" else a, [])


def _indent(text: str, n: int) -> str:
    return text.replace("\n", "\n" + " " * n)


def _number(x: Any, op: str) -> Any:
    if isinstance(x, Node) and x._data.ndim == 0 and not isinstance(x, SparseCOOTensor):
        if x.requires_grad:
            refuse(f"{op} by a tensor that requires grad")
        return x._data.item()
    if isinstance(x, (builtins.int, builtins.float, np.number)) and not isinstance(x, bool):
        return x
    return refuse(f"{op} by a {type(x).__name__}")


def _wrap_dim(d: int, n: int, op: str) -> int:
    if not -n <= d < n:
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-n}, {n - 1}], but "
            f"got {d})"
        )
    return d % n


# --- ops with a sparse result ---
class TorchNamed:
    """An op whose ``grad_fn`` shows PyTorch's node name: ``ctx.torch_name`` when forward
    chose one, else the class's ``torch_name``."""

    torch_name = ""

    @staticmethod
    def torch_nodes(ctx: Context) -> tuple[str, tuple]:
        name = ctx.__dict__.get("torch_name") or ctx.fn.torch_name  # type: ignore[attr-defined]
        return name, tuple(a for a in ctx.inputs if isinstance(a, Node))


class SparseFunction(TorchNamed, Function):
    """An op whose result is a sparse tensor: ``forward`` returns a COOData; ``apply_sparse``
    records it as ``Function.apply`` records dense results."""

    @classmethod
    def apply_sparse(cls, *args: Any) -> SparseCOOTensor:
        needs = tuple(isinstance(a, Node) and a.requires_grad for a in args)
        raw = tuple(a._data if isinstance(a, Node) else a for a in args)
        ctx = Context()
        ctx.saved_tensors = ()
        ctx.needs_input_grad = needs
        out = SparseCOOTensor._wrap(cls.forward(ctx, *raw))
        parents = tuple(a for a, need in zip(args, needs) if need)
        if parents and grad_mode.is_grad_enabled():
            ctx.fn = cls
            ctx.inputs = args
            ctx.parents = parents
            ctx.seq = _next_seq()
            ctx.epoch = WRITES[0]
            for p in parents:
                p._used += 1
            out._ctx = ctx
            out.requires_grad = True
        return out


def _graph_grad(g: Any) -> Any:
    """``g`` as a backward rule here takes it: raw data (second derivatives refused)."""
    if isinstance(g, Node):
        refuse("backward with create_graph=True (second derivatives)")
    return g


class FromValues(SparseFunction):
    """``sparse_coo_tensor(indices, values)``; each value's gradient is the gradient at its
    index (the dense gradient gathered there, or the sparse one's value there)."""

    torch_name = "SparseCooTensorWithDimsAndTensorsBackward0"

    @staticmethod
    def forward(ctx: Context, values: np.ndarray, data: COOData) -> COOData:  # type: ignore[override]
        ctx.data = data
        return data

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        g = _graph_grad(g)
        data = ctx.data
        return (data.gather_sparse(g) if isinstance(g, COOData) else data.gather(g)), None


class Coalesce(SparseFunction):
    """``coalesce()``: the same array, so the same gradient."""

    torch_name = "CoalesceBackward0"

    @staticmethod
    def forward(ctx: Context, data: COOData) -> COOData:  # type: ignore[override]
        return data.coalesce()

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return _graph_grad(g)


class Clone(SparseFunction):
    """``clone()``: the same array, so the same gradient."""

    torch_name = "CloneBackward0"

    @staticmethod
    def forward(ctx: Context, data: COOData) -> COOData:  # type: ignore[override]
        return COOData(data.indices.copy(), data.values.copy(), data.shape, data.coalesced)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return _graph_grad(g)


class Cast(SparseFunction):
    """A dtype cast of the values; the gradient is cast back."""

    torch_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx: Context, data: COOData, dtype: np.dtype) -> COOData:  # type: ignore[override]
        ctx.dtype = data.dtype
        return data.astype(dtype)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return _graph_grad(g).astype(ctx.dtype), None


class Transpose(SparseFunction):
    """Two sparse dims swapped; the gradient is swapped back."""

    @staticmethod
    def forward(ctx: Context, data: COOData, d0: int, d1: int, name: str) -> COOData:  # type: ignore[override]
        ctx.dims, ctx.torch_name = (d0, d1), name
        return _swapped(data, d0, d1)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        g = _graph_grad(g)
        d0, d1 = ctx.dims
        swapped = _swapped(g, d0, d1) if isinstance(g, COOData) else g.swapaxes(d0, d1)
        return swapped, None, None, None


def _swapped(data: COOData, d0: int, d1: int) -> COOData:
    order = list(range(data.sparse_dim))
    order[d0], order[d1] = d1, d0
    shape = list(data.shape)
    shape[d0], shape[d1] = shape[d1], shape[d0]
    return COOData(data.indices[order], data.values, tuple(shape), data.nnz <= 1)


class Scale(SparseFunction):
    """The values multiplied (or divided) by a number; so is the gradient."""

    @staticmethod
    def forward(ctx: Context, data: COOData, c: Any, divide: bool, name: str) -> COOData:  # type: ignore[override]
        ctx.c, ctx.divide, ctx.torch_name = c, divide, name
        scaled = data.values / c if divide else data.values * c
        return data.with_values(_in_float(scaled, data.values, c))

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        g = _graph_grad(g)
        c = ctx.c
        if isinstance(g, COOData):
            return g.with_values(g.values / c if ctx.divide else g.values * c), None, None, None
        return (g / c if ctx.divide else g * c), None, None, None


def _in_float(result: np.ndarray, values: np.ndarray, c: Any) -> np.ndarray:
    """PyTorch's dtype for values times a number: the values' floating dtype, or the default
    float for integer values and a float number."""
    if values.dtype.kind in "fc":
        return result.astype(values.dtype, copy=False)
    if isinstance(c, builtins.float) or result.dtype.kind == "f":
        return result.astype(get_default_dtype(), copy=False)
    return result.astype(values.dtype, copy=False)


class AddSparse(SparseFunction):
    """``a + alpha * b`` for sparse a and b: their entries together (uncoalesced)."""

    @staticmethod
    def forward(ctx: Context, a: COOData, b: COOData, alpha: Any, name: str) -> COOData:  # type: ignore[override]
        if a.dtype != b.dtype:
            raise RuntimeError(
                f"add: sparse tensors of dtypes {a.dtype} and {b.dtype} cannot be added"
            )
        ctx.alpha, ctx.torch_name = alpha, name
        scaled = b if alpha == 1 else b.with_values((b.values * alpha).astype(b.dtype))
        return a + scaled

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        g = _graph_grad(g)
        alpha = ctx.alpha
        if alpha == 1:
            return g, g, None, None
        gb = g.with_values(g.values * alpha) if isinstance(g, COOData) else g * alpha
        return g, gb, None, None


class DenseToSparse(SparseFunction):
    """``Tensor.to_sparse()``: the nonzero entries; the gradient comes back dense."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, sparse_dim: int) -> COOData:  # type: ignore[override]
        ctx.torch_name = "ToSparseBackward1" if sparse_dim == x.ndim else "ToSparseBackward0"
        nonzero = x != 0
        if sparse_dim < x.ndim:
            nonzero = nonzero.any(axis=tuple(range(sparse_dim, x.ndim)))
        positions = np.nonzero(nonzero)
        indices = np.array(positions, dtype=np.int64).reshape(sparse_dim, -1)
        return COOData(indices, x[positions], x.shape, True)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        g = _graph_grad(g)
        return (g.to_dense() if isinstance(g, COOData) else g), None


# --- ops with a dense result (recorded by Function.apply: a sparse input is a node) ---
class ToDense(TorchNamed, Function):
    """``to_dense()``; its gradient is sparse, with the coalesced tensor's pattern."""

    torch_name = "ToDenseBackward0"

    @staticmethod
    def forward(ctx: Context, data: COOData) -> np.ndarray:  # type: ignore[override]
        ctx.data = data
        return data.to_dense()

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        c = ctx.data.coalesce()
        return c.with_values(c.gather(_graph_grad(g)))


class DensePlusSparse(TorchNamed, Function):
    """``dense + sparse``: a dense sum; both get the output's (dense) gradient."""

    torch_name = "AddBackward0"

    @staticmethod
    def forward(ctx: Context, dense: np.ndarray, data: COOData) -> np.ndarray:  # type: ignore[override]
        if np.shape(dense) != data.shape:
            raise RuntimeError(
                f"add: expected 'self' and 'other' to have same size, but self has size "
                f"{list(np.shape(dense))} while other has size {list(data.shape)}"
            )
        return np.asarray(dense) + data

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        g = _graph_grad(g)
        return g, g


class SparseValues(TorchNamed, Function):
    """``values()`` of a coalesced tensor; its gradient is sparse, on the same indices."""

    torch_name = "ValuesBackward0"

    @staticmethod
    def forward(ctx: Context, data: COOData) -> np.ndarray:  # type: ignore[override]
        ctx.data = data
        return data.values

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return ctx.data.with_values(np.asarray(_graph_grad(g)))


# --- construction ---
def sparse_coo_tensor(
    indices: Any,
    values: Any,
    size: Any = None,
    *,
    dtype: Any = None,
    device: Any = None,
    pin_memory: bool = False,
    requires_grad: bool = False,
    check_invariants: bool | None = None,
    is_coalesced: bool | None = None,
) -> SparseCOOTensor:
    """A sparse COO tensor with ``values[k]`` at index ``indices[:, k]`` (PyTorch's
    ``torch.sparse_coo_tensor``). ``size`` defaults to the smallest that holds the indices;
    the indices are always checked (``check_invariants`` is accepted for PyTorch's sake).
    Differentiable in ``values``; ``requires_grad=True`` makes a sparse leaf instead."""
    check_device(device, "sparse_coo_tensor")
    idx = _index_array(indices)
    vals = values if isinstance(values, Tensor) else Tensor(as_array(values))
    if isinstance(vals, SparseCOOTensor):
        raise TypeError("sparse_coo_tensor: values must be a dense tensor, got a sparse one")
    if dtype is not None:
        vals = vals.to(dtype)
    if vals.ndim == 0:
        vals = vals.reshape(1) if idx.shape[1] == 1 else vals
    if vals.ndim == 0 or vals.shape[0] != idx.shape[1]:
        got = 1 if vals.ndim == 0 else vals.shape[0]
        raise RuntimeError(
            f"indices and values must have same nnz, but got nnz from indices: {idx.shape[1]}, "
            f"nnz from values: {got}"
        )
    shape = _checked_size(idx, tuple(vals.shape[1:]), size)
    coalesced = _coalesced_flag(idx, shape, is_coalesced)
    data = COOData(idx, vals._data, shape, coalesced)
    if requires_grad:
        out = SparseCOOTensor._wrap(data)
        return out.requires_grad_()
    return FromValues.apply_sparse(vals, data)


def _index_array(indices: Any) -> np.ndarray:
    arr = np.asarray(indices._data if isinstance(indices, Node) else indices)
    if arr.dtype.kind not in "iu" and not (arr.size == 0 and arr.dtype.kind == "f"):
        raise RuntimeError(
            f"sparse_coo_tensor: indices must be an int64 tensor, got dtype {arr.dtype}"
        )
    if arr.ndim != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(arr.shape)}")
    return arr.astype(np.int64)


def _checked_size(idx: np.ndarray, dense_sizes: tuple, size: Any) -> tuple:
    """The tensor's size: ``size`` checked against the indices and values, or inferred."""
    sparse_dim, nnz = idx.shape
    if nnz and idx.min() < 0:
        dim, k = np.argwhere(idx < 0)[0]
        raise RuntimeError(f"found negative index {idx[dim, k]} for dim {dim}")
    if size is None:
        top = idx.max(axis=1) + 1 if nnz else np.zeros(sparse_dim, np.int64)
        return tuple(int(s) for s in top) + dense_sizes
    shape = tuple(int(s) for s in (size._data if isinstance(size, Node) else size))
    if len(shape) != sparse_dim + len(dense_sizes):
        raise RuntimeError(
            f"'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = "
            f"{len(shape)}, sparse_dim = {sparse_dim}, dense_dim = {len(dense_sizes)}"
        )
    if shape[sparse_dim:] != dense_sizes:
        raise RuntimeError(
            f"values has incorrect size, expected {[nnz, *shape[sparse_dim:]]}, got "
            f"{[nnz, *dense_sizes]}"
        )
    for d in range(sparse_dim):
        top = int(idx[d].max()) if nnz else -1
        if top >= shape[d]:
            raise RuntimeError(
                f"size is inconsistent with indices: for dim {d}, size is {shape[d]} but found "
                f"index {top}"
            )
    return shape


def _coalesced_flag(idx: np.ndarray, shape: tuple, claimed: bool | None) -> bool:
    """Whether the indices are coalesced: known for at most one entry, else as claimed (a
    claim that they are is checked)."""
    if idx.shape[1] <= 1:
        return True
    if not claimed:
        return False
    probe = COOData(idx, np.zeros(idx.shape[1]), shape[: idx.shape[0]], False)
    linear = probe.linear_indices()
    if np.any(linear[1:] <= linear[:-1]):
        raise RuntimeError(
            "sparse_coo_tensor: is_coalesced=True but the indices are not sorted and unique"
        )
    return True


def dense_to_sparse(t: Tensor, sparse_dim: int | None) -> SparseCOOTensor:
    """``t.to_sparse(sparse_dim)``: ``t``'s nonzero entries (see ``Tensor.to_sparse``)."""
    n = t.ndim
    sd = n if sparse_dim is None else sparse_dim
    if not 0 <= sd <= n:
        raise RuntimeError(f"to_sparse: sparse_dim must be in [0, {n}], got {sparse_dim}")
    return DenseToSparse.apply_sparse(t, sd)


def _refusing(name: str) -> Any:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return refuse(name.strip("_"))

    method.__name__ = method.__qualname__ = name
    return method


# Operators a dense Tensor answers (found on the type, so not through __getattribute__)
for _name in (
    "__getitem__ __setitem__ __iter__ __bool__ __float__ __int__ __index__ __complex__ "
    "__pow__ __rpow__ __rsub__ __rtruediv__ __floordiv__ __rfloordiv__ __mod__ __rmod__ "
    "__abs__ __lt__ __le__ __gt__ __ge__ __eq__ __ne__ __iadd__ __isub__ __imul__ "
    "__itruediv__ __ipow__ __and__ __rand__ __or__ __ror__ __xor__ __rxor__ __invert__ "
    "__pos__"
).split():
    setattr(SparseCOOTensor, _name, _refusing(_name))

# Tensor methods a sparse tensor does not answer (its own, and those below, it does)
_SHARED = frozenset(
    """shape ndim dtype size dim device is_cuda requires_grad grad is_leaf grad_fn backward
    register_hook retain_grad is_floating_point is_complex get_device""".split()
)
_DENSE_ONLY = frozenset(
    name
    for cls in Tensor.__mro__
    for name in vars(cls)
    if not name.startswith("_") and name not in _SHARED
) - frozenset(vars(SparseCOOTensor))
