"""Raschka's LLMs-from-scratch, nanoGPT and Lippe's Transformer tutorial run with our packages
under torch's names: properties that hold without PyTorch (it trains, masks mask, frozen stays
frozen, formulas), and, when PyTorch is installed, PyTorch's numbers from its initial weights."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim

from . import llm_scripts as scripts
from .test_course_scripts import both, close, no_sync

OURS = (autograd, nn, F, optim, data)


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny models: PyTorch's thread pool only adds contention (seconds per test on a busy
    machine)."""
    try:
        import torch
    except ImportError:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# --- Raschka: GPT pretraining (chapters 4-5) ---


def test_raschka_gpt_trains_generates_and_resumes(tmp_path):
    autograd.manual_seed(0)
    out = scripts.raschka_gpt(*OURS, no_sync, str(tmp_path))
    V, E, T = 26, 16, 8
    per_block = 4 * E * E + E + 2 * (4 * E * E) + 5 * E + 4 * E
    assert out["total_params"] == 2 * V * E - V * E + T * E + 2 * per_block + 2 * E + V * E
    assert out["params_gpt2"] == out["total_params"] - V * E
    assert out["ce"] == pytest.approx(out["neg_avg_log_proba"], rel=1e-5)
    assert out["perplexity"] == pytest.approx(math.exp(out["ce"]), rel=1e-5)
    assert out["train_losses"][-1] < out["train_losses"][0]
    assert out["tokens_seen"] == [64 * (2 * i + 1) for i in range(len(out["tokens_seen"]))]
    assert all(s.startswith("In the ") and len(s) == 13 for s in out["samples"])
    p = out["topk_probas"]
    assert np.count_nonzero(p) == 3 and list(out["top_pos"]) == [3, 7, 0]
    counts, probas = out["sampled_counts"], out["probas_t05"]
    assert counts.sum() == 500 and abs(counts[3] / 500 - probas[3]) < 0.07
    assert out["sampled_len"] == 13 and out["reload_same"]
    assert out["resumed_losses"][1] < out["resumed_losses"][0]
    # drop_last with a seeded shuffle: whole batches of distinct windows, the remainder dropped
    rows, windows = out["shuffled_rows"], out["windows"]
    assert out["shuffled_batches"] == len(windows) // 4 and len(rows) == 4 * (len(windows) // 4)
    assert not Counter(map(tuple, rows)) - Counter(map(tuple, windows))


