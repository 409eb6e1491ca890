"""``DistributedSampler``, as ``torch.utils.data.distributed``: the share of a dataset's
indices that one of ``num_replicas`` processes visits.

Training scripts import it at the top and use it only under torchrun. Without a process
group (this library has none), ``num_replicas`` and ``rank`` must be given, else PyTorch's
ValueError. Each replica takes every ``num_replicas``-th index of one common order (shuffled
from ``seed + epoch`` when ``shuffle``, the same order in every replica), padded by repeating
indices to a multiple of ``num_replicas``, or cut to one with ``drop_last``. The shuffled
order is not PyTorch's (the streams differ); the partition of a given order is.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized
from typing import TypeVar

from autograd import distributed
from autograd.random import Generator

from .sampler import Sampler, draw_permutation

__all__ = ["DistributedSampler"]

T_co = TypeVar("T_co", covariant=True)


class DistributedSampler(Sampler[T_co]):
    """Indices of ``dataset`` for replica ``rank`` of ``num_replicas``; ``set_epoch(e)``
    before each epoch gives a new shuffled order."""

    def __init__(
        self,
        dataset: Sized,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        if num_replicas is None:
            num_replicas = distributed.get_world_size()  # (no process group: ValueError)
        if rank is None:
            rank = distributed.get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[T_co]:
        n = len(self.dataset)
        if self.shuffle:
            generator = Generator().manual_seed(self.seed + self.epoch)
            indices = draw_permutation(n, generator).tolist()
        else:
            indices = list(range(n))
        if not self.drop_last:
            padding = self.total_size - len(indices)
            if padding <= len(indices):
                indices += indices[:padding]
            else:
                indices += (indices * math.ceil(padding / len(indices)))[:padding]
        else:
            indices = indices[: self.total_size]
        return iter(indices[self.rank : self.total_size : self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """The epoch whose shuffled order ``__iter__`` gives (the same in every replica)."""
        self.epoch = epoch
