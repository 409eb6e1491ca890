"""Samplers, as ``torch.utils.data.sampler``: the order in which a DataLoader visits a
dataset's indices (``SequentialSampler``, ``RandomSampler``, ``SubsetRandomSampler``,
``WeightedRandomSampler``) and how they are grouped into batches (``BatchSampler``).

Every random draw comes from the sampler's ``generator`` when one is given (an
``autograd.Generator`` or a ``numpy.random.Generator``), else from the library's generator
(``autograd.random.default_generator()``) at the time of iteration, so
``autograd.manual_seed`` makes the order repeatable. The streams are not PyTorch's.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator, Sized
from typing import Any, Generic, TypeVar

import numpy as np

from autograd import Tensor
from autograd.random import default_generator

__all__ = [
    "BatchSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]

T_co = TypeVar("T_co", covariant=True)


def draw_permutation(n: int, generator: Any = None) -> np.ndarray:
    """A random order of range(n) from ``generator`` (anything with numpy's
    ``permutation(n)``, e.g. a ``numpy.random.Generator``) or the library's generator."""
    if generator is None:
        generator = default_generator()
    permutation = getattr(generator, "permutation", None)
    if permutation is None:
        raise TypeError(
            f"generator must offer permutation(n) like numpy.random.Generator, got "
            f"{type(generator).__name__}"
        )
    return np.asarray(permutation(n))


def _generator(generator: Any) -> Any:
    return default_generator() if generator is None else generator


def _positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{what} should be a positive integer value, but got {what}={value!r}")
    return int(value)


def _check_bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{what} should be a boolean value, but got {what}={value!r}")
    return value


class Sampler(Generic[T_co]):
    """Base class: subclasses define ``__iter__`` (the indices, in order) and, where known,
    ``__len__``."""

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler[int]):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


_REPLACEMENT_CHUNK = 32  # draws a replacement RandomSampler makes at once (PyTorch's 32)


class RandomSampler(Sampler[int]):
    """Indices of ``data_source`` in random order: without replacement a permutation (for
    ``num_samples`` beyond the length, whole permutations one after another, then part of
    one); with ``replacement=True`` ``num_samples`` independent uniform draws."""

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        self.data_source = data_source
        self.replacement = _check_bool(replacement, "replacement")
        self._num_samples = num_samples
        self.generator = generator
        _positive_int(self.num_samples, "num_samples")

    @property
    def num_samples(self) -> int:
        """``num_samples`` if given, else the length of the data source (read each time)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        m = self.num_samples
        gen = _generator(self.generator)
        if self.replacement:
            # drawn as iterated, a chunk at a time as PyTorch: num_samples may be huge
            # (minGPT's trainer asks for 1e10 and takes a few batches)
            for start in range(0, m, _REPLACEMENT_CHUNK):
                yield from gen.integers(0, n, size=min(_REPLACEMENT_CHUNK, m - start)).tolist()
            return
        for _ in range(m // n):
            yield from draw_permutation(n, gen).tolist()
        if m % n:
            yield from draw_permutation(n, gen)[: m % n].tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given ``indices`` in random order (a new order each pass)."""

    def __init__(self, indices: Any, generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in draw_permutation(len(self.indices), _generator(self.generator)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices in range(len(weights)), each drawn with probability
    proportional to its weight (with or without replacement)."""

    def __init__(
        self,
        weights: Any,
        num_samples: int,
        replacement: bool = True,
        generator: Any = None,
    ) -> None:
        self.num_samples = _positive_int(num_samples, "num_samples")
        self.replacement = _check_bool(replacement, "replacement")
        w = np.asarray(weights._data if isinstance(weights, Tensor) else weights, dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape {w.shape}"
            )
        if not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
            raise ValueError(
                "WeightedRandomSampler: weights must be finite, non-negative and not all zero"
            )
        if not replacement and self.num_samples > np.count_nonzero(w):
            raise ValueError(
                f"WeightedRandomSampler: cannot draw {self.num_samples} samples without "
                f"replacement from {np.count_nonzero(w)} indices of non-zero weight"
            )
        self.weights = Tensor(w)
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        w = self.weights._data
        gen = _generator(self.generator)
        draws = gen.choice(len(w), size=self.num_samples, replace=self.replacement, p=w / w.sum())
        yield from (int(i) for i in draws)

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Lists of ``batch_size`` indices from ``sampler`` (the last one shorter unless
    ``drop_last``)."""

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        self.sampler = sampler
        self.batch_size = _positive_int(batch_size, "batch_size")
        if not isinstance(drop_last, bool):
            raise ValueError(
                f"drop_last should be a boolean value, but got drop_last={drop_last!r}"
            )
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
