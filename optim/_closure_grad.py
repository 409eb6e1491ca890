"""Loss and gradient of a closure that does not call backward (Newton, ConjugateGradient)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import autograd

from ._params import Param, flatten_nodes, loss_value


def loss_and_grad(
    closure: Callable[[], Any], params: Sequence[Param], *, create_graph: bool = False
) -> tuple[Any, float, np.ndarray, tuple]:
    """Evaluate ``closure()`` and differentiate it with ``autograd.grad``.

    Returns the loss node, the loss as a float, the flat gradient, and the gradient nodes
    (differentiable again when ``create_graph``). ``.grad`` attributes are not touched.
    """
    with autograd.enable_grad():
        loss = closure()
        if not getattr(loss, "requires_grad", False):
            raise RuntimeError(
                "the closure's loss does not depend on the parameters (it does not require "
                "grad); the closure must compute the loss from them with grad enabled"
            )
        nodes = autograd.grad(loss, list(params), create_graph=create_graph, allow_unused=True)
    return loss, loss_value(loss), flatten_nodes(nodes, params), nodes
