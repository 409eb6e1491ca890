"""bentrevett/pytorch-seq2seq notebook 1 run with our packages under torch's names: it
initialises, counts, trains with teacher forcing and clipping, evaluates and translates; and,
when PyTorch is installed (dropout 0: the libraries' masks differ), PyTorch's numbers from its
initial weights and the same teacher-forcing draws (Python's ``random``, seeded alike)."""

from __future__ import annotations

import autograd
import nn
import optim

from . import seq2seq_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_llm_scripts import one_torch_thread  # noqa: F401 (an autouse fixture)


def test_seq2seq_initialises_trains_and_translates():
    out = scripts.seq2seq(autograd, nn, optim, no_sync)
    assert out["init_max"] <= 0.08
    V_de = len(scripts.Vocab([de for de, _ in scripts.PAIRS]))
    V_en = len(scripts.Vocab([en for _, en in scripts.PAIRS]))
    E, H = 8, 16
    lstm = 4 * H * (E + H + 2) + 4 * H * (H + H + 2)  # two layers, both biases
    assert out["n_params"] == V_de * E + lstm + V_en * E + lstm + H * V_en + V_en
    assert out["train_losses"][-1] < out["train_losses"][0]
    assert out["valid_losses"][-1] < out["valid_losses"][0]
    words = out["translation"]
    assert words[0] == "<sos>" and len(words) <= 1 + 8
    assert words[-1] == "<eos>" or len(words) == 1 + 8


def test_seq2seq_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.seq2seq(L[0], L[1], L[3], sync, dropout=0.0))
    close(ours["train_losses"], theirs["train_losses"], rtol=1e-4)
    close(ours["valid_losses"], theirs["valid_losses"], rtol=1e-4)
    assert ours["n_params"] == theirs["n_params"]
    assert ours["translation"] == theirs["translation"]
