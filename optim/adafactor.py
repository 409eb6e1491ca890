"""Adafactor: second moments kept as row and column averages, steps relative to the
parameter's own scale."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from autograd import Tensor, enable_grad

from ._checks import check_nonnegative
from .optimizer import Optimizer, implementation_options


def _rms(a: np.ndarray) -> float:
    """Root mean square of an array's entries."""
    return float(np.linalg.norm(a.reshape(-1)) / np.sqrt(a.size))


class Adafactor(Optimizer):
    r"""Adafactor (PyTorch's rule: lr caps the relative step and scales the decoupled weight
    decay; epsilon1 is applied to the variance estimate, not to the squared gradient).

    Each step t (from 1), with g the gradient (negated when ``maximize``), ``eps = (eps1,
    eps2)`` and eps1 None meaning the parameter dtype's machine epsilon::

        beta2_t <- 1 - t**beta2_decay
        rho    <- min(lr, 1 / sqrt(t))
        alpha  <- max(eps2, RMS(x)) * rho
        x      <- x * (1 - lr * weight_decay)
        for x of 2 or more dims (the last two dims are the rows and columns):
            R <- beta2_t * R + (1 - beta2_t) * mean(g**2 over columns)     (row_var)
            C <- beta2_t * C + (1 - beta2_t) * mean(g**2 over rows)        (col_var)
            V <- R C / max(mean(R over rows), eps1)
        else:
            V <- beta2_t * V + (1 - beta2_t) * g**2                        (variance)
        U <- g / max(sqrt(V), eps1)
        x <- x - alpha * U / max(1, RMS(U) / d)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            beta2_decay=beta2_decay,
            eps=tuple(eps),
            d=d,
            weight_decay=weight_decay,
            **implementation_options("Adafactor", foreach=foreach),
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_nonnegative("lr", group["lr"])
        if not group["beta2_decay"] <= 0:
            raise ValueError(f"beta2_decay must be <= 0, got {group['beta2_decay']!r}")
        eps = group["eps"]
        if len(eps) != 2:
            raise ValueError(f"eps must be a pair (eps1, eps2), got {eps!r}")
        if eps[0] is not None:
            check_nonnegative("eps[0] (epsilon1)", eps[0])
        check_nonnegative("eps[1] (epsilon2)", eps[1])
        if not group["d"] >= 1:
            raise ValueError(f"Clipping threshold d must be >= 1, got {group['d']!r}")
        check_nonnegative("weight_decay", group["weight_decay"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # type: ignore[override]
        """Update every parameter that has a gradient once; return the closure's loss.
        Complex parameters are refused, as PyTorch's Adafactor refuses them."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for p in self._all_params():
            if isinstance(p, Tensor) and p.grad is not None and p._data.dtype.kind == "c":
                raise RuntimeError("Adafactor does not support complex parameters")
        super().step()
        return loss

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        if not state:
            state["step"] = 0
            if grad.ndim > 1:
                state["row_var"] = np.zeros(grad.shape[:-1] + (1,), dtype=x.dtype)
                state["col_var"] = np.zeros(grad.shape[:-2] + (1, grad.shape[-1]), dtype=x.dtype)
            else:
                state["variance"] = np.zeros_like(x)
        state["step"] += 1
        t = float(state["step"])
        lr, (eps1, eps2) = group["lr"], group["eps"]
        if eps1 is None:
            eps1 = float(np.finfo(x.dtype).eps)
        one_minus_beta2 = t ** group["beta2_decay"]
        alpha = max(eps2, _rms(x)) * min(lr, 1 / np.sqrt(t))
        if group["weight_decay"] != 0:
            x *= 1 - lr * group["weight_decay"]
        g2 = grad * grad
        if grad.ndim > 1:
            row, col = state["row_var"], state["col_var"]
            row += one_minus_beta2 * (g2.mean(axis=-1, keepdims=True) - row)
            col += one_minus_beta2 * (g2.mean(axis=-2, keepdims=True) - col)
            v = (row @ col) / np.maximum(row.mean(axis=-2, keepdims=True), eps1)
        else:
            v = state["variance"]
            v += one_minus_beta2 * (g2 - v)
        u = grad / np.sqrt(np.maximum(v, eps1 * eps1))
        x -= (alpha / max(1.0, _rms(u) / group["d"])) * u
