"""The official pytorch/examples scripts run with our packages under torch's names:
properties that hold without PyTorch (formats, formulas, shapes, it trains), the contract
differences pinned (a whole module is not saved), and, when PyTorch is installed, PyTorch's
numbers from its initial weights (in float64 where the script allows, with tight tolerances)."""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim

from . import examples_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_model_scripts import (  # noqa: F401 (one_torch_thread: an autouse fixture)
    close_lists,
    no_dropout,
    one_torch_thread,
)

OURS = (autograd, nn, F, optim, data)
TRAIN_LINE = r"Train Epoch: \d \[\d+/24 \(\d+%\)\]\tLoss: -?\d+\.\d{6}"


def in_float64(run: Any) -> Any:
    """``run(libs, sync)`` with each library's default dtype float64 (restored after)."""

    def wrapped(L: tuple, sync: Any) -> Any:
        before = L[0].get_default_dtype()
        L[0].set_default_dtype(L[0].float64)
        try:
            return run(L, sync)
        finally:
            L[0].set_default_dtype(before)

    return wrapped


def shared_draws(monkeypatch: pytest.MonkeyPatch, **makers: Any) -> None:
    """Replace random functions of torch and of ours (``lib.NAME``, or a dotted path such as
    ``distributions.Categorical.sample`` given as ``distributions__Categorical__sample``) by
    ``make(lib, rs)``, with ``rs`` a numpy stream of the same seed per library: a script's
    draws are then the same under both (their own generators differ)."""
    for lib in (torch_lib(), autograd):
        rs = np.random.RandomState(7)
        for path, make in makers.items():
            *parents, name = path.split("__")
            owner = functools.reduce(getattr, parents, lib)
            monkeypatch.setattr(owner, name, make(lib, rs))


def normal(lib: Any, rs: np.random.RandomState) -> Any:
    """``randn(*size, dtype=None)``."""

    def randn(*size: Any, dtype: Any = None, **_: Any) -> Any:
        shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else size
        return lib.tensor(rs.standard_normal(shape), dtype=dtype or lib.get_default_dtype())

    return randn


def normal_like(lib: Any, rs: np.random.RandomState) -> Any:
    """``randn_like(t)``."""
    return lambda t, **_: lib.tensor(rs.standard_normal(tuple(t.shape)), dtype=t.dtype)


def inverse_cdf(rs: np.random.RandomState, probs: np.ndarray) -> np.ndarray:
    """One index per row of (unnormalised) ``probs`` drawn by inverting its CDF."""
    p = probs / probs.sum(-1, keepdims=True)
    u = rs.rand(*p.shape[:-1], 1)
    return np.minimum((np.cumsum(p, -1) < u).sum(-1), p.shape[-1] - 1)


def categorical_sample(lib: Any, rs: np.random.RandomState) -> Any:
    """``Categorical.sample()``."""
    return lambda self, sample_shape=(): lib.tensor(
        inverse_cdf(rs, np.asarray(self.probs.detach(), dtype=np.float64))
    )


def multinomial_one(lib: Any, rs: np.random.RandomState) -> Any:
    """``multinomial(weights, 1)``."""

    def multinomial(weights: Any, num_samples: int, **_: Any) -> Any:
        assert num_samples == 1
        draw = inverse_cdf(rs, np.asarray(weights.detach(), dtype=np.float64))
        return lib.tensor(draw[..., None])

    return multinomial


def integers(lib: Any, rs: np.random.RandomState) -> Any:
    """``randint(high, size, dtype=...)``."""
    return lambda high, size, dtype=None, **_: lib.tensor(rs.randint(0, high, size))


def torch_lib() -> Any:
    return pytest.importorskip("torch")


# --- mnist ---


