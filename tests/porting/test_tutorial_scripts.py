"""PyTorch's official tutorials run with our packages under torch's names: properties that
hold without PyTorch, and, when PyTorch is installed, PyTorch's numbers given its initial
weights."""

from __future__ import annotations

import numpy as np

import autograd
import nn
import nn.functional as F
import optim

from . import tutorial_scripts as scripts
from .test_course_scripts import both, close, no_sync

# --- char-RNN name generation ---


def test_char_rnn_generation_trains_with_a_float_loss_accumulator():
    autograd.manual_seed(0)
    out = scripts.char_rnn_generation(autograd, nn, no_sync)
    assert out["loss_dtype"] == "float32"  # torch.Tensor([0]), then loss += l
    assert np.mean(out["losses"][-6:]) < np.mean(out["losses"][:6])
    assert all(s[0] in "RDS" for s in out["samples"])
    assert np.isfinite(out["i2h_grad"]).all() and np.abs(out["i2h_grad"]).max() > 0


def test_char_rnn_generation_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.char_rnn_generation(L[0], L[1], sync))
    assert ours["loss_dtype"] == theirs["loss_dtype"]
    assert ours["samples"] == theirs["samples"]
    close(ours["losses"], theirs["losses"], rtol=1e-4)
    close(ours["i2h_grad"], theirs["i2h_grad"], rtol=1e-3, atol=1e-6)


# --- DCGAN ---


def test_dcgan_weights_init_fills_the_data_arrays():
    autograd.manual_seed(0)
    out = scripts.dcgan_weights_init(autograd, nn, optim, no_sync)
    assert abs(out["conv_std"] - 0.02) < 0.005 and abs(out["bn_weight_mean"] - 1) < 0.01
    assert out["bn_weight_changed"] and np.all(out["bn_bias"] == 0)
    assert all(np.isfinite(out["G_losses"])) and all(np.isfinite(out["D_losses"]))


def test_dcgan_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.dcgan_weights_init(L[0], L[1], L[3], sync))
    assert ours["bn_weight_changed"] == theirs["bn_weight_changed"]
    for key in ("G_losses", "D_losses", "gradG", "running_mean"):
        close(ours[key], theirs[key], rtol=1e-3, atol=1e-6)


# --- DQN ---


def test_dqn_soft_update_moves_the_target_towards_the_policy():
    autograd.manual_seed(0)
    out = scripts.dqn(autograd, nn, F, optim, no_sync)
    assert out["mask_dtype"] == "bool" and out["n_final"] >= 0
    assert len(out["losses"]) > 5 and all(np.isfinite(out["losses"]))
    assert set(out["greedy"]) <= {0, 1}
    assert not np.allclose(out["target_w"], out["policy_w"])  # a soft update lags


def test_dqn_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.dqn(L[0], L[1], L[2], L[3], sync))
    assert ours["greedy"] == theirs["greedy"] and ours["mask_dtype"] == theirs["mask_dtype"]
    for key in ("losses", "policy_w", "target_w"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-6)


# --- neural style transfer ---


def test_style_transfer_builds_the_cut_model_and_lowers_the_loss():
    autograd.manual_seed(0)
    out = scripts.style_transfer(autograd, nn, F, optim, no_sync)
    assert out["names"] == [
        "0",
        "conv_1",
        "style_loss_1",
        "relu_1",
        "pool_1",
        "conv_2",
        "content_loss_2",
        "style_loss_2",
    ]
    assert out["cnn_inplace"] == [True, True]  # the copied ReLUs were replaced, not changed
    total = [s + c for s, c in out["trace"]]
    assert total[-1] < total[0] and out["math_check"]
    assert 0 <= out["image"].min() and out["image"].max() <= 1


def test_style_transfer_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.style_transfer(L[0], L[1], L[2], L[3], sync))
    assert ours["names"] == theirs["names"]
    close(ours["trace"], theirs["trace"], rtol=2e-3, atol=1e-6)
    close(ours["image"], theirs["image"], rtol=2e-3, atol=1e-5)


# --- spatial transformer networks ---


def test_spatial_transformer_starts_at_the_identity_and_trains():
    autograd.manual_seed(0)
    out = scripts.spatial_transformer(autograd, nn, F, optim, no_sync)
    close(out["identity"], [1, 0, 0, 0, 1, 0], rtol=0)
    assert out["warped"].shape == out["input"].shape == (4, 1, 28, 28)
    assert np.isfinite(out["test_loss"]) and 0 <= out["correct"] <= 8
    assert np.abs(out["loc_grad"]).max() > 0  # the loss reaches the localisation net
    assert np.abs(out["theta"] - out["identity"].reshape(1, 6)).max() > 0
    assert all(np.isfinite(out["losses"]))


def test_spatial_transformer_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.spatial_transformer(L[0], L[1], L[2], L[3], sync))
    assert ours["correct"] == theirs["correct"]
    close(ours["test_loss"], theirs["test_loss"], rtol=1e-4)
    close(ours["warped"], theirs["warped"], rtol=1e-4, atol=1e-5)
    close(ours["loc_grad"], theirs["loc_grad"], rtol=1e-3, atol=1e-6)
    close(ours["fc_loc_grad"], theirs["fc_loc_grad"], rtol=1e-3, atol=1e-6)
    close(ours["theta"], theirs["theta"], rtol=1e-4, atol=1e-6)


def test_spatial_transformer_data_zero_and_copy_initialise_in_place():
    """The tutorial's ``fc_loc[2].weight.data.zero_()`` and ``.bias.data.copy_(...)``, as the
    script writes them: the parameters change in place."""
    layer = nn.Linear(4, 6)
    layer.weight.data.zero_()
    layer.bias.data.copy_(autograd.tensor([1, 0, 0, 0, 1, 0], dtype=autograd.float))
    close(layer.weight.detach().numpy(), np.zeros((6, 4)), rtol=0)
    close(layer.bias.detach().numpy(), [1, 0, 0, 0, 1, 0], rtol=0)
    assert layer.bias.dtype == autograd.float32 and layer.bias.is_leaf