def test_raschka_gpt_matches_torch(tmp_path):
    ours, theirs = both(
        lambda L, sync: (
            scripts.raschka_gpt(*L, sync, str(tmp_path / L[0].__name__))
            if (tmp_path / L[0].__name__).mkdir() is None
            else None
        )
    )
    for key in ("train_losses", "val_losses", "grads", "resumed_losses", "topk_probas"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    for key in ("neg_avg_log_proba", "ce", "perplexity"):
        close(ours[key], theirs[key], rtol=1e-5)
    for key in ("total_params", "greedy0", "tokens_seen", "samples", "top_pos", "topk_greedy"):
        assert np.array_equal(ours[key], theirs[key]), key
    # the same windows; which ones a seeded shuffle drops is each library's own stream
    assert ours["windows"] == theirs["windows"]
    assert ours["shuffled_batches"] == theirs["shuffled_batches"]


# --- Raschka: loading weights, classification, LoRA, instruction collate ---


def test_raschka_finetune_freezes_and_trains_only_what_it_should():
    autograd.manual_seed(0)
    out = scripts.raschka_finetune(*OURS, no_sync)
    assert out["mismatch"] == "Shape mismatch. Left: [26, 16], Right: (8, 16)"
    assert out["loaded_greedy"].startswith("In the ") and len(out["loaded_greedy"]) == 13
    E = 16
    block = 3 * (E * E + E) + E * E + E + 2 * (4 * E * E) + 5 * E + 4 * E
    assert out["trainable"] == block + 2 * E + (2 * E + 2)
    assert out["frozen_grad_none"] and out["frozen_same"]
    assert out["cls_losses"][-1] < out["cls_losses"][0] and 0 <= out["accuracy"] <= 1
    linears = 2 * (4 + 2) + 1  # 4 attention + 2 feed-forward per block, and the head
    rank = 4
    assert out["lora_trainable"] == rank * (2 * (4 * (E + E) + 2 * (E + 4 * E)) + (E + 2))
    assert linears == 13 and out["lora_names"][0] == "trf_blocks.0.att.W_query.lora.A"
    assert np.abs(out["lora_B"]).max() > 0  # B starts at zero and has moved
    np.testing.assert_array_equal(
        out["collate_inputs"], [[1, 2, 3, 4, 5], [6, 7, 0, 0, 0], [8, 9, 10, 0, 0]]
    )
    np.testing.assert_array_equal(
        out["collate_targets"], [[2, 3, 4, 5, 0], [7, 0, -100, -100, -100], [9, 10, 0, -100, -100]]
    )
    assert out["ce_ignore"] == pytest.approx(out["ce_two"], rel=1e-6)


def test_raschka_finetune_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.raschka_finetune(*L, sync))
    for key in ("cls_losses", "lora_losses", "lora_B", "ce_ignore"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    for key in ("mismatch", "loaded_greedy", "trainable", "accuracy", "lora_trainable"):
        assert ours[key] == theirs[key], key
    for key in ("lora_names", "collate_inputs", "collate_targets"):
        assert np.array_equal(ours[key], theirs[key]), key


# --- nanoGPT ---


def test_nanogpt_trains_checkpoints_and_resumes(tmp_path):
    autograd.manual_seed(0)
    out = scripts.nanogpt(*OURS, no_sync, str(tmp_path), compile=True)
    assert out["tied"] and all(out["randint_ok"])
    assert abs(out["c_proj_std"] - 0.02 / math.sqrt(4)) < 0.006  # the scaled residual init
    assert out["groups"] == [2 * 4 + 2, 2 * 2 + 1]  # matrices decay; LayerNorm weights do not
    assert out["decay"] == [11 * 8 + 8 * 8 + 2 * (8 * 24 + 8 * 8 + 8 * 32 + 32 * 8), 5 * 8]
    lrs = out["lrs"]
    assert lrs[:3] == pytest.approx([1e-2 / 3, 2e-2 / 3, 1e-2])
    assert lrs[-1] == pytest.approx(1e-3) and all(a >= b for a, b in zip(lrs[2:], lrs[3:]))
    assert out["losses"][-1] < out["losses"][0] and all(n > 0 for n in out["norms"])
    assert out["evals"][0].startswith("val loss ")
    assert out["resume"][0] in (0, 2, 4) and out["resume"][2] == out["resume"][0]
    assert out["greedy"].shape == (2, 11) and out["sampled_shape"] == (2, 11)
    assert out["inference_shape"] == (2, 1, 11) and out["inference_loss_none"]
    assert out["cropped"][0] == (4, 8)


def test_nanogpt_flash_and_manual_attention_agree(tmp_path):
    runs = []
    for manual in (False, True):
        autograd.manual_seed(0)
        (tmp_path / str(manual)).mkdir()
        runs.append(scripts.nanogpt(*OURS, no_sync, str(tmp_path / str(manual)), True, manual))
    close(runs[0]["losses"], runs[1]["losses"], rtol=1e-5)
    np.testing.assert_array_equal(runs[0]["greedy"], runs[1]["greedy"])


def test_nanogpt_matches_torch(tmp_path):
    # torch.compile is left off for PyTorch (compiling takes longer than the test); ours compiles
    ours, theirs = both(
        lambda L, sync: (
            scripts.nanogpt(*L, sync, str(tmp_path / L[0].__name__), compile=L[0] is autograd)
            if (tmp_path / L[0].__name__).mkdir() is None
            else None
        )
    )
    for key in ("losses", "norms", "resume_loss", "mfu"):
        close(ours[key], theirs[key], rtol=1e-4)
    assert ours["cropped"][0] == theirs["cropped"][0]
    close(ours["cropped"][1], theirs["cropped"][1], rtol=1e-4)
    assert ours["resume"][::2] == theirs["resume"][::2]  # iteration and Adam's step count
    close(ours["resume"][1], theirs["resume"][1], rtol=1e-5)
    for key in ("lrs", "evals", "groups", "decay", "n_params", "tied"):
        assert ours[key] == theirs[key], key
    for key in ("greedy", "sampled_shape", "inference_shape"):
        assert np.array_equal(ours[key], theirs[key]), key


# --- Lippe, tutorial 6 ---


def test_lippe_transformer_masks_schedules_and_learns():
    autograd.manual_seed(0)
    out = scripts.lippe_transformer(*OURS, no_sync)
    att = out["sdp_attention"]
    assert np.allclose(att.sum(-1), 1) and np.all(np.triu(att, 1) == 0)
    f = out["lr_factors"]
    assert f[0] == 0 and f[10] == pytest.approx(0.5 * (1 + math.cos(math.pi * 10 / 200)))
    assert f[5] == pytest.approx(0.5 * (1 + math.cos(math.pi * 5 / 200)) * 0.5)
    assert out["lr_initial"] == 0 and out["last_epoch0"] == 0
    assert not out["pe_in_state"] and out["n_buffers"] == 1
    assert np.mean(out["losses"][-3:]) < np.mean(out["losses"][:3])
    (maps,) = out["attention_maps"]
    assert maps.shape == (8, 2, 6, 6) and np.allclose(maps.sum(-1), 1, atol=1e-6)
    np.testing.assert_array_equal(out["first_labels"], out["first_batch"][:, ::-1])


def test_lippe_transformer_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.lippe_transformer(*L, sync))
    for key in ("sdp_values", "sdp_attention", "losses", "accs", "attention_maps", "masked_out"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    close(ours["lrs"], theirs["lrs"], rtol=1e-12)
    close(ours["lr_factors"], theirs["lr_factors"], rtol=1e-12)
    for key in ("pe_in_state", "n_buffers", "last_epoch0", "first_batch"):
        assert np.array_equal(ours[key], theirs[key]), key
