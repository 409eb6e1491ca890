"""karpathy/llama2.c (model.py, train.py's loop, tinystories.py's dataset, sample.py's
generation) run with our packages under torch's names: properties that hold without PyTorch
(tied weights, the scaled init, the schedule, GQA and manual attention agree with the flash
path, it trains, checkpoints and resumes), and, when PyTorch is installed, PyTorch's numbers
from its initial weights."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

from . import llama2c_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_llm_scripts import one_torch_thread  # noqa: F401 (an autouse fixture)

OURS = (autograd, nn, F)


def run_ours(tmp_path, **kwargs) -> dict:
    autograd.manual_seed(0)
    return scripts.llama2c(*OURS, no_sync, str(tmp_path), **kwargs)


def test_llama2c_trains_checkpoints_resumes_and_generates(tmp_path):
    out = run_ours(tmp_path)
    assert out["tied"] and out["buffers"] == ["freqs_cos", "freqs_sin"]
    # the RoPE tables are not persistent; output.weight and tok_embeddings.weight both listed
    assert out["state_keys"] == 2 + 2 * (4 + 3 + 2) + 1
    assert abs(out["wo_std"] - 0.02 / math.sqrt(4)) < 0.004  # the scaled residual init
    assert out["hidden_dim"] == 48  # int(2 * 64 / 3) = 42 rounded up to a multiple of 8
    assert out["groups"] == [1 + 2 * (4 + 3), 2 * 2 + 1]
    lrs = out["lrs"]
    assert lrs[:3] == pytest.approx([0.0, 5e-3, 1e-2]) and lrs[-1] == pytest.approx(0.0)
    assert all(a >= b for a, b in zip(lrs[2:], lrs[3:]))
    assert out["losses"][-1] < out["losses"][0] and len(out["norms"]) == 7
    assert out["evals"][0].startswith("step 0: train loss ") and len(out["evals"]) == 4
    assert out["first_batch"].shape == (4, 8) and out["first_batch"].dtype == np.int64
    assert out["resume"][0] in (2, 4, 6) and out["running_mfu_set"]
    assert len(out["greedy"]) == 12 and out["greedy"][:2] == [1, 2]
    assert len(out["sampled"]) == 12 and all(0 <= t < 13 for t in out["sampled"])
    assert out["last_loss_none"]


def test_llama2c_repeat_kv_is_repeat_interleave_and_rope_rotates_pairs():
    M = scripts.model_py(*OURS)
    x = autograd.randn(2, 3, 2, 4)
    np.testing.assert_array_equal(
        M["repeat_kv"](x, 3).numpy(), autograd.repeat_interleave(x, dim=2, repeats=3).numpy()
    )
    cos, sin = M["precompute_freqs_cis"](4, 3)
    assert cos.shape == (3, 2) and np.allclose(cos[0].numpy(), 1) and np.allclose(sin[0].numpy(), 0)
    np.testing.assert_allclose(sin[2].numpy(), np.sin(2 / 10000.0 ** (np.arange(0, 4, 2) / 4)))
    xq, xk = M["apply_rotary_emb"](x, x + 1, cos, sin)
    assert xq.shape == x.shape and xk.shape == x.shape
    pairs = lambda t: (t.numpy().reshape(2, 3, 2, 2, 2) ** 2).sum(-1)  # noqa: E731
    np.testing.assert_allclose(pairs(xq), pairs(x), rtol=1e-5)  # a rotation keeps the norms
    np.testing.assert_allclose(xq[:, 0].numpy(), x[:, 0].numpy())  # position 0: no rotation


def test_llama2c_manual_attention_agrees_with_the_flash_path(tmp_path, monkeypatch):
    """The manual attention path (the causal mask buffer, taken when F has no
    scaled_dot_product_attention) trains as the flash one does."""
    flash = run_ours(tmp_path / "flash", n_kv_heads=4)
    monkeypatch.delattr(F, "scaled_dot_product_attention")
    manual = run_ours(tmp_path / "manual", n_kv_heads=4)
    assert manual["buffers"] == ["freqs_cos", "freqs_sin", "layers.0.attention.mask",
                                 "layers.1.attention.mask"]  # fmt: skip
    close(manual["losses"], flash["losses"], rtol=1e-5)
    close(manual["norms"], flash["norms"], rtol=1e-5)
    assert manual["greedy"] == flash["greedy"]


def test_llama2c_matches_torch(tmp_path):
    for n_kv_heads in (1, 2):
        ours, theirs = both(
            lambda L, sync, n=n_kv_heads: scripts.llama2c(
                *L[:3], sync, str(tmp_path / f"{L[0].__name__}{n}"), n
            )
        )
        for key in ("losses", "norms", "resume_loss", "mfu"):
            close(ours[key], theirs[key], rtol=1e-4)
        close(ours["resume"][1], theirs["resume"][1], rtol=1e-5)
        for key in ("lrs", "evals", "groups", "tied", "hidden_dim", "buffers", "state_keys"):
            assert ours[key] == theirs[key], key
        assert ours["resume"][0] == theirs["resume"][0] and ours["greedy"] == theirs["greedy"]
        np.testing.assert_array_equal(ours["first_batch"], theirs["first_batch"])


def test_llama2c_manual_attention_matches_torch(tmp_path, monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.delattr(torch.nn.functional, "scaled_dot_product_attention")
    monkeypatch.delattr(F, "scaled_dot_product_attention")
    ours, theirs = both(
        lambda L, sync: scripts.llama2c(*L[:3], sync, str(tmp_path / L[0].__name__))
    )
    close(ours["losses"], theirs["losses"], rtol=1e-4)
    assert ours["buffers"] == theirs["buffers"] and ours["greedy"] == theirs["greedy"]
