"""DataLoader: every sample once per epoch, reshuffled, batch sizes, drop_last."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor
from nn.utils.data import DataLoader


def _epoch(loader: DataLoader) -> list[tuple]:
    return list(loader)


def test_every_sample_once_per_epoch_with_aligned_arrays() -> None:
    x = np.arange(10) * 10
    y = np.arange(10)
    loader = DataLoader(x, y, batch_size=3, shuffle=True, seed=0)
    assert len(loader) == 4
    for _ in range(3):
        batches = _epoch(loader)
        assert [len(b[1]) for b in batches] == [3, 3, 3, 1]
        seen = np.concatenate([b[1] for b in batches])
        assert sorted(seen.tolist()) == list(range(10))
        for bx, by in batches:
            np.testing.assert_array_equal(bx, by * 10)


def test_shuffle_changes_order_between_epochs_and_is_seedable() -> None:
    x = np.arange(50)
    loader = DataLoader(x, batch_size=None, shuffle=True, seed=1)
    first, second = _epoch(loader)[0][0], _epoch(loader)[0][0]
    assert not np.array_equal(first, second)
    again = DataLoader(x, batch_size=None, shuffle=True, generator=np.random.default_rng(1))
    np.testing.assert_array_equal(_epoch(again)[0][0], first)


def test_no_shuffle_keeps_order() -> None:
    batches = _epoch(DataLoader(np.arange(5), batch_size=2))
    assert [b[0].tolist() for b in batches] == [[0, 1], [2, 3], [4]]


def test_drop_last() -> None:
    loader = DataLoader(np.arange(10), batch_size=4, drop_last=True, shuffle=True, seed=0)
    assert len(loader) == 2
    batches = _epoch(loader)
    assert [len(b[0]) for b in batches] == [4, 4]


@pytest.mark.parametrize("batch_size,n_batches", [(None, 1), (7, 1), (1, 7)])
def test_full_batch_and_stochastic(batch_size: int | None, n_batches: int) -> None:
    loader = DataLoader(np.zeros((7, 2)), batch_size=batch_size)
    assert len(loader) == n_batches == len(_epoch(loader))


def test_tensors_in_tensors_out() -> None:
    x = Tensor(np.arange(12, dtype=np.float32).reshape(6, 2))
    (batch,) = _epoch(DataLoader(x, batch_size=4))[0]
    assert isinstance(batch, Tensor) and batch.dtype == np.float32 and batch.shape == (4, 2)
    assert not batch.requires_grad


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="first dimension"):
        DataLoader(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(np.zeros(3), batch_size=0)
    with pytest.raises(ValueError, match="at least one"):
        DataLoader()


def test_dataset_by_keyword_as_torch() -> None:
    from nn.utils.data import TensorDataset

    ds = TensorDataset(Tensor(np.arange(6.0)), Tensor(np.arange(6)))
    batches = list(DataLoader(dataset=ds, batch_size=4, shuffle=False))
    assert [len(b[0]) for b in batches] == [4, 2]
    np.testing.assert_array_equal(batches[1][1].numpy(), [4, 5])
    with pytest.raises(TypeError, match="multiple values for argument 'dataset'"):
        DataLoader(ds, dataset=ds)
