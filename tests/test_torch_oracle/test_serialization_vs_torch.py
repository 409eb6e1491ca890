"""PyTorch checkpoints are refused with a clear error (never unpickled), and a torch model's
weights, converted to arrays and saved with autograd.save, load into the same model here."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402
from autograd.serialization import UnreadableCheckpointError  # noqa: E402


def test_a_torch_save_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "model.pt"
    torch.save(torch.nn.Linear(3, 2).state_dict(), path)
    with pytest.raises(UnreadableCheckpointError, match="PyTorch checkpoint") as info:
        autograd.load(path)
    assert str(path) in str(info.value)


def test_a_legacy_torch_save_file_is_refused_as_a_pickle(tmp_path):
    path = tmp_path / "legacy.pt"
    torch.save({"w": torch.ones(2)}, path, _use_new_zipfile_serialization=False)
    with pytest.raises(UnreadableCheckpointError, match="pickle") as info:
        nn.load(path)
    assert str(path) in str(info.value)


def test_torch_weights_ported_through_save_give_torch_outputs(tmp_path):
    torch.manual_seed(0)
    ref = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2))
    autograd.save({k: v.numpy() for k, v in ref.state_dict().items()}, tmp_path / "w.ckpt")
    ours = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    ours.load_state_dict(autograd.load(tmp_path / "w.ckpt"))
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    np.testing.assert_allclose(
        ours(autograd.tensor(x)).data, ref(torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("drop", ["1.num_batches_tracked", "1.running_var", "0.bias"])
def test_load_state_dict_missing_keys_as_torch(drop):
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    ours = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    t_state = {k: v for k, v in theirs.state_dict().items() if k != drop}
    o_state = {k: v.detach().numpy() for k, v in t_state.items()}
    t_result = theirs.load_state_dict(t_state, strict=False)
    o_result = ours.load_state_dict(o_state, strict=False)
    assert list(o_result.missing_keys) == list(t_result.missing_keys)
    assert list(o_result.unexpected_keys) == list(t_result.unexpected_keys)
