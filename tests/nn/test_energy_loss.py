"""LeCun et al.'s energy criterion (energy_loss, EnergyLoss): hand-checked numbers, a
numpy reference of the paper's formula, its derivative, agreement with cross-entropy on
negated energies, first and second derivatives by central differences, stability with
energies of 1e4, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

from ._losses_support import REDUCTIONS, arrays, reduce_np


def energy_np(e: np.ndarray, t: np.ndarray, j: float | None) -> np.ndarray:
    """Per sample E_t + log(e^-j + sum_i e^-E_i), in float64 with logaddexp (stable)."""
    e = np.atleast_2d(e)
    t = np.atleast_1d(t)
    correct = e[np.arange(len(t)), t]
    if j is None:
        return correct
    lse = np.logaddexp.reduce(np.concatenate([-e, np.full((len(t), 1), -j)], axis=1), axis=1)
    return correct + lse


def leaf(a) -> Tensor:
    return Tensor(np.array(a, dtype=np.float64), requires_grad=True)


batches = st.tuples(st.integers(1, 3), st.integers(1, 4))
js = st.one_of(st.none(), st.floats(-3.0, 3.0))


def test_energy_loss_by_hand():
    e = Tensor([[1.0, 2.0, 3.0], [0.5, 0.0, 4.0]])
    t = [0, 2]
    assert F.energy_loss(e, t).item() == pytest.approx((1.0 + 4.0) / 2)
    first = 1.0 + np.log(np.exp(-2.0) + np.exp(-1.0) + np.exp(-2.0) + np.exp(-3.0))
    second = 4.0 + np.log(np.exp(-2.0) + np.exp(-0.5) + np.exp(0.0) + np.exp(-4.0))
    out = F.energy_loss(e, t, j=2.0, reduction="none")
    np.testing.assert_allclose(out.data, [first, second], rtol=1e-6)
    assert F.energy_loss(e, t, j=2.0, reduction="sum").item() == pytest.approx(
        first + second, rel=1e-6
    )
    # one sample: (C,) energies and a single class index
    assert F.energy_loss(Tensor([1.0, 2.0, 3.0]), 0, j=2.0).item() == pytest.approx(first)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=batches, j=js)
def test_energy_loss_against_numpy(reduction, data, shape, j):
    e = data.draw(arrays(shape))
    t = np.array(
        data.draw(st.lists(st.integers(0, shape[1] - 1), min_size=shape[0], max_size=shape[0]))
    )
    out = F.energy_loss(Tensor(e), t, j=j, reduction=reduction)
    np.testing.assert_allclose(out.data, reduce_np(energy_np(e, t, j), reduction), rtol=1e-12)


def test_energy_loss_derivative():
    # d/dE_i = [i = target] - e^-E_i / (e^-j + sum_k e^-E_k), divided by N for 'mean'
    rng = np.random.default_rng(0)
    e_np, t, j = rng.normal(size=(3, 4)), np.array([1, 0, 3]), 0.7
    e = leaf(e_np)
    F.energy_loss(e, t, j=j).backward()
    z = np.exp(-e_np).sum(1, keepdims=True) + np.exp(-j)
    expected = (np.eye(4)[t] - np.exp(-e_np) / z) / 3
    np.testing.assert_allclose(np.asarray(e.grad), expected, rtol=1e-12)
    # without j: 1/N at each correct class, nothing elsewhere
    e = leaf(e_np)
    F.energy_loss(e, t).backward()
    np.testing.assert_array_equal(np.asarray(e.grad), np.eye(4)[t] / 3)


def test_energy_loss_is_cross_entropy_with_a_rubbish_class():
    # E_t + log(e^-j + sum e^-E_i) = -log softmax(-[E, j])_t
    rng = np.random.default_rng(1)
    e, t, j = rng.normal(size=(5, 3)), np.array([0, 2, 1, 1, 0]), 1.5
    logits = Tensor(-np.concatenate([e, np.full((5, 1), j)], axis=1))
    expected = F.cross_entropy(logits, t).item()
    assert F.energy_loss(Tensor(e), t, j=j).item() == pytest.approx(expected, rel=1e-12)


@settings(max_examples=20)
@given(data=st.data(), shape=batches, reduction=st.sampled_from(REDUCTIONS))
def test_energy_loss_gradients(data, shape, reduction):
    e = leaf(data.draw(arrays(shape, -3.0, 3.0)))
    t = np.array(
        data.draw(st.lists(st.integers(0, shape[1] - 1), min_size=shape[0], max_size=shape[0]))
    )
    j = leaf(data.draw(st.floats(-3.0, 3.0)))
    with_j = lambda x, jj: F.energy_loss(x, t, j=jj, reduction=reduction)  # noqa: E731
    assert gradcheck(with_j, [e, j])
    assert gradgradcheck(with_j, [e, j])
    without_j = lambda x: F.energy_loss(x, t, reduction=reduction)  # noqa: E731
    assert gradcheck(without_j, [e])
    assert gradgradcheck(without_j, [e])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("j", [1.0, -1e4, 1e4])
def test_energy_loss_is_stable_for_large_energies(dtype, j):
    e_np = np.array([[1e4, 1e4 + 1.0, 2e4], [-1e4, 0.0, 1e4], [1e4, -1e4, -1e4 + 3.0]])
    t = np.array([0, 2, 1])
    e = Tensor(e_np.astype(dtype), requires_grad=True)
    jj = Tensor(np.array(j, dtype=dtype), requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no inf, no log 0
        loss = F.energy_loss(e, t, j=jj)
        loss.backward()
    assert np.isfinite(loss.item())
    assert np.isfinite(np.asarray(e.grad)).all() and np.isfinite(np.asarray(jj.grad)).all()
    expected = energy_np(e_np.astype(dtype).astype(np.float64), t, float(np.float32(j))).mean()
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    assert loss.item() == pytest.approx(expected, rel=rtol, abs=rtol * 1e4)
    # each row's gradient is (target one-hot) - (a distribution over the classes and j),
    # so it sums to 1/N minus the rubbish class's share
    row_sums = np.asarray(e.grad, dtype=np.float64).sum(1)
    assert np.all(row_sums <= 1 / 3 + 1e-6) and np.all(row_sums >= -1e-6)


def test_energy_loss_empty_batch():
    e = Tensor(np.zeros((0, 3)))
    assert np.isnan(F.energy_loss(e, np.zeros(0, dtype=np.int64), j=1.0).item())
    assert F.energy_loss(e, np.zeros(0, dtype=np.int64), j=1.0, reduction="sum").item() == 0.0


def test_energy_loss_refuses_bad_input():
    e = Tensor(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="energy_loss: target must hold integer class indices"):
        F.energy_loss(e, [0.0, 1.0])
    with pytest.raises(IndexError, match=r"energy_loss: target holds class 3 .*\[0, 3\)"):
        F.energy_loss(e, [0, 3])
    with pytest.raises(ValueError, match=r"target has shape \(3,\).*shape \(2,\)"):
        F.energy_loss(e, [0, 1, 2])
    with pytest.raises(ValueError, match=r"energies must have shape \(N, C\)"):
        F.energy_loss(Tensor(np.zeros((2, 3, 4))), [0, 1])
    with pytest.raises(ValueError, match="j must be finite"):
        F.energy_loss(e, [0, 1], j=float("nan"))
    with pytest.raises(ValueError, match="j must be a single number"):
        F.energy_loss(e, [0, 1], j=Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="j must be a number or None"):
        F.energy_loss(e, [0, 1], j="big")
    with pytest.raises(ValueError, match="reduction"):
        F.energy_loss(e, [0, 1], reduction="batchmean")


def test_energy_loss_module_learns_j():
    rng = np.random.default_rng(2)
    e, t = rng.normal(size=(4, 3)), np.array([0, 1, 2, 0])
    for reduction in REDUCTIONS:
        np.testing.assert_array_equal(
            nn.EnergyLoss(j=0.5, reduction=reduction)(Tensor(e), t).data,
            F.energy_loss(Tensor(e), t, j=0.5, reduction=reduction).data,
        )
    loss_fn = nn.EnergyLoss(j=nn.Parameter(Tensor(np.array(0.5))))
    (j,) = list(loss_fn.parameters())
    loss_fn(Tensor(e), t).backward()
    z = np.exp(-e).sum(1) + np.exp(-0.5)
    assert float(np.asarray(j.grad)) == pytest.approx(-np.mean(np.exp(-0.5) / z), rel=1e-12)
    assert repr(nn.EnergyLoss(j=2.0)) == "EnergyLoss(j=2.0)"
