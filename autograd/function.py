"""``Function``: an op as a forward on raw data and a backward beside it.

Every built-in op (``+``, ``tanh``, ``sum``, ``@`` ...) is a Function, and so are users'
custom ops. ``forward(ctx, *raw)`` gets floats or ndarrays and returns one; ``backward(ctx,
grad)`` returns one gradient per forward argument (``None`` where there is none). Backward
rules are written with operators and methods that floats, ndarrays, Values and Tensors all
understand (see ``autograd.dual``), so the same rule also runs on nodes when
``grad(..., create_graph=True)`` asks for a differentiable gradient.
"""

from __future__ import annotations

import itertools
from typing import Any

from . import grad_mode
from .node import Node

_sequence = itertools.count()
_next_seq = _sequence.__next__


class Context:
    """What ``forward`` leaves for ``backward``: saved data plus any attributes it sets."""

    __slots__ = ("fn", "inputs", "parents", "needs_input_grad", "saved_tensors", "seq", "__dict__")

    def save_for_backward(self, *items: Any) -> None:
        """Keep these (inputs or the output as forward saw them, or constants) for backward.

        For second derivatives, save the very objects forward received or returned: under
        ``create_graph`` they are handed back as the corresponding nodes.
        """
        self.saved_tensors = items


class _Released:
    """Marks a context whose saved data was freed by a backward pass."""


RELEASED: tuple = (_Released,)


class Function:
    """Base class of differentiable ops; subclass it and call ``MyOp.apply(*inputs)``."""

    @staticmethod
    def forward(ctx: Context, *args: Any) -> Any:
        """Compute the output from raw data (floats or ndarrays)."""
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        """Return one gradient per forward argument (a tuple, or one value for one input)."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward on the nodes' data and record the op when a gradient may be needed."""
        kind = None
        raw = []
        needs = []
        record = False
        for a in args:
            if isinstance(a, Node):
                t = a._result_type
                if kind is None:
                    kind = t
                elif t is not kind:
                    raise TypeError(
                        f"{cls.__name__}: cannot mix {kind.__name__} and {t.__name__} inputs"
                    )
                raw.append(a.data)
                need = a.requires_grad
                needs.append(need)
                record = record or need
            else:
                raw.append(a)
                needs.append(False)
        if kind is None:
            raise TypeError(f"{cls.__name__}.apply needs at least one Value or Tensor input")
        ctx = Context()
        ctx.saved_tensors = ()
        record = record and grad_mode._GradMode.enabled
        ctx.needs_input_grad = tuple(needs)
        out = cls.forward(ctx, *raw)
        if not record:
            return kind._from_op(out, None)
        ctx.fn = cls
        ctx.inputs = args
        ctx.parents = args if all(needs) else tuple(a for a, n in zip(args, needs) if n)
        ctx.seq = _next_seq()
        return kind._from_op(out, ctx)
