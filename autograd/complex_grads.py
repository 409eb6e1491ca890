"""Which ops carry gradients through complex tensors, and PyTorch's convention for them.

PyTorch's gradient of a real loss L with respect to a complex z = x + iy is
dL/dx + i dL/dy (the conjugate Wirtinger derivative, times 2): |z|**2 has gradient 2z. With
that convention an op's backward is the adjoint of its derivative as a real-linear map on
(real, imaginary) pairs, so

- ops that are real-linear with real coefficients (+, -, negation, sums, reshapes, indexing,
  casts) pass gradients on unchanged, complex or not;
- a holomorphic op multiplies by the conjugate of its derivative: d(a * b) gives
  ``g * conj(b)`` to ``a``. For products (``*``, ``/``, ``@``, einsum), whose derivatives
  are built from their saved inputs, that is the real rule run on the conjugated saved data
  (``_complex_grads = "conjugate"``); other ops give their rule in ``_complex_backward``;
- an input that is real gets the real part of what its op's backward returns.

A built-in op whose backward rule is right for complex data says so with
``_complex_grads = True`` (``"first"``: right for first derivatives only; ``"conjugate"``:
right with its saved data conjugated). Any other
built-in op that meets complex data needing a gradient is refused when it is recorded, rather
than giving a wrong gradient later. Users' own Functions are trusted to follow the convention,
as PyTorch trusts them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .node import Node

# True once some complex tensor takes part in a graph: from then on every recorded op checks
# its inputs' dtypes too (until then only its output's, which costs nothing for real data)
IN_USE: list[bool] = [False]
_VARIANTS: dict[type, type] = {}
_OUR_PACKAGES = frozenset({"autograd", "nn", "optim"})


def _is_complex(x: Any) -> bool:
    data = x._data if isinstance(x, Node) else x
    return isinstance(data, np.ndarray) and data.dtype.kind == "c"


def checked(fn: Any, out: Any, parents: tuple) -> Any:
    """``fn``, or its complex variant when complex data is involved (a complex output or an
    input needing a gradient); raises when ``fn`` cannot carry complex gradients."""
    if not (_is_complex(out) or any(_is_complex(p) for p in parents)):
        return fn
    IN_USE[0] = True
    ours = fn.__module__.split(".")[0] in _OUR_PACKAGES
    if ours and not fn._complex_grads:
        raise NotImplementedError(
            f"{fn.__name__}: gradients through complex tensors are not supported by this op. "
            "Complex gradients flow through the autograd.fft transforms, real, imag, conj, "
            "abs, angle, view_as_real, view_as_complex, complex, +, -, *, /, @, einsum, "
            "sums, means, casts, where, and shape ops and indexing; take .real/.imag first, "
            "or compute under no_grad()"
        )
    variant = _VARIANTS.get(fn)
    if variant is None:
        variant = _VARIANTS[fn] = _make_variant(fn)
    return variant


def _make_variant(fn: Any) -> type:
    """A subclass of ``fn`` (same name, same forward) whose backward uses
    ``fn._complex_backward`` when it has one and gives real inputs the real part of their
    gradients."""
    rule = getattr(fn, "_complex_backward", None) or fn.backward
    first_only = fn._complex_grads == "first"
    conjugated = fn._complex_grads == "conjugate"

    def backward(ctx: Any, *grads: Any) -> Any:
        if first_only and any(isinstance(g, Node) for g in grads):
            raise NotImplementedError(
                f"{fn.__name__}: second derivatives through complex tensors are not supported"
            )
        result = rule(_ConjugatedSaves(ctx) if conjugated else ctx, *grads)
        one = type(result) is not tuple
        given = (result,) if one else result
        fixed = (
            tuple(
                real_part(g) if g is not None and _is_real_node(a) else g
                for a, g in zip(ctx.inputs, given)
            )
            + given[len(ctx.inputs) :]
        )
        return fixed[0] if one else fixed

    return type(
        fn.__name__,
        (fn,),
        {
            "backward": staticmethod(backward),
            "__qualname__": fn.__qualname__,
            "__module__": fn.__module__,
        },
    )


class _ConjugatedSaves:
    """A backward's context with its saved data conjugated (nodes under create_graph, so
    the conjugation is recorded too); everything else read from the context itself."""

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx
        self.saved_tensors = tuple(conj(s) for s in ctx.saved_tensors)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def _is_real_node(a: Any) -> bool:
    return isinstance(a, Node) and not _is_complex(a)


def real_part(g: Any) -> Any:
    """The real part of a gradient (raw or a node), itself when it is real."""
    if isinstance(g, Node):
        return g.real if _is_complex(g) else g  # type: ignore[attr-defined]
    if isinstance(g, np.ndarray):
        return g.real if g.dtype.kind == "c" else g
    return g.real if isinstance(g, complex) else g


def conj(x: Any) -> Any:
    """The complex conjugate of raw data or a node (itself when real)."""
    if isinstance(x, Node):
        return x.conj()  # type: ignore[attr-defined]
    if isinstance(x, (np.ndarray, np.generic)):
        return np.conj(x) if x.dtype.kind == "c" else x
    return x.conjugate() if isinstance(x, complex) else x
