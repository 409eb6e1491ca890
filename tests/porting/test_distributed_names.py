"""nanoGPT's train.py imports DDP and the process-group functions at the top and uses them only
under torchrun: the imports work here and the calls fail as PyTorch's do without a group."""

from __future__ import annotations

import pytest

import autograd as torch
import nn


def test_train_py_top_imports_and_single_process_branch():
    from autograd.distributed import destroy_process_group, init_process_group
    from nn.parallel import DistributedDataParallel as DDP

    assert torch.distributed.is_initialized() is False
    assert torch.distributed.is_available() is False
    assert torch.nn.parallel.DistributedDataParallel is DDP
    with pytest.raises(RuntimeError, match="init_process_group.*single CPU process"):
        init_process_group(backend="nccl")
    for call in (destroy_process_group, torch.distributed.get_rank, torch.distributed.barrier):
        with pytest.raises(ValueError, match="Default process group has not been initialized"):
            call()
    with pytest.raises(ValueError, match="DistributedDataParallel: Default process group"):
        DDP(nn.Linear(2, 2), device_ids=[0])


def test_errors_are_torchs_without_a_process_group():
    real = pytest.importorskip("torch")
    import torch.distributed as tdist
    from torch.nn.parallel import DistributedDataParallel as TDDP

    assert tdist.is_initialized() is torch.distributed.is_initialized()
    for name in ("get_rank", "get_world_size", "barrier"):
        with pytest.raises(ValueError) as theirs:
            getattr(tdist, name)()
        with pytest.raises(ValueError) as ours:
            getattr(torch.distributed, name)()
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError) as theirs:
        TDDP(real.nn.Linear(2, 2))
    with pytest.raises(ValueError) as ours:
        nn.parallel.DistributedDataParallel(nn.Linear(2, 2))
    assert str(ours.value).endswith(str(theirs.value))
