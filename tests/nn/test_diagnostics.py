"""nn.utils.diagnostics: finds dead and saturated units in networks built to have them;
gradient norms and update ratios match hand computation."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from nn.utils import diagnostics as D


def batch(n=64, d=4, seed=0):
    return Tensor(np.random.default_rng(seed).normal(size=(n, d)))


def test_relu_after_a_large_negative_bias_is_all_dead():
    model = nn.Sequential(
        nn.Linear(4, 8, dtype=np.float64), nn.ReLU(), nn.Linear(8, 1, dtype=np.float64)
    )
    model[0].bias.data[:] = -100.0
    stats = D.activation_stats(model, batch())
    assert set(stats) == {"1"}
    assert stats["1"].kind == "relu" and stats["1"].dead_fraction == 1.0
    assert stats["1"].mean == 0.0


def test_dead_fraction_counts_units_dead_for_the_whole_batch():
    model = nn.Sequential(nn.Linear(4, 8, dtype=np.float64), nn.ReLU())
    model[0].bias.data[:3] = -100.0  # 3 of 8 units dead
    model[0].bias.data[3:] = 100.0
    assert D.activation_stats(model, batch())["1"].dead_fraction == pytest.approx(3 / 8)
    a = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]])  # unit 0 never fires; 1 and 2 do once
    assert D.dead_fraction(a) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="batch, units"):
        D.dead_fraction(np.zeros(3))


def test_large_weights_saturate_sigmoid_and_tanh():
    model = nn.Sequential(
        nn.Linear(4, 16, dtype=np.float64),
        nn.Tanh(),
        nn.Linear(16, 16, dtype=np.float64),
        nn.Sigmoid(),
    )
    for layer in (model[0], model[2]):
        layer.weight.data *= 1000.0
    stats = D.activation_stats(model, batch())
    assert stats["1"].kind == "tanh" and stats["1"].saturated_fraction > 0.95
    assert stats["3"].kind == "sigmoid" and stats["3"].saturated_fraction > 0.95
    for layer in (model[0], model[2]):
        layer.weight.data *= 1e-6
    stats = D.activation_stats(model, batch())
    assert stats["1"].saturated_fraction == 0.0 and stats["3"].saturated_fraction == 0.0


def test_saturated_fraction_thresholds():
    s = np.array([0.005, 0.5, 0.995, 0.02])
    assert D.saturated_fraction(s, "sigmoid") == 0.5
    assert D.saturated_fraction(np.array([-0.999, 0.98, 0.995]), "tanh") == pytest.approx(2 / 3)
    assert D.saturated_fraction(Tensor(s), "sigmoid", tol=0.03) == 0.75
    with pytest.raises(ValueError, match="kind"):
        D.saturated_fraction(s, "relu")


def test_activation_stats_leave_the_model_unchanged_and_record_no_graph():
    model = nn.Sequential(nn.Linear(4, 3, dtype=np.float64), nn.ReLU())
    D.activation_stats(model, batch())
    assert "forward" not in model[1].__dict__
    assert model(batch()).requires_grad


def test_gradient_norms_match_hand_computation():
    model = nn.Sequential(
        nn.Linear(3, 2, dtype=np.float64), nn.ReLU(), nn.Linear(2, 1, dtype=np.float64)
    )
    out = model(batch(d=3)).sum()
    out.backward()
    g = {n: p.grad for n, p in model.named_parameters()}
    norms = D.grad_norms(model)
    expected0 = np.sqrt(np.sum(g["0.weight"] ** 2) + np.sum(g["0.bias"] ** 2))
    assert set(norms) == {"0", "2"}
    assert norms["0"] == pytest.approx(expected0)
    per_param = D.grad_norms(model, per="parameter")
    assert per_param["2.bias"] == pytest.approx(abs(g["2.bias"]).item())
    assert D.grad_norms(model, norm_type=float("inf"))["2"] == pytest.approx(
        max(np.abs(g["2.weight"]).max(), np.abs(g["2.bias"]).max())
    )
    with pytest.raises(ValueError, match="per must be"):
        D.grad_norms(model, per="module")


def test_gradient_norms_of_values_and_skip_missing_gradients():
    a, b = Value(1.0), Value(2.0)
    a.grad, b.grad = 3.0, 4.0
    assert D.grad_norms({"layer.a": a, "layer.b": b}) == {"layer": pytest.approx(5.0)}
    t = Tensor(np.ones(2), requires_grad=True)
    assert D.grad_norms({"t": t}) == {}


def test_update_ratios_from_weights_before_the_step_and_from_lr():
    model = nn.Sequential(nn.Linear(3, 2, dtype=np.float64))
    model(batch(d=3)).sum().backward()
    before = model.state_dict()
    lr = 0.1
    for p in model.parameters():
        p.data = p.data - lr * p.grad
    W0, b0 = before["0.weight"], before["0.bias"]
    dW, db = model[0].weight.grad * lr, model[0].bias.grad * lr
    expected = np.sqrt(np.sum(dW**2) + np.sum(db**2)) / np.sqrt(np.sum(W0**2) + np.sum(b0**2))
    assert D.update_ratios(model, before=before)["0"] == pytest.approx(expected)
    per = D.update_ratios(model, lr=lr, per="parameter")
    W = model[0].weight.data
    assert per["0.weight"] == pytest.approx(np.linalg.norm(dW) / np.linalg.norm(W))
    with pytest.raises(ValueError, match="exactly one"):
        D.update_ratios(model)
    with pytest.raises(KeyError, match="0.bias"):
        D.update_ratios(model, before={"0.weight": W0})


def test_diagnose_and_plot(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    model = nn.Sequential(
        nn.Linear(4, 8, dtype=np.float64),
        nn.ReLU(),
        nn.Linear(8, 1, dtype=np.float64),
        nn.Sigmoid(),
    )
    x = batch()
    model(x).sum().backward()
    before = model.state_dict()
    report = D.diagnose(model, x, before=before)
    assert set(report.grad_norms) == {"0", "2"} and set(report.update_ratios) == {"0", "2"}
    assert set(report.activations) == {"1", "3"}
    fig = D.plot_diagnostics(report, tmp_path / "d.png")
    assert len(fig.axes) == 3
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="empty"):
        D.plot_diagnostics(D.Diagnostics())


def test_plot_without_matplotlib_names_the_fix(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        D.plot_diagnostics(D.Diagnostics(grad_norms={"0": 1.0}))
