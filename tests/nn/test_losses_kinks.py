"""Loss derivatives at kinks and non-finite errors, as PyTorch defines them (written out here):
Huber/smooth L1 have second derivative 1 at d = 0 (not 0 through |d|); the ranking losses
clamp at 0 like torch's clamp_min (gradient passes at the kink, 0 for a nan margin term)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn.functional as F
from autograd import Tensor


def _second(loss, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = Tensor(x.copy(), requires_grad=True)
    (g,) = autograd.grad(loss(t), [t], create_graph=True)
    (gg,) = autograd.grad(g.sum(), [t])
    return np.asarray(g.data), np.asarray(gg.data if hasattr(gg, "data") else gg)


@pytest.mark.parametrize("delta", [1.0, 0.5])
def test_huber_second_derivative_inside_including_zero(delta: float) -> None:
    x = np.array([0.0, 0.1, -0.2, 3.0, -3.0, math.inf, -math.inf])
    g, gg = _second(lambda t: F.huber_loss(t, Tensor(np.zeros(7)), reduction="sum", delta=delta), x)
    assert np.allclose(g, [0.0, 0.1, -0.2, delta, -delta, delta, -delta], rtol=1e-14, atol=0)
    assert gg.tolist() == [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    g, gg = _second(
        lambda t: F.smooth_l1_loss(t, Tensor(np.zeros(7)), reduction="sum", beta=delta), x
    )
    assert gg.tolist() == [1.0 / delta] * 3 + [0.0] * 4


def test_margin_ranking_loss_kink_and_nan() -> None:
    # per pair max(0, -y (x1 - x2) + margin): gradient -y at the kink (clamp_min's), 0 for nan
    x1 = Tensor(np.array([1.0, -math.inf, 2.0]), requires_grad=True)
    x2 = Tensor(np.array([1.0, -math.inf, 0.0]))
    loss = F.margin_ranking_loss(x1, x2, Tensor(np.array([1.0, 1.0, 1.0])), reduction="none")
    assert loss.data[0] == 0.0 and math.isnan(loss.data[1]) and loss.data[2] == 0.0
    loss.sum().backward()
    assert np.asarray(x1.grad).tolist() == [-1.0, 0.0, 0.0]
