"""fast.ai course part 2 (2022) notebooks 01, 03, 04, 09, 10 and 11 run with our packages under
torch's names: properties that hold without PyTorch (the matmul ladder agrees with numpy, the
hand-written backward pass is autograd's, the loaders batch what they should, callbacks
cancel what they should), and, when PyTorch is installed, PyTorch's numbers from its
initial weights."""

from __future__ import annotations

import random

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim

from . import fastai_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_llm_scripts import one_torch_thread  # noqa: F401 (an autouse fixture)

OURS = (autograd, nn, F, optim, data)


def assert_same(ours: dict, theirs: dict, keys: tuple) -> None:
    for key in keys:
        a, b = ours[key], theirs[key]
        if isinstance(b, list) and b and isinstance(b[0], np.ndarray):
            for x, y in zip(a, b, strict=True):
                close(x, y)
        elif isinstance(b, float | np.ndarray):
            close(a, b)
        elif a != b:  # nested lists of floats: equal to rounding
            close(a, b)


# --- 01_matmul ---


def test_matmul_ladder_agrees_with_numpy():
    autograd.manual_seed(1)
    with pytest.warns(UserWarning, match="TypedStorage is deprecated"):  # t.storage(), as torch
        out = scripts.fastai_matmul(autograd, no_sync)
    x_train, y_train, x_valid, _ = scripts.digits()
    assert out["types"] == ["torch.FloatTensor", "torch.LongTensor"]  # torch's legacy names
    assert out["imgs_shape"] == (200, 8, 8) and out["pixel"] == x_train[0, 5 * 8 + 3]
    assert out["n_c"] == (200, 64) and out["label_range"] == [0, 9, 0, 9]
    w = out["weights"]
    close(out["t1"], x_valid[:5] @ w, rtol=1e-5, atol=1e-5)
    close(out["tr"], x_train @ w, rtol=1e-5, atol=1e-4)
    # set_printoptions(precision=2, sci_mode=False) shaped the print
    first = out["printed"].splitlines()[0]
    assert first.startswith("tensor([[") and all(
        len(v.split(".")[1]) == 2 for v in first[9:].rstrip(",").replace("]", "").split(",")
    )
    assert out["numpy_views"] == ("ndarray", "float32", (64, 10))
    assert out["frac"] == pytest.approx(2 / 3) and out["frobenius"] == pytest.approx(285**0.5)
    a, m, c = np.array([10.0, 6, -4]), np.arange(1.0, 10).reshape(3, 3), np.array([10.0, 20, 30])
    t = np.broadcast_to(c, (3, 3))
    want = [
        (a > 0).tolist(),
        (a + 1).tolist(),
        (2 * m).tolist(),
        (m + c).tolist(),
        (c + m).tolist(),
        (m + t).tolist(),
        c.tolist(),  # t.storage(): the expanded 3x3 holds c's three numbers only
        [0, 1],
        (3, 3),
        [c.tolist()],
        [c.tolist()],
        (3, 1),
        c[:, None].tolist(),
        (1, 3),
        (3, 1),
        np.broadcast_to(c[:, None], (3, 3)).tolist(),
        (m + c[:, None]).tolist(),
        (m + c[None, :]).tolist(),
        (c[None, :] * c[:, None]).tolist(),
        (c[None] > c[:, None]).tolist(),
    ]
    assert out["broadcast"] == want
    assert out["shapes"] == [(64, 1), (64, 10), (64, 10)] and out["mr_shape"] == (5, 64, 10)
    assert out["rows"] == [[7, 8, 9], [3, 6, 9], [7, 8, 9]]
    assert x_valid.shape == (50, 64) and y_train.dtype == np.int64


def test_matmul_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.fastai_matmul(L[0], sync))
    close(ours["t1"], theirs["t1"], rtol=1e-5, atol=1e-5)
    close(ours["tr"], theirs["tr"], rtol=1e-5, atol=1e-4)
    assert_same(ours, theirs, tuple(k for k in theirs if k not in ("t1", "tr")))


# --- 03_backprop ---


