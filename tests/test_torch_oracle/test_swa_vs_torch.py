"""optim.swa_utils against torch.optim.swa_utils: the same training run (same initial weights,
data and SGD) with SWA from a given epoch under SWALR, and with an EMA of weights and buffers,
gives the same learning rates, averaged weights, n_averaged and BatchNorm statistics."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch.optim import swa_utils as tswa  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402
import optim  # noqa: E402
from optim import swa_utils as oswa  # noqa: E402

RNG = np.random.default_rng(11)
DATA = [(RNG.normal(size=(8, 3)), RNG.normal(size=(8, 1))) for _ in range(4)]


def models() -> tuple[Any, Any]:
    autograd.manual_seed(0)
    ours = nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.Tanh(), nn.Linear(5, 1)).double()
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 5), torch.nn.BatchNorm1d(5), torch.nn.Tanh(), torch.nn.Linear(5, 1)
    ).double()
    with torch.no_grad():
        for p, tp in zip(ours.parameters(), theirs.parameters()):
            tp.copy_(torch.tensor(p.data))
    return ours, theirs


def close(ours: Any, theirs: Any, rtol: float = 1e-9) -> None:
    mine = [t.data for t in (*ours.parameters(), *ours.buffers())]
    other = [t.detach().numpy() for t in (*theirs.parameters(), *theirs.buffers())]
    assert len(mine) == len(other)
    for a, b in zip(mine, other):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("strategy, anneal_epochs", [("cos", 3), ("linear", 2), ("cos", 0)])
def test_swa_training_run(strategy: str, anneal_epochs: int) -> None:
    m, tm = models()
    opt = optim.SGD(m.parameters(), lr=0.2, momentum=0.9)
    topt = torch.optim.SGD(tm.parameters(), lr=0.2, momentum=0.9)
    swa, tswa_model = oswa.AveragedModel(m), tswa.AveragedModel(tm)
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    tsched = torch.optim.lr_scheduler.CosineAnnealingLR(topt, T_max=10)
    swa_sched = oswa.SWALR(opt, swa_lr=0.05, anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    tswa_sched = tswa.SWALR(
        topt, swa_lr=0.05, anneal_epochs=anneal_epochs, anneal_strategy=strategy
    )
    for epoch in range(8):
        for x, y in DATA:
            opt.zero_grad()
            F.mse_loss(m(autograd.tensor(x)), autograd.tensor(y)).backward()
            opt.step()
            topt.zero_grad()
            torch.nn.functional.mse_loss(tm(torch.tensor(x)), torch.tensor(y)).backward()
            topt.step()
        if epoch >= 3:
            swa.update_parameters(m)
            tswa_model.update_parameters(tm)
            swa_sched.step()
            tswa_sched.step()
        else:
            sched.step()
            tsched.step()
        assert opt.param_groups[0]["lr"] == pytest.approx(topt.param_groups[0]["lr"], rel=1e-12)
    close(swa, tswa_model)
    loader = [(autograd.tensor(x), y) for x, y in DATA]
    tloader = [(torch.tensor(x), y) for x, y in DATA]
    oswa.update_bn(loader, swa)
    tswa.update_bn(tloader, tswa_model)
    close(swa, tswa_model)
    x = DATA[0][0]
    np.testing.assert_allclose(
        swa.eval()(autograd.tensor(x)).data,
        tswa_model.eval()(torch.tensor(x)).detach().numpy(),
        rtol=1e-9,
    )


@pytest.mark.parametrize("how", ["multi", "single", "custom"])
def test_ema_of_weights_and_buffers(how: str) -> None:
    m, tm = models()
    if how == "multi":
        kw, tkw = (
            {"multi_avg_fn": oswa.get_ema_multi_avg_fn(0.8)},
            {"multi_avg_fn": tswa.get_ema_multi_avg_fn(0.8)},
        )
    elif how == "single":
        kw, tkw = {"avg_fn": oswa.get_ema_avg_fn(0.8)}, {"avg_fn": tswa.get_ema_avg_fn(0.8)}
    else:

        def avg(a: Any, c: Any, n: Any) -> Any:
            return (a * n + 2 * c) / (n + 2)

        kw, tkw = {"avg_fn": avg}, {"avg_fn": avg}
    ema = oswa.AveragedModel(m, use_buffers=True, **kw)
    tema = tswa.AveragedModel(tm, use_buffers=True, **tkw)
    opt = optim.Adam(m.parameters(), lr=0.05)
    topt = torch.optim.Adam(tm.parameters(), lr=0.05)
    for x, y in DATA * 2:
        opt.zero_grad()
        F.mse_loss(m(autograd.tensor(x)), autograd.tensor(y)).backward()
        opt.step()
        topt.zero_grad()
        torch.nn.functional.mse_loss(tm(torch.tensor(x)), torch.tensor(y)).backward()
        topt.step()
        ema.update_parameters(m)
        tema.update_parameters(tm)
    close(ema, tema, rtol=1e-7)  # (Adam's and BatchNorm's rounding over 8 steps)
    assert int(ema.n_averaged.item()) == int(tema.n_averaged.item()) == 8
