"""Running any optimizer from ``optim`` on a function of two Values, recording its path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import optim
from autograd import Value

Objective = Callable[[Any, Any], Any]
"""f(x, y): works on Values (for the engine) and on numpy grids (for contour plots)."""

# optimizers whose closure computes the loss without calling backward
_DIFFERENTIATE_THEMSELVES = (optim.Newton, optim.ConjugateGradient)


def descend(
    f: Objective,
    start: tuple[float, float],
    make_optimizer: Callable[[list[Value]], optim.Optimizer],
    steps: int,
    bound: float = 1e6,
) -> tuple[np.ndarray, np.ndarray]:
    """Take ``steps`` optimizer steps on ``f`` from ``start``.

    Returns the path (steps + 1 points, the start first) and f at each point. A run that
    leaves ``|x|, |y| < bound`` or turns non-finite stops early (divergence is part of the
    story for too-large learning rates).
    """
    params = [Value(start[0], label="x"), Value(start[1], label="y")]
    optimizer = make_optimizer(params)
    closure_only = isinstance(optimizer, _DIFFERENTIATE_THEMSELVES)

    def closure() -> Value:
        loss = f(*params)
        if not closure_only:
            optimizer.zero_grad()
            loss.backward()
        return loss

    path = [(params[0].data, params[1].data)]
    for _ in range(steps):
        if isinstance(optimizer, (optim.LBFGS, *_DIFFERENTIATE_THEMSELVES)):
            optimizer.step(closure)
        else:
            closure()
            optimizer.step()
        point = (params[0].data, params[1].data)
        if not all(np.isfinite(point)) or max(abs(point[0]), abs(point[1])) > bound:
            break
        path.append(point)
    arr = np.array(path)
    return arr, np.array([float(f(px, py)) for px, py in arr])