def test_mnist_trains_tests_schedules_and_saves(tmp_path):
    out = scripts.mnist(*OURS, no_sync, str(tmp_path))
    train_lines = [p for p in out["printed"] if p.startswith("Train")]
    assert len(train_lines) == 6 and all(re.fullmatch(TRAIN_LINE, p) for p in train_lines)
    assert train_lines[1].startswith("Train Epoch: 1 [8/24 (33%)]")
    test_lines = [p for p in out["printed"] if p.startswith("Test set")]
    for (loss, correct), line in zip(out["tests"], test_lines, strict=True):
        assert isinstance(correct, int) and 0 <= correct <= 20
        want = f"Test set: Average loss: {loss:.4f}, Accuracy: {correct}/20 ({5 * correct:.0f}%)"
        assert line == want
    assert out["lrs"] == pytest.approx([0.7, 0.49])
    assert all(np.isfinite(out["losses"])) and out["device"] == "cpu"
    assert out["same_after_reload"]
    assert out["state"]["fc1.weight"].shape == (16, 8 * 4 * 4)


def test_mnist_matches_torch(tmp_path):
    def run(L, sync):
        d = tmp_path / L[0].__name__
        d.mkdir()
        return scripts.mnist(*L, no_dropout(sync), str(d))

    ours, theirs = both(in_float64(run))
    close(ours["losses"], theirs["losses"], rtol=1e-10)
    close(ours["tests"], theirs["tests"], rtol=1e-10)
    for key, value in theirs["state"].items():
        close(ours["state"][key], value, rtol=1e-9, atol=1e-12)
    for key in ("printed", "lrs", "same_after_reload", "device"):
        assert ours[key] == theirs[key], key


# --- mnist_rnn ---


def test_mnist_rnn_trains_and_its_dropout2d_drops_entries():
    autograd.manual_seed(0)
    with pytest.warns(UserWarning, match="dropout2d: a 2-d input is deprecated"):
        out = scripts.mnist_rnn(*OURS, no_sync)
    assert len(out["losses"]) == 6 and all(np.isfinite(out["losses"]))
    assert all(0 <= correct <= 20 for _, correct in out["tests"])
    assert out["running_mean"].shape == (16,) and np.abs(out["running_mean"]).max() > 0
    # Dropout2d on (batch, features), as PyTorch reads it (N, C): entry by entry
    rows = out["dropout2d_rows"]
    assert set(np.unique(rows)) == {0.0, 2.0}
    assert any(len(set(row)) == 2 for row in rows)


def test_mnist_rnn_matches_torch():
    ours, theirs = both(in_float64(lambda L, sync: scripts.mnist_rnn(*L, no_dropout(sync))))
    close(ours["losses"], theirs["losses"], rtol=1e-10)
    close(ours["tests"], theirs["tests"], rtol=1e-10)
    close(ours["running_mean"], theirs["running_mean"], rtol=1e-10, atol=1e-13)
    for key, value in theirs["state"].items():
        close(ours["state"][key], value, rtol=1e-9, atol=1e-12)
    assert ours["printed"] == theirs["printed"]
    assert (np.ptp(ours["dropout2d_rows"], 1) > 0).any() == (
        np.ptp(theirs["dropout2d_rows"], 1) > 0
    ).any()


# --- vae ---


def test_vae_continuous_bernoulli_normaliser_and_training():
    autograd.manual_seed(0)
    out = scripts.vae(*OURS, no_sync)
    lam = np.array([1e-4, 0.2, 0.49, 0.5, 0.505, 0.51, 0.8, 1 - 1e-4])
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = np.log(np.abs(2 * np.arctanh(1 - 2 * lam)) / np.abs(1 - 2 * lam))
    taylor = math.log(2) + 4 / 3 * (lam - 0.5) ** 2 + 104 / 45 * (lam - 0.5) ** 4
    want = np.where((lam <= 0.49) | (lam > 0.51), exact, taylor)
    np.testing.assert_allclose(out["log_norm"], want, rtol=1e-5)
    assert len(out["losses"]) == 6 and all(np.isfinite(out["losses"] + out["test_losses"]))
    assert [i.shape for i in out["images"]] == [(16, 1, 8, 8)] * 2
    assert [s.shape for s in out["samples"]] == [(64, 1, 8, 8)] * 2
    assert all(1e-4 <= s.min() and s.max() <= 1 - 1e-4 for s in out["samples"])
    assert out["printed"][3].startswith("====> Epoch: 1 Average loss: ")


