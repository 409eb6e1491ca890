"""SparseAdam: lazy Adam for the gradients of ``sparse=True`` embeddings, moving only the
rows a gradient holds."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ._checks import check_betas, check_positive
from .adam import init_moments
from .optimizer import Optimizer


class SparseAdam(Optimizer):
    r"""Adam on the rows present in a sparse gradient (PyTorch's SparseAdam).

    For gradients from ``nn.Embedding(..., sparse=True)`` (and ``EmbeddingBag``,
    ``F.embedding`` / ``F.embedding_bag`` with ``sparse=True``); any other gradient is refused,
    as PyTorch refuses dense ones. Each step t (from 1, counted per parameter, also for a
    gradient holding no rows), with g the gradient (negated when ``maximize``), on the rows R
    the gradient holds (looked up, padding_idx's excepted, whatever their values)::

        m[R] <- m[R] + (1 - beta1) * (g[R] - m[R])
        v[R] <- v[R] + (1 - beta2) * (g[R]**2 - v[R])
        x[R] <- x[R] - lr * sqrt(1 - beta2**t) / (1 - beta1**t) * m[R] / (sqrt(v[R]) + eps)

    Rows outside R keep their values and moments. Unlike Adam, eps is added to sqrt(v)
    before the bias correction of v is applied.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, maximize=maximize)
        super().__init__(params, defaults)
        complex_params = [
            [i, j]
            for i, group in enumerate(self.param_groups)
            for j, p in enumerate(group["params"])
            if np.iscomplexobj(p._data)
        ]
        if complex_params:
            raise ValueError(
                f"Complex params at indices {complex_params}: SparseAdam does not support "
                "complex parameters"
            )

    def _check_group(self, group: dict[str, Any]) -> None:
        check_positive("lr", group["lr"])
        check_positive("eps", group["eps"])
        check_betas(group["betas"])

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        raise RuntimeError(
            "SparseAdam does not support dense gradients, please consider Adam instead (a "
            "gradient counts as sparse when it comes only from sparse=True lookups)"
        )

    def _update_rows(
        self, x: np.ndarray, grad: np.ndarray, rows: np.ndarray, state: dict, group: dict
    ) -> None:
        init_moments(x, state)
        state["step"] += 1
        if rows.size == 0:
            return
        beta1, beta2 = group["betas"]
        g = grad[rows]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m_rows = m[rows] + (g - m[rows]) * (1 - beta1)
        v_rows = v[rows] + (g * g - v[rows]) * (1 - beta2)
        m[rows], v[rows] = m_rows, v_rows
        t = state["step"]
        step_size = group["lr"] * math.sqrt(1 - beta2**t) / (1 - beta1**t)
        x[rows] += -step_size * (m_rows / (np.sqrt(v_rows) + group["eps"]))
