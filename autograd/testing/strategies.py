"""Hypothesis strategies for Values and Tensors, and a one-line gradient property test.

Test a custom op's first and second derivatives at many generated inputs::

    from autograd.testing.strategies import gradient_property, tensors

    test_my_sin = gradient_property(MySin.apply, tensors(shape=(3,)))

pytest collects ``test_my_sin`` as an ordinary test; each example is checked with
``gradcheck`` and (``order=2``, the default) ``gradgradcheck``, and a failure shows the
falsifying inputs and the worst Jacobian entry. Several strategies give several arguments;
for ops with kinks, keep inputs away from them::

    test_relu = gradient_property(lambda x: x.relu(), tensors(avoid=(0.0,)), order=1)
    test_add = gradient_property(lambda a, b: a + b, *broadcastable_tensors(n=2))

The strategies are usable on their own in ``@given`` tests: ``values``, ``tensors``,
``shapes`` and ``broadcastable_tensors``. Generated Tensors default to float64 (what
``gradcheck`` needs) and to ``requires_grad=True``; every draw is a fresh leaf node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..tensor import Tensor
from ..value import Value
from .gradcheck import gradcheck, gradgradcheck

__all__ = [
    "broadcastable_tensors",
    "floats",
    "gradient_property",
    "shapes",
    "tensors",
    "values",
]

_SIDES = {"min_dims": 0, "max_dims": 3, "min_side": 1, "max_side": 4}


def floats(
    min_value: float = -10.0,
    max_value: float = 10.0,
    avoid: Sequence[float] = (),
    min_distance: float = 1e-3,
    width: int = 64,
) -> st.SearchStrategy[float]:
    """Finite floats in [min_value, max_value], at least ``min_distance`` from every ``avoid``.

    ``avoid`` lists the kinks of the function under test (0.0 for relu and abs): a finite
    difference straddling a kink measures neither side's derivative.
    """
    if not min_value <= max_value:
        raise ValueError(f"floats: min_value {min_value} is greater than max_value {max_value}")
    if min_distance < 0:
        raise ValueError(f"floats: min_distance must be >= 0, got {min_distance}")
    base = st.floats(
        min_value,
        max_value,
        allow_nan=False,
        allow_infinity=False,
        allow_subnormal=False,
        width=width,  # type: ignore[arg-type]
    )
    kinks = tuple(float(k) for k in avoid)
    if not kinks:
        return base

    def clear(x: float) -> bool:
        return all(abs(x - k) >= min_distance for k in kinks)

    to_width: Any = {16: np.float16, 32: np.float32, 64: float}[width]

    def push_off(x: float) -> float:
        # Move a value that lands near a kink just past the edge of the forbidden band, so
        # hypothesis's favourite values (0.0, the bounds) still give usable examples.
        for k in kinks:
            if abs(x - k) < min_distance:
                step = min_distance * 1.01
                x = float(to_width(k + step if x >= k else k - step))
        return x

    return base.map(push_off).filter(lambda x: min_value <= x <= max_value and clear(x))


def values(
    min_value: float = -10.0,
    max_value: float = 10.0,
    avoid: Sequence[float] = (),
    min_distance: float = 1e-3,
) -> st.SearchStrategy[Value]:
    """Values with data in [min_value, max_value], kept ``min_distance`` away from ``avoid``."""
    return floats(min_value, max_value, avoid, min_distance).map(Value)


def shapes(
    min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4
) -> st.SearchStrategy[tuple[int, ...]]:
    """Array shapes; small sides by default, since gradient checks cost one pass per element."""
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


def _elements(
    dtype: np.dtype, min_value: float, max_value: float, avoid: Sequence[float], min_distance: float
) -> st.SearchStrategy[Any]:
    if dtype.kind == "f":
        return floats(min_value, max_value, avoid, min_distance, width=8 * dtype.itemsize)
    if dtype.kind in "iu":
        return st.integers(int(np.ceil(min_value)), int(np.floor(max_value)))
    raise TypeError(f"tensors: dtype must be a float or integer dtype, got {dtype}")


def _array_tensors(
    shape: st.SearchStrategy[tuple[int, ...]],
    dtype: Any,
    min_value: float,
    max_value: float,
    requires_grad: bool,
    avoid: Sequence[float],
    min_distance: float,
) -> st.SearchStrategy[Tensor]:
    dtype = np.dtype(dtype)
    if requires_grad and dtype.kind != "f":
        raise TypeError(f"tensors: only float dtypes can require grad, got {dtype}")
    elements = _elements(dtype, min_value, max_value, avoid, min_distance)
    arrays = hnp.arrays(dtype, shape, elements=elements)
    return arrays.map(lambda a: Tensor(a, requires_grad=requires_grad))


def tensors(
    shape: tuple[int, ...] | int | st.SearchStrategy[tuple[int, ...]] | None = None,
    dtype: Any = np.float64,
    min_value: float = -10.0,
    max_value: float = 10.0,
    requires_grad: bool = True,
    avoid: Sequence[float] = (),
    min_distance: float = 1e-3,
    **shape_options: int,
) -> st.SearchStrategy[Tensor]:
    """Tensors of ``shape`` (any shape from ``shapes(**shape_options)`` when None).

    Elements lie in [min_value, max_value] and at least ``min_distance`` from each value in
    ``avoid``; the data has exactly ``dtype``.
    """
    unknown = set(shape_options) - set(_SIDES)
    if unknown:
        raise TypeError(f"tensors: unexpected arguments {sorted(unknown)}")
    if shape is None:
        shape_strategy = shapes(**shape_options)
    elif isinstance(shape, st.SearchStrategy):
        shape_strategy = shape
    else:
        shape_strategy = st.just((shape,) if isinstance(shape, int) else tuple(shape))
    return _array_tensors(
        shape_strategy, dtype, min_value, max_value, requires_grad, avoid, min_distance
    )


def broadcastable_tensors(
    n: int = 2,
    dtype: Any = np.float64,
    min_value: float = -10.0,
    max_value: float = 10.0,
    requires_grad: bool = True,
    avoid: Sequence[float] = (),
    min_distance: float = 1e-3,
    **shape_options: int,
) -> st.SearchStrategy[tuple[Tensor, ...]]:
    """Tuples of ``n`` Tensors whose shapes broadcast together (numpy's rules).

    Shapes differ in rank and in sides of length 1, so broadcasting in both directions is
    exercised. Keyword arguments as for ``tensors``; shape options as for ``shapes``.
    """
    unknown = set(shape_options) - set(_SIDES)
    if unknown:
        raise TypeError(f"broadcastable_tensors: unexpected arguments {sorted(unknown)}")
    sides = {**_SIDES, **shape_options}
    group = hnp.mutually_broadcastable_shapes(
        num_shapes=n,
        min_dims=sides["min_dims"],
        max_dims=sides["max_dims"],
        min_side=sides["min_side"],
        max_side=sides["max_side"],
    )

    def build(shapes_: Any) -> st.SearchStrategy[tuple[Tensor, ...]]:
        return st.tuples(
            *(
                _array_tensors(
                    st.just(s), dtype, min_value, max_value, requires_grad, avoid, min_distance
                )
                for s in shapes_.input_shapes
            )
        )

    return group.flatmap(build)


def _flatten(drawn: tuple) -> list[Any]:
    args: list[Any] = []
    for item in drawn:
        if isinstance(item, tuple):
            args.extend(item)
        else:
            args.append(item)
    return args


def gradient_property(
    fn: Callable[..., Any],
    *input_strategies: st.SearchStrategy[Any],
    order: int = 2,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    max_examples: int | None = None,
) -> Callable[[], None]:
    """A hypothesis test that ``fn``'s derivatives match finite differences at drawn inputs.

    Each strategy draws one argument of ``fn`` (a strategy drawing a tuple, such as
    ``broadcastable_tensors``, draws several). ``order=1`` runs ``gradcheck``; ``order=2``
    also ``gradgradcheck``. Assign the result to a ``test_`` name for pytest, or call it.
    ``max_examples`` overrides the active hypothesis profile.
    """
    if order not in (1, 2):
        raise ValueError(f"gradient_property: order must be 1 or 2, got {order}")
    if not input_strategies:
        raise TypeError("gradient_property: give at least one input strategy")

    def check(inputs: tuple) -> None:
        args = _flatten(inputs)
        gradcheck(fn, args, eps=eps, atol=atol, rtol=rtol)
        if order == 2:
            gradgradcheck(fn, args, eps=eps, atol=atol, rtol=rtol)

    owner = getattr(fn, "__self__", None)  # MyOp.apply is bound to the Function class
    if isinstance(owner, type):
        name = owner.__qualname__
    else:
        name = getattr(fn, "__qualname__", None) or type(fn).__name__
    check.__name__ = check.__qualname__ = "test_gradients_of_" + re.sub(r"\W", "_", name)
    # Separate hypothesis's example database per checked function (they share this source).
    check._hypothesis_internal_add_digest = (  # type: ignore[attr-defined]
        f"{getattr(fn, '__module__', '')}.{name}:{order}".encode()
    )
    test = given(st.tuples(*input_strategies))(check)
    if max_examples is not None:
        test = settings(max_examples=max_examples)(test)
    return test
