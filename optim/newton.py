"""Newton's method: steps from the exact gradient and Hessian."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

import autograd

from ._checks import check_closure, check_nonnegative
from ._closure_grad import loss_and_grad
from ._params import Param, add_flat, flat_dtype, flatten_nodes, numel
from .optimizer import Optimizer


class Newton(Optimizer):
    r"""Newton's method: ``x <- x - lr * (H + damping * I)^-1 g``.

    ``step(closure)``: ``closure()`` computes and returns the loss and does NOT call
    backward; the optimizer takes the gradient g and the exact Hessian H of the loss over
    all its parameters (flattened into one vector, across all groups) with the engine's
    second derivatives (``autograd.grad(..., create_graph=True)``). Building H costs one
    backward pass per parameter scalar and H has n**2 entries, so this is meant for small
    parameter counts (up to a few hundred scalars).

    A convex quadratic is solved in one step with ``lr=1, damping=0``. On non-convex
    problems H can be indefinite or singular: ``damping > 0`` adds ``damping * I``
    (Levenberg-style), moving the step towards gradient descent with step 1/damping.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1.0, damping: float = 0.0) -> None:
        super().__init__(params, dict(lr=lr, damping=damping))

    def _check_group(self, group: dict[str, Any]) -> None:
        check_nonnegative("lr", group["lr"])
        check_nonnegative("damping", group["damping"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # type: ignore[override]
        """Take one Newton step; return the loss before it."""
        check_closure("Newton", closure, calls_backward=False)
        assert closure is not None
        params = self._all_params()
        loss, _, g, nodes = loss_and_grad(closure, params, create_graph=True, optimizer="Newton")
        h = hessian(nodes, params)
        h[np.diag_indices_from(h)] += self._per_scalar("damping")
        try:
            d = np.linalg.solve(h, g)
        except np.linalg.LinAlgError as err:
            raise np.linalg.LinAlgError(
                "Newton: the Hessian (plus damping * I) is singular; use damping > 0"
            ) from err
        add_flat(params, -1.0, self._per_scalar("lr") * d)
        return loss

    def _per_scalar(self, option: str) -> np.ndarray:
        """A group option repeated for every parameter scalar, in flat order."""
        return np.concatenate(
            [np.full(numel(p), g[option]) for g in self.param_groups for p in g["params"]]
        )


def hessian(grad_nodes: tuple, params: list[Param]) -> np.ndarray:
    """The Hessian of a loss, from its differentiable gradient nodes (one row per scalar)."""
    n = sum(numel(p) for p in params)
    h = np.zeros((n, n), dtype=flat_dtype(params))
    row = 0
    for node, p in zip(grad_nodes, params, strict=True):
        entries = [None] * numel(p) if node is None else _scalars(node)
        for entry in entries:
            if entry is not None and getattr(entry, "requires_grad", False):
                second = autograd.grad(entry, params, retain_graph=True, allow_unused=True)
                h[row] = flatten_nodes(second, params)
            row += 1
    return h


def _scalars(node: Any) -> list[Any]:
    """The scalar entries of a gradient node, as differentiable nodes."""
    if isinstance(node, autograd.Value):
        return [node]
    flat = node.reshape(-1)
    return [flat[i] for i in range(flat.shape[0])]
