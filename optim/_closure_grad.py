"""Loss and gradient of a closure that does not call backward (Newton, ConjugateGradient)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Value

from ._params import Param, flatten_nodes, loss_value


def loss_and_grad(
    closure: Callable[[], Any],
    params: Sequence[Param],
    *,
    create_graph: bool = False,
    optimizer: str = "this optimizer",
) -> tuple[Any, float, np.ndarray, tuple]:
    """Evaluate ``closure()`` and differentiate it with ``autograd.grad``.

    Returns the loss node, the loss as a float, the flat gradient, and the gradient nodes
    (differentiable again when ``create_graph``). ``.grad`` attributes are not touched.
    A closure that calls backward (as an LBFGS closure does) is refused with an error
    naming ``optimizer``.
    """
    with autograd.enable_grad():
        loss = _run_without_backward(closure, params, optimizer)
        if not getattr(loss, "requires_grad", False):
            raise RuntimeError(
                "the closure's loss does not depend on the parameters (it does not require "
                "grad); the closure must compute the loss from them with grad enabled"
            )
        nodes = autograd.grad(loss, list(params), create_graph=create_graph, allow_unused=True)
    return loss, loss_value(loss), flatten_nodes(nodes, params), nodes


def _run_without_backward(closure: Callable[[], Any], params: Sequence[Param], name: str) -> Any:
    """``closure()``, watching the parameters' ``.grad``: a backward inside the closure
    writes a gradient there (then the user's gradients are put back and an error raised)."""
    saved = [p.grad for p in params]
    for p in params:
        p.grad = 0.0 if isinstance(p, Value) else None
    try:
        loss = closure()
        called_backward = any(
            (p.grad != 0.0) if isinstance(p, Value) else (p.grad is not None) for p in params
        )
    finally:
        for p, g in zip(params, saved, strict=True):
            p.grad = g
    if called_backward:
        raise RuntimeError(
            f"{name}.step(closure): this closure must not call backward. {name} "
            "differentiates the loss itself, so the closure should only compute the loss "
            "and return it: remove the loss.backward() (and the zero_grad()) from it. "
            "(An LBFGS-style closure that calls backward is for LBFGS and the first-order "
            "optimizers.)"
        )
    return loss
