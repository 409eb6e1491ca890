"""Datasets, samplers and batches, as ``torch.utils.data`` (same submodules: ``dataset``,
``sampler``, ``dataloader``, ``distributed``). ``DataLoader`` also takes arrays directly.

Every random draw (shuffling, random samplers, ``random_split``) comes from the
``generator`` given, else from the library's generator, so ``autograd.manual_seed`` makes
it repeatable.
"""

from . import dataloader, dataset, distributed, sampler
from .dataloader import DataLoader, default_collate, default_convert, get_worker_info
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .distributed import DistributedSampler
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
    draw_permutation,
)

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "DistributedSampler",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "dataloader",
    "dataset",
    "default_collate",
    "default_convert",
    "distributed",
    "draw_permutation",
    "get_worker_info",
    "random_split",
    "sampler",
]
