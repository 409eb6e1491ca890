"""``DataLoader``: batches over arrays — full batch, mini-batch or one sample at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd import Tensor


class DataLoader:
    """Iterate over aligned arrays in batches, reshuffled every epoch.

    ``DataLoader(x, y, batch_size=32, shuffle=True, seed=0)``: each pass (epoch) yields
    tuples ``(x_batch, y_batch)`` covering every sample exactly once; numpy arrays give
    numpy arrays, Tensors give Tensors (new leaves that do not require grad).
    ``batch_size=1`` is stochastic gradient descent, ``None`` (or the number of samples)
    the full batch. With ``drop_last`` an incomplete last batch is skipped. ``shuffle``
    draws a new order every epoch from ``generator`` (a ``numpy.random.Generator``) or
    from a new generator seeded with ``seed``.
    """

    def __init__(
        self,
        *arrays: Any,
        batch_size: int | None = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: np.random.Generator | None = None,
        seed: int | None = None,
    ) -> None:
        if not arrays:
            raise ValueError("DataLoader needs at least one array")
        lengths = {len(a) for a in arrays}
        if len(lengths) != 1:
            shapes = ", ".join(str(np.shape(_raw(a))) for a in arrays)
            raise ValueError(f"arrays must have the same first dimension, got shapes {shapes}")
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
            raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}")
        if generator is not None and seed is not None:
            raise ValueError("give either generator or seed, not both")
        self.arrays = arrays
        self.num_samples = lengths.pop()
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.generator = generator if generator is not None else np.random.default_rng(seed)

    def _batch(self) -> int:
        return self.num_samples if self.batch_size is None else self.batch_size

    def __len__(self) -> int:
        """Number of batches per epoch."""
        n, b = self.num_samples, self._batch()
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        n, b = self.num_samples, self._batch()
        order = self.generator.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, len(self) * b, b):
            idx = order[start : start + b]
            yield tuple(_take(a, idx) for a in self.arrays)


def _raw(a: Any) -> Any:
    return a.data if isinstance(a, Tensor) else a


def _take(a: Any, idx: np.ndarray) -> Any:
    if isinstance(a, Tensor):
        return Tensor(a.data[idx])
    return np.asarray(a)[idx]
