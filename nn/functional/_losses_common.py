"""What every loss shares: argument checks, turning inputs into nodes, and the reduction.

Elementwise losses are written once, as a pointwise rule on nodes (operators and node
methods that Value and Tensor both have). ``elementwise_loss`` runs that rule on whole
Tensors, or, for scalar users, on each (input, target) pair of a Value or a list of Values.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, Value
from autograd.dtypes import get_default_dtype
from autograd.errors import ShapeError
from autograd.grad_fn import present_as
from autograd.node import Node
from autograd.promotion import result_type
from autograd.tensor import as_array

REDUCTIONS = ("mean", "sum", "none")

Pointwise = Callable[..., Any]
Check = Callable[[np.ndarray, np.ndarray], None]


def check_reduction(reduction: str, op: str, allowed: Sequence[str] = REDUCTIONS) -> None:
    """Refuse a reduction name the loss does not know."""
    if reduction not in allowed:
        names = ", ".join(repr(r) for r in allowed)
        raise ValueError(f"{op}: reduction must be one of {names}; got {reduction!r}")


def reduce(loss: Tensor, reduction: str) -> Tensor:
    """Apply 'mean', 'sum' or 'none' to a Tensor of per-element losses."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.mean()


def as_input(x: Any) -> Tensor:
    """``x`` as a floating Tensor (a Tensor is used as given; other data becomes a leaf)."""
    if isinstance(x, Tensor):
        if x.dtype.kind == "f":
            return x
        return Tensor(x._data.astype(get_default_dtype()))
    arr = as_array(x)
    if arr.dtype.kind != "f":
        arr = arr.astype(get_default_dtype())
    return Tensor(arr)


def as_target(y: Any, like: Tensor) -> Tensor:
    """A float target as a Tensor; data that carries no gradient takes ``like``'s dtype."""
    if isinstance(y, Tensor) and y.requires_grad:
        return y
    data = y._data if isinstance(y, Node) else y
    return Tensor(np.asarray(data, dtype=like.dtype))


def check_same_shape(op: str, a: Tensor, b: Tensor, names: tuple[str, str]) -> None:
    """Refuse ``b`` unless it has exactly ``a``'s shape (no silent broadcasting)."""
    if a.shape != b.shape:
        raise ShapeError(
            f"{op}: {names[1]} has shape {tuple(b.shape)} but {names[0]} has shape "
            f"{tuple(a.shape)}; they "
            "must match (reshape one of them: e.g. (N,) and (N, 1) are not paired up silently)"
        )


def as_constant(w: Any, shape: tuple, dtype: Any, op: str, name: str) -> np.ndarray | None:
    """A weight-like argument as an ndarray that broadcasts to ``shape`` (None stays None)."""
    if w is None:
        return None
    arr = np.asarray(w._data if isinstance(w, Node) else w, dtype=dtype)
    try:
        ok = np.broadcast_shapes(arr.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"{op}: {name} of shape {tuple(arr.shape)} does not broadcast to {tuple(shape)}"
        )
    return arr


def is_scalar_mode(*args: Any) -> bool:
    """True when a Value, or a list/tuple holding one, is among the arguments."""
    for a in args:
        if isinstance(a, Value):
            return True
        if isinstance(a, (list, tuple)) and any(isinstance(v, Value) for v in a):
            return True
    return False


def raw_values(items: Sequence[Any]) -> np.ndarray:
    """The numbers inside a sequence of Values and numbers, as a float64 array."""
    return np.array([v._data if isinstance(v, Node) else v for v in items], dtype=np.float64)


# the losses PyTorch records as one backward node, by that node's name
TORCH_NODES = {
    "mse_loss": "MseLossBackward0",
    "smooth_l1_loss": "SmoothL1LossBackward0",
    "huber_loss": "HuberLossBackward0",
    "binary_cross_entropy": "BinaryCrossEntropyBackward0",
    "binary_cross_entropy_with_logits": "BinaryCrossEntropyWithLogitsBackward0",
}


def elementwise_loss(
    op: str,
    pointwise: Pointwise,
    input: Any,
    target: Any,
    reduction: str,
    constants: Sequence[tuple[str, Any]] = (),
    check: Check | None = None,
    promote: bool = True,
) -> Any:
    """``pointwise(x, y, *constants)`` per element, reduced; Tensors in, Tensor out, or
    Values (a Value or a list of Values) in, Value out.

    ``constants`` are (name, value) pairs (weights) broadcast against the input; ``check``
    sees the raw input and target arrays before anything is computed; ``promote``: see
    ``input_and_target`` (False for the losses PyTorch computes in the input's dtype).
    """
    check_reduction(reduction, op)
    if is_scalar_mode(input, target):
        return _scalar_loss(op, pointwise, input, target, reduction, constants, check)
    x, y = input_and_target(op, input, target, promote)
    if check is not None:
        check(x._data, y._data)
    consts = [as_constant(c, x.shape, x.dtype, op, name) for name, c in constants]
    out = reduce(pointwise(x, y, *consts), reduction)
    if op in TORCH_NODES:
        present_as(out, TORCH_NODES[op], (x, y))
    return out


