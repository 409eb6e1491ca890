"""Dataset, TensorDataset, random_split and DataLoader as torch.utils.data's: collation,
batch_size forms, shuffling from autograd.manual_seed, changing batch_size between epochs."""

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn.utils.data import DataLoader, Dataset, Subset, TensorDataset, random_split


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.array([float(i)], np.float32), i * i


def test_dataset_batches_are_collated_into_tensors():
    loader = DataLoader(Squares(5), batch_size=2)
    batches = list(loader)
    assert len(loader) == 3 == len(batches)
    x, y = batches[0]
    assert isinstance(x, Tensor) and x.shape == (2, 1) and x.dtype == np.float32
    assert isinstance(y, Tensor) and y.dtype == np.int64 and y.tolist() == [0, 1]
    assert batches[-1][1].tolist() == [16]
    # positional batch_size and shuffle, as torch's signature
    assert len(DataLoader(Squares(5), 4, True)) == 2


def test_collated_containers_are_torchs():
    # a batch of tuples is a list of fields (torch's), so ``batch[0] = batch[0].to(device)``
    # works; a namedtuple keeps its type; a field of strings is the tuple of them
    from collections import namedtuple

    from nn.utils.data import default_collate

    batch = next(iter(DataLoader([("a", 1), ("b", 2)], batch_size=2)))
    assert isinstance(batch, list) and batch[0] == ("a", "b") and batch[1].tolist() == [1, 2]
    batch[0] = "replaced"
    Pair = namedtuple("Pair", "x y")
    pair = default_collate([Pair(1, 2.0), Pair(3, 4.0)])
    assert isinstance(pair, Pair) and pair.x.tolist() == [1, 3] and pair.y.dtype == np.float64
    assert default_collate(["a", "b"]) == ["a", "b"]
    assert isinstance(default_collate([[1, 2], [3, 4]]), list)


def test_batch_size_none_on_a_dataset_yields_samples():
    samples = list(DataLoader(Squares(3), batch_size=None))
    assert len(samples) == 3 and samples[2][1] == 4 and samples[2][0].shape == (1,)


def test_tensor_dataset_and_custom_collate():
    x = Tensor(np.arange(12.0).reshape(6, 2))
    y = Tensor(np.arange(6))
    ds = TensorDataset(x, y)
    assert len(ds) == 6 and ds[2][1].item() == 2
    (bx, by), *_ = DataLoader(ds, batch_size=4)
    assert bx.shape == (4, 2) and by.tolist() == [0, 1, 2, 3]
    sums = list(DataLoader(ds, batch_size=3, collate_fn=lambda b: sum(s[1].item() for s in b)))
    assert sums == [3, 12]
    with pytest.raises(ValueError, match="size mismatch"):
        TensorDataset(np.zeros(3), np.zeros(4))


def test_shuffle_follows_manual_seed():
    ds = TensorDataset(np.arange(20))
    autograd.manual_seed(5)
    a = [b[0].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True)]
    autograd.manual_seed(5)
    b = [b[0].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True)]
    assert a == b and sorted(sum(a, [])) == list(range(20)) and sum(a, []) != list(range(20))
    g = np.random.default_rng(0)
    c = next(iter(DataLoader(ds, batch_size=20, shuffle=True, generator=g)))[0]
    np.testing.assert_array_equal(c, np.random.default_rng(0).permutation(20))


def test_batch_size_forms_and_changes_between_epochs():
    x = np.arange(10)
    loader = DataLoader(x, batch_size=np.int64(2))
    assert len(loader) == 5
    loader.batch_size = 4  # takes effect on the next pass (a growing-batch schedule)
    assert [len(b[0]) for b in loader] == [4, 4, 2]
    with pytest.raises(ValueError, match="batch_size"):
        loader.batch_size = 0
    empty = DataLoader(np.zeros((0, 3)), batch_size=None)
    assert len(empty) == 0 and list(empty) == []
    assert list(DataLoader(TensorDataset(np.zeros(0)), batch_size=None)) == []


def test_random_split():
    ds = Squares(10)
    a, b = random_split(ds, [7, 3], generator=np.random.default_rng(0))
    assert isinstance(a, Subset) and len(a) == 7 and len(b) == 3
    assert sorted(a.indices + b.indices) == list(range(10))
    parts = random_split(ds, [0.5, 0.3, 0.2])
    assert [len(p) for p in parts] == [5, 3, 2]
    parts = random_split(Squares(11), [0.5, 0.5])
    assert [len(p) for p in parts] == [6, 5]
    with pytest.raises(ValueError, match="sum to 9"):
        random_split(ds, [5, 4])
    assert a[0][1] == a.indices[0] ** 2


def test_errors():
    with pytest.raises(TypeError, match="dataset"):
        DataLoader(3)
    with pytest.raises(TypeError, match="unexpected"):
        DataLoader(Squares(2), bogus=1)
    assert len(DataLoader(Squares(4), batch_size=2, num_workers=2)) == 2
