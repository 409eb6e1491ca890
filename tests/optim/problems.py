"""Test problems shared by the optim tests: parameters of each kind and their losses."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, Value

KINDS = ["float64", "float32", "value"]
W0 = np.array([0.5, -1.2, 2.0])
C = np.array([0.3, -0.7, 0.1])


def make_params(kind: str, w0: np.ndarray = W0) -> list[Any]:
    """One Tensor of the given dtype, or one Value per entry."""
    if kind == "value":
        return [Value(float(w)) for w in w0]
    return [Tensor(np.array(w0, dtype=kind), requires_grad=True)]


def values_of(params: list[Any]) -> np.ndarray:
    """The parameters' current values as one float64 vector."""
    if isinstance(params[0], Value):
        return np.array([p.data for p in params])
    return np.asarray(params[0].data, dtype=np.float64).copy()


def quartic(params: list[Any]) -> Any:
    """sum(w**4 / 4 + C * w): a non-quadratic loss whose gradient is w**3 + C."""
    if isinstance(params[0], Value):
        total = Value(0.0)
        for w, c in zip(params, C, strict=True):
            total = total + w**4 / 4 + float(c) * w
        return total
    w = params[0]
    return (w**4).sum() / 4 + (w * C.astype(w.dtype)).sum()


def quartic_value(w: np.ndarray) -> float:
    """``quartic`` in plain numpy, for references."""
    return float(np.sum(w**4 / 4 + C * w))


def quartic_grad(w: np.ndarray) -> np.ndarray:
    """The gradient of ``quartic``."""
    return w**3 + C


def rosenbrock(x: Any, y: Any) -> Any:
    """(1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def rosenbrock_params(kind: str) -> tuple[list[Any], Any]:
    """Parameters at the classic start (-1.5, 2) and a loss function of them."""
    start = np.array([-1.5, 2.0])
    if kind == "value":
        x, y = Value(-1.5), Value(2.0)
        return [x, y], lambda: rosenbrock(x, y)
    p = Tensor(start.astype(kind), requires_grad=True)
    return [p], lambda: rosenbrock(p[0], p[1])


def backward_closure(optimizer: Any, loss_fn: Any) -> Any:
    """A PyTorch-style closure: zero grads, compute loss, backward, return the loss."""

    def closure() -> Any:
        optimizer.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    return closure


def loss_float(loss: Any) -> float:
    """A loss node as a float."""
    return float(loss.data) if isinstance(loss, Value) else float(loss.item())