def test_vae_matches_torch(monkeypatch):
    shared_draws(monkeypatch, randn=normal, randn_like=normal_like)
    ours, theirs = both(in_float64(lambda L, sync: scripts.vae(*L, sync)))
    for key in ("losses", "test_losses", "images", "samples", "log_norm"):
        close(ours[key], theirs[key], rtol=1e-10, atol=1e-12)
    assert ours["printed"] == theirs["printed"]


# --- regression ---


def test_regression_as_written_fits_the_polynomial():
    """As written, with the update ``param.data.add_(-0.1 * param.grad)``."""
    autograd.manual_seed(0)
    out = scripts.regression(autograd, F, no_sync)
    assert out["losses"][-1] < 1e-3 <= min(out["losses"][:-1])
    np.testing.assert_allclose(out["weight"][0], out["W_target"][:, 0], atol=0.1)
    np.testing.assert_allclose(out["bias"], out["b_target"], atol=0.1)
    n = len(out["losses"])
    assert re.fullmatch(rf"Loss: 0\.000\d{{3}} after {n} batches", out["printed"][0])
    terms = " ".join(f"{w:+.2f} x^{i + 1}" for i, w in enumerate(out["weight"][0]))
    assert out["printed"][1] == f"==> Learned function:\ty = {terms} {out['bias'][0]:+.2f}"


def test_regression_as_written_matches_torch():
    def run(L, sync):
        return scripts.regression(L[0], L[2], sync)

    ours, theirs = both(in_float64(run))
    assert len(ours["losses"]) == len(theirs["losses"])
    close(ours["losses"], theirs["losses"], rtol=1e-9, atol=1e-12)
    close(ours["weight"], theirs["weight"], rtol=1e-10)
    assert ours["printed"] == theirs["printed"]


# --- time_sequence_prediction ---


def test_time_sequence_prediction_fits_in_double_and_predicts_the_future():
    autograd.manual_seed(0)
    out = scripts.time_sequence_prediction(autograd, nn, optim, no_sync)
    assert out["all_double"]
    assert [p.shape for p in out["preds"]] == [(3, 39 + 20)] * 2
    assert out["preds"][0].dtype == np.float64
    assert min(out["losses"]) < out["losses"][0] and out["test_losses"][1] < 0.05
    steps = [i for i, p in enumerate(out["printed"]) if p.startswith("STEP:")]
    assert steps[0] == 0 and len(steps) == 2
    assert steps[1] - 2 <= 25  # LBFGS's max_eval (max_iter * 5 / 4) closure calls in a step


def test_time_sequence_prediction_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.time_sequence_prediction(L[0], L[1], L[3], sync))
    assert len(ours["losses"]) == len(theirs["losses"])
    close(ours["losses"], theirs["losses"], rtol=1e-9, atol=1e-12)
    close(ours["test_losses"], theirs["test_losses"], rtol=1e-9, atol=1e-12)
    close(ours["preds"], theirs["preds"], rtol=1e-8, atol=1e-10)
    assert ours["all_double"] and theirs["all_double"]


# --- super_resolution ---


def test_super_resolution_as_written_stops_at_saving_the_module(tmp_path):
    """``torch.save(model, path)`` pickles the module in PyTorch; our format stores no code,
    so a module is refused with a message that says to save its state_dict (API.md)."""
    with pytest.raises(TypeError, match=r"save: obj is a .*Net \(save its .state_dict\(\)"):
        scripts.super_resolution(*OURS, no_sync, str(tmp_path))


def test_super_resolution_orthogonal_init_pixel_shuffle_and_training(tmp_path):
    autograd.manual_seed(0)
    out = scripts.super_resolution(*OURS, no_sync, str(tmp_path), faithful_save=False)
    assert out["gain"] == pytest.approx(math.sqrt(2))
    for weight, gain in zip(out["init_weights"], (math.sqrt(2), 1.0), strict=True):
        rows = weight.reshape(weight.shape[0], -1).astype(np.float64)  # (8, 25) and (9, 36)
        np.testing.assert_allclose(rows @ rows.T, gain**2 * np.eye(len(rows)), atol=1e-5)
    assert out["out"].shape == (2, 1, 12, 12)  # 3 x 3 = 9 channels shuffled into 3x upscaling
    assert out["saved"] == ["model_epoch_1.pth", "model_epoch_2.pth"]
    assert len(out["losses"]) == 4 and out["psnrs"][1] > out["psnrs"][0]
    assert out["printed"][2] == "===> Epoch 1 Complete: Avg. Loss: {:.4f}".format(
        sum(out["losses"][:2]) / 2
    )


