"""pygcn and a sparse-COO GCN tutorial run with our packages under torch's names: properties
that hold without PyTorch (it learns, the sparse adjacency is pygcn's normalised one, the
sparse products agree with dense ones), and, when PyTorch is installed, the same numbers as
PyTorch given its initial weights."""

from __future__ import annotations

import numpy as np

import autograd
import nn
import nn.functional as F
import optim

from . import graph_scripts as scripts
from .test_course_scripts import both, close, no_sync

OURS = (autograd, nn, F)


def test_pygcn_learns_on_a_community_graph():
    autograd.manual_seed(0)
    out = scripts.pygcn(autograd, nn, F, optim, no_sync)
    assert out["is_sparse"]
    assert out["losses"][-1] < 0.8 * out["losses"][0]
    assert out["val_losses"][-1] < out["val_losses"][0]
    assert out["test_acc"] > 0.6  # three communities: chance is a third
    g = scripts.synthetic_graph()
    np.testing.assert_allclose(out["dense_adj"], g["adj"].dense, rtol=1e-6)
    np.testing.assert_allclose(out["dense_adj"].sum(1), 1.0, rtol=1e-6)  # row-normalised
    assert out["layer_repr"] == "GraphConvolution (10 -> 16)"


def test_pygcn_matches_torch():
    # dropout 0: the libraries' random streams differ, everything else is deterministic
    ours, theirs = both(lambda L, sync: scripts.pygcn(L[0], L[1], L[2], L[3], sync, dropout=0.0))
    for key in ("losses", "val_losses", "output"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    assert ours["train_acc"] == theirs["train_acc"]
    assert ours["test_acc"] == theirs["test_acc"]
    close(ours["dense_adj"], theirs["dense_adj"])


def test_pygcn_with_dropout_runs_on_both_and_learns():
    ours, theirs = both(lambda L, sync: scripts.pygcn(L[0], L[1], L[2], L[3], sync))
    for out in (ours, theirs):
        assert out["losses"][-1] < 0.8 * out["losses"][0]


def test_tutorial_gcn_sparse_products_agree_with_dense():
    out = scripts.tutorial_gcn(*OURS, no_sync)
    np.testing.assert_allclose(out["h1"], out["h2"], rtol=1e-12)
    dense = out["dense"]
    np.testing.assert_allclose(out["deg"], dense.sum(1), rtol=1e-12)
    # the edge weights' gradient is dL/dA (dense, from numpy) gathered at the edges
    xw = out["x"] @ out["lin_weight"].T
    h = dense @ xw
    d_a = ((1 - np.tanh(h) ** 2) + 2 * h) @ xw.T
    rows, cols = np.nonzero(dense)
    np.testing.assert_allclose(out["edge_weight_grad"], d_a[rows, cols], rtol=1e-10)
    assert np.isfinite(out["x_grad"]).all() and np.isfinite(out["lin_grad"]).all()


def test_tutorial_gcn_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.tutorial_gcn(L[0], L[1], L[2], sync))
    for key in ("h1", "h2", "x_grad", "edge_weight_grad", "lin_grad", "deg", "dense"):
        close(ours[key], theirs[key], rtol=1e-10, atol=1e-12)


def test_pygat_sparse_custom_function_learns():
    autograd.manual_seed(0)
    out = scripts.pygat_sparse(autograd, nn, F, optim, no_sync, dropout=0.0)
    assert out["losses"][-1] < 0.9 * out["losses"][0]
    assert np.allclose(np.exp(out["output"]).sum(1), 1.0, rtol=1e-5)


def test_pygat_sparse_matches_torch():
    ours, theirs = both(
        lambda L, sync: scripts.pygat_sparse(L[0], L[1], L[2], L[3], sync, dropout=0.0)
    )
    close(ours["losses"], theirs["losses"], rtol=1e-4, atol=1e-5)
    close(ours["output"], theirs["output"], rtol=1e-3, atol=1e-4)


def test_pygat_sparse_with_dropout_runs_on_both():
    ours, theirs = both(lambda L, sync: scripts.pygat_sparse(L[0], L[1], L[2], L[3], sync))
    assert all(np.isfinite(ours["losses"])) and all(np.isfinite(theirs["losses"]))
