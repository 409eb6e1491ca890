"""Ported scripts run with our packages under torch's names, and agree with PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim

from . import ported_scripts


def char_arrays() -> dict:
    rng = np.random.default_rng(1)
    vocab, context, emb, hidden, n = 11, 3, 4, 32, 60
    return {
        "X": rng.integers(0, vocab, size=(n, context)),
        "Y": rng.integers(0, vocab, size=n),
        "C": rng.normal(size=(vocab, emb)).astype(np.float32),
        "W1": (rng.normal(size=(context * emb, hidden)) * 0.3).astype(np.float32),
        "W2": (rng.normal(size=(hidden, vocab)) * 0.1).astype(np.float32),
    }


def module_arrays() -> dict:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(100, 4))
    y = (X[:, 0] + 2 * X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1).astype(np.int64)
    state = {
        "fc1.weight": rng.normal(size=(16, 4)) * 0.4,
        "fc1.bias": rng.normal(size=16) * 0.1,
        "fc2.weight": rng.normal(size=(3, 16)) * 0.3,
        "fc2.bias": np.zeros(3),
    }
    return {"X": X, "y": y, "state": state}


def test_char_mlp_runs_with_our_packages(tmp_path):
    out = ported_scripts.char_mlp(autograd, F, char_arrays(), str(tmp_path / "ckpt.pt"))
    assert out["losses"][-1] < out["losses"][0] * 0.8  # it trains
    assert out["same_argmax"] and out["sample_ok"] and out["batch_ok"] and out["saved"]
    assert out["sample_shape"] == (4, 1) and out["transpose"] == (11, 60) and out["size0"] == 60
    assert out["loss_text"] == f"{out['losses'][-1]:.4f}"
    assert out["cuda"] is False
    assert (tmp_path / "ckpt.pt").exists()  # exactly the path given


def test_module_training_runs_with_our_packages():
    out = ported_scripts.module_training(autograd, nn, F, optim, data, module_arrays())
    assert out["history"][-1] < out["history"][0]
    assert out["n_batches"] == 5


def test_char_mlp_matches_torch(tmp_path):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as tF

    arrays = char_arrays()
    ours = ported_scripts.char_mlp(autograd, F, arrays, str(tmp_path / "a.pt"))
    theirs = ported_scripts.char_mlp(torch, tF, arrays, str(tmp_path / "b.pt"))
    np.testing.assert_allclose(ours["losses"], theirs["losses"], rtol=2e-4)
    np.testing.assert_allclose(ours["var_unbiased"], theirs["var_unbiased"], rtol=1e-4)
    for key in ("n_params", "loss_text", "acc", "same_argmax", "sample_shape", "transpose"):
        assert ours[key] == theirs[key], key
    for key in ("sample_ok", "batch_ok", "saved", "size0", "cuda"):
        assert ours[key] == theirs[key], key
    assert ours["bn_std"] == pytest.approx(theirs["bn_std"], rel=1e-4)


def test_module_training_matches_torch():
    torch = pytest.importorskip("torch")
    import torch.nn as tnn
    import torch.nn.functional as tF
    import torch.optim as toptim
    import torch.utils.data as tdata

    arrays = module_arrays()
    ours = ported_scripts.module_training(autograd, nn, F, optim, data, arrays)
    theirs = ported_scripts.module_training(torch, tnn, tF, toptim, tdata, arrays)
    np.testing.assert_allclose(ours["history"], theirs["history"], rtol=1e-9)
    assert ours["acc"] == theirs["acc"] and ours["n_batches"] == theirs["n_batches"]
