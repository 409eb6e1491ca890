"""DistributedSampler (``torch.utils.data.distributed``): the import paths training scripts
use, PyTorch's refusals without a process group, and the partition of one common order among
replicas (padding, drop_last, the epoch's shuffle); against torch where the order is torch's
own (``shuffle=False``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as torch
from nn.utils.data import DataLoader, DistributedSampler
from nn.utils.data.distributed import DistributedSampler as FromSubmodule


def test_import_paths_and_refusals_without_a_process_group():
    assert FromSubmodule is DistributedSampler is torch.utils.data.distributed.DistributedSampler
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        DistributedSampler(list(range(10)))
    with pytest.raises(
        ValueError, match=r"Invalid rank 3, rank should be in the interval \[0, 2\]"
    ):
        DistributedSampler(list(range(10)), num_replicas=3, rank=3)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 30),
    replicas=st.integers(1, 6),
    shuffle=st.booleans(),
    drop_last=st.booleans(),
    seed=st.integers(0, 100),
    epoch=st.integers(0, 3),
)
def test_replicas_partition_one_common_order(n, replicas, shuffle, drop_last, seed, epoch):
    shares = []
    for rank in range(replicas):
        s = DistributedSampler(range(n), replicas, rank, shuffle, seed, drop_last)
        s.set_epoch(epoch)
        shares.append(list(s))
        assert len(shares[-1]) == len(s) == s.num_samples
    assert len({len(x) for x in shares}) == 1  # every replica takes as many
    taken = [i for x in zip(*shares, strict=True) for i in x]  # the common order, re-woven
    if drop_last:
        assert len(taken) == replicas * (n // replicas) and len(set(taken)) == len(taken)
    else:
        assert set(taken) == set(range(n)) and len(taken) == replicas * -(-n // replicas)
    again = DistributedSampler(range(n), replicas, 0, shuffle, seed, drop_last)
    again.set_epoch(epoch)
    assert list(again) == shares[0]  # the same order each time for the same seed and epoch


def test_a_new_epoch_shuffles_anew_and_the_loader_uses_the_share():
    ranks = [DistributedSampler(list(range(40)), num_replicas=2, rank=r, seed=3) for r in (0, 1)]
    first = [list(s) for s in ranks]
    for s in ranks:
        s.set_epoch(1)
    second = [list(s) for s in ranks]
    assert second != first
    assert sorted(first[0] + first[1]) == sorted(second[0] + second[1]) == list(range(40))
    share = DistributedSampler(list(range(10)), 2, 0, shuffle=False)
    loader = DataLoader(list(range(10)), batch_size=2, sampler=share)
    assert [b.tolist() for b in loader] == [[0, 2], [4, 6], [8]]


@pytest.mark.parametrize("n", [1, 2, 7, 10, 12])
@pytest.mark.parametrize("replicas", [1, 3, 5])
@pytest.mark.parametrize("drop_last", [False, True])
def test_unshuffled_shares_match_torch(n, replicas, drop_last):
    real = pytest.importorskip("torch")
    from torch.utils.data.distributed import DistributedSampler as Theirs

    for rank in range(replicas):
        ours = DistributedSampler(list(range(n)), replicas, rank, False, 0, drop_last)
        theirs = Theirs(list(range(n)), replicas, rank, False, 0, drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
        assert (ours.num_samples, ours.total_size) == (theirs.num_samples, theirs.total_size)
    assert real is not None