def test_hand_written_backprop_is_autograds():
    autograd.manual_seed(0)
    out = scripts.fastai_backprop(autograd, nn, F, no_sync)
    assert out["n_m_c"] == (200, 64, 10)
    # res - y_valid broadcasts (50, 1) against (50,): the notebook's warning about squeezing
    assert out["shapes"] == [(50, 1), (50,), (50,), (50, 50)]
    for mine, auto in zip(out["grads"], out["autograd_grads"], strict=True):
        close(mine, auto, rtol=1e-4, atol=1e-5)
    # .g is a plain attribute set on tensors, inputs included; the autograd copies never get one
    assert out["has_g"] == [True, True, True, False]
    assert out["nn_params"] == 0  # weights kept in a plain list are not registered
    w1g, _, b1g, *_ = out["grads"]
    close(out["l0_w_grad"], w1g, rtol=1e-4, atol=1e-5)
    close(out["l0_b_grad"], b1g, rtol=1e-4, atol=1e-5)


def test_backprop_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.fastai_backprop(L[0], L[1], L[2], sync))
    assert_same(ours, theirs, tuple(theirs))


# --- 04_minibatch_training ---


def test_minibatch_training_idioms():
    autograd.manual_seed(0)
    random.seed(0)
    out = scripts.fastai_minibatch(*OURS, no_sync)
    assert out["c"] == 10
    fives = [f"{float(r.split(',')[1]):.2f}" for r in out["reports"][:31]]
    assert all(len(f) == 4 for f in fives)  # f"{accuracy(...):.2f}" of a 0-d tensor
    # ten runs of three epochs, each reporting its last batch's loss: each run learns
    losses = np.array([float(r.split(",")[0]) for r in out["reports"][1:31]]).reshape(10, 3)
    assert np.all(losses[:, 2] < losses[:, 0])
    assert out["m1_children"] == ["foo"] and out["m1_params"] == [(4, 3), (4,)]
    assert out["m1_repr"] == "Module(\n  (foo): Linear(in_features=3, out_features=4, bias=True)\n)"
    assert out["mlp_children"] == [
        "l1: Linear(in_features=64, out_features=50, bias=True)",
        "l2: Linear(in_features=50, out_features=10, bias=True)",
        "relu: ReLU()",
    ]
    assert out["mlp_grads_after_zero"] == [None] * 4  # zero_grad sets them to None
    assert out["mymodule_repr"].startswith("{'l1': Linear(in_features=64")
    assert out["registered_repr"].splitlines()[1] == (
        "  (layer_0): Linear(in_features=64, out_features=50, bias=True)"
    )
    assert out["first5"] == [0, 1, 2, 3, 4]
    want = list(range(200))
    random.seed(42)
    random.shuffle(want)
    assert out["shuffled5"] == want[:5]
    assert out["collated"][0] == (50, 64)
    assert out["collated"][1] == scripts.digits()[3][:50].tolist()
    assert out["fancy_index"] == [(4, 64), (4,)]
    assert out["sampled_batches"] == [(50, 64)] * 4
    assert sum(out["valid_labels"], []) == scripts.digits()[3].tolist()
    assert out["workers_len"] == 4
    assert out["batch_as_sample"] == ((1, 50, 64), (1, 50))  # batch_size=1 of whole batches
    valid = [r for r in out["reports"] if isinstance(r, tuple)]
    assert [r[0] for r in valid] == list(range(5)) and valid[-1][1] < valid[0][1]
    assert out["valid_fit"] == valid[-1][1:]


def test_minibatch_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.fastai_minibatch(*L, sync))
    # everything before torch's RandomSampler: the shuffles after it are each library's own
    assert ours["reports"][:28] == theirs["reports"][:28]
    assert_same(
        ours,
        theirs,
        (
            "c",
            "nll",
            "picked",
            "argmax",
            "m1_repr",
            "m1_children",
            "m1_params",
            "mlp_repr",
            "mlp_children",
            "mlp_shapes",
            "mymodule_repr",
            "mymodule_shapes",
            "registered_repr",
            "registered_out",
            "modulelist_repr",
            "modulelist_final",
            "sequential_final",
            "sequential_repr",
            "sgd_first",
            "first5",
            "shuffled5",
            "collated",
            "fancy_index",
            "sampled_batches",
            "valid_labels",
            "workers_len",
            "batch_as_sample",
        ),
    )


