"""Samplers and DataLoader's sampler=/batch_sampler= and IterableDataset support: coverage,
lengths, repeatability under autograd.manual_seed, PyTorch's argument rules, and
torch.utils.data's submodule layout."""

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn.utils import data as D
from nn.utils.data import (
    BatchSampler,
    DataLoader,
    IterableDataset,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
)


def test_submodule_layout():
    import nn.utils.data as data
    from nn.utils.data import dataset
    from nn.utils.data.dataloader import DataLoader as DL
    from nn.utils.data.dataset import random_split
    from nn.utils.data.sampler import RandomSampler as RS

    assert dataset.random_split is random_split is data.random_split
    assert DL is DataLoader and RS is RandomSampler
    assert issubclass(SequentialSampler, Sampler)


def test_sequential_and_batch_sampler():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    assert len(SequentialSampler(range(4))) == 4
    assert list(BatchSampler(SequentialSampler(range(5)), 2, False)) == [[0, 1], [2, 3], [4]]
    assert list(BatchSampler(range(5), 2, True)) == [[0, 1], [2, 3]]
    assert len(BatchSampler(range(5), 2, False)) == 3 and len(BatchSampler(range(5), 2, True)) == 2


def test_random_sampler_covers_and_repeats_with_seed():
    autograd.manual_seed(3)
    a = list(RandomSampler(range(10)))
    autograd.manual_seed(3)
    b = list(RandomSampler(range(10)))
    assert a == b and sorted(a) == list(range(10)) and a != list(range(10))
    s = RandomSampler(range(4), num_samples=10)
    drawn = list(s)
    assert len(s) == len(drawn) == 10
    assert sorted(drawn[:4]) == sorted(drawn[4:8]) == [0, 1, 2, 3]  # whole permutations first
    r = list(RandomSampler(range(3), replacement=True, num_samples=50))
    assert len(r) == 50 and set(r) == {0, 1, 2}
    assert all(type(i) is int for i in r)


def test_random_sampler_with_replacement_draws_as_it_is_iterated():
    """minGPT's trainer: ``RandomSampler(ds, replacement=True, num_samples=int(1e10))`` and a
    few batches taken; the draws are made a chunk at a time, not all up front."""
    it = iter(RandomSampler(range(5), replacement=True, num_samples=int(1e10)))
    first = [next(it) for _ in range(100)]
    assert set(first) == set(range(5))
    loader = DataLoader(
        TensorDataset(Tensor(np.arange(5.0))),
        sampler=RandomSampler(range(5), replacement=True, num_samples=int(1e10)),
        batch_size=4,
    )
    assert len(loader) == 2_500_000_000
    (batch,) = next(iter(loader))
    assert batch.shape == (4,) and set(batch.tolist()) <= set(range(5))
    autograd.manual_seed(1)
    a = list(RandomSampler(range(7), replacement=True, num_samples=70))
    autograd.manual_seed(1)
    assert a == list(RandomSampler(range(7), replacement=True, num_samples=70))
    g1 = autograd.Generator().manual_seed(5)
    g2 = autograd.Generator().manual_seed(5)
    assert list(RandomSampler(range(8), generator=g1)) == list(
        RandomSampler(range(8), generator=g2)
    )


def test_subset_and_weighted_samplers():
    idx = [10, 20, 30]
    drawn = list(SubsetRandomSampler(idx))
    assert sorted(drawn) == idx and len(SubsetRandomSampler(idx)) == 3
    autograd.manual_seed(0)
    w = list(WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 2000))
    assert set(w) == {1, 3} and 0.2 < w.count(1) / 2000 < 0.3
    no_rep = list(WeightedRandomSampler(Tensor(np.array([1.0, 1.0, 0.0, 1.0])), 3, False))
    assert sorted(no_rep) == [0, 1, 3]
    autograd.manual_seed(1)
    a = list(WeightedRandomSampler([1.0, 2.0, 3.0], 6))
    autograd.manual_seed(1)
    assert list(WeightedRandomSampler([1.0, 2.0, 3.0], 6)) == a