def test_super_resolution_matches_torch(tmp_path):
    def run(L, sync):
        d = tmp_path / L[0].__name__
        d.mkdir()
        return scripts.super_resolution(*L, sync, str(d), faithful_save=False)

    ours, theirs = both(in_float64(run))
    for key in ("losses", "psnrs", "out"):
        close(ours[key], theirs[key], rtol=1e-10, atol=1e-12)
    for key in ("printed", "gain", "saved"):
        assert ours[key] == theirs[key], key


# --- word_language_model ---

MODELS = ["LSTM", "GRU", "RNN_TANH", "Transformer"]


def test_word_language_model_as_written_stops_at_saving_the_module(tmp_path):
    """The training loop runs as written (``p.data.add_(p.grad, alpha=-lr)``) up to
    ``torch.save(model, f)``: our format stores no code (API.md)."""
    with pytest.raises(TypeError, match=r"save: obj is a .*RNNModel \(save its .state_dict\(\)"):
        scripts.word_language_model(*OURS, no_sync, str(tmp_path))


@pytest.mark.parametrize("model_type, tied", [(m, False) for m in MODELS] + [("LSTM", True)])
def test_word_language_model_trains_anneals_and_generates(tmp_path, model_type, tied):
    autograd.manual_seed(0)
    out = scripts.word_language_model(
        *OURS,
        no_sync,
        str(tmp_path),
        model_type=model_type,
        tied=tied,
        faithful_save=False,
    )
    assert len(out["vocab"]) == len(scripts.WORDS) + 1 and "<eos>" in out["vocab"]
    rows, cols = out["train_shape"]
    assert cols == 4 and out["train_data"].dtype == np.int64
    assert len(out["losses"]) == math.ceil((rows - 1) / 5) * 3 and all(np.isfinite(out["losses"]))
    # the update divides lr by 4 after an epoch whose validation loss is not the best so far
    best, lr = math.inf, 20.0
    for val, got in zip(out["val_losses"], out["lrs"], strict=True):
        lr = lr if val < best else lr / 4
        best = min(best, val)
        assert got == lr
    assert len(out["generated"]) == 6 and set(out["generated"]) <= set(out["vocab"])
    assert out["tied"] in (None, True)
    if model_type == "Transformer":  # the author's mask is nn.Transformer's
        want = nn.Transformer.generate_square_subsequent_mask(4)
        np.testing.assert_array_equal(out["src_mask"], want.numpy())
    assert re.fullmatch(
        r"\| End of training \| test loss +\d+\.\d\d \| test ppl +\d+\.\d\d", out["printed"][-2]
    )


@pytest.mark.parametrize("model_type, tied", [(m, False) for m in MODELS] + [("LSTM", True)])
def test_word_language_model_matches_torch(tmp_path, monkeypatch, model_type, tied):
    shared_draws(monkeypatch, multinomial=multinomial_one, randint=integers)

    def run(L, sync):
        d = tmp_path / L[0].__name__
        d.mkdir()
        return scripts.word_language_model(
            *L,
            no_dropout(sync),
            str(d),
            model_type=model_type,
            tied=tied,
            dropout=0.0,  # also between the recurrent layers
            faithful_save=False,  # PyTorch cannot pickle the script's local classes either
        )

    ours, theirs = both(in_float64(run))
    for key in ("losses", "norms", "val_losses", "test_loss"):
        close(ours[key], theirs[key], rtol=1e-9, atol=1e-12)
    for key in ("vocab", "train_shape", "lrs", "printed", "tied", "n_params", "generated"):
        assert ours[key] == theirs[key], key
    for key in ("train_data", "src_mask"):
        np.testing.assert_array_equal(ours[key], theirs[key])


# --- reinforcement_learning ---


RL = {"reinforce": scripts.reinforce, "actor_critic": scripts.actor_critic}