def test_grad_data_zero_zeroes_the_gradient_in_place():
    # 04_minibatch_training's Optimizer.zero_grad does p.grad.data.zero_(), as written in the
    # script: .data is on the gradient's memory and answers torch's zero_
    model = nn.Linear(2, 1)
    model(autograd.ones(1, 2)).sum().backward()
    grad = model.weight.grad
    assert model.weight.grad.data.zero_() is grad.data
    assert model.weight.grad is grad and np.all(grad.numpy() == 0)


# --- 09_learner, 10_activations and 11_initializing ---


def test_learner_callbacks_finder_and_hooks():
    autograd.manual_seed(0)
    out = scripts.fastai_learner(*OURS, no_sync)
    assert out["device"] == "cpu"
    # SingleBatchCB cancels the second fit after one batch: after_fit never runs
    assert out["completed"] == ["Completed 10 batches"]
    assert [(m["epoch"], m["train"]) for m in out["shuffled_fit_metrics"]] == [
        (0, "train"),
        (0, "eval"),
        (1, "train"),
        (1, "eval"),
    ]
    assert out["single_batch_preds"] == (50, 10)
    assert float(out["momentum_metrics"][-1]["loss"]) < float(out["momentum_metrics"][0]["loss"])
    lrs, losses = out["finder_lrs"], out["finder_losses"]
    close(lrs, [1e-4 * 3**i for i in range(len(lrs))], rtol=1e-9)
    # the finder stops (CancelFitException) at the first loss above 3x the minimum
    assert losses[-1] > 3 * out["finder_min"] and all(
        v <= 3 * out["finder_min"] for v in losses[:-1]
    )
    assert out["finder_removed"]
    # one fit(1): 4 training and 1 validation batch through each hooked layer
    assert all(len(layer) == 5 for layer in out["act_means"] + out["act_stds"])
    close(out["hook_means"], out["act_means"][1:], rtol=1e-5, atol=1e-6)
    for hist, low in zip(out["hists"], out["mins"], strict=True):
        assert hist.shape == (40, 5) and np.all(hist >= 0)
        assert np.all((low >= 0) & (low <= 1))
    assert out["hooks_left"] == 0
    # 11_initializing
    x, y = map(np.array, out["general_relu"])
    close(y, np.where(x > 0, x, 0.1 * x) - 0.4, rtol=1e-6, atol=1e-6)
    gain = (2 / (1 + 0.1**2)) ** 0.5  # kaiming_normal_(a=0.1): std = gain / sqrt(fan_in)
    for std, fan_in in zip(out["kaiming_stds"], (9, 72, 144, 288), strict=True):
        assert std == pytest.approx(gain / fan_in**0.5, rel=0.3)
    assert all(len(h) == 5 for h in out["init_hook_means"] + out["init_hook_stds"])
    assert out["lsuv_pairs"][0] == (
        "(GeneralRelu(), Conv2d(1, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1)))"
    )
    assert out["lsuv_passes"] >= 3
    for mean, std in out["lsuv_stats"]:  # LSUV leaves every activation at mean 0, std 1
        assert abs(mean) <= 1e-3 and abs(std - 1) <= 1e-3


def test_learner_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.fastai_learner(*L, sync))
    assert_same(
        ours,
        theirs,
        (
            "device",
            "completed",
            "single_batch_preds",
            "momentum_metrics",
            "momentum_grads",
            "finder_lrs",
            "finder_losses",
            "finder_min",
            "finder_removed",
            "act_means",
            "act_stds",
            "hook_means",
            "hists",
            "mins",
            "hooks_left",
            "general_relu",
            "init_hook_means",
            "init_hook_stds",
            "lsuv_pairs",
            "lsuv_passes",
            "lsuv_stats",
            "lsuv_weights",
        ),
    )
