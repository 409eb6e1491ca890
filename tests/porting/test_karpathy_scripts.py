"""Karpathy's Zero to Hero lectures (makemore parts 1-5, ng-video-lecture's GPT) run with our
packages under torch's names: properties that hold without PyTorch (counts are counts, the
manual gradients are autograd's, it trains), and, when PyTorch is installed, PyTorch's
numbers from its initial weights and minibatches."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

from . import karpathy_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_llm_scripts import one_torch_thread  # noqa: F401 (an autouse fixture)

OURS = (autograd, nn, F)


def run_both(name: str) -> tuple[dict, dict]:
    return both(lambda L, sync: getattr(scripts, name)(L[0], L[1], L[2], sync))


def dtype_name(d: str) -> str:
    """'torch.float32' and our numpy 'float32' name the same dtype."""
    return d.removeprefix("torch.")


# --- makemore part 1: bigrams ---


def test_bigram_counts_sample_and_train():
    autograd.manual_seed(0)
    out = scripts.makemore_bigram(*OURS, no_sync)
    stoi, _ = scripts.vocabulary(list(scripts.WORDS))
    pairs = Counter(
        (stoi[a], stoi[b]) for w in scripts.WORDS for a, b in zip("." + w, w + ".", strict=True)
    )
    want = np.zeros((27, 27))
    for (i, j), c in pairs.items():
        want[i, j] = c
    assert out["counts"] == want.ravel().tolist() and out["count_dtype"] == "int32"
    P = (want + 1) / (want + 1).sum(1, keepdims=True)
    close(out["P"], P, rtol=1e-6)
    n = sum(pairs.values())
    nll = -sum(c * math.log(P[i, j]) for (i, j), c in pairs.items())
    assert out["n"] == n and out["nll"] == pytest.approx(nll, rel=1e-5)
    assert float(out["avg_nll"]) == pytest.approx(nll / n, rel=1e-5)  # f"{nll/n}" is a float
    assert set(out["draws"]) <= {0, 1, 2} and len(out["draws"]) == 100
    for s in out["samples"] + out["net_samples"]:
        assert s.endswith(".") and "." not in s[:-1]
    assert out["xenc_dtype"] == "float32"
    losses = out["losses"]
    assert all(b < a for a, b in zip(losses, losses[1:]))  # full-batch descent on a convex loss
    # data NLL plus a non-negative penalty: never below the unsmoothed counts' NLL (the MLE)
    rows = want.sum(1)
    mle = -sum(c * math.log(c / rows[i]) for (i, _), c in pairs.items()) / n
    assert losses[-1] > mle
    assert out["nlls_mean"] == pytest.approx(np.mean(out["first_nlls"]), rel=1e-6)


def test_bigram_matches_torch():
    ours, theirs = run_both("makemore_bigram")
    for key in ("counts", "P", "nll", "losses", "W", "first_nlls", "nlls_mean"):
        close(ours[key], theirs[key], rtol=1e-5, atol=1e-6)
    assert float(ours["avg_nll"]) == pytest.approx(float(theirs["avg_nll"]), rel=1e-6)
    assert ours["n"] == theirs["n"] and ours["first_x"] == theirs["first_x"]
    for key in ("count_dtype", "xenc_dtype"):
        assert dtype_name(ours[key]) == dtype_name(theirs[key])


# --- makemore part 2: MLP ---


def test_mlp_embeds_sweeps_and_trains():
    autograd.manual_seed(0)
    with pytest.warns(UserWarning, match="TypedStorage is deprecated"):  # a.storage(), as torch
        out = scripts.makemore_mlp(*OURS, no_sync)
    one_hot, row, rows, rows_t, picked = out["ways"]
    assert one_hot == row == rows[0] == rows_t[0] and rows[2:] == rows_t[2:5]
    assert out["cat_same"] and out["views"][0] == [list(range(9)), list(range(9, 18))]
    assert out["storage"] == list(range(18))
    n_train = out["shapes"][0][0]
    assert out["shapes"][0] == (n_train, 3) and out["shapes"][1] == (n_train,)
    assert out["shapes"][3] == (n_train, 100) and len(picked) == 2
    assert out["manual_loss"] == pytest.approx(out["ce_loss"], rel=1e-5)
    assert out["n_params"] == 27 * 10 + 30 * 200 + 200 + 200 * 27 + 27
    close(out["lri"], np.linspace(-3, 0, 1000)[::25][:40], rtol=1e-5, atol=1e-6)
    assert out["dtypes"] == ["int64", "float32", "float32"]
    assert np.mean(out["lossi"][-8:]) < np.mean(out["lossi"][:8])
    assert all(s.endswith(".") for s in out["samples"])


def test_mlp_matches_torch():
    ours, theirs = run_both("makemore_mlp")
    for a, b in zip(ours["ways"], theirs["ways"], strict=True):
        close(a, b, rtol=1e-6)
    for key in ("manual_loss", "ce_loss", "lri"):
        close(ours[key], theirs[key], rtol=1e-5)
    # the sweep's point is that large rates (above ~0.2 here, from step 32) go chaotic:
    # float32 rounding differences of 1e-7 grow to 1e-2 by the last step, in either library
    close(ours["lossi"][:32], theirs["lossi"][:32], rtol=1e-5)
    assert np.isfinite(ours["lossi"]).all() and np.isfinite(ours["dev_loss"])
    for key in ("shapes", "cat_same", "views", "storage", "n_params"):
        assert ours[key] == theirs[key], key
    assert [dtype_name(d) for d in ours["dtypes"]] == [dtype_name(d) for d in theirs["dtypes"]]


# --- makemore part 3: activations, gradients, BatchNorm ---


def test_batchnorm_statistics_and_diagnostics():
    autograd.manual_seed(0)
    out = scripts.makemore_batchnorm(*OURS, no_sync)
    assert out["init_loss"] == pytest.approx(math.log(27), rel=1e-6)
    assert out["uniform_loss"] == pytest.approx(math.log(4), rel=1e-6)
    x_mean, x_std, y_mean, y_std = out["scale"]
    assert abs(x_mean) < 0.05 and abs(x_std - 1) < 0.05 and abs(y_std - 1) < 0.1
    assert np.mean(out["lossi"][-5:]) < np.mean(out["lossi"][:5])
    assert out["printed"][0].startswith("      0/     30: ")
    assert not out["running_requires_grad"]
    # 30 steps of 0.999 * running + 0.001 * batch from (0, 1): a small move towards the batch
    assert np.all(np.abs(out["bnmean_running"]) <= 0.03 * np.abs(out["bnmean"]).max() + 1e-6)
    assert all(not requires_grad for _, requires_grad in out["split_losses"].values())
    linears, norms = 30 * 40 + 40 * 40 + (40 * 40 + 40) + 40 * 27, 2 * (40 + 40 + 27)
    assert out["n_params2"] == 27 * 10 + linears + norms == sum(out["numels"])
    assert len(out["ud"]) == 20 and all(len(u) == len(out["numels"]) for u in out["ud"])
    assert len(out["activation_lines"]) == 3 and out["activation_lines"][0].startswith(
        "layer 2 (      Tanh): mean "
    )
    for edges, density in out["hists"]:  # torch.histogram(t, density=True): 100 bins
        assert len(edges) == len(density) == 100
        width = edges[1] - edges[0]
        assert sum(density) * width == pytest.approx(1.0, rel=1e-4)
    assert out["weight_lines"][0].startswith("weight   (27, 10) | mean ")
    assert np.isfinite(out["eval_loss"])


def test_batchnorm_matches_torch():
    ours, theirs = run_both("makemore_batchnorm")
    for key in (
        "init_loss",
        "uniform_loss",
        "lossi",
        "saturated",
        "bnmean",
        "bnstd",
        "bnmean_running",
        "bnstd_running",
        "lossi2",
        "running_var",
        "eval_loss",
        "hists",
    ):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    for key in ("n_params", "printed", "h_hist", "n_params2", "activation_lines", "numels"):
        assert ours[key] == theirs[key], key
    close(list(ours["split_losses"].values()), list(theirs["split_losses"].values()), rtol=1e-5)
    # the printed statistics are tiny means and %e figures: the same numbers, to rounding
    for key in ("gradient_lines", "weight_lines"):
        for a, b in zip(ours[key], theirs[key], strict=True):
            nums = [s for s in a.replace("|", " ").replace(",", " ").split() if s[-1].isdigit()]
            tnums = [s for s in b.replace("|", " ").replace(",", " ").split() if s[-1].isdigit()]
            close([float(s.strip("()")) for s in nums], [float(s.strip("()")) for s in tnums])
    # the lecture's update:data ratio divides by p.data.std(), as written: p.data keeps numpy's
    # meaning where numpy has the name (autograd/tensor_style_array.py), so std() without
    # arguments is numpy's, with ddof=0, where torch's Tensor.std is unbiased. The ratios
    # differ by exactly that factor, sqrt(n / (n - 1)).
    shift = [0.5 * math.log10(n / (n - 1)) for n in ours["numels"]]
    close(np.array(ours["ud"]), np.array(theirs["ud"]) + shift, rtol=1e-4, atol=1e-4)


# --- makemore part 4: backprop ninja ---


def test_backprop_ninja_manual_gradients_are_autograds():
    autograd.manual_seed(0)
    out = scripts.makemore_backprop_ninja(*OURS, no_sync)
    assert len(out["report"]) == 28
    for name, (exact, approx, maxdiff) in out["report"].items():
        assert approx and maxdiff < 1e-7, name
        assert isinstance(exact, bool) and isinstance(approx, bool)
    # the loss side is elementwise: the hand-written rules give autograd's numbers bit for bit
    for name in ("logprobs", "probs", "counts_sum_inv", "counts_sum", "counts", "logits", "h"):
        assert out["report"][name][0], name
    assert abs(out["ce_diff"]) < 1e-6 and np.allclose(out["row_sums"], 0, atol=1e-7)
    assert out["bn_diff"] < 1e-5
    assert out["lines"][0] == "logprobs        | exact: True  | approximate: True  | maxdiff: 0.0"
    assert np.mean(out["losses"][-5:]) < np.mean(out["losses"][:5])


def test_backprop_ninja_matches_torch():
    ours, theirs = run_both("makemore_backprop_ninja")
    assert ours["report"].keys() == theirs["report"].keys()
    for name, (_, approx, _maxdiff) in theirs["report"].items():
        # which comparisons are bit-exact depends on each library's summation order
        assert ours["report"][name][1] == approx and ours["report"][name][2] < 1e-7, name
    for key in ("losses", "C", "row_sums"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-6)
    assert ours["n_params"] == theirs["n_params"]


# --- makemore part 5: WaveNet ---


def test_wavenet_hierarchy_shapes_and_training():
    autograd.manual_seed(0)
    out = scripts.makemore_wavenet(*OURS, no_sync)
    assert out["view_is_pairs"]
    assert [s for _, s in out["shapes"]] == [
        (4, 8, 10),
        (4, 4, 20),
        (4, 4, 32),
        (4, 4, 32),
        (4, 4, 32),
        (4, 2, 64),
        (4, 2, 32),
        (4, 2, 32),
        (4, 2, 32),
        (4, 64),
        (4, 32),
        (4, 32),
        (4, 32),
        (4, 27),
    ]
    assert out["running_shape"] == (1, 1, 32)  # statistics over dims (0, 1) keep both
    close(out["smoothed"], np.array(out["lossi"]).reshape(-1, 10).mean(1), rtol=1e-6)
    assert out["smoothed"][-1] < out["smoothed"][0]
    assert out["split_losses"]["train"] < math.log(27)
    assert all(s.endswith(".") for s in out["samples"])


def test_wavenet_matches_torch():
    ours, theirs = run_both("makemore_wavenet")
    for key in ("lossi", "smoothed", "running_mean", "running_var"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    close(list(ours["split_losses"].values()), list(theirs["split_losses"].values()), rtol=1e-4)
    for key in ("view_is_pairs", "n_params", "shapes", "running_shape"):
        assert ours[key] == theirs[key], key


# --- ng-video-lecture: bigram.py, gpt.py and the gpt-dev notebook ---


def test_ng_gpt_attention_trick_and_training():
    autograd.manual_seed(0)
    out = scripts.ng_gpt(*OURS, no_sync)
    assert out["xbow_same"] == [True, True]
    b = out["b"]  # a @ b with a row-normalised lower triangle: the running means of b's rows
    close(out["c"], np.cumsum(b, 0) / np.arange(1, 4)[:, None], rtol=1e-6)
    assert b.dtype == np.float32 and np.all(b == np.round(b)) and b.min() >= 0 and b.max() < 10
    wei = out["attention_wei"]
    assert np.all(np.triu(wei[0], 1) == 0) and np.allclose(wei.sum(-1), 1, rtol=1e-6)
    k_var, q_var, scaled_var = out["variances"]
    assert 0.5 < scaled_var / (k_var * q_var) < 2  # scaling by head_size**-0.5 keeps var ~1
    assert out["sharpened"].argmax() == 4 and out["sharpened"].max() > 0.75
    _, _, row_mean, row_std = out["ln_stats"]
    assert abs(row_mean) < 1e-6 and row_std == pytest.approx(1.0, rel=1e-4)
    assert out["pairs"][0][2] == str(out["pairs"][0][1])  # f"{target}" of a 0-d tensor
    vocab = len(set(scripts.TEXT))
    assert out["bigram_shape"] == (32, vocab)
    assert out["bigram_first"] > math.log(vocab)  # N(0, 1) logits: worse than uniform
    assert len(out["bigram_text"]) == 21
    assert out["train_losses"][-1] < out["train_losses"][0]
    assert len(out["printed"]) == 4 and out["printed"][-1].startswith("step 11: train loss ")
    assert len(out["generated"]) == 13 and max(out["generated"]) < vocab
    heads = 2 * 4
    assert out["buffers"] == sorted(
        f"blocks.{b}.sa.heads.{h}.tril" for b in range(2) for h in range(4)
    )
    assert len(out["buffers"]) == heads


def test_ng_gpt_matches_torch():
    ours, theirs = run_both("ng_gpt")
    for key in (
        "xbow",
        "c",
        "b",
        "attention_out",
        "attention_wei",
        "variances",
        "sharpened",
        "ln_stats",
        "bigram_first",
        "bigram_losses",
        "n_params",
        "train_losses",
    ):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    for key in ("pairs", "bigram_shape", "buffers", "state_keys"):
        assert ours[key] == theirs[key], key
    # "step {iter}: train loss {losses['train']:.4f}, ...": the same to the printed digits
    for a, b in zip(ours["printed"], theirs["printed"], strict=True):
        close(
            [float(s.strip(",")) for s in a.split()[4::3]],
            [float(s.strip(",")) for s in b.split()[4::3]],
            atol=2e-4,
        )
