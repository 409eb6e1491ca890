"""PyTorch's "Deep Learning for NLP with PyTorch" tutorials run with our packages under
torch's names: properties that hold without PyTorch, and, when PyTorch is installed,
PyTorch's numbers given its initial values."""

from __future__ import annotations

import numpy as np

import autograd
import nn
import nn.functional as F
import optim

from . import tutorial_deep_nlp_scripts as scripts
from .test_course_scripts import both, close, no_sync

# --- Sequence Models and Long Short-Term Memory Networks ---


def test_lstm_tagger_steps_agree_with_the_whole_sequence_and_it_learns():
    autograd.manual_seed(0)
    out = scripts.lstm_tagger(autograd, nn, F, optim, no_sync)
    close(out["stepped"][0], out["whole"][0][-1:], rtol=1e-5)  # the last step's output
    close(out["stepped"][1], out["whole"][1], rtol=1e-5)  # the final cell state
    assert out["tags"] == [0, 1, 2, 0, 1]  # DET NN V DET NN
    assert out["losses"][-1] < out["losses"][0]


def test_lstm_tagger_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.lstm_tagger(L[0], L[1], L[2], L[3], sync))
    assert ours["tags"] == theirs["tags"]
    close(ours["stepped"], theirs["stepped"], rtol=1e-4, atol=1e-6)
    for key in ("before", "after", "losses"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-6)


# --- Advanced: Making Dynamic Decisions and the Bi-LSTM CRF ---


def test_bilstm_crf_forward_algorithm_bounds_the_gold_score_and_decodes():
    autograd.manual_seed(0)
    out = scripts.bilstm_crf(autograd, nn, optim, no_sync)
    start, stop = out["tag_to_ix"]["<START>"], out["tag_to_ix"]["<STOP>"]
    assert np.all(out["transitions0"][start, :] == -10000)  # set through .data
    assert np.all(out["transitions0"][:, stop] == -10000)
    assert out["forward_score"] > out["gold_score"]  # log Z is above every path's score
    assert all(nll > 0 for nll in out["nll"]) and out["nll"][-2] < out["nll"][0]
    assert len(out["after"][1]) == 11 and set(out["after"][1]) <= {0, 1, 2}


def test_bilstm_crf_forward_algorithm_is_the_log_partition_function():
    """The forward algorithm against a brute-force log-sum-exp over every tag path."""
    autograd.manual_seed(0)
    out = scripts.bilstm_crf(autograd, nn, optim, no_sync, epochs=0)
    feats, trans = out["feats"].astype(np.float64), out["transitions0"].astype(np.float64)
    start, stop = out["tag_to_ix"]["<START>"], out["tag_to_ix"]["<STOP>"]
    n = len(feats)
    alpha = np.full(5, -10000.0)
    alpha[start] = 0
    for f in feats:  # the same recursion in numpy, then checked exactly on a short prefix
        alpha = np.logaddexp.reduce(alpha[None, :] + trans, axis=1) + f
    close(out["forward_score"], np.logaddexp.reduce(alpha + trans[stop]), rtol=1e-5)
    assert n == 11
    short = feats[:3]
    scores = [
        trans[a, start]
        + short[0, a]
        + trans[b, a]
        + short[1, b]
        + trans[c, b]
        + short[2, c]
        + trans[stop, c]
        for a in range(5)
        for b in range(5)
        for c in range(5)
    ]
    alpha = np.full(5, -10000.0)
    alpha[start] = 0
    for f in short:
        alpha = np.logaddexp.reduce(alpha[None, :] + trans, axis=1) + f
    close(np.logaddexp.reduce(alpha + trans[stop]), np.logaddexp.reduce(scores), rtol=1e-9)


def test_bilstm_crf_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.bilstm_crf(L[0], L[1], L[3], sync))
    assert ours["before"][1] == theirs["before"][1] and ours["after"][1] == theirs["after"][1]
    close(ours["before"][0], theirs["before"][0], rtol=1e-4)
    for key in ("transitions0", "forward_score", "gold_score", "feats"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    close(ours["nll"], theirs["nll"], rtol=1e-3, atol=1e-4)
    close(ours["transitions"], theirs["transitions"], rtol=1e-3, atol=1e-4)


# --- Word Embeddings: Encoding Lexical Semantics ---


def test_word_embeddings_look_up_rows_and_train():
    autograd.manual_seed(0)
    out = scripts.word_embeddings(autograd, nn, F, optim, no_sync)
    close(out["hello_embed"], out["hello_row"][None], rtol=0)
    assert out["n_ngrams"] == len(scripts.SONNET) - 2
    assert out["first_ngram"] == (["forty", "When"], "winters")
    assert out["losses"][-1] < out["losses"][0]
    assert out["cbow_losses"][-1] < out["cbow_losses"][0]
    assert out["beauty"].shape == (10,) and len(out["context0"]) == 4


def test_word_embeddings_match_torch():
    ours, theirs = both(lambda L, sync: scripts.word_embeddings(L[0], L[1], L[2], L[3], sync))
    assert ours["context0"] == theirs["context0"]
    for key in ("hello_embed", "losses", "beauty", "cbow_losses", "cbow_embedding"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-6)