def _scalar_loss(
    op: str,
    pointwise: Pointwise,
    input: Any,
    target: Any,
    reduction: str,
    constants: Sequence[tuple[str, Any]],
    check: Check | None,
) -> Any:
    if isinstance(input, Tensor) or isinstance(target, Tensor):
        raise TypeError(f"{op}: cannot mix Tensors with Values; use one kind for both")
    single = not isinstance(input, (list, tuple))
    xs = [input] if single else list(input)
    if single:
        if isinstance(target, (list, tuple, np.ndarray)):
            raise ValueError(
                f"{op}: input is a single Value but target is a sequence of {len(target)}; "
                "pass a single number or Value as target"
            )
        ys = [target]
    else:
        if not isinstance(target, (list, tuple, np.ndarray)):
            raise ValueError(
                f"{op}: input is a list of {len(xs)} Values but target is a single "
                f"{type(target).__name__}; pass a list of the same length"
            )
        ys = list(target)
        if len(ys) != len(xs):
            raise ValueError(
                f"{op}: input has {len(xs)} elements but target has {len(ys)}; they must match"
            )
    if not xs:
        raise ValueError(f"{op}: input is an empty list")
    xs = [x if isinstance(x, Node) else Value(x) for x in xs]
    if check is not None:
        check(raw_values(xs), raw_values(ys))
    n = len(xs)
    consts = [_per_element(c, n, op, name) for name, c in constants]
    terms = [pointwise(x, y, *(c[i] for c in consts)) for i, (x, y) in enumerate(zip(xs, ys))]
    if reduction == "none":
        return terms[0] if single else terms
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total if reduction == "sum" else total / n


def _per_element(c: Any, n: int, op: str, name: str) -> list[Any]:
    if c is None:
        return [None] * n
    arr = np.asarray(raw_values(c) if isinstance(c, (list, tuple)) else c, dtype=np.float64)
    try:
        arr = np.broadcast_to(arr, (n,))
    except ValueError:
        raise ValueError(
            f"{op}: {name} of shape {tuple(arr.shape)} does not match the {n} input elements"
        ) from None
    return [float(v) for v in arr]


def find_bad(bad: np.ndarray, values: np.ndarray) -> str:
    """'value at index' for the first True entry of ``bad``."""
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    found = np.asarray(values)[idx].item()
    return f"{found!r} at index {idx}" if idx else f"{found!r}"


def check_labels(op: str, labels: np.ndarray, allowed: tuple[float, float]) -> None:
    """Refuse labels other than the two ``allowed`` values, naming the first one found."""
    bad = (labels != allowed[0]) & (labels != allowed[1])
    if bad.any():
        raise ValueError(
            f"{op}: target must hold {allowed[0]:g} or {allowed[1]:g}; "
            f"found {find_bad(bad, labels)}"
        )


def legacy_reduction(size_average: Any, reduce: Any, reduction: str, stacklevel: int = 3) -> str:
    """PyTorch's deprecated ``size_average`` / ``reduce`` arguments as a reduction name
    (either one given overrides ``reduction``, with PyTorch's warning, which names the line
    ``stacklevel`` frames up: the loss's caller)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    name = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{name}' instead.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return name


def checked_reduction(op: str, size_average: Any, reduce: Any, reduction: str) -> str:
    """``legacy_reduction`` then ``check_reduction``: the reduction a loss applies."""
    reduction = legacy_reduction(size_average, reduce, reduction, stacklevel=4)
    check_reduction(reduction, op)
    return reduction


def input_and_target(
    op: str, input: Any, target: Any, promote: bool = False
) -> tuple[Tensor, Tensor]:
    """input and target as Tensors of one shape. The target is a constant in input's dtype,
    or with ``promote`` (the losses PyTorch computes in the promoted dtype: mse_loss,
    l1_loss...), a floating target Tensor of another dtype makes both that promotion
    (float32 input, float64 target: a float64 loss; the input's gradient stays float32)."""
    x = as_input(input)
    if promote:
        x = promoted_for(x, target)
    y = as_target(target, x)
    check_same_shape(op, x, y, ("input", "target"))
    return x, y


def promoted_for(x: Tensor, target: Any) -> Tensor:
    """``x`` cast (a recorded op) to its promotion with a floating target Tensor of another
    dtype, as the losses PyTorch computes in the promoted dtype take it; else ``x`` itself."""
    if isinstance(target, Tensor) and target.dtype.kind == "f":
        common = result_type(x, target)
        if common != x.dtype:
            return x.to(common)
    return x
