"""PyTorch's "NLP From Scratch" tutorials run with our packages under torch's names:
properties that hold without PyTorch, and, when PyTorch is installed, PyTorch's numbers given
its initial values."""

from __future__ import annotations

import numpy as np

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim

from . import tutorial_nlp_from_scratch_scripts as scripts
from .test_course_scripts import both, close, no_sync

# --- Classifying Names with a Character-Level RNN ---


def test_names_classification_splits_trains_and_fills_the_confusion_matrix():
    autograd.manual_seed(0)
    out = scripts.names_classification(autograd, nn, data, no_sync)
    assert out["split_sizes"] == [18, 3]  # 0.85 and 0.15 of 21, the remainder to the first
    assert out["line_shape"] == (5, 1, 58)
    assert out["unknown_letter"] == 57  # a letter outside the alphabet is "_"
    assert out["losses"][-1] < out["losses"][0]
    rows = out["confusion"].sum(1)
    assert np.all((np.abs(rows - 1) < 1e-6) | (rows == 0))
    assert set(out["guesses"]) <= set(scripts.NAMES)


def test_names_classification_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.names_classification(L[0], L[1], L[4], sync))
    assert ours["split_sizes"] == theirs["split_sizes"] and ours["guesses"] == theirs["guesses"]
    for key in ("losses", "confusion", "h2o"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-6)


# --- Translation with a Sequence to Sequence Network and Attention ---


def test_seq2seq_attention_learns_the_pairs():
    autograd.manual_seed(0)
    out = scripts.seq2seq_attention(autograd, nn, F, optim, data, no_sync)
    assert out["losses"][-1] < 0.5 * out["losses"][0]
    assert out["attn"].shape == (1, 5, 4)  # (batch, MAX_LENGTH steps, input length + EOS)
    close(out["attn"].sum(-1), np.ones((1, 5)), rtol=1e-6)
    assert out["words"][-1] == "<EOS>" or len(out["words"]) == 5


def test_seq2seq_attention_matches_torch():
    ours, theirs = both(
        lambda L, sync: scripts.seq2seq_attention(L[0], L[1], L[2], L[3], L[4], sync)
    )
    assert ours["translations"] == theirs["translations"]
    close(ours["losses"], theirs["losses"], rtol=1e-4, atol=1e-6)
    for key in ("attn", "attn_Va", "gru_hh"):
        close(ours[key], theirs[key], rtol=1e-3, atol=1e-5)