@pytest.mark.parametrize("name", sorted(RL))
def test_policy_gradient_scripts_run_episodes(name):
    autograd.manual_seed(0)
    out = RL[name](*OURS, no_sync)
    assert set(out["actions"]) == {0, 1}
    assert len(out["losses"]) == 6 and all(np.isfinite(out["losses"]))
    assert re.fullmatch(
        r"Episode 2\tLast reward: \d+\.00\tAverage reward: \d+\.\d\d", out["printed"][0]
    )
    assert out["printed"][-1].startswith("Solved! Running reward is now ")
    if name == "reinforce":
        assert out["eps"] == np.finfo(np.float32).eps
        for returns in out["returns"]:  # normalised: mean 0, unbiased std 1 (up to eps)
            assert returns.dtype == np.float32
            assert abs(returns.mean()) < 1e-5 and returns.std(ddof=1) == pytest.approx(1, rel=1e-4)


@pytest.mark.parametrize("name", sorted(RL))
def test_policy_gradient_scripts_match_torch(monkeypatch, name):
    shared_draws(monkeypatch, distributions__Categorical__sample=categorical_sample)
    ours, theirs = both(lambda L, sync: RL[name](*L, no_dropout(sync)))
    assert ours["actions"] == theirs["actions"]
    close(ours["losses"], theirs["losses"], rtol=1e-4, atol=1e-5)  # float32: from_numpy().float()
    close(ours["weight"], theirs["weight"], rtol=1e-4, atol=1e-6)
    if name == "reinforce":
        close_lists(ours["returns"], theirs["returns"], rtol=1e-5, atol=1e-6)
    assert ours["printed"] == theirs["printed"]


# --- siamese_network ---


def test_siamese_network_as_written_cuts_the_trunk_and_trains():
    """As written, with ``m.bias.data.fill_(0.01)`` in ``init_weights``."""
    autograd.manual_seed(0)
    out = scripts.siamese_network(*OURS, no_sync)
    assert out["trunk"] == [
        "Conv2d",
        "BatchNorm2d",
        "ReLU",
        "MaxPool2d",
        "Sequential",
        "AdaptiveAvgPool2d",
    ]
    for bias in out["head_bias"]:
        np.testing.assert_array_equal(bias, np.float32(0.01))
    assert len(out["losses"]) == 4 and all(np.isfinite(out["losses"]))
    for pred in out["preds"]:
        assert pred.dtype == np.int64 and set(np.unique(pred)) <= {0, 1}
    assert all(0 <= correct <= 6 for _, correct in out["tests"])


def test_siamese_network_matches_torch():
    """In float32: APP_MATCHER's targets are ``torch.tensor(1, dtype=torch.float)``, and
    PyTorch's BCELoss refuses float64 outputs against them (ours promotes)."""
    ours, theirs = both(lambda L, sync: scripts.siamese_network(*L, sync))
    close(ours["losses"], theirs["losses"], rtol=1e-5)
    close(ours["tests"], theirs["tests"], rtol=1e-5)
    close_lists(ours["head_bias"], theirs["head_bias"], rtol=0, atol=0)
    for key in ("printed", "trunk"):
        assert ours[key] == theirs[key], key
    for a, b in zip(ours["preds"], theirs["preds"], strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)


# --- fast_neural_style ---


def test_fast_neural_style_trains_the_transformer_against_frozen_vgg():
    autograd.manual_seed(0)
    out = scripts.fast_neural_style(*OURS, no_sync)
    assert out["vgg_frozen"] and all(g is None for g in out["vgg_grads"])
    assert out["images_unchanged"]  # div_ wrote the loader's batches, not the dataset
    assert len(out["content"]) == 3 and all(np.isfinite(out["content"] + out["style"]))
    assert out["stylized"].shape == (1, 3, 16, 16)
    assert 0 <= out["stylized"].min() and out["stylized"].max() <= 255
    grams = out["gram_style"]
    assert [g.shape for g in grams] == [(2, 2, 2), (2, 4, 4), (2, 8, 8), (2, 8, 8)]
    for g in grams:  # Gram matrices: symmetric, non-negative diagonal; both copies alike
        np.testing.assert_allclose(g, g.transpose(0, 2, 1), rtol=1e-5)
        assert (np.diagonal(g, axis1=1, axis2=2) >= 0).all()
        np.testing.assert_array_equal(g[0], g[1])
    assert not np.allclose(out["in1_weight"], 1)  # InstanceNorm2d(affine=True) trains


