"""Learning-rate schedules against hand-computed sequences (base lr 0.1)."""

from __future__ import annotations

import math
from typing import Any

import pytest

import optim
from optim import lr_scheduler

from .problems import make_params


def _opt(lr: float = 0.1) -> optim.SGD:
    return optim.SGD(make_params("float64"), lr=lr)


def _lrs(sched: Any, epochs: int) -> list[float]:
    """lr after construction, then after each of ``epochs`` steps."""
    out = [sched.optimizer.param_groups[0]["lr"]]
    for _ in range(epochs):
        sched.optimizer.step()
        sched.step()
        out.append(sched.optimizer.param_groups[0]["lr"])
        assert sched.get_last_lr() == [out[-1]]
    return out


def test_step_lr() -> None:
    got = _lrs(lr_scheduler.StepLR(_opt(), step_size=3, gamma=0.5), 9)
    want = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]
    assert got == pytest.approx(want)


def test_multistep_lr() -> None:
    got = _lrs(lr_scheduler.MultiStepLR(_opt(), milestones=[2, 5], gamma=0.1), 6)
    assert got == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001])


def test_exponential_lr() -> None:
    got = _lrs(lr_scheduler.ExponentialLR(_opt(), gamma=0.5), 4)
    assert got == pytest.approx([0.1, 0.05, 0.025, 0.0125, 0.00625])


def test_cosine_annealing_lr() -> None:
    got = _lrs(lr_scheduler.CosineAnnealingLR(_opt(), T_max=4), 8)
    c = 0.1 * (1 + 2**-0.5) / 2  # 0.1 * (1 + cos(pi/4)) / 2
    s = 0.1 * (1 - 2**-0.5) / 2  # 0.1 * (1 + cos(3 pi/4)) / 2
    assert got == pytest.approx([0.1, c, 0.05, s, 0.0, s, 0.05, c, 0.1], abs=1e-12)


def test_cosine_annealing_eta_min() -> None:
    got = _lrs(lr_scheduler.CosineAnnealingLR(_opt(), T_max=2, eta_min=0.02), 2)
    assert got == pytest.approx([0.1, 0.06, 0.02])


def test_linear_lr_warms_up_then_stays() -> None:
    got = _lrs(lr_scheduler.LinearLR(_opt()), 8)  # start_factor 1/3 over 5 epochs
    want = [0.1 * (1 / 3 + (2 / 3) * min(t, 5) / 5) for t in range(9)]
    assert got == pytest.approx(want, rel=1e-12)


def test_linear_lr_decay_and_bad_factors() -> None:
    got = _lrs(lr_scheduler.LinearLR(_opt(), start_factor=1.0, end_factor=0.5, total_iters=2), 3)
    assert got == pytest.approx([0.1, 0.075, 0.05, 0.05], rel=1e-12)
    for kw in ({"start_factor": 0.0}, {"start_factor": 1.5}, {"end_factor": -0.1}):
        with pytest.raises(ValueError, match="factor"):
            lr_scheduler.LinearLR(_opt(), **kw)


def test_one_cycle_lr_rises_then_anneals_and_cycles_momentum() -> None:
    opt = optim.SGD(make_params("float64"), lr=0.1, momentum=0.5)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)  # pct_start 0.3, cos
    lrs, moms = [], []
    for _ in range(10):
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(opt.param_groups[0]["momentum"])
        opt.step()
        sched.step()
    start, low = 1.0 / 25, 1.0 / 25 / 1e4
    # rise over steps 0..2 (phase end 0.3 * 10 - 1), then cosine down to the minimum at step 9
    want = [start, (1 + start) / 2, 1.0]
    want += [low + (1 - low) / 2 * (math.cos(math.pi * (t - 2) / 7) + 1) for t in range(3, 10)]
    assert lrs == pytest.approx(want, rel=1e-12)
    assert moms[0] == pytest.approx(0.95) and moms[2] == pytest.approx(0.85)
    assert moms[9] == pytest.approx(0.95)
    with pytest.raises(ValueError, match="total_steps is 10"):
        sched.step()


