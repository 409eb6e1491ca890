"""Functions over several Tensors: concatenate, stack, where, maximum, minimum."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .node import Node
from .ops.elementwise import Maximum, Minimum, Where
from .ops.shape import Concatenate
from .tensor import Tensor


def _as_tensors(xs: Sequence[Any], op: str) -> list[Tensor]:
    if isinstance(xs, Node) or not len(xs):
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    return [x if isinstance(x, Tensor) else Tensor(x) for x in xs]


def concatenate(tensors: Sequence[Any], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join tensors along an existing axis."""
    axis = axis if dim is None else dim
    return Concatenate.apply(axis, *_as_tensors(tensors, "concatenate"))


cat = concatenate


def stack(tensors: Sequence[Any], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join same-shaped tensors along a new axis."""
    axis = axis if dim is None else dim
    ts = _as_tensors(tensors, "stack")
    shapes = {t.shape for t in ts}
    if len(shapes) > 1:
        raise ValueError(f"stack: all tensors need the same shape, got {sorted(shapes)}")
    return Concatenate.apply(axis, *(t.unsqueeze(axis) for t in ts))


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """Elements of ``a`` where ``condition`` holds, else of ``b`` (condition gets no gradient)."""
    cond = condition.data if isinstance(condition, Node) else condition
    if not isinstance(a, Node) and not isinstance(b, Node):
        a = Tensor(a)
    return Where.apply(cond, a, b)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise maximum; ties split the gradient equally."""
    return Maximum.apply(a, b)


def minimum(a: Any, b: Any) -> Any:
    """Elementwise minimum; ties split the gradient equally."""
    return Minimum.apply(a, b)
