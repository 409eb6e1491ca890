"""Learning-rate schedulers against torch.optim.lr_scheduler: the lr of every parameter group
(and the momentum CyclicLR and OneCycleLR cycle), at construction and after each of 30 epochs,
equals torch's; so do sequences stepped with an epoch, resumed ones, and the bad arguments
both refuse."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import optim  # noqa: E402
from autograd import Tensor  # noqa: E402
from optim import lr_scheduler  # noqa: E402

EPOCHS = 30
LRS = (0.1, 0.03)


def _optimizer(lib: Any, name: str = "SGD") -> Any:
    if lib is torch:
        ps = [torch.zeros(2, dtype=torch.float64, requires_grad=True) for _ in LRS]
        cls = getattr(torch.optim, name)
    else:
        ps = [Tensor(np.zeros(2), requires_grad=True) for _ in LRS]
        cls = getattr(optim, name)
    return cls([{"params": [p], "lr": lr} for p, lr in zip(ps, LRS)], lr=LRS[0])


def _sequence(
    make: Any,
    lib: Any,
    metrics: list[float] | None = None,
    by_epoch: bool = False,
    opt_name: str = "SGD",
) -> list[list[float]]:
    opt = _optimizer(lib, opt_name)
    module = torch.optim.lr_scheduler if lib is torch else lr_scheduler
    scheds = make(module, opt)
    scheds = scheds if isinstance(scheds, tuple) else (scheds,)
    out = [[g["lr"] for g in opt.param_groups]]
    for epoch in range(EPOCHS):
        opt.step()
        for s in scheds:
            if metrics is not None:
                s.step(metrics[epoch])
            elif by_epoch:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # torch deprecates step(epoch)
                    s.step(epoch + 1)
            else:
                s.step()
        out.append([g["lr"] for g in opt.param_groups])
        assert list(scheds[-1].get_last_lr()) == pytest.approx(out[-1], rel=1e-15)
    return out


def _lambda_list(m: Any, o: Any) -> Any:
    return m.LambdaLR(o, [lambda e: 0.95**e, lambda e: 1.0 / (1 + 0.3 * e)])


SCHEDULES = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=4, gamma=0.5),
    "StepLR_default_gamma": lambda m, o: m.StepLR(o, 7),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, milestones=[3, 7, 7, 20], gamma=0.3),
    "MultiStepLR_unsorted": lambda m, o: m.MultiStepLR(o, [12, 2]),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=8, eta_min=0.01),
    "CosineAnnealingLR_default_eta": lambda m, o: m.CosineAnnealingLR(o, T_max=12),
    "CosineAnnealingLR_T1": lambda m, o: m.CosineAnnealingLR(o, T_max=1, eta_min=0.001),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lambda e: 1 / (1 + e)),
    "LambdaLR_per_group": _lambda_list,
    "LinearLR": lambda m, o: m.LinearLR(o),
    "LinearLR_decay": lambda m, o: m.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=12),
    "OneCycleLR": lambda m, o: m.OneCycleLR(o, max_lr=0.5, total_steps=EPOCHS),
    "OneCycleLR_per_group_linear": lambda m, o: m.OneCycleLR(
        o, max_lr=[0.5, 0.2], epochs=3, steps_per_epoch=11, anneal_strategy="linear"
    ),
    "OneCycleLR_three_phase": lambda m, o: m.OneCycleLR(
        o, 1.0, total_steps=EPOCHS + 3, pct_start=0.25, three_phase=True, div_factor=10.0
    ),
    "chained_Linear_Cosine": lambda m, o: (
        m.LinearLR(o, 0.1, total_iters=4),
        m.CosineAnnealingLR(o, 20),
    ),
    "chained_Step_Exponential": lambda m, o: (m.StepLR(o, 5, 0.5), m.ExponentialLR(o, 0.95)),
    "chained_Cosine_MultiStep": lambda m, o: (
        m.CosineAnnealingLR(o, 6),
        m.MultiStepLR(o, [4, 9], 0.5),
    ),
    "ConstantLR": lambda m, o: m.ConstantLR(o),
    "ConstantLR_half_7": lambda m, o: m.ConstantLR(o, factor=0.5, total_iters=7),
    "ConstantLR_factor_1": lambda m, o: m.ConstantLR(o, 1.0, 3),
    "MultiplicativeLR": lambda m, o: m.MultiplicativeLR(o, lambda e: 0.95),
    "MultiplicativeLR_per_group": lambda m, o: m.MultiplicativeLR(
        o, [lambda e: 0.9, lambda e: 1.0 - 0.01 * e]
    ),
    "PolynomialLR": lambda m, o: m.PolynomialLR(o),
    "PolynomialLR_power_2": lambda m, o: m.PolynomialLR(o, total_iters=20, power=2.0),
    "PolynomialLR_power_half": lambda m, o: m.PolynomialLR(o, 12, 0.5),
    "CosineAnnealingWarmRestarts": lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=7),
    "CosineAnnealingWarmRestarts_mult_2": lambda m, o: m.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.005
    ),
    "CosineAnnealingWarmRestarts_T1_mult_3": lambda m, o: m.CosineAnnealingWarmRestarts(
        o, 1, 3, 0.001
    ),
    "CyclicLR": lambda m, o: m.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4),
    "CyclicLR_triangular2_asymmetric": lambda m, o: m.CyclicLR(
        o, 0.01, [0.1, 0.05], step_size_up=3, step_size_down=5, mode="triangular2"
    ),
    "CyclicLR_exp_range": lambda m, o: m.CyclicLR(
        o, [0.02, 0.001], 0.2, 5, mode="exp_range", gamma=0.95, cycle_momentum=False
    ),
    "CyclicLR_scale_fn_cycle": lambda m, o: m.CyclicLR(
        o, 0.01, 0.1, 2, 4, scale_fn=lambda x: 1.0 / x, scale_mode="cycle"
    ),
    "CyclicLR_scale_fn_iterations": lambda m, o: m.CyclicLR(
        o, 0.01, 0.1, 3, scale_fn=lambda x: 0.97**x, scale_mode="iterations"
    ),
    "CyclicLR_no_down": lambda m, o: m.CyclicLR(o, 0.01, 0.1, 4, step_size_down=0),
    "SequentialLR": lambda m, o: m.SequentialLR(
        o, [m.ConstantLR(o, factor=0.1, total_iters=20), m.ExponentialLR(o, 0.9)], [5]
    ),
    "SequentialLR_three": lambda m, o: m.SequentialLR(
        o,
        [m.LinearLR(o, 0.2, total_iters=4), m.CosineAnnealingLR(o, 10), m.StepLR(o, 3, 0.5)],
        milestones=[5, 15],
    ),
    "SequentialLR_warm_restarts": lambda m, o: m.SequentialLR(
        o,
        [m.PolynomialLR(o, 6, 2.0), m.CosineAnnealingWarmRestarts(o, 4, 2)],
        milestones=[8],
    ),
    # nested first: torch (and so this library) cannot restart a nested SequentialLR at a
    # milestone (it has no get_lr)
    "SequentialLR_nested": lambda m, o: m.SequentialLR(
        o,
        [
            m.SequentialLR(o, [m.ConstantLR(o, 0.5, 3), m.MultiStepLR(o, [6], 0.1)], [4]),
            m.ExponentialLR(o, 0.8),
        ],
        [10],
    ),
    "ChainedScheduler": lambda m, o: m.ChainedScheduler(
        [m.ConstantLR(o, factor=0.1, total_iters=8), m.ExponentialLR(o, 0.9)]
    ),
    "ChainedScheduler_with_optimizer": lambda m, o: m.ChainedScheduler(
        [m.LinearLR(o, 0.3, total_iters=5), m.CosineAnnealingWarmRestarts(o, 6)], optimizer=o
    ),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_schedule(name):
    ours = _sequence(SCHEDULES[name], None)
    theirs = _sequence(SCHEDULES[name], torch)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


BY_EPOCH = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR", "LinearLR"]
BY_EPOCH += [
    name
    for name in SCHEDULES
    if name.startswith(
        ("ConstantLR", "MultiplicativeLR", "PolynomialLR", "CosineAnnealingWarm", "CyclicLR")
    )
]


@pytest.mark.parametrize("name", BY_EPOCH)
def test_schedule_stepped_with_an_epoch(name):
    ours = _sequence(SCHEDULES[name], None, by_epoch=True)
    theirs = _sequence(SCHEDULES[name], torch, by_epoch=True)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_schedule_drives_adam_too():
    make = SCHEDULES["CosineAnnealingLR"]
    np.testing.assert_allclose(
        _sequence(make, None, opt_name="Adam"),
        _sequence(make, torch, opt_name="Adam"),
        rtol=1e-12,
    )


@pytest.mark.parametrize("opt_name", ["SGD", "Adam"])
@pytest.mark.parametrize("three_phase", [False, True])
def test_one_cycle_cycles_momentum_or_beta1_as_torch(opt_name, three_phase):
    def run(lib: Any) -> list:
        opt = _optimizer(lib, opt_name)
        if opt_name == "SGD":
            for g in opt.param_groups:
                g["momentum"] = 0.9
        module = torch.optim.lr_scheduler if lib is torch else lr_scheduler
        sched = module.OneCycleLR(
            opt,
            max_lr=[0.4, 0.1],
            total_steps=20,
            three_phase=three_phase,
            base_momentum=[0.8, 0.7],
            max_momentum=0.9,
        )
        key = "momentum" if opt_name == "SGD" else "betas"
        out = []
        for _ in range(20):
            out.append([(g["lr"], g[key]) for g in opt.param_groups])
            opt.step()
            sched.step()
        return out

    ours, theirs = run(None), run(torch)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        for (lr_a, m_a), (lr_b, m_b) in zip(a, b):
            assert lr_a == pytest.approx(lr_b, rel=1e-12)
            assert np.ravel(m_a) == pytest.approx(np.ravel(m_b), rel=1e-12)


@pytest.mark.parametrize("opt_name", ["SGD", "Adam"])
@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_lr_cycles_momentum_or_beta1_as_torch(opt_name, mode):
    def run(lib: Any) -> list:
        opt = _optimizer(lib, opt_name)
        module = torch.optim.lr_scheduler if lib is torch else lr_scheduler
        sched = module.CyclicLR(
            opt,
            base_lr=[0.01, 0.002],
            max_lr=0.1,
            step_size_up=3,
            step_size_down=4,
            mode=mode,
            gamma=0.9,
            base_momentum=[0.8, 0.7],
            max_momentum=0.95,
        )
        key = "momentum" if opt_name == "SGD" else "betas"
        out = []
        for _ in range(EPOCHS):
            out.append([(g["lr"], g[key]) for g in opt.param_groups])
            opt.step()
            sched.step()
        return out

    ours, theirs = run(None), run(torch)
    for a, b in zip(ours, theirs, strict=True):
        for (lr_a, m_a), (lr_b, m_b) in zip(a, b, strict=True):
            assert lr_a == pytest.approx(lr_b, rel=1e-12)
            assert np.ravel(m_a) == pytest.approx(np.ravel(m_b), rel=1e-12)


@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_warm_restarts_with_fractional_and_jumping_epochs_as_torch(T_mult):
    def run(lib: Any) -> list:
        opt = _optimizer(lib)
        module = torch.optim.lr_scheduler if lib is torch else lr_scheduler
        sched = module.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=T_mult, eta_min=0.001)
        out = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in range(12):
                for i in range(5):  # five batches per epoch
                    opt.step()
                    sched.step(epoch + i / 5)
                    out.append([g["lr"] for g in opt.param_groups] + [sched.last_epoch])
            for step in (None, 26, None, None, 3.5, None, 0, None):
                sched.step(step)
                out.append([g["lr"] for g in opt.param_groups] + [sched.last_epoch])
        return out

    np.testing.assert_allclose(run(None), run(torch), rtol=1e-12, atol=1e-15)


def _bad_arguments(m: Any, o: Any, other: Any) -> dict[str, Any]:
    return {
        "ConstantLR_factor_above_1": lambda: m.ConstantLR(o, factor=1.5),
        "ConstantLR_negative_factor": lambda: m.ConstantLR(o, factor=-0.1),
        "MultiplicativeLR_too_few_lambdas": lambda: m.MultiplicativeLR(o, [lambda e: 0.9]),
        "WarmRestarts_T0_zero": lambda: m.CosineAnnealingWarmRestarts(o, 0),
        "WarmRestarts_T0_float": lambda: m.CosineAnnealingWarmRestarts(o, 2.5),
        "WarmRestarts_T_mult_zero": lambda: m.CosineAnnealingWarmRestarts(o, 2, T_mult=0),
        "WarmRestarts_eta_min_string": lambda: m.CosineAnnealingWarmRestarts(o, 2, eta_min="0"),
        "CyclicLR_mode": lambda: m.CyclicLR(o, 0.01, 0.1, mode="triangle"),
        "CyclicLR_max_lr_length": lambda: m.CyclicLR(o, 0.01, [0.1, 0.2, 0.3]),
        "SequentialLR_milestones": lambda: m.SequentialLR(
            o, [m.StepLR(o, 2), m.StepLR(o, 3)], milestones=[2, 4]
        ),
        "SequentialLR_empty": lambda: m.SequentialLR(o, [], milestones=[]),
        "SequentialLR_plateau": lambda: m.SequentialLR(
            o, [m.StepLR(o, 2), m.ReduceLROnPlateau(o)], [3]
        ),
        "SequentialLR_other_optimizer": lambda: m.SequentialLR(
            o, [m.StepLR(o, 2), m.StepLR(other, 3)], [3]
        ),
        "ChainedScheduler_empty": lambda: m.ChainedScheduler([]),
        "ChainedScheduler_other_optimizer": lambda: m.ChainedScheduler(
            [m.StepLR(o, 2), m.StepLR(other, 3)]
        ),
        "ChainedScheduler_plateau": lambda: m.ChainedScheduler([m.ReduceLROnPlateau(o)], o),
    }


@pytest.mark.parametrize("case", list(_bad_arguments(None, None, None)))
def test_bad_arguments_raise_value_error_as_torch(case):
    for lib, module in ((None, lr_scheduler), (torch, torch.optim.lr_scheduler)):
        make = _bad_arguments(module, _optimizer(lib), _optimizer(lib))[case]
        with pytest.raises(ValueError):
            make()


def test_cyclic_lr_momentum_needs_momentum_or_betas_as_torch():
    for lib, module in ((None, lr_scheduler), (torch, torch.optim.lr_scheduler)):
        with pytest.raises(ValueError, match="momentum"):
            module.CyclicLR(_optimizer(lib, "Adagrad"), 0.01, 0.1)
        module.CyclicLR(_optimizer(lib, "Adagrad"), 0.01, 0.1, cycle_momentum=False)


def test_one_cycle_refuses_a_step_past_total_steps_as_torch():
    for lib, module in ((None, lr_scheduler), (torch, torch.optim.lr_scheduler)):
        opt = _optimizer(lib)
        sched = module.OneCycleLR(opt, max_lr=0.1, total_steps=3, cycle_momentum=False)
        for _ in range(3):
            sched.step()
        with pytest.raises(ValueError):
            sched.step()


def _metrics(kind: str) -> list[float]:
    if kind == "plateaus":
        return [1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8] * 3
    if kind == "tiny_gains":  # improvements below the threshold do not count
        return [1.0 - 1e-5 * e for e in range(EPOCHS)]
    if kind == "rising":
        return [0.1 * e for e in range(EPOCHS)]
    return list(np.random.default_rng(3).uniform(size=EPOCHS))


PLATEAU = [
    {},
    {"patience": 2},
    {"patience": 2, "factor": 0.5, "cooldown": 1, "min_lr": 0.01},
    {"patience": 1, "factor": 0.5, "min_lr": [0.02, 0.001]},
    {"mode": "max", "patience": 2, "factor": 0.3},
    {"patience": 0, "threshold": 0.05, "threshold_mode": "abs"},
    {"patience": 1, "threshold": 0.01, "threshold_mode": "rel", "cooldown": 2},
    {"mode": "max", "patience": 1, "threshold_mode": "abs", "threshold": 0.0},
    {"patience": 0, "factor": 0.9, "eps": 0.005},
]


@pytest.mark.parametrize("kw", PLATEAU, ids=str)
@pytest.mark.parametrize("kind", ["plateaus", "tiny_gains", "rising", "noise"])
def test_reduce_on_plateau(kw, kind):
    def make(m: Any, o: Any) -> Any:
        return m.ReduceLROnPlateau(o, **kw)

    metrics = _metrics(kind)
    ours = _sequence(make, None, metrics)
    theirs = _sequence(make, torch, metrics)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_reduce_on_plateau_defaults_are_torchs():
    ours = lr_scheduler.ReduceLROnPlateau(_optimizer(None))
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(_optimizer(torch))
    for name in (
        "mode",
        "factor",
        "patience",
        "threshold",
        "threshold_mode",
        "cooldown",
        "eps",
        "min_lrs",
    ):
        assert getattr(ours, name) == getattr(theirs, name), name


RESUMABLE = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=4, gamma=0.5),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, milestones=[3, 12, 14], gamma=0.3),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=8, eta_min=0.01),
    "ReduceLROnPlateau": lambda m, o: m.ReduceLROnPlateau(o, patience=1, cooldown=1),
    "ConstantLR": lambda m, o: m.ConstantLR(o, factor=0.5, total_iters=20),
    "MultiplicativeLR": lambda m, o: m.MultiplicativeLR(o, lambda e: 0.9),
    "PolynomialLR": lambda m, o: m.PolynomialLR(o, total_iters=25, power=1.5),
    "CosineAnnealingWarmRestarts": lambda m, o: m.CosineAnnealingWarmRestarts(o, 3, 2, 0.01),
    "CyclicLR": lambda m, o: m.CyclicLR(o, 0.01, 0.1, 4, 6, mode="triangular2"),
    "CyclicLR_scale_fn": lambda m, o: m.CyclicLR(o, 0.01, 0.1, 4, scale_fn=lambda x: 0.5**x),
    "SequentialLR": lambda m, o: m.SequentialLR(
        o, [m.LinearLR(o, 0.2, total_iters=5), m.CosineAnnealingLR(o, 6)], milestones=[10]
    ),
    "SequentialLR_late_milestone": lambda m, o: m.SequentialLR(
        o, [m.ConstantLR(o, 0.1, 40), m.ExponentialLR(o, 0.9)], milestones=[22]
    ),
    "ChainedScheduler": lambda m, o: m.ChainedScheduler(
        [m.ConstantLR(o, 0.1, total_iters=20), m.ExponentialLR(o, 0.9)]
    ),
}


@pytest.mark.parametrize("name", list(RESUMABLE))
def test_state_dict_resumes_torchs_sequence(name):
    make = RESUMABLE[name]
    metrics = _metrics("plateaus") if name == "ReduceLROnPlateau" else None

    def advance(sched: Any, opt: Any, epochs: range) -> list[list[float]]:
        out = []
        for e in epochs:
            opt.step()
            if metrics:
                sched.step(metrics[e])
            else:
                sched.step()
            out.append([g["lr"] for g in opt.param_groups])
        return out

    t_opt = _optimizer(torch)
    t_sched = make(torch.optim.lr_scheduler, t_opt)
    theirs = advance(t_sched, t_opt, range(EPOCHS))
    opt = _optimizer(None)
    sched = make(lr_scheduler, opt)
    ours = advance(sched, opt, range(EPOCHS // 2))
    # PyTorch's order: build the scheduler (it moves the lr), then load the optimizer's state
    # (restoring the lr), then the scheduler's
    opt2 = _optimizer(None)
    sched2 = make(lr_scheduler, opt2)
    opt2.load_state_dict(opt.state_dict())
    sched2.load_state_dict(sched.state_dict())
    ours += advance(sched2, opt2, range(EPOCHS // 2, EPOCHS))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


RESUMED = {
    "LinearLR": lambda m, o, e: m.LinearLR(o, 0.5, total_iters=4, last_epoch=e),
    "ExponentialLR": lambda m, o, e: m.ExponentialLR(o, 0.9, last_epoch=e),
    "CosineAnnealingLR": lambda m, o, e: m.CosineAnnealingLR(o, 5, last_epoch=e),
    "StepLR": lambda m, o, e: m.StepLR(o, 3, last_epoch=e),
    "MultiStepLR": lambda m, o, e: m.MultiStepLR(o, [3, 5], last_epoch=e),
    "LambdaLR": lambda m, o, e: m.LambdaLR(o, lambda k: 0.9**k, last_epoch=e),
    "ConstantLR": lambda m, o, e: m.ConstantLR(o, 0.5, total_iters=5, last_epoch=e),
    "ConstantLR_ending_at_resume": lambda m, o, e: m.ConstantLR(o, 0.5, 3, last_epoch=e),
    "MultiplicativeLR": lambda m, o, e: m.MultiplicativeLR(o, lambda k: 0.8, last_epoch=e),
    "PolynomialLR": lambda m, o, e: m.PolynomialLR(o, 6, 2.0, last_epoch=e),
    "CosineAnnealingWarmRestarts": lambda m, o, e: m.CosineAnnealingWarmRestarts(
        o, 3, last_epoch=e
    ),
    "CosineAnnealingWarmRestarts_mult": lambda m, o, e: m.CosineAnnealingWarmRestarts(
        o, 2, 2, last_epoch=e
    ),
    "CyclicLR": lambda m, o, e: m.CyclicLR(o, 0.01, 0.1, 3, last_epoch=e),
}


@pytest.mark.parametrize("name", list(RESUMED))
def test_a_schedule_rebuilt_with_last_epoch_continues_as_torchs(name):
    def run(lib: Any) -> list:
        opt = _optimizer(lib)
        module = torch.optim.lr_scheduler if lib is torch else lr_scheduler
        sched = RESUMED[name](module, opt, -1)
        for _ in range(2):
            opt.step()
            sched.step()
        sched = RESUMED[name](module, opt, 2)  # resumed: the lr must not move at construction
        out = [[g["lr"] for g in opt.param_groups]]
        for _ in range(6):
            opt.step()
            sched.step()
            out.append([g["lr"] for g in opt.param_groups])
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(run(None), run(torch), rtol=1e-12)


def test_every_torch_scheduler_is_here():
    missing = set(torch.optim.lr_scheduler.__all__) - set(lr_scheduler.__all__)
    assert not missing
    for name in lr_scheduler.__all__:
        assert hasattr(lr_scheduler, name), name


def test_reduce_on_plateau_step_with_epoch_as_torch():
    scheds = [
        m.ReduceLROnPlateau(_optimizer(lib), patience=1, factor=0.5)
        for m, lib in ((lr_scheduler, None), (torch.optim.lr_scheduler, torch))
    ]
    for epoch, metric in enumerate([1.0, 1.0, 1.0, 0.5, 0.5, 0.5], start=3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch deprecates the epoch argument
            for s in scheds:
                s.step(metric, epoch)
        ours, theirs = scheds
        assert ours.last_epoch == theirs.last_epoch
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-15)
    assert isinstance(scheds[0], lr_scheduler.LRScheduler) == isinstance(
        scheds[1], torch.optim.lr_scheduler.LRScheduler
    )


def test_reduce_on_plateau_with_a_param_group_added_later_as_torch():
    lrs = []
    for m, lib in ((lr_scheduler, None), (torch.optim.lr_scheduler, torch)):
        opt = _optimizer(lib)
        sched = m.ReduceLROnPlateau(opt, patience=0, factor=0.5, min_lr=0.02)
        extra = torch.zeros(1, requires_grad=True) if lib is torch else Tensor(np.zeros(1))
        opt.add_param_group({"params": [extra], "lr": 0.2})
        for _ in range(4):
            sched.step(1.0)
        lrs.append([g["lr"] for g in opt.param_groups])
    assert lrs[0] == pytest.approx(lrs[1], rel=1e-15)