def test_one_cycle_lr_needs_a_length_and_momentum() -> None:
    with pytest.raises(ValueError, match="total_steps"):
        lr_scheduler.OneCycleLR(_opt(), max_lr=1.0)
    with pytest.raises(ValueError, match="momentum"):
        lr_scheduler.OneCycleLR(optim.Adagrad(make_params("float64")), 1.0, total_steps=5)
    with pytest.raises(ValueError, match="pct_start"):
        lr_scheduler.OneCycleLR(_opt(), 1.0, total_steps=5, pct_start=1)


def test_lambda_lr_per_group() -> None:
    opt = optim.SGD(
        [{"params": make_params("float64")}, {"params": make_params("value"), "lr": 1.0}], lr=0.1
    )
    sched = lr_scheduler.LambdaLR(opt, [lambda e: 0.9**e, lambda e: 1 / (e + 1)])
    for _ in range(3):
        opt.step()
        sched.step()
    assert sched.get_last_lr() == pytest.approx([0.1 * 0.9**3, 0.25])


def test_reduce_on_plateau_min() -> None:
    opt = _opt()
    sched = lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
    got = []
    for metric in [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]:
        sched.step(metric)
        got.append(opt.param_groups[0]["lr"])
    assert got == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025])


def test_reduce_on_plateau_max_abs_cooldown_min_lr() -> None:
    opt = _opt()
    sched = lr_scheduler.ReduceLROnPlateau(
        opt, mode="max", factor=0.1, patience=0, threshold=0.1, threshold_mode="abs",
        cooldown=1, min_lr=0.005,
    )  # fmt: skip
    got = []
    # 1.05 is not better than 1.0 by more than 0.1 -> reduce; the next epoch is cooldown
    for metric in [1.0, 1.05, 1.05, 1.05, 2.0, 2.0]:
        sched.step(metric)
        got.append(opt.param_groups[0]["lr"])
    assert got == pytest.approx([0.1, 0.01, 0.01, 0.005, 0.005, 0.005])


def test_resume_needs_initial_lr() -> None:
    with pytest.raises(KeyError, match="initial_lr"):
        lr_scheduler.StepLR(_opt(), step_size=2, last_epoch=3)


def test_scheduler_state_dict_round_trip() -> None:
    opt_a = _opt()
    a = lr_scheduler.StepLR(opt_a, step_size=2, gamma=0.5)
    _lrs(a, 3)
    opt_b = _opt(lr=opt_a.param_groups[0]["lr"])
    b = lr_scheduler.StepLR(opt_b, step_size=99, gamma=0.9)
    b.load_state_dict(a.state_dict())
    assert _lrs(a, 4)[1:] == _lrs(b, 4)[1:]


def test_bad_plateau_arguments() -> None:
    with pytest.raises(ValueError, match="factor"):
        lr_scheduler.ReduceLROnPlateau(_opt(), factor=1.0)
    with pytest.raises(ValueError, match="mode"):
        lr_scheduler.ReduceLROnPlateau(_opt(), mode="lowest")


def test_resuming_with_last_epoch_keeps_the_restored_lr() -> None:
    opt = _opt()
    sched = lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=4)
    for _ in range(2):
        opt.step()
        sched.step()
    lr = opt.param_groups[0]["lr"]  # 0.1 * (0.5 + 0.5 * 2 / 4)
    assert lr == pytest.approx(0.075)
    resumed = lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=4, last_epoch=2)
    assert opt.param_groups[0]["lr"] == pytest.approx(lr)  # not moved at construction
    opt.step()
    resumed.step()  # construction counted as epoch 3 (PyTorch's), so this is epoch 4's factor
    assert opt.param_groups[0]["lr"] == pytest.approx(0.075 * (1 + 0.5 / (4 * 0.5 + 3 * 0.5)))
