"""Datasets and batches, as ``torch.utils.data``: ``Dataset``, ``TensorDataset``, ``Subset``,
``random_split`` and ``DataLoader`` (which also takes arrays directly).

Shuffling draws its permutations from ``generator`` when one is given, else from the
library's generator (``autograd.random.default_generator()``), so ``autograd.manual_seed``
makes the order repeatable. All draws go through ``draw_permutation``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.random import default_generator


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


class Dataset:
    """A map-style dataset: subclasses define ``__getitem__(index)`` and ``__len__``."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples are the i-th rows of each tensor (all of the same first dimension)."""

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        sizes = {len(t) for t in tensors}
        if len(sizes) != 1:
            shapes = ", ".join(str(tuple(np.shape(_raw(t)))) for t in tensors)
            raise ValueError(f"TensorDataset: size mismatch between tensors, shapes {shapes}")
        self.tensors = tuple(tensors)

    def __getitem__(self, index: Any) -> tuple:
        return tuple(_take(t, index) for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = list(indices)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several datasets one after another."""

    def __init__(self, datasets: Sequence[Any]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        self.cumulative_sizes = list(np.cumsum([len(d) for d in self.datasets]))

    def __len__(self) -> int:
        return int(self.cumulative_sizes[-1])

    def __getitem__(self, index: int) -> Any:
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"index {index} is out of range for a dataset of {n} samples")
        index %= n
        k = int(np.searchsorted(self.cumulative_sizes, index, side="right"))
        start = 0 if k == 0 else int(self.cumulative_sizes[k - 1])
        return self.datasets[k][index - start]


def random_split(dataset: Any, lengths: Sequence[Any], generator: Any = None) -> list[Subset]:
    """Split ``dataset`` at random into non-overlapping Subsets of the given lengths, or of
    the given fractions of it (summing to 1; the remainder goes one by one to the first)."""
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(isinstance(x, float) for x in lengths) and math.isclose(sum(lengths), 1):
        counts = [int(math.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if any(isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < 0 for x in lengths):
        raise ValueError(f"random_split: lengths must be non-negative integers, got {lengths}")
    if sum(lengths) != n:
        raise ValueError(
            f"random_split: the lengths {lengths} sum to {sum(lengths)}, not to the "
            f"dataset's length {n}"
        )
    order = draw_permutation(n, generator).tolist()
    out, start = [], 0
    for length in lengths:
        out.append(Subset(dataset, order[start : start + length]))
        start += length
    return out


def default_collate(batch: list) -> Any:
    """Stack a list of samples into a batch: numbers, arrays and Tensors become one Tensor
    (a new axis 0); tuples, lists and dicts are collated field by field."""
    first = batch[0]
    if isinstance(first, Tensor):
        return Tensor(np.stack([b.data for b in batch]))
    if isinstance(first, (np.ndarray, np.generic)):
        return Tensor(np.stack(batch))
    if isinstance(first, bool):
        return Tensor(np.array(batch, dtype=bool))
    if isinstance(first, numbers.Integral):
        return Tensor(np.array(batch, dtype=np.int64))
    if isinstance(first, numbers.Real):
        return Tensor(np.array(batch, dtype=np.float64))
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, dict):
        return {k: default_collate([b[k] for b in batch]) for k in first}
    if isinstance(first, (tuple, list)):
        if any(len(b) != len(first) for b in batch):
            raise ValueError("default_collate: every sample in a batch must have the same size")
        fields = [default_collate(list(f)) for f in zip(*batch)]
        return tuple(fields) if isinstance(first, tuple) else fields
    raise TypeError(f"default_collate: cannot collate samples of type {type(first).__name__}")


def _default_convert(sample: Any) -> Any:
    """One sample without batching (batch_size=None on a dataset): arrays become Tensors."""
    if isinstance(sample, (np.ndarray, np.generic)) and not isinstance(sample, np.str_):
        return Tensor(sample)
    if isinstance(sample, tuple):
        return tuple(_default_convert(s) for s in sample)
    if isinstance(sample, list):
        return [_default_convert(s) for s in sample]
    if isinstance(sample, dict):
        return {k: _default_convert(v) for k, v in sample.items()}
    return sample


def _is_array(a: Any) -> bool:
    return isinstance(a, (np.ndarray, Tensor))


def _check_batch_size(batch_size: Any) -> int | None:
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}")
    return int(batch_size)


_IGNORED = ("num_workers", "pin_memory", "timeout", "worker_init_fn", "prefetch_factor",
            "persistent_workers", "multiprocessing_context", "pin_memory_device")  # fmt: skip


class DataLoader:
    """Batches from a dataset, every sample once per pass (epoch), reshuffled every epoch.

    Two ways to call it:

    - PyTorch's: ``DataLoader(dataset, batch_size=1, shuffle=False, drop_last=False,
      generator=None, collate_fn=None)``: ``dataset`` has ``__getitem__`` and ``__len__``;
      each batch is ``collate_fn([dataset[i] for i in batch_indices])`` (default:
      ``default_collate``, which stacks into Tensors). ``batch_size=None`` yields the samples
      one by one without a batch axis, as PyTorch. A ``TensorDataset`` is sliced directly.
    - arrays directly: ``DataLoader(x, y, batch_size=32, shuffle=True)`` yields tuples
      ``(x_batch, y_batch)``: numpy arrays give numpy arrays, Tensors give Tensors (new
      leaves that do not require grad); ``batch_size=None`` is the full batch.

    ``shuffle`` draws a new order each epoch from ``generator`` (a numpy Generator or
    anything with ``permutation(n)``), or from a new generator seeded with ``seed``, or else
    from the library's generator (``autograd.manual_seed`` makes it repeatable).
    ``batch_size`` may be changed between epochs (``loader.batch_size = 64``): the next
    iteration uses the new size. ``num_workers`` and the other multiprocessing options are
    accepted and ignored (loading happens in the calling process).
    """

    def __init__(
        self,
        *args: Any,
        batch_size: Any = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: Any = None,
        collate_fn: Callable[[list], Any] | None = None,
        seed: int | None = None,
        sampler: Any = None,
        batch_sampler: Any = None,
        **kwargs: Any,
    ) -> None:
        unknown = set(kwargs) - set(_IGNORED)
        if unknown:
            raise TypeError(f"DataLoader: unexpected keyword argument(s) {sorted(unknown)}")
        if sampler is not None or batch_sampler is not None:
            raise ValueError("DataLoader: sampler and batch_sampler are not supported")
        if not args:
            raise ValueError("DataLoader needs a dataset or at least one array")
        if _is_array(args[0]):
            self.dataset: Any = None
            self.arrays: tuple = args
            lengths = {len(a) for a in args}
            if len(lengths) != 1:
                shapes = ", ".join(str(np.shape(_raw(a))) for a in args)
                raise ValueError(f"arrays must have the same first dimension, got shapes {shapes}")
            self.num_samples = lengths.pop()
        else:
            dataset, *rest = args
            if len(rest) > 2:
                raise TypeError(
                    "DataLoader(dataset, batch_size, shuffle): too many positional arguments"
                )
            if rest:
                batch_size = rest[0]
            if len(rest) > 1:
                shuffle = rest[1]
            if not hasattr(dataset, "__getitem__") or not hasattr(dataset, "__len__"):
                raise TypeError(
                    f"DataLoader: expected a dataset (with __getitem__ and __len__) or arrays, "
                    f"got {type(dataset).__name__}"
                )
            self.dataset = dataset
            self.arrays = dataset.tensors if isinstance(dataset, TensorDataset) else ()
            self.num_samples = len(dataset)
        if generator is not None and seed is not None:
            raise ValueError("give either generator or seed, not both")
        self._batch_size = _check_batch_size(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.generator = np.random.default_rng(seed) if seed is not None else generator
        self.collate_fn = collate_fn

    @property
    def batch_size(self) -> int | None:
        """Samples per batch; may be changed between epochs."""
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: Any) -> None:
        self._batch_size = _check_batch_size(value)

    def _per_batch(self) -> int:
        if self._batch_size is None:
            return 1 if self.dataset is not None else max(self.num_samples, 1)
        return self._batch_size

    def __len__(self) -> int:
        """Number of batches per epoch."""
        n, b = self.num_samples, self._per_batch()
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[Any]:
        n = self.num_samples
        b = self._per_batch()  # read once: a change takes effect from the next epoch
        unbatched = self.dataset is not None and self._batch_size is None
        order = draw_permutation(n, self.generator) if self.shuffle else np.arange(n)
        count = n // b if self.drop_last else -(-n // b)
        for start in range(0, count * b, b):
            idx = order[start : start + b]
            if unbatched:
                sample = self.dataset[int(idx[0])]
                yield self.collate_fn([sample]) if self.collate_fn else _default_convert(sample)
            elif self.arrays and self.collate_fn is None:
                yield tuple(_take(a, idx) for a in self.arrays)
            else:
                samples = [self.dataset[int(i)] for i in idx]
                yield (self.collate_fn or default_collate)(samples)


def _raw(a: Any) -> Any:
    return a.data if isinstance(a, Tensor) else a


def _take(a: Any, idx: Any) -> Any:
    if isinstance(a, Tensor):
        return Tensor(a.data[idx])
    return np.asarray(a)[idx]
