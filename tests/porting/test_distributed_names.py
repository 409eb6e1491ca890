"""nanoGPT's train.py imports DDP and the process-group functions at the top and uses them only
under torchrun: the imports work here and the calls fail as PyTorch's do without a group.
DataParallel behaves as PyTorch's does without an accelerator (a pass-through wrapper)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
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


def test_data_parallel_without_an_accelerator_wraps_and_calls_the_module():
    """PyTorch's DataParallel on a CPU-only machine: the module as submodule ``module``
    (state_dict keys prefixed), ``device_ids == []``, forward and backward through it."""
    autograd.manual_seed(0)
    inner = nn.Linear(3, 2)
    net = nn.DataParallel(inner, device_ids=[0])
    assert nn.parallel.DataParallel is nn.DataParallel and net.module is inner
    assert net.device_ids == [] and list(net.state_dict()) == ["module.weight", "module.bias"]
    assert repr(net) == "DataParallel(\n  (module): " + repr(inner) + "\n)"
    x = torch.randn(4, 3)
    np.testing.assert_array_equal(net(x).detach().numpy(), inner(x).detach().numpy())
    net(x).sum().backward()
    np.testing.assert_allclose(inner.weight.grad.numpy(), np.tile(x.sum(0).numpy(), (2, 1)))
    # a checkpoint saved from the wrapper loads into a wrapper (kuangliu's --resume)
    other = nn.DataParallel(nn.Linear(3, 2))
    other.load_state_dict(net.state_dict())
    np.testing.assert_array_equal(other.module.weight.detach().numpy(), inner.weight.numpy())


def test_data_parallel_matches_torchs_cpu_path():
    real = pytest.importorskip("torch")
    theirs = real.nn.DataParallel(real.nn.Linear(3, 2), device_ids=[0])
    ours = nn.DataParallel(nn.Linear(3, 2), device_ids=[0])
    assert repr(ours) == repr(theirs) and ours.device_ids == theirs.device_ids
    assert list(ours.state_dict()) == list(theirs.state_dict())
