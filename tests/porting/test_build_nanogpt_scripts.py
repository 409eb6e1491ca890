"""karpathy/build-nanogpt's train_gpt2.py run with our packages under torch's names:
properties that hold without PyTorch (tied weights, the NANOGPT_SCALE_INIT init, the
schedule, the shard loader, the log, it trains), the checkpoint's dataclass
loaded back, and, when PyTorch is installed, PyTorch's numbers from its initial
weights."""

from __future__ import annotations

import functools
import math
import pickle
import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

from . import build_nanogpt_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_llm_scripts import one_torch_thread  # noqa: F401 (an autouse fixture)

OURS = (autograd, nn, F)


def run_ours(tmp_path, **kwargs) -> dict:
    autograd.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # autocast's: ops stay in full precision here
        return scripts.train_gpt2(*OURS, no_sync, str(tmp_path), **kwargs)


def test_the_checkpoint_keeps_the_config_dataclass_and_loads_it_as_torch(tmp_path):
    """``'config': raw_model.config`` is saved; loading rebuilds it with weights_only=False
    (the script's call) or once allowed, and refuses it otherwise, as PyTorch's default."""
    out = run_ours(tmp_path)
    config = out["checkpoint"][1]
    assert type(config) is scripts.GPTConfig and config == scripts.GPTConfig(32, 64, 2, 2, 16)
    path = tmp_path / "log" / "model_00005.pt"
    with pytest.raises(pickle.UnpicklingError, match=r"GPTConfig.*add_safe_globals"):
        autograd.load(path)
    with autograd.serialization.safe_globals([scripts.GPTConfig]):
        assert autograd.load(path)["config"] == config


def test_train_gpt2_inits_trains_evaluates_samples_and_logs(tmp_path):
    out = run_ours(tmp_path)
    assert out["tied"] and out["groups"] == [2 + 2 * 4, 2 * 8 + 2]  # wte (tied) and wpe decay
    assert abs(out["c_fc_std"] - 0.02) < 0.003
    assert abs(out["c_proj_std"] - 0.02 / math.sqrt(4)) < 0.002  # NANOGPT_SCALE_INIT
    steps = out["steps"]
    lrs = [s[1] for s in steps]
    assert lrs[:3] == pytest.approx([3e-3, 6e-3, 6e-3]) and lrs[-1] > 6e-4
    assert steps[-1][0] < steps[0][0] and out["val"][-1] < out["val"][0]
    assert all(s[3] == f"{s[2]:.4f}" for s in steps)  # a Tensor formatted with :.4f
    assert all(0 <= a <= 1 for a in out["hella"]) and len(out["hella"]) == 3
    assert len(out["samples"]) == 8
    assert all(
        s.startswith("Hello, I'm a language model,") and len(s) == 32 for s in out["samples"]
    )
    assert out["log"][:3] == [f"0 val {out['val'][0]:.4f}", "0 hella " + out["log"][1][8:],
                              f"0 train {steps[0][0]:.6f}"]  # fmt: skip
    step, config, val_loss, keys = out["checkpoint"]
    assert step == 5 and config == scripts.GPTConfig(32, 64, 2, 2, 16)
    assert val_loss == pytest.approx(out["val"][-1])
    assert keys == [
        "lm_head.weight",
        "transformer.h.0.attn.bias",
        "transformer.h.0.attn.c_attn.bias",
    ]
    # 6 steps of 2 micro-batches of 2 x 16 tokens: the 168-token train shard wraps to the next
    assert out["position"] == [0, 64]


def test_train_gpt2_matches_torch_without_bfloat16(tmp_path, monkeypatch):
    """Our autocast keeps full precision (autograd/amp.py); with PyTorch's autocast disabled
    the two runs are the same computation."""
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch, "autocast", functools.partial(torch.autocast, enabled=False))
    ours, theirs = both(
        lambda L, sync: scripts.train_gpt2(*L[:3], sync, str(tmp_path / L[0].__name__))
    )
    close(ours["val"], theirs["val"], rtol=1e-5)
    close([s[:3] for s in ours["steps"]], [s[:3] for s in theirs["steps"]], rtol=1e-4)
    for key in ("hella", "groups", "tied", "position"):
        assert ours[key] == theirs[key], key
    ours_log, theirs_log = (np.array([line.split() for line in o["log"]]) for o in (ours, theirs))
    np.testing.assert_array_equal(ours_log[:, :2], theirs_log[:, :2])  # step and kind
    close(ours_log[:, 2].astype(float), theirs_log[:, 2].astype(float), rtol=1e-4)
    assert [s[3] for s in ours["steps"]] == [s[3] for s in theirs["steps"]]
    assert ours["checkpoint"][:2] == theirs["checkpoint"][:2]
    assert ours["checkpoint"][3] == theirs["checkpoint"][3]


def test_train_gpt2_is_near_torchs_bfloat16_autocast(tmp_path):
    """PyTorch's CPU autocast runs the linear layers in bfloat16 (8 significant bits); our
    full-precision run stays within that rounding of it."""
    ours, theirs = both(
        lambda L, sync: scripts.train_gpt2(*L[:3], sync, str(tmp_path / L[0].__name__))
    )
    close(ours["val"], theirs["val"], rtol=2e-2)
    close([s[0] for s in ours["steps"]], [s[0] for s in theirs["steps"]], rtol=2e-2)
    assert not np.allclose(ours["val"], theirs["val"], rtol=1e-6, atol=0)  # bf16 did round
