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


def _momentum_opt(name: str = "SGD") -> optim.Optimizer:
    if name == "SGD":
        return optim.SGD(make_params("float64"), lr=0.1, momentum=0.5)
    return optim.Adam(make_params("float64"), lr=0.1, betas=(0.5, 0.99))


def test_constant_lr_scales_then_restores() -> None:
    sched = lr_scheduler.ConstantLR(_opt(), factor=0.5, total_iters=3)
    assert _lrs(sched, 5) == pytest.approx([0.05, 0.05, 0.05, 0.1, 0.1, 0.1], rel=1e-12)
    sched.step(1)  # jump back by the closed form
    assert sched.get_last_lr() == pytest.approx([0.05])
    for bad in (1.5, -0.1):
        with pytest.raises(ValueError, match="factor"):
            lr_scheduler.ConstantLR(_opt(), factor=bad)


def test_multiplicative_lr_multiplies_the_current_lr() -> None:
    assert _lrs(lr_scheduler.MultiplicativeLR(_opt(), lambda e: 0.5), 3) == pytest.approx(
        [0.1, 0.05, 0.025, 0.0125]
    )
    opt = optim.SGD(
        [{"params": make_params("float64")}, {"params": make_params("value"), "lr": 1.0}], lr=0.1
    )
    sched = lr_scheduler.MultiplicativeLR(opt, [lambda e: 0.9, lambda e: 1 / (e + 1)])
    for _ in range(3):
        sched.step()
    assert sched.get_last_lr() == pytest.approx([0.1 * 0.9**3, 1 / 2 / 3 / 4])
    with pytest.raises(ValueError, match="2 lr_lambdas"):
        lr_scheduler.MultiplicativeLR(opt, [lambda e: 0.9])
    with pytest.raises(TypeError, match="function"):
        lr_scheduler.MultiplicativeLR(_opt(), 0.9)  # type: ignore[arg-type]


def test_polynomial_lr() -> None:
    got = _lrs(lr_scheduler.PolynomialLR(_opt(), total_iters=4, power=2.0), 5)
    assert got == pytest.approx([0.1, 0.05625, 0.025, 0.00625, 0.0, 0.0], abs=1e-15)
    got = _lrs(lr_scheduler.PolynomialLR(_opt()), 6)  # linear to 0 over 5 epochs
    assert got == pytest.approx([0.1, 0.08, 0.06, 0.04, 0.02, 0.0, 0.0], abs=1e-15)
    sched = lr_scheduler.PolynomialLR(_opt(), total_iters=4, power=2.0)
    sched.step(2)
    assert sched.get_last_lr() == pytest.approx([0.025])


def test_cosine_annealing_warm_restarts() -> None:
    sched = lr_scheduler.CosineAnnealingWarmRestarts(_opt(), T_0=2, T_mult=2)
    c, s = 0.1 * (1 + 2**-0.5) / 2, 0.1 * (1 - 2**-0.5) / 2
    # periods of 2, 4, 8 epochs: restarts at epochs 2 and 6
    assert _lrs(sched, 7) == pytest.approx(
        [0.1, 0.05, 0.1, c, 0.05, s, 0.1, 0.05 * (1 + math.cos(math.pi / 8))]
    )
    sched.step(4.5)  # 2.5 epochs into the period of 4 that starts at epoch 2
    assert sched.get_last_lr() == pytest.approx([0.05 * (1 + math.cos(math.pi * 2.5 / 4))])
    assert sched.last_epoch == 4
    sched.step()  # continues from there
    assert sched.get_last_lr() == pytest.approx([0.05 * (1 + math.cos(math.pi * 3.5 / 4))])
    eta = lr_scheduler.CosineAnnealingWarmRestarts(_opt(), T_0=2, eta_min=0.02)
    assert _lrs(eta, 3) == pytest.approx([0.1, 0.06, 0.1, 0.06])
    with pytest.raises(ValueError, match="epoch"):
        sched.step(-1)
    for kw in ({"T_0": 0}, {"T_0": 1.5}, {"T_0": 2, "T_mult": 0}, {"T_0": 2, "eta_min": "0"}):
        with pytest.raises(ValueError, match="T_0|T_mult|eta_min"):
            lr_scheduler.CosineAnnealingWarmRestarts(_opt(), **kw)


