"""alxndrTL/mamba.py (pscan.py, mamba.py, lm.py) run with our packages under torch's names:
the parallel scan (a custom Function updating strided views in place, forward and backward)
is the recurrence and its gradient is the finite differences' in float64, the parallel and
sequential selective scans and the recurrent ``step`` agree, it trains and decodes, and, when
PyTorch is installed, PyTorch's numbers from its initial weights."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F

from ..autograd.reroute_programs import central_differences
from . import mambapy_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_llm_scripts import one_torch_thread  # noqa: F401 (an autouse fixture)

OURS = (autograd, nn, F)


def recurrence(a: np.ndarray, x: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
    """H[t] = A[t] * H[t-1] + X[t] over axis 1, from H[-1] = h0 (or 0)."""
    h = np.zeros_like(x[:, 0]) if h0 is None else h0
    hs = []
    for t in range(x.shape[1]):
        h = a[:, t] * h + x[:, t]
        hs.append(h)
    return np.stack(hs, axis=1)


@settings(max_examples=15, deadline=None)
@given(length=st.integers(1, 17), with_h0=st.booleans(), seed=st.integers(0, 2**16))
def test_pscan_is_the_recurrence_and_its_backward_the_finite_differences(length, with_h0, seed):
    pscan = scripts.pscan_py(autograd, F)
    rs = np.random.RandomState(seed)
    a, x = rs.uniform(0.3, 1.1, (2, length, 2, 3)), rs.randn(2, length, 2, 3)
    h0 = rs.randn(2, 2, 3) if with_h0 else None
    w = rs.randn(2, length, 2, 3)  # the loss weights every output differently
    arrays = [a, x] + ([h0] if with_h0 else [])
    inputs = [autograd.tensor(v, requires_grad=True) for v in arrays]
    hs = pscan(*inputs)
    np.testing.assert_allclose(hs.detach().numpy(), recurrence(a, x, h0), rtol=1e-10, atol=1e-12)
    (hs * autograd.tensor(w)).sum().backward()
    for i, t in enumerate(inputs):

        def loss(v, i=i):
            args = [v if j == i else arrays[j] for j in range(len(arrays))]
            return float((recurrence(*args) * w).sum())

        numeric = central_differences(loss, arrays[i])
        np.testing.assert_allclose(t.grad.numpy(), numeric, rtol=1e-6, atol=1e-8)
    for t, v in zip(inputs, arrays, strict=True):  # the in-place scan worked on clones
        np.testing.assert_array_equal(t.detach().numpy(), v)


def test_pscan_matches_torch():
    torch = pytest.importorskip("torch")
    rs = np.random.RandomState(3)
    arrays = [rs.uniform(0.3, 1.1, (2, 11, 2, 3)), rs.randn(2, 11, 2, 3), rs.randn(2, 2, 3)]
    w = rs.randn(2, 11, 2, 3)
    results = []
    for lib, lib_F in ((autograd, F), (torch, torch.nn.functional)):
        inputs = [lib.tensor(v, requires_grad=True) for v in arrays]
        hs = scripts.pscan_py(lib, lib_F)(*inputs)
        (hs * lib.tensor(w)).sum().backward()
        results.append([hs.detach().numpy()] + [t.grad.numpy() for t in inputs])
    for ours, theirs in zip(*results, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def run_ours(**kwargs) -> dict:
    autograd.manual_seed(0)
    return scripts.mamba_lm(*OURS, no_sync, **kwargs)


def test_mamba_lm_trains_steps_and_decodes():
    out = run_ours()
    assert out["readme_shape"] == (2, 64, 16)
    dt = out["readme_dt"]  # softplus(bias) is the dt drawn log-uniformly in [dt_min, dt_max]
    assert dt.shape == (32,) and np.all((dt >= 1e-3 - 1e-7) & (dt <= 0.1 + 1e-6))
    assert out["vocab"] == 32  # 29 characters padded to a multiple of 8
    # per layer: in_proj, conv1d, x_proj, dt_proj, A_log, out_proj; conv and dt biases, D, norm
    assert out["groups"] == [(2 + 2 * 6, 1e-2, 0.1), (2 * 4 + 1, 1e-2, 0.0)]
    assert abs(out["init_std"][0] - 0.02) < 0.004 and abs(out["init_std"][1] - 0.01) < 0.003
    assert out["losses"][-1] < out["losses"][0]
    assert np.abs(out["grad_A_log"]).max() > 0 and np.abs(out["grad_conv"]).max() > 0
    np.testing.assert_allclose(out["stepped"], out["full"], rtol=1e-4, atol=1e-6)
    assert out["greedy"].startswith("the ca") and len(out["greedy"]) == 6 + 8
    assert [len(s) for s in out["sampled"]] == [10, 10] and out["training"]


def test_mamba_lm_parallel_and_sequential_scans_agree():
    parallel, sequential = run_ours(pscan=True), run_ours(pscan=False)
    close(parallel["losses"], sequential["losses"], rtol=1e-5)
    close(parallel["grad_conv"], sequential["grad_conv"], rtol=1e-3, atol=1e-9)
    assert parallel["greedy"] == sequential["greedy"]


def test_mamba_lm_mup_groups_and_zero_head():
    out = run_ours(mup=True)
    # the four projections per layer; the rest of the matrices; biases and D (no norm gains)
    assert out["groups"] == [(2 * 4, 5e-3, 0.2), (2 + 2 * 2, 1e-2, 0.1), (2 * 3, 1e-2, 0.0)]
    assert out["init_std"][0] == 0  # muP zeroes the head: the first loss is log(vocab)
    assert out["losses"][0] == pytest.approx(np.log(32), rel=1e-6)


@pytest.mark.parametrize(("pscan", "mup"), [(True, False), (False, True)])
def test_mamba_lm_matches_torch(pscan, mup):
    ours, theirs = both(lambda L, sync: scripts.mamba_lm(*L[:3], sync, pscan=pscan, mup=mup))
    close(ours["losses"], theirs["losses"], rtol=1e-4)
    close(ours["full"], theirs["full"], rtol=1e-3, atol=1e-5)
    close(ours["stepped"], theirs["stepped"], rtol=1e-3, atol=1e-5)
    scale = np.abs(theirs["grad_conv"]).max()
    close(ours["grad_conv"], theirs["grad_conv"], rtol=1e-3, atol=1e-3 * scale)
    for key in ("readme_shape", "vocab", "groups", "greedy", "training"):
        assert ours[key] == theirs[key], key
