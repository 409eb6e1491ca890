"""AMP boilerplate against PyTorch on this GPU-less machine: the same parameters after a
scaled training loop (with an overflow step), the same scales and state dicts, and 'cuda'
scalers and autocast disabled with a warning in both."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn
import optim

torch = pytest.importorskip("torch")


def _loop(lib, nn_, optim_, device, w0, poison_at=2):
    model = nn_.Linear(3, 1).double()
    model.load_state_dict({"weight": lib.tensor(w0[:, :3]), "bias": lib.tensor(w0[0, 3:])})
    opt = optim_.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scaler = lib.amp.GradScaler(device, init_scale=256.0, growth_interval=2)
    x = lib.tensor(np.linspace(-1, 1, 12).reshape(4, 3))
    scales, states = [], []
    for step in range(6):
        opt.zero_grad()
        out = model(x)
        if step == poison_at:
            out = out * lib.tensor(float("inf"))
        loss = (out**2).mean()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    states.append(scaler.state_dict())
    return model.weight.detach().numpy().copy(), scales, states, scaler.is_enabled()


@pytest.mark.parametrize("device", ["cpu", "cuda"])
def test_scaled_loop_matches_torch(device):
    w0 = np.array([[0.3, -0.2, 0.5, 0.1]])
    ours = _loop(autograd, nn, optim, device, w0)
    theirs = _loop(torch, torch.nn, torch.optim, device, w0)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    assert ours[1] == theirs[1] and ours[3] == theirs[3]
    assert ours[2] == [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in theirs[2][0].items()}
    ]


def test_cuda_autocast_warns_and_disables_in_both():
    for lib in (autograd, torch):
        with pytest.warns(UserWarning, match="CUDA is not available"):
            with lib.autocast("cuda", dtype=lib.float16):
                pass
        with pytest.warns(UserWarning, match="CUDA is not available"):
            lib.cuda.amp.GradScaler()