def test_cyclic_lr_triangular_cycles_lr_and_momentum() -> None:
    opt = _momentum_opt()
    sched = lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2)
    lrs, moms = [], []
    for _ in range(6):
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(opt.param_groups[0]["momentum"])
        opt.step()
        sched.step()
    assert lrs == pytest.approx([0.01, 0.055, 0.1, 0.055, 0.01, 0.055])
    assert moms == pytest.approx([0.9, 0.85, 0.8, 0.85, 0.9, 0.85])


def test_cyclic_lr_policies_and_adam_beta1() -> None:
    half = lr_scheduler.CyclicLR(_opt(), 0.01, 0.1, 2, mode="triangular2", cycle_momentum=False)
    # the second cycle (epochs 4..7) has half the amplitude
    assert _lrs(half, 6) == pytest.approx([0.01, 0.055, 0.1, 0.055, 0.01, 0.0325, 0.055])
    exp = lr_scheduler.CyclicLR(_opt(), 0.01, 0.1, 2, mode="exp_range", gamma=0.5,
                                cycle_momentum=False)  # fmt: skip
    assert _lrs(exp, 2) == pytest.approx([0.01, 0.01 + 0.045 * 0.5, 0.01 + 0.09 * 0.25])
    custom = lr_scheduler.CyclicLR(_opt(), 0.01, 0.1, 1, step_size_down=3,
                                   scale_fn=lambda x: 0.1, cycle_momentum=False)  # fmt: skip
    assert _lrs(custom, 3) == pytest.approx([0.01, 0.019, 0.016, 0.013])
    opt = _momentum_opt("Adam")
    sched = lr_scheduler.CyclicLR(opt, 0.01, 0.1, 2, base_momentum=0.7, max_momentum=0.9)
    assert opt.param_groups[0]["betas"] == pytest.approx((0.9, 0.99))
    opt.step()
    sched.step()
    assert opt.param_groups[0]["betas"] == pytest.approx((0.8, 0.99))


def test_cyclic_lr_bad_arguments() -> None:
    with pytest.raises(ValueError, match="mode"):
        lr_scheduler.CyclicLR(_momentum_opt(), 0.01, 0.1, mode="triangle")
    with pytest.raises(ValueError, match="scale_mode"):
        lr_scheduler.CyclicLR(_momentum_opt(), 0.01, 0.1, scale_fn=abs, scale_mode="iteration")
    with pytest.raises(ValueError, match="step_size_up"):
        lr_scheduler.CyclicLR(_momentum_opt(), 0.01, 0.1, step_size_up=0)
    with pytest.raises(ValueError, match="momentum"):
        lr_scheduler.CyclicLR(optim.Adagrad(make_params("float64")), 0.01, 0.1)
    with pytest.raises(ValueError, match="max_lr"):
        lr_scheduler.CyclicLR(_momentum_opt(), 0.01, [0.1, 0.2])
    opt = _momentum_opt()
    with pytest.raises(ValueError):
        lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="bad")
    assert opt.param_groups[0]["lr"] == 0.1  # a refused scheduler leaves the optimizer alone


class _Halving:
    """A stateful scale function: its attributes are saved in the state_dict (as torch)."""

    def __init__(self) -> None:
        self.base = 0.5

    def __call__(self, x: float) -> float:
        return self.base**x


def test_cyclic_lr_state_dict_keeps_a_callable_objects_attributes() -> None:
    fn = _Halving()
    a = lr_scheduler.CyclicLR(_momentum_opt(), 0.01, 0.1, 2, scale_fn=fn)
    fn.base = 0.25
    a.step()
    state = a.state_dict()
    assert state["_scale_fn_custom"] == {"base": 0.25}
    fresh = _Halving()
    b = lr_scheduler.CyclicLR(_momentum_opt(), 0.01, 0.1, 2, scale_fn=fresh)
    b.load_state_dict(state)
    assert fresh.base == 0.25 and b._scale_fn_custom is fresh and b.last_epoch == 1
    assert "_scale_fn_custom" in state  # the caller's dict is left whole


