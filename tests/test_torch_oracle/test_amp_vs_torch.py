"""GradScaler against torch.amp.GradScaler('cpu'): scale, skipped steps, growth, backoff."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import optim  # noqa: E402


@pytest.mark.parametrize("interval", [1, 2, 3])
def test_scaler_trajectory_matches_torch(interval: int) -> None:
    start = np.array([0.5, -1.5, 2.0])
    ours_w = autograd.tensor(start, requires_grad=True)
    their_w = torch.tensor(start, requires_grad=True)
    ours_opt, their_opt = optim.Adam([ours_w], lr=0.1), torch.optim.Adam([their_w], lr=0.1)
    hp = dict(init_scale=1024.0, growth_factor=3.0, backoff_factor=0.25, growth_interval=interval)
    ours, theirs = autograd.amp.GradScaler("cpu", **hp), torch.amp.GradScaler("cpu", **hp)
    for step in range(9):
        for w, opt, scaler in ((ours_w, ours_opt, ours), (their_w, their_opt, theirs)):
            opt.zero_grad()
            scaler.scale((w**4).sum()).backward()
            if step in (2, 5, 6):  # an overflowed gradient: the step is skipped
                w.grad[1] = float("nan") if step == 5 else float("inf")
            scaler.step(opt)
            scaler.update()
        assert ours.get_scale() == theirs.get_scale(), step
        assert ours.state_dict() == theirs.state_dict(), step
        np.testing.assert_allclose(ours_w.data, their_w.detach().numpy(), rtol=1e-12)
