"""``DataLoader``, as ``torch.utils.data.dataloader``: batches from a dataset (map-style
or iterable) or from arrays directly, in the order a sampler gives; ``default_collate``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, tensor

from .dataset import IterableDataset, TensorDataset, _raw, _take
from .sampler import BatchSampler, RandomSampler, SequentialSampler

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]


def get_worker_info() -> None:
    """Information about the loading worker process: None, as PyTorch returns in the main
    process, since every DataLoader here loads in the calling process (an IterableDataset
    that splits its stream per worker then yields all of it once)."""
    return None


def default_collate(batch: Sequence) -> Any:
    """Stack a list of samples into a batch: numbers, arrays and Tensors become one Tensor
    (a new axis 0); tuples, lists and dicts are collated field by field. As in PyTorch, a
    batch of tuples (or lists) is a list of fields (a namedtuple keeps its type), and strings
    stay as they come (a field of strings is a tuple)."""
    first = batch[0]
    if isinstance(first, Tensor):
        return Tensor(np.stack([b._data for b in batch]))
    if isinstance(first, (np.ndarray, np.generic)):
        return Tensor(np.stack(batch))
    if isinstance(first, bool):
        return Tensor(np.array(batch, dtype=bool))
    if isinstance(first, numbers.Integral):
        # torch.tensor(batch): int64 for ints, the default float dtype if a float follows
        return tensor(list(batch))
    if isinstance(first, numbers.Real):
        return Tensor(np.array(batch, dtype=np.float64))
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, dict):
        return {k: default_collate([b[k] for b in batch]) for k in first}
    if isinstance(first, (tuple, list)):
        if any(len(b) != len(first) for b in batch):
            raise ValueError("default_collate: every sample in a batch must have the same size")
        fields = [default_collate(f) for f in zip(*batch)]
        return type(first)(*fields) if hasattr(first, "_fields") else fields
    raise TypeError(f"default_collate: cannot collate samples of type {type(first).__name__}")


def default_convert(sample: Any) -> Any:
    """One sample without batching (batch_size=None on a dataset): arrays become Tensors,
    inside tuples, lists and dicts too."""
    if isinstance(sample, (np.ndarray, np.generic)) and not isinstance(sample, np.str_):
        return Tensor(sample)
    if isinstance(sample, tuple):
        return tuple(default_convert(s) for s in sample)
    if isinstance(sample, list):
        return [default_convert(s) for s in sample]
    if isinstance(sample, dict):
        return {k: default_convert(v) for k, v in sample.items()}
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

    - PyTorch's: ``DataLoader(dataset, batch_size=1, shuffle=False, sampler=None,
      batch_sampler=None, num_workers=0, collate_fn=None, ..., drop_last=False, ...,
      generator=None)``: ``dataset`` has ``__getitem__`` and ``__len__`` (or is an
      ``IterableDataset``); each batch is ``collate_fn([dataset[i] for i in batch_indices])``
      (default: ``default_collate``, which stacks into Tensors). ``batch_size=None`` yields
      the samples one by one without a batch axis, as PyTorch. A ``TensorDataset`` is sliced
      directly.
    - arrays directly: ``DataLoader(x, y, batch_size=32, shuffle=True)`` yields tuples
      ``(x_batch, y_batch)``: numpy arrays give numpy arrays, Tensors give Tensors (new
      leaves that do not require grad); ``batch_size=None`` is the full batch.

    The indices come from ``sampler`` (default: ``RandomSampler`` with ``shuffle``, else
    ``SequentialSampler``), grouped by ``batch_sampler`` (default: ``BatchSampler(sampler,
    batch_size, drop_last)``); as PyTorch, ``sampler`` excludes ``shuffle``, and
    ``batch_sampler`` excludes ``batch_size``, ``shuffle``, ``sampler`` and ``drop_last``.
    ``shuffle`` draws a new order each epoch from ``generator`` (an ``autograd.Generator``,
    a numpy Generator or anything with ``permutation(n)``), or from a new generator seeded
    with ``seed``, or else from the library's generator (``autograd.manual_seed`` makes it
    repeatable). ``batch_size`` may be changed between epochs (``loader.batch_size = 64``):
    the next iteration uses the new size. ``num_workers`` and the other multiprocessing
    options are accepted and ignored (loading happens in the calling process).
    """

    def __init__(
        self,
        *args: Any,
        batch_size: Any = 1,
        shuffle: bool | None = None,
        sampler: Any = None,
        batch_sampler: Any = None,
        collate_fn: Callable[[list], Any] | None = None,
        drop_last: bool = False,
        generator: Any = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        if "dataset" in kwargs:  # torch's first parameter, often passed by name
            if args:
                raise TypeError("DataLoader: got multiple values for argument 'dataset'")
            args = (kwargs.pop("dataset"),)
        unknown = set(kwargs) - set(_IGNORED)
        if unknown:
            raise TypeError(f"DataLoader: unexpected keyword argument(s) {sorted(unknown)}")
        if not args:
            raise ValueError("DataLoader needs a dataset or at least one array")
        self.iterable = False
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
            self.dataset = dataset
            self.arrays = dataset.tensors if isinstance(dataset, TensorDataset) else ()
            if isinstance(dataset, IterableDataset):
                self.iterable = True
                self.num_samples = -1
            elif not hasattr(dataset, "__getitem__") or not hasattr(dataset, "__len__"):
                raise TypeError(
                    f"DataLoader: expected a dataset (with __getitem__ and __len__, or an "
                    f"IterableDataset) or arrays, got {type(dataset).__name__}"
                )
            else:
                self.num_samples = len(dataset)
        if generator is not None and seed is not None:
            raise ValueError("give either generator or seed, not both")
        if self.iterable:
            for what, value in (("shuffle", shuffle), ("sampler", sampler),
                                ("batch_sampler", batch_sampler)):  # fmt: skip
                if value not in (None, False):
                    raise ValueError(
                        f"DataLoader with IterableDataset: expected unspecified {what} option, "
                        f"but got {what}={value!r}"
                    )
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "DataLoader: batch_sampler option is mutually exclusive with batch_size, "
                    "shuffle, sampler, and drop_last"
                )
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError(
                "DataLoader: batch_size=None option disables auto-batching and is mutually "
                "exclusive with drop_last"
            )
        self._batch_size = _check_batch_size(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.generator = np.random.default_rng(seed) if seed is not None else generator
        self.collate_fn = collate_fn
        self._batch_sampler = batch_sampler
        self.sampler: Any = None
        if sampler is not None:
            self.sampler = sampler
        elif not self.iterable:
            source = range(self.num_samples)
            self.sampler = (
                RandomSampler(source, generator=self.generator)
                if self.shuffle and self.num_samples
                else SequentialSampler(source)
            )

    @property
    def batch_size(self) -> int | None:
        """Samples per batch; may be changed between epochs."""
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: Any) -> None:
        if self._batch_sampler is not None and value is not None:
            raise ValueError("DataLoader: batch_size cannot be set when batch_sampler is given")
        self._batch_size = _check_batch_size(value)

    @property
    def batch_sampler(self) -> Any:
        """The lists of indices per batch: the given batch_sampler, else
        ``BatchSampler(sampler, batch_size, drop_last)`` (None without automatic batching)."""
        if self._batch_sampler is not None:
            return self._batch_sampler
        b = self._per_batch() if self._batch_size is not None or self.arrays_only else None
        if b is None or self.sampler is None:
            return None
        return BatchSampler(self.sampler, b, self.drop_last)

    @property
    def arrays_only(self) -> bool:
        """Called with arrays directly (``DataLoader(x, y, ...)``) rather than a dataset."""
        return self.dataset is None

    def _per_batch(self) -> int:
        if self._batch_size is None:
            return max(self.num_samples, 1) if self.arrays_only else 1
        return self._batch_size

    def __len__(self) -> int:
        """Number of batches per epoch."""
        if self.iterable:
            n = len(self.dataset)
            if self._batch_size is None:
                return n
            b = self._batch_size
            return n // b if self.drop_last else -(-n // b)
        if self._batch_sampler is not None:
            return len(self._batch_sampler)
        n, b = len(self.sampler), self._per_batch()
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[Any]:
        if self.iterable:
            yield from self._iter_iterable()
            return
        batches = self.batch_sampler
        if batches is None:  # no automatic batching: one sample at a time
            for i in self.sampler:
                sample = self.dataset[i]
                yield self.collate_fn([sample]) if self.collate_fn else default_convert(sample)
            return
        for idx in batches:
            if self.arrays and self.collate_fn is None:
                yield tuple(_take(a, np.asarray(idx, dtype=np.intp)) for a in self.arrays)
            else:
                samples = [self.dataset[i] for i in idx]
                yield (self.collate_fn or default_collate)(samples)

    def _iter_iterable(self) -> Iterator[Any]:
        b = self._batch_size  # read once: a change takes effect from the next epoch
        if b is None:
            for sample in self.dataset:
                yield self.collate_fn([sample]) if self.collate_fn else default_convert(sample)
            return
        batch: list = []
        for sample in self.dataset:
            batch.append(sample)
            if len(batch) == b:
                yield (self.collate_fn or default_collate)(batch)
                batch = []
        if batch and not self.drop_last:
            yield (self.collate_fn or default_collate)(batch)
