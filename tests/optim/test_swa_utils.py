"""optim.swa_utils (torch.optim.swa_utils): AveragedModel's SWA and EMA averages against numpy,
update_bn against the data's statistics, SWALR's schedule in closed form, and the errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
import optim
from optim.swa_utils import (
    SWALR,
    AveragedModel,
    get_ema_avg_fn,
    get_ema_multi_avg_fn,
    update_bn,
)


def test_swa_is_the_running_mean_of_the_weights() -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 1))
    swa = AveragedModel(model)
    assert swa.module is not model and int(swa.n_averaged.item()) == 0
    rng = np.random.default_rng(1)
    seen = []
    for k in range(5):
        for p in model.parameters():  # the weights change, as training would change them
            p.data[...] = rng.normal(size=p.shape)
        seen.append([p.data.copy() for p in model.parameters()])
        swa.update_parameters(model)
        if k == 0:  # the first update copies
            for p, s in zip(swa.parameters(), seen[0]):
                np.testing.assert_array_equal(p.data, s)
    assert int(swa.n_averaged.item()) == 5
    for i, p in enumerate(swa.parameters()):
        np.testing.assert_allclose(p.data, np.mean([s[i] for s in seen], axis=0), rtol=1e-5)
    x = autograd.randn(2, 3)
    np.testing.assert_allclose(swa(x).data, swa.module(x).data)
    assert set(swa.state_dict()) == {"n_averaged", *(f"module.{k}" for k in model.state_dict())}


@pytest.mark.parametrize("multi", [True, False])
def test_ema_with_buffers_against_numpy(multi: bool) -> None:
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)).double()
    kwargs = (
        {"multi_avg_fn": get_ema_multi_avg_fn(0.9)} if multi else {"avg_fn": get_ema_avg_fn(0.9)}
    )
    ema = AveragedModel(model, use_buffers=True, **kwargs)
    rng = np.random.default_rng(2)
    expected = None
    for _ in range(4):
        model(autograd.tensor(rng.normal(size=(8, 2))))  # moves the BatchNorm statistics
        for p in model.parameters():
            p.data[...] = rng.normal(size=p.shape)
        now = [t.data.copy() for t in (*model.parameters(), *model.buffers())]
        if expected is None:
            expected = [a.copy() for a in now]
        else:
            expected = [
                (0.9 * e + 0.1 * n).astype(n.dtype)
                if n.dtype.kind == "f"
                else np.trunc(0.9 * e + 0.1 * n).astype(n.dtype)
                for e, n in zip(expected, now)
            ]
        ema.update_parameters(model)
    mine = [t.data for t in (*ema.module.parameters(), *ema.module.buffers())]
    for m, e in zip(mine, expected):
        np.testing.assert_allclose(m, e, rtol=1e-12)


def test_without_use_buffers_the_buffers_follow_the_model() -> None:
    model = nn.BatchNorm1d(2)
    swa = AveragedModel(model)
    model(autograd.randn(5, 2))
    swa.update_parameters(model)
    np.testing.assert_array_equal(swa.module.running_mean.data, model.running_mean.data)


def test_update_bn_gives_the_statistics_of_the_whole_pass() -> None:
    model = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3, momentum=0.3)).double().eval()
    data = np.random.default_rng(4).normal(size=(40, 3)) * 3 + 1
    loader = [(autograd.tensor(data[i : i + 10]), 0) for i in range(0, 40, 10)]
    update_bn(loader, model)
    assert not model.training and model[1].momentum == 0.3
    with autograd.no_grad():
        feats = [model[0](b).data for b, _ in loader]
    # a cumulative average of the per-batch means and unbiased variances
    np.testing.assert_allclose(
        model[1].running_mean.data, np.mean([f.mean(0) for f in feats], 0), rtol=1e-10
    )
    np.testing.assert_allclose(
        model[1].running_var.data, np.mean([f.var(0, ddof=1) for f in feats], 0), rtol=1e-10
    )
    update_bn([], nn.Linear(2, 2))  # no BatchNorm: nothing to do


@pytest.mark.parametrize("strategy", ["cos", "linear"])
def test_swalr_anneals_to_swa_lr_then_holds(strategy: str) -> None:
    p = nn.Parameter(autograd.zeros(1))
    opt = optim.SGD([p], lr=1.0)
    sched = SWALR(opt, swa_lr=0.1, anneal_epochs=4, anneal_strategy=strategy)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(6):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    alpha = (lambda t: (1 - math.cos(math.pi * t)) / 2) if strategy == "cos" else (lambda t: t)
    expected = [0.1 * alpha(min(1, t / 4)) + 1.0 * (1 - alpha(min(1, t / 4))) for t in range(7)]
    np.testing.assert_allclose(lrs, expected, rtol=1e-12)
    assert opt.param_groups[0]["swa_lr"] == 0.1
    state = sched.state_dict()
    assert "optimizer" not in state


def test_errors() -> None:
    model = nn.Linear(2, 2)
    with pytest.raises(AssertionError, match="Only one of avg_fn and multi_avg_fn"):
        AveragedModel(model, avg_fn=get_ema_avg_fn(), multi_avg_fn=get_ema_multi_avg_fn())
    with pytest.raises(ValueError, match="Invalid decay value 1.5"):
        get_ema_multi_avg_fn(1.5)
    with pytest.raises(ValueError, match="Invalid decay value -0.1"):
        get_ema_avg_fn(-0.1)
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="anneal_strategy must be one of 'cos' or 'linear'"):
        SWALR(opt, 0.05, anneal_strategy="exp")
    with pytest.raises(ValueError, match="anneal_epochs must be equal or greater than 0"):
        SWALR(opt, 0.05, anneal_epochs=-1)
    with pytest.raises(AttributeError, match="no_such"):
        optim.swa_utils.no_such  # noqa: B018
