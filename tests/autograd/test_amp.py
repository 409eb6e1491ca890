"""Mixed-precision boilerplate: autocast and GradScaler as PyTorch runs them without a GPU
('cuda' disabled with a warning, pass-through), and the CPU GradScaler's full algorithm."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import optim

RNG = np.random.default_rng(0)
X = autograd.tensor(RNG.normal(size=(32, 4)))
Y = autograd.tensor(RNG.normal(size=(32, 1)))


def _train(scaler, autocast_args, steps=5):
    autograd.manual_seed(0)
    model = nn.Linear(4, 1).double()
    opt = optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        with autograd.autocast(*autocast_args[0], **autocast_args[1]):
            loss = F.mse_loss(model(X), Y)
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        scaler.step(opt)
        scaler.update()
    return model.weight.numpy().copy()


def test_cuda_amp_is_disabled_and_passes_through():
    with pytest.warns(UserWarning, match="CUDA is not available"):
        scaler = autograd.amp.GradScaler("cuda")
    with pytest.warns(UserWarning, match="CUDA is not available"):
        old = autograd.cuda.amp.GradScaler()
    assert not scaler.is_enabled() and not old.is_enabled()
    assert scaler.get_scale() == 1.0 and scaler.state_dict() == {}
    loss = autograd.tensor(2.0, requires_grad=True)
    assert scaler.scale(loss) is loss
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w_amp = _train(scaler, (("cuda",), {"dtype": autograd.float16}))
    plain = _train(autograd.amp.GradScaler(enabled=False), (("cuda",), {"enabled": False}))
    np.testing.assert_array_equal(w_amp, plain)
    with pytest.warns(UserWarning, match="CUDA is not available"):
        with autograd.cuda.amp.autocast():
            pass
    assert not autograd.is_autocast_enabled()


def test_cpu_scaler_scales_and_unscales_exactly():
    scaler = autograd.amp.GradScaler("cpu", init_scale=1024.0, growth_interval=3)
    scaled = _train(scaler, (("cpu",), {"enabled": False}), steps=7)
    plain = _train(autograd.amp.GradScaler(enabled=False), (("cpu",), {"enabled": False}), 7)
    np.testing.assert_allclose(scaled, plain, rtol=1e-12)
    assert scaler.get_scale() == 1024.0 * 4  # grew after steps 3 and 6
    assert scaler.state_dict() == {
        "scale": 4096.0,
        "growth_factor": 2.0,
        "backoff_factor": 0.5,
        "growth_interval": 3,
        "_growth_tracker": 1,
    }


def test_cpu_scaler_skips_a_step_with_inf_gradients_and_backs_off():
    p = nn.Parameter(autograd.tensor([1.0, 2.0]))
    opt = optim.SGD([p], lr=1.0)
    scaler = autograd.amp.GradScaler("cpu", init_scale=8.0)
    loss = (p * autograd.tensor([float("inf"), 1.0])).sum()
    scaler.scale(loss).backward()
    assert scaler.step(opt) is None
    np.testing.assert_array_equal(p.numpy(), [1.0, 2.0])  # no step taken
    scaler.update()
    assert scaler.get_scale() == 4.0


def test_scaler_misuse_is_refused():
    p = nn.Parameter(autograd.tensor([1.0]))
    opt = optim.SGD([p], lr=0.1)
    scaler = autograd.amp.GradScaler("cpu")
    scaler.scale(p.sum()).backward()
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called"):
        scaler.unscale_(opt)
    scaler.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)
    with pytest.raises(RuntimeError, match="Closure use is not currently supported"):
        autograd.amp.GradScaler("cpu").step(opt, closure=lambda: 0.0)
    with pytest.raises(RuntimeError, match="No inf checks were recorded"):
        autograd.amp.GradScaler("cpu").update()
    with pytest.raises(RuntimeError, match="source state dict is empty"):
        autograd.amp.GradScaler("cpu").load_state_dict({})


def test_cpu_autocast_is_refused_not_silently_ignored():
    with pytest.raises(NotImplementedError, match="mixed precision on the CPU"):
        autograd.autocast("cpu", dtype=autograd.float16)
    with autograd.autocast("cpu", enabled=False):
        pass

    @autograd.autocast("cuda", enabled=False)
    def f(x):
        return x * 2

    assert f(3) == 6