def test_fast_neural_style_matches_torch():
    ours, theirs = both(in_float64(lambda L, sync: scripts.fast_neural_style(*L, sync)))
    for key in ("content", "style", "stylized", "in1_weight"):
        close(ours[key], theirs[key], rtol=1e-9, atol=1e-10)
    close_lists(ours["gram_style"], theirs["gram_style"], rtol=1e-12, atol=0)
    for key in ("vgg_frozen", "images_unchanged", "vgg_grads"):
        assert ours[key] == theirs[key], key


# --- mnist_forward_forward ---


def test_mnist_forward_forward_overlays_labels_and_trains_layer_by_layer():
    autograd.manual_seed(0)
    out = scripts.mnist_forward_forward(*OURS, no_sync)
    x_pos, y, y_neg = out["x_pos"], out["y"], out["y_neg"]
    want = np.zeros((32, 10), np.float32)
    want[np.arange(32), y] = out["x_max"]  # x_[range(n), y] = x.max() after zeroing 10 pixels
    np.testing.assert_array_equal(x_pos[:, :10], want)
    assert (y_neg != y).all() and y_neg.min() >= 0 and y_neg.max() <= 9
    assert out["state_dict_keys"] == []  # the layers live in a plain list, as in PyTorch
    assert [p for p in out["printed"] if p.startswith("training")] == [
        "training layer:  0",
        "training layer:  1",
    ]
    assert len(out["losses"]) == 8 and all(np.isfinite(out["losses"]))
    assert re.fullmatch(r"test error: \d\.\d+", out["printed"][-1])
    assert out["predicted"].shape == (16,) and out["predicted"].dtype == np.int64


def test_mnist_forward_forward_matches_torch(monkeypatch):
    shared_draws(monkeypatch, randint=integers)
    ours, theirs = both(in_float64(lambda L, sync: scripts.mnist_forward_forward(*L, sync)))
    for key in ("x_pos", "y", "y_neg", "predicted"):
        np.testing.assert_array_equal(ours[key], theirs[key])
    close(ours["losses"], theirs["losses"], rtol=1e-10)
    close_lists(ours["weights"], theirs["weights"], rtol=1e-9, atol=1e-12)
    assert ours["state_dict_keys"] == theirs["state_dict_keys"] == []
    assert ours["printed"][-2:] == theirs["printed"][-2:]  # the train and test errors


# --- gat ---


def test_gat_masks_attention_to_edges_and_trains():
    autograd.manual_seed(0)
    out = scripts.gat(*OURS, no_sync)
    attention, adj = out["attention"], out["adj"]  # the last: gat2 in test(), eval mode
    assert attention.shape == (1, 24, 24)
    np.testing.assert_allclose(attention.sum(-1), 1.0, rtol=1e-6)
    assert (attention[0][adj == 0] == 0).all() and (attention[0][adj > 0] > 0).all()
    assert out["W_shape"] == (12, 8) and out["a_shape"] == (2, 8, 1)  # 2 heads of 4, concat
    assert len(out["history"]) == 6 and np.isfinite(out["history"]).all()
    assert all(acc * 12 == round(acc * 12) for _, _, acc, _, _ in out["history"])
    assert out["printed"][0] == "Using cpu device" and len(out["printed"]) == 1 + 3 + 1
    assert re.fullmatch(r"Test set results: loss \d\.\d{4} accuracy \d\.\d{4}", out["printed"][-1])


def test_gat_matches_torch():
    ours, theirs = both(in_float64(lambda L, sync: scripts.gat(*L, sync, dropout_p=0.0)))
    for key in ("history", "test", "attention", "W"):
        close(ours[key], theirs[key], rtol=1e-10, atol=1e-13)
    for key in ("printed", "W_shape", "a_shape"):
        assert ours[key] == theirs[key], key
    np.testing.assert_array_equal(ours["adj"], theirs["adj"])