def test_sequential_lr_switches_schedules_at_milestones() -> None:
    opt = _opt()
    warm = lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=2)
    decay = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    sched = lr_scheduler.SequentialLR(opt, [warm, decay], milestones=[3])
    # ConstantLR for epochs 0..2 (restored at its epoch 2), ExponentialLR from its epoch 0 at 3
    assert _lrs(sched, 5) == pytest.approx([0.01, 0.01, 0.1, 0.1, 0.05, 0.025])
    with pytest.raises(TypeError):
        sched.step(3)  # type: ignore[call-arg]


def test_sequential_lr_state_dict_round_trip() -> None:
    def make(opt: optim.Optimizer) -> lr_scheduler.SequentialLR:
        return lr_scheduler.SequentialLR(
            opt, [lr_scheduler.LinearLR(opt, 0.5, total_iters=2),
                  lr_scheduler.StepLR(opt, 2, 0.5)], [3],
        )  # fmt: skip

    opt_a = _opt()
    a = make(opt_a)
    _lrs(a, 4)
    opt_b = _opt()
    b = make(opt_b)
    opt_b.load_state_dict(opt_a.state_dict())
    b.load_state_dict(a.state_dict())
    assert b._schedulers[1].last_epoch == a._schedulers[1].last_epoch
    assert _lrs(a, 5) == _lrs(b, 5)


def test_sequential_lr_bad_arguments() -> None:
    opt, other = _opt(), _opt()
    with pytest.raises(ValueError, match="milestone"):
        lr_scheduler.SequentialLR(opt, [lr_scheduler.StepLR(opt, 2)], milestones=[3])
    with pytest.raises(ValueError, match="at least one"):
        lr_scheduler.SequentialLR(opt, [], milestones=[])
    with pytest.raises(ValueError, match="same optimizer"):
        lr_scheduler.SequentialLR(
            opt, [lr_scheduler.StepLR(opt, 2), lr_scheduler.StepLR(other, 2)], [3]
        )
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        lr_scheduler.SequentialLR(
            opt, [lr_scheduler.StepLR(opt, 2), lr_scheduler.ReduceLROnPlateau(opt)], [3]
        )


def test_chained_scheduler_composes_the_changes() -> None:
    opt = _opt()
    warm = lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=2)
    decay = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    sched = lr_scheduler.ChainedScheduler([warm, decay])
    assert sched.optimizer is opt
    assert _lrs(sched, 3) == pytest.approx([0.01, 0.005, 0.025, 0.0125])
    state = sched.state_dict()
    assert [s["last_epoch"] for s in state["_schedulers"]] == [3, 3]
    with pytest.raises(ValueError, match="at least one"):
        lr_scheduler.ChainedScheduler([])
    with pytest.raises(ValueError, match="same optimizer"):
        lr_scheduler.ChainedScheduler([warm], optimizer=_opt())


def test_reduce_on_plateau_is_a_scheduler_and_takes_an_epoch() -> None:
    sched = lr_scheduler.ReduceLROnPlateau(_opt(), patience=0, factor=0.5)
    assert isinstance(sched, lr_scheduler.LRScheduler)
    sched.step(1.0)
    assert sched.last_epoch == 1
    sched.step(1.0, epoch=7)  # no improvement: reduced, and the epoch is the one given
    assert sched.last_epoch == 7
    assert sched.get_last_lr() == pytest.approx([0.05])


def test_old_scheduler_base_name_can_be_subclassed() -> None:
    class Halving(lr_scheduler._LRScheduler):
        def get_lr(self) -> list[float]:
            return [b * 0.5**self.last_epoch for b in self.base_lrs]

    assert _lrs(Halving(_opt()), 3) == pytest.approx([0.1, 0.05, 0.025, 0.0125])


def test_reduce_on_plateau_covers_a_param_group_added_later() -> None:
    opt = _opt()
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5, min_lr=0.04)
    opt.add_param_group({"params": make_params("float64"), "lr": 0.2})
    for _ in range(4):  # the first sets the best, each later one halves
        sched.step(1.0)
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.04, 0.04])
    assert sched.mode_worse == math.inf
    listed = lr_scheduler.ReduceLROnPlateau(_opt(), patience=0, min_lr=[0.01])
    listed.optimizer.add_param_group({"params": make_params("float64"), "lr": 0.2})
    listed.step(1.0)
    with pytest.raises(RuntimeError, match="param groups"):
        listed.step(1.0)
