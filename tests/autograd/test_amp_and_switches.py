"""torch.amp's autocast and GradScaler, and PyTorch's performance switches (compile,
set_num_threads, set_float32_matmul_precision)."""

from __future__ import annotations

import warnings
from contextlib import nullcontext

import numpy as np
import pytest

import autograd as torch
import nn
import optim


def _params() -> tuple[torch.Tensor, optim.SGD]:
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    return w, optim.SGD([w], lr=0.1)


def test_a_nanogpt_style_loop_runs_with_autocast_and_a_scaler():
    # nanoGPT: ctx = nullcontext() if device_type == 'cpu' else torch.amp.autocast(...),
    # scaler = torch.cuda.amp.GradScaler(enabled=(dtype == 'float16'))
    model = nn.Linear(2, 1)
    opt = optim.AdamW(model.parameters(), lr=1e-2, fused=False)
    with pytest.warns(UserWarning, match="Disabling"):
        scaler = torch.cuda.amp.GradScaler(enabled=True)
    assert not scaler.is_enabled() and scaler.get_scale() == 1.0 and scaler.state_dict() == {}
    x = torch.ones(4, 2)
    for ctx in (nullcontext(), torch.amp.autocast(device_type="cpu", enabled=False)):
        with ctx:
            loss = model(x).pow(2).mean()
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.step(opt)
        scaler.update()
        opt.zero_grad(set_to_none=True)


def test_autocast_keeps_dtypes_and_says_so():
    a = torch.ones(2, 2)
    with pytest.warns(UserWarning, match="full precision"), torch.autocast("cpu"):
        assert (a @ a).dtype == torch.float32
    with pytest.warns(UserWarning, match="Disabling autocast"):
        ctx = torch.autocast("cuda", dtype=torch.float16)
    with ctx:
        assert (a @ a).dtype == torch.float32
    with pytest.raises(RuntimeError, match="unsupported device_type 'gpu'"):
        torch.autocast("gpu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with torch.autocast("cpu", enabled=False):
            pass

    @torch.autocast("cpu", enabled=False)
    def f(x: torch.Tensor) -> torch.Tensor:
        return x * 2

    assert f(a).tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_grad_scaler_scales_unscales_and_steps():
    w, opt = _params()
    scaler = torch.amp.GradScaler("cpu", init_scale=8.0, growth_interval=2)
    loss = (w * torch.tensor([3.0, 5.0])).sum()
    scaled = scaler.scale(loss)
    assert scaled.item() == pytest.approx(8.0 * loss.item())
    scaled.backward()
    assert w.grad.tolist() == [24.0, 40.0]
    scaler.unscale_(opt)
    assert w.grad.tolist() == [3.0, 5.0]
    with pytest.raises(RuntimeError, match="already been called"):
        scaler.unscale_(opt)
    scaler.step(opt)
    assert w.tolist() == pytest.approx([0.7, -2.5])
    scaler.update()
    assert scaler.get_scale() == 8.0 and scaler.state_dict()["_growth_tracker"] == 1
    with pytest.raises(AssertionError, match="No inf checks"):
        scaler.update()


def test_grad_scaler_skips_a_step_with_inf_and_backs_off_then_grows():
    w, opt = _params()
    scaler = torch.amp.GradScaler("cpu", init_scale=4.0, growth_interval=2)
    w.grad = torch.tensor([float("inf"), 1.0])
    assert scaler.step(opt) is None
    assert w.tolist() == [1.0, -2.0]  # skipped
    scaler.update()
    assert scaler.get_scale() == 2.0
    for _ in range(2):
        opt.zero_grad()
        scaler.scale((w * w).sum()).backward()
        scaler.step(opt)
        scaler.update()
    assert scaler.get_scale() == 4.0  # two clean steps in a row: grown once
    with pytest.raises(RuntimeError, match="Closure use"):
        scaler.step(opt, closure=lambda: 0.0)
    state = scaler.state_dict()
    other = torch.amp.GradScaler("cpu")
    other.load_state_dict(state)
    assert other.state_dict() == state


def test_performance_switches_change_nothing_they_report():
    torch.set_num_threads(3)
    assert torch.get_num_threads() == 3
    with pytest.raises(ValueError, match="positive integer"):
        torch.set_num_threads(0)
    torch.set_float32_matmul_precision("high")
    assert torch.get_float32_matmul_precision() == "high"
    with pytest.warns(UserWarning, match="no effect"):
        torch.set_float32_matmul_precision("fast")
    assert torch.get_float32_matmul_precision() == "high"
    torch.set_float32_matmul_precision("highest")
    model = nn.Linear(2, 2)
    assert torch.compile(model) is model
    assert torch.compile(mode="max-autotune")(model) is model
    with pytest.raises(TypeError, match="Module or a function"):
        torch.compile(3)
    with pytest.raises(TypeError):
        torch.compile(model, not_an_option=True)
    np.testing.assert_array_equal(
        torch.compile(model)(torch.ones(1, 2)).data, model(torch.ones(1, 2)).data
    )
