"""Every op of tests/op_catalogue.py against PyTorch: the same ``fn(lib, *xs)`` run with
``lib = autograd`` and ``lib = torch`` gives the same values, dtypes, shapes, first gradients
(for a random upstream gradient) and, in float64, second derivatives."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import autograd
from tests.op_catalogue import ERRORS, OPS, TORCH_CANNOT_DIFFERENTIATE, ErrorInfo, OpInfo

torch = pytest.importorskip("torch")

TOL = {"float64": {}, "float32": {"rtol": 2e-5, "atol": 2e-6}, "int64": {"rtol": 1e-6}}


def _seed(name: str) -> int:
    return zlib.crc32(name.encode())


def _np(x: object) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().numpy()
    return np.asarray(x)


def _run(o: OpInfo, dtype: str, create_graph: bool = False) -> tuple:
    rng = np.random.default_rng(_seed(o.name))
    arrays = o.make(rng, np.dtype(dtype))
    ours = [autograd.tensor(a, requires_grad=o.grad) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=o.grad) for a in arrays]
    return arrays, ours, o.fn(autograd, *ours), theirs, o.fn(torch, *theirs)


CASES = [(o, d) for o in OPS for d in o.dtypes]


@pytest.mark.parametrize(("o", "dtype"), CASES, ids=[f"{o.name}-{d}" for o, d in CASES])
def test_values_dtypes_shapes_and_gradients_match_torch(o: OpInfo, dtype: str) -> None:
    _, ours, out, theirs, ref = _run(o, dtype)
    ref_np = _np(ref)
    assert out.shape == ref_np.shape, (out.shape, ref_np.shape)
    assert out.dtype == ref_np.dtype, (out.dtype, ref_np.dtype)
    if dtype == "int64" and out.dtype.kind == "f":
        tol = TOL["float32"]
    else:
        tol = {"rtol": o.rtol, "atol": o.atol} if dtype == "float64" else TOL[dtype]
    np.testing.assert_allclose(np.asarray(out.data, dtype=float), ref_np.astype(float), **tol)
    if not o.grad:
        return
    g = np.random.default_rng(1).standard_normal(ref_np.shape).astype(ref_np.dtype)
    out.backward(g)
    if TORCH_CANNOT_DIFFERENTIATE in o.tags:  # ours is checked against finite differences
        with pytest.raises(RuntimeError):
            ref.backward(torch.tensor(g))
        return
    ref.backward(torch.tensor(g))
    for i, (a, b) in enumerate(zip(ours, theirs)):
        mine = np.zeros(a.shape) if a.grad is None else np.asarray(a.grad)
        want = np.zeros(a.shape) if b.grad is None else b.grad.numpy()
        if a.grad is not None:
            assert np.asarray(a.grad).dtype == np.dtype(dtype), (i, np.asarray(a.grad).dtype)
        np.testing.assert_allclose(mine, want, err_msg=f"gradient of input {i}", **tol)


SECOND = [o for o in OPS if o.grad and o.gradgrad and TORCH_CANNOT_DIFFERENTIATE not in o.tags]


@pytest.mark.parametrize("o", SECOND, ids=[o.name for o in SECOND])
def test_second_derivatives_match_torch(o: OpInfo) -> None:
    _, ours, out, theirs, ref = _run(o, "float64")
    g = np.random.default_rng(1).standard_normal(tuple(ref.shape))
    ga = autograd.grad(out, ours, autograd.tensor(g), create_graph=True, allow_unused=True)
    gt = torch.autograd.grad(ref, theirs, torch.tensor(g), create_graph=True, allow_unused=True)
    w = [np.random.default_rng(2 + i).standard_normal(x.shape) for i, x in enumerate(ours)]
    sa = [(gi * wi).sum() for gi, wi in zip(ga, w) if gi is not None and gi.requires_grad]
    st = [
        (gi * torch.tensor(wi)).sum()
        for gi, wi in zip(gt, w)
        if gi is not None and gi.requires_grad
    ]
    # a first derivative that does not depend on the inputs (piecewise-linear ops) has a zero
    # second derivative; the libraries may differ in whether they record it at all
    second_a = (
        autograd.grad(sum(sa[1:], sa[0]), ours, allow_unused=True) if sa else [None] * len(ours)
    )
    second_t = (
        torch.autograd.grad(sum(st[1:], st[0]), theirs, allow_unused=True)
        if st
        else [None] * len(theirs)
    )
    for i, (a, b) in enumerate(zip(second_a, second_t)):
        mine = np.zeros(ours[i].shape) if a is None else np.asarray(a.data)
        want = np.zeros(ours[i].shape) if b is None else b.numpy(force=True)
        np.testing.assert_allclose(mine, want, rtol=1e-9, atol=1e-11, err_msg=f"input {i}")


@pytest.mark.parametrize("e", ERRORS, ids=[e.name for e in ERRORS])
def test_bad_calls_fail_in_both_and_ours_names_the_op(e: ErrorInfo) -> None:
    arrays = [m(np.random.default_rng(0), np.dtype("float64")) for m in e.inputs]
    with pytest.raises(Exception):  # noqa: B017, PT011 (torch's exception types vary)
        e.fn(torch, *[torch.tensor(a, requires_grad=True) for a in arrays])
    with pytest.raises((ValueError, IndexError, TypeError, RuntimeError), match=e.match):
        e.fn(autograd, *[autograd.tensor(a, requires_grad=True) for a in arrays])