def test_sampler_argument_errors():
    with pytest.raises(TypeError, match="replacement should be a boolean"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        RandomSampler(range(3), num_samples=0)
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        BatchSampler(range(3), 0, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean"):
        BatchSampler(range(3), 2, 1)
    with pytest.raises(ValueError, match="1d sequence"):
        WeightedRandomSampler([[1.0]], 2)
    with pytest.raises(ValueError, match="without replacement"):
        WeightedRandomSampler([1.0, 0.0], 2, replacement=False)


def test_dataloader_with_sampler_and_batch_sampler():
    ds = TensorDataset(Tensor(np.arange(6.0)))
    loader = DataLoader(ds, batch_size=4, sampler=[5, 4, 3, 2, 1])
    assert [b[0].tolist() for b in loader] == [[5, 4, 3, 2], [1]] and len(loader) == 2
    loader = DataLoader(ds, batch_sampler=[[0, 5], [2]])
    assert [b[0].tolist() for b in loader] == [[0, 5], [2]] and len(loader) == 2
    assert loader.batch_size is None and loader.drop_last is False
    loader = DataLoader(ds, batch_size=None, sampler=[3, 1])
    assert [b[0].item() for b in loader] == [3, 1]
    x = np.arange(5)
    assert [b[0].tolist() for b in DataLoader(x, batch_sampler=[[4, 0]])] == [[4, 0]]
    # the default samplers, as torch's
    assert isinstance(DataLoader(ds).sampler, SequentialSampler)
    shuffled = DataLoader(ds, batch_size=2, shuffle=True)
    assert isinstance(shuffled.sampler, RandomSampler)
    assert isinstance(shuffled.batch_sampler, BatchSampler)
    autograd.manual_seed(7)
    first = [b[0].tolist() for b in shuffled]
    autograd.manual_seed(7)
    assert [b[0].tolist() for b in shuffled] == first


def test_dataloader_argument_errors():
    ds = TensorDataset(Tensor(np.arange(6.0)))
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(ds, sampler=[0, 1], shuffle=True)
    for kwargs in ({"batch_size": 2}, {"shuffle": True}, {"sampler": [0]}, {"drop_last": True}):
        with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
            DataLoader(ds, batch_sampler=[[0]], **kwargs)
    with pytest.raises(ValueError, match="mutually exclusive with drop_last"):
        DataLoader(ds, batch_size=None, drop_last=True)


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def test_iterable_dataset():
    assert [b.tolist() for b in DataLoader(Stream(5), batch_size=2)] == [[0, 1], [2, 3], [4]]
    assert [b.tolist() for b in DataLoader(Stream(5), batch_size=2, drop_last=True)] == [
        [0, 1],
        [2, 3],
    ]
    assert list(DataLoader(Stream(3), batch_size=None)) == [0, 1, 2]
    assert len(DataLoader(Stream(5), batch_size=2)) == 3
    for kwargs in ({"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}):
        with pytest.raises(ValueError, match="IterableDataset: expected unspecified"):
            DataLoader(Stream(3), **kwargs)


def test_a_stream_without_len_batches_through_list():
    from nn.utils.data import DataLoader, IterableDataset

    class Stream(IterableDataset):
        def __iter__(self):
            return iter(range(5))

    batches = list(DataLoader(Stream(), batch_size=2))
    assert [b.tolist() for b in batches] == [[0, 1], [2, 3], [4]]


def test_chain_dataset_get_worker_info_and_default_convert():
    class Stream(D.IterableDataset):
        def __init__(self, items):
            self.items = items

        def __iter__(self):
            return iter(self.items)

    chained = Stream([1, 2, 3]) + Stream([4, 5])
    assert isinstance(chained, D.ChainDataset) and list(chained) == [1, 2, 3, 4, 5]
    assert [b.tolist() for b in D.DataLoader(chained, batch_size=2)] == [[1, 2], [3, 4], [5]]
    assert D.get_worker_info() is None  # loading happens in the calling process
    converted = D.default_convert({"x": np.zeros(2), "n": 3})
    assert isinstance(converted["x"], Tensor) and converted["n"] == 3
