"""Optimizers and schedulers against torch.optim, step by step (skipped without torch).

LBFGS is compared with a looser tolerance: both follow the same path with the same number
of evaluations, but rounding differences of 1e-16 grow to ~1e-8 along the Rosenbrock valley.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import optim
from optim import lr_scheduler

from .problems import W0, C, make_params, quartic, rosenbrock, values_of
from .test_first_order import ADAMW_CASES, CASES

torch = pytest.importorskip("torch")

STEPS = 10


def _torch_trajectory(name: str, hp: dict) -> list[np.ndarray]:
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, name)([w], **hp)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        ((w**4).sum() / 4 + (w * torch.tensor(C)).sum()).backward()
        opt.step()
        out.append(w.detach().numpy().copy())
    return out


def _our_trajectory(opt_cls: Any, hp: dict) -> list[np.ndarray]:
    params = make_params("float64")
    opt = opt_cls(params, **hp)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        quartic(params).backward()
        opt.step()
        out.append(values_of(params))
    return out


PARITY = [(c[0], c[2]) for c in CASES] + [(optim.AdamW, hp) for hp in ADAMW_CASES]


@pytest.mark.parametrize(
    "opt_cls,hp", PARITY, ids=[f"{c.__name__}-{sorted(h.items())}" for c, h in PARITY]
)
def test_matches_torch(opt_cls: Any, hp: dict) -> None:
    ours = _our_trajectory(opt_cls, hp)
    theirs = _torch_trajectory(opt_cls.__name__, hp)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_matches_torch(line_search_fn: str | None) -> None:
    hp = dict(lr=1 if line_search_fn else 0.1, history_size=5, line_search_fn=line_search_fn)
    w = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
    t_opt = torch.optim.LBFGS([w], **hp)
    p = make_params("float64", np.array([-1.5, 2.0]))[0]
    opt = optim.LBFGS([p], **hp)

    def t_closure() -> Any:
        t_opt.zero_grad()
        loss = rosenbrock(w[0], w[1])
        loss.backward()
        return loss

    def closure() -> Any:
        opt.zero_grad()
        loss = rosenbrock(p[0], p[1])
        loss.backward()
        return loss

    for _ in range(3):
        t_loss = t_opt.step(t_closure)
        loss = opt.step(closure)
        assert loss.item() == pytest.approx(t_loss.item(), rel=1e-6, abs=1e-12)
        np.testing.assert_allclose(p.data, w.detach().numpy(), rtol=1e-6, atol=1e-9)
        t_state = t_opt.state[t_opt._params[0]]
        assert opt.state[p]["func_evals"] == t_state["func_evals"]
        assert opt.state[p]["n_iter"] == t_state["n_iter"]


def _lr_sequence(make: Any, lib: Any, metrics: list[float] | None = None) -> list[float]:
    if lib is torch:
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    else:
        opt = optim.SGD(make_params("float64"), lr=0.1)
    sched = make(lib.optim.lr_scheduler if lib is torch else lr_scheduler, opt)
    out = []
    for epoch in range(30):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[epoch])
        out.append(opt.param_groups[0]["lr"])
        assert sched.get_last_lr() == [opt.param_groups[0]["lr"]]
    return out


SCHEDULERS = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=4, gamma=0.5),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, milestones=[3, 7, 7, 20], gamma=0.3),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=8, eta_min=0.01),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lambda e: 1 / (1 + e)),
}


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_scheduler_matches_torch(name: str) -> None:
    ours = _lr_sequence(SCHEDULERS[name], None)
    theirs = _lr_sequence(SCHEDULERS[name], torch)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_reduce_on_plateau_matches_torch() -> None:
    metrics = [1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8] * 3

    def make(m: Any, o: Any) -> Any:
        return m.ReduceLROnPlateau(o, patience=2, factor=0.5, cooldown=1, min_lr=0.01)

    ours = _lr_sequence(make, None, metrics)
    theirs = _lr_sequence(make, torch, metrics)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
