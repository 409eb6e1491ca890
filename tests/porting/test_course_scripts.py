"""d2l, yunjey/pytorch-tutorial and Kaggle-loop code run with our packages under torch's
names: properties that hold without PyTorch (it trains, masks mask, two formulations agree,
a numpy reference), and, when PyTorch is installed, the same numbers as PyTorch given its
initial weights."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim

from . import course_scripts as scripts

OURS = (autograd, nn, F)


def no_sync(_: Any) -> None:
    """Keep our own initial weights."""


class Recorder:
    """Record PyTorch's initial weights (module state_dicts or lists of tensors) in the order
    a script syncs them, then copy them into ours in the same order."""

    def __init__(self) -> None:
        self.saved: list = []
        self.replay_at = 0

    def record(self, obj: Any) -> None:
        if isinstance(obj, list):
            self.saved.append([t.detach().numpy().copy() for t in obj])
        else:
            self.saved.append({k: v.detach().numpy().copy() for k, v in obj.state_dict().items()})

    def replay(self, obj: Any) -> None:
        value = self.saved[self.replay_at]
        self.replay_at += 1
        if isinstance(obj, list):
            with autograd.no_grad():
                for t, v in zip(obj, value, strict=True):
                    t.copy_(autograd.tensor(v))
        else:
            obj.load_state_dict(value)


def torch_libs() -> tuple:
    torch = pytest.importorskip("torch")
    import torch.nn as tnn
    import torch.nn.functional as tF
    import torch.optim as toptim
    import torch.utils.data as tdata

    return torch, tnn, tF, toptim, tdata


def both(run: Any) -> tuple[dict, dict]:
    """``run(libs, sync)`` with PyTorch (recording) and with ours (replaying)."""
    torch, tnn, tF, toptim, tdata = torch_libs()
    rec = Recorder()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.manual_seed(0)
        theirs = run((torch, tnn, tF, toptim, tdata), rec.record)
        autograd.manual_seed(0)
        ours = run((autograd, nn, F, optim, data), rec.replay)
    return ours, theirs


def close(ours: Any, theirs: Any, rtol: float = 1e-4, atol: float = 1e-5) -> None:
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=rtol, atol=atol)


# --- d2l attention ---


def test_d2l_attention_masks_and_normalises():
    out = scripts.d2l_attention(*OURS, no_sync)
    w = out["masked_weights"]  # valid lengths 2 and 3 per batch
    assert np.all(w[0, :, 2:] == 0) and np.all(w[1, :, 3:] == 0)
    np.testing.assert_allclose(w.sum(-1), 1.0, rtol=1e-6)
    # gradient through the in-place masking: softmax'(z) over the kept entries, zero elsewhere
    z = 2 * np.random.RandomState(5).rand(2, 2, 4)
    for b, n in ((0, 2), (1, 3)):
        p = w[b, :, :n]
        c = np.arange(4.0)[:n]
        want = 2 * p * (c - (p * c).sum(-1, keepdims=True))
        np.testing.assert_allclose(out["masked_grad"][b, :, :n], want, rtol=1e-5, atol=1e-6)
        assert np.all(out["masked_grad"][b, :, n:] == 0)
    assert z.shape == w.shape
    aw = out["additive_weights"]
    assert np.all(aw[0, :, 2:] == 0) and np.all(aw[1, :, 6:] == 0)
    np.testing.assert_allclose(out["additive"][..., 1] - out["additive"][..., 0], 1.0, rtol=1e-5)
    mw = out["mha_weights"]  # (batch * heads, queries, keys), valid lengths 3 and 2
    assert mw.shape == (8, 4, 6) and np.all(mw[:4, :, 3:] == 0) and np.all(mw[4:, :, 2:] == 0)
    assert out["mha"].shape == (2, 4, 16) and np.isfinite(out["mha_xgrad"]).all()
    pos, i = out["pos"], np.arange(60)[:, None]
    np.testing.assert_allclose(
        pos[:, 0::2], np.sin(i / 10000 ** (np.arange(0, 32, 2) / 32)), atol=1e-5
    )
    np.testing.assert_allclose(
        pos[:, 1::2], np.cos(i / 10000 ** (np.arange(0, 32, 2) / 32)), atol=1e-5
    )
    assert "LazyLinear" not in out["types"] and "Linear" in out["types"]


def test_d2l_attention_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.d2l_attention(L[0], L[1], L[2], sync))
    for key in (
        "masked_weights",
        "masked_grad",
        "additive",
        "additive_weights",
        "mha",
        "mha_weights",
        "mha_xgrad",
        "pos",
    ):
        close(ours[key], theirs[key])
    assert ours["types"] == theirs["types"]


# --- d2l RNN from scratch ---


def test_d2l_rnn_scratch_learns_with_clipping():
    autograd.manual_seed(0)
    out = scripts.d2l_rnn_scratch(*OURS, no_sync)
    ppl = out["perplexities"]
    assert ppl[0] > 4 and ppl[-1] < 0.5 * ppl[0]  # a repeating pattern becomes predictable
    assert all(np.isfinite(out["norms"]))


def test_d2l_rnn_scratch_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.d2l_rnn_scratch(L[0], L[1], L[2], sync))
    close(ours["perplexities"], theirs["perplexities"], rtol=1e-3)
    close(ours["norms"], theirs["norms"], rtol=1e-3, atol=1e-4)


# --- d2l batch norm from scratch ---


def test_d2l_batch_norm_scratch_agrees_with_nn_batchnorm():
    autograd.manual_seed(0)
    out = scripts.d2l_batch_norm(*OURS, no_sync)
    # the same weights: training (batch statistics) gives the same losses, and d2l's moving
    # mean (momentum 0.9 on the old value) is torch's running mean (momentum 0.1 on the new)
    close(out["scratch_losses"], out["concise_losses"], rtol=1e-4)
    close(out["scratch_moving_mean"], out["concise_moving_mean"], rtol=1e-4, atol=1e-6)
    assert out["concise_losses"][-1] < out["concise_losses"][0]
    # evaluation differs only by d2l's biased running variance: slightly, not wildly
    close(out["scratch_eval"], out["concise_eval"], rtol=0.05, atol=0.05)


def test_d2l_batch_norm_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.d2l_batch_norm(L[0], L[1], L[2], sync))
    for key in theirs:
        close(ours[key], theirs[key], rtol=1e-3, atol=1e-4)


# --- yunjey VAE and GAN ---


def test_yunjey_vae_gan_trains_and_bce_sum_is_numpys():
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        out = scripts.yunjey_vae_gan(autograd, nn, F, optim, data, no_sync)
    losses = np.array(out["vae_losses"]).sum(1)
    assert losses[-1] < 0.9 * losses[0]
    assert out["bce_sum"] == pytest.approx(out["bce_reference"], rel=1e-4)
    assert out["g_grad_after_d_step"] is not None  # d_loss reaches G (no detach in yunjey's)
    lo, hi = out["fake_range"]
    assert -1 <= lo <= hi <= 1


def test_yunjey_vae_gan_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.yunjey_vae_gan(*L, sync))
    close(ours["vae_losses"], theirs["vae_losses"], rtol=1e-3, atol=1e-3)
    for key in ("bce_sum", "d_loss", "g_loss", "g_grad_after_d_step", "fake_range"):
        close(ours[key], theirs[key])


# --- Kaggle loop ---


def test_kaggle_loop_idioms(tmp_path):
    autograd.manual_seed(0)
    path = str(tmp_path / "ckpt.pth")
    out = scripts.kaggle_loop(autograd, nn, F, optim, data, no_sync, path)
    assert out["accumulation_gap"] < 1e-6
    assert min(out["history"]) == out["best_loss"] and out["history"][-1] <= out["history"][0] * 1.5
    assert out["lrs"][:4] == pytest.approx([1e-2, 5e-3, 5e-3, 2.5e-3])
    assert out["reloaded_same"] and out["file_exists"]
    assert out["optimizer_steps"] == 3 * len(out["history"])
    assert np.all(np.diff(out["top_p"], axis=1) <= 0) and out["top_class"].dtype == np.int64
    assert out["one_hot"].dtype == np.int64 and np.all(out["one_hot"].sum(1) == 1)


def test_kaggle_loop_matches_torch(tmp_path):
    ours, theirs = both(
        lambda L, sync: scripts.kaggle_loop(*L, sync, str(tmp_path / f"{L[0].__name__}.pth"))
    )
    for key in ("history", "lrs", "norms", "best_loss", "top_p", "acc"):
        close(ours[key], theirs[key], rtol=1e-3, atol=1e-4)
    for key in ("top_class", "one_hot", "reloaded_same", "optimizer_steps"):
        assert np.array_equal(ours[key], theirs[key]), key


# --- d2l (current edition) with Lazy layers ---


def test_d2l_lazy_lenet_trains():
    autograd.manual_seed(0)
    out = scripts.d2l_lazy_lenet(*OURS, no_sync)
    assert out["repr_before"].startswith("LazyConv2d(0, 6, kernel_size=(5, 5)")
    assert out["types"][:5] == ["Conv2d", "Sigmoid", "AvgPool2d", "Conv2d", "BatchNorm2d"]
    assert out["shapes"][0] == (6, 1, 5, 5) and (120, 400) in out["shapes"]
    assert out["losses"][-1] < out["losses"][0]


def test_d2l_lazy_lenet_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.d2l_lazy_lenet(L[0], L[1], L[2], sync))
    assert ours["repr_before"] == theirs["repr_before"]
    assert ours["types"] == theirs["types"] and ours["shapes"] == theirs["shapes"]
    close(ours["losses"], theirs["losses"], rtol=1e-3)


# --- a blog's hand-written optimizer ---


def test_hand_written_adam_agrees_with_optim_adam():
    autograd.manual_seed(0)
    out = scripts.blog_custom_optimizer(autograd, nn, F, optim, no_sync)
    close(out["mine"], out["builtin"], rtol=1e-5)
    close(out["mine_weights"], out["builtin_weights"], rtol=1e-4, atol=1e-6)
    close(out["mine_ema"], out["builtin_ema"], rtol=1e-4, atol=1e-6)
    assert out["mine"][-1] < out["mine"][0]


def test_hand_written_adam_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.blog_custom_optimizer(L[0], L[1], L[2], L[3], sync))
    for key in theirs:
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
