"""scatter_reduce against PyTorch on a grid of reductions, dims and include_self, with values
drawn from a few integers so that ties (amax/amin) and zeros (prod) are common: values,
gradients of self and src, and second derivatives (where PyTorch has them); integer
tensors; the in-place form."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor

torch = pytest.importorskip("torch")

REDUCTIONS = ["sum", "prod", "mean", "amax", "amin"]


def _problem(seed: int, dim: int, ties: bool):
    rng = np.random.default_rng(seed)
    shape = (3, 4)
    ishape = (4, 3) if dim == 0 else (3, 5)
    if ties:
        x = rng.integers(-1, 2, size=shape).astype(np.float64)
        src = rng.integers(-1, 2, size=ishape).astype(np.float64)
    else:
        x, src = rng.normal(size=shape), rng.normal(size=ishape)
    index = rng.integers(0, shape[dim], size=ishape)
    return x, src, index


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties-and-zeros"])
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("dim", [0, 1])
@pytest.mark.parametrize("reduce", REDUCTIONS)
def test_values_and_derivatives_match_torch(reduce, dim, include_self, seed, ties):
    x, src, index = _problem(seed, dim, ties)
    up = np.random.default_rng(seed + 100).normal(size=x.shape)
    xo, so = Tensor(x, requires_grad=True), Tensor(src, requires_grad=True)
    xt, st = torch.tensor(x, requires_grad=True), torch.tensor(src, requires_grad=True)
    yo = xo.scatter_reduce(dim, Tensor(index), so, reduce, include_self=include_self)
    yt = torch.scatter_reduce(xt, dim, torch.tensor(index), st, reduce, include_self=include_self)
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), rtol=1e-12, atol=1e-14)
    go = autograd.grad(yo, [xo, so], grad_outputs=Tensor(up), create_graph=True)
    gt = torch.autograd.grad(yt, [xt, st], grad_outputs=torch.tensor(up), create_graph=True)
    for a, b in zip(go, gt):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-12, atol=1e-14)
    # second order: d/d(x, src) of <gradients, v>
    vs = [np.random.default_rng(seed + k).normal(size=a.shape) for k, a in enumerate(go)]
    so_ = sum((a * Tensor(v)).sum() for a, v in zip(go, vs))
    st_ = sum((b * torch.tensor(v)).sum() for b, v in zip(gt, vs))
    try:  # (sum, mean, amax, amin: the gradient does not depend on x and src)
        ht = torch.autograd.grad(st_, [xt, st], allow_unused=True) if st_.requires_grad else ()
    except RuntimeError as e:  # prod: two zeros of src meeting in one place
        assert "Double backward is unsupported" in str(e)
        with pytest.raises(RuntimeError, match="double backward is unsupported"):
            autograd.grad(so_, [xo, so], allow_unused=True)
        return
    ho = autograd.grad(so_, [xo, so], allow_unused=True) if so_.requires_grad else ()
    ho, ht = ho or (None, None), ht or (None, None)
    for a, b, ref in zip(ho, ht, (x, src)):
        a_ = np.zeros_like(ref) if a is None else a.data
        b_ = np.zeros_like(ref) if b is None else b.numpy()
        np.testing.assert_allclose(a_, b_, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCTIONS)
def test_integer_tensors_match_torch(reduce, include_self):
    rng = np.random.default_rng(5)
    x = rng.integers(-9, 10, size=(4, 3))
    src = rng.integers(-9, 10, size=(6, 3))
    index = rng.integers(0, 4, size=(6, 3))
    got = Tensor(x).scatter_reduce(0, Tensor(index), Tensor(src), reduce, include_self=include_self)
    want = torch.tensor(x).scatter_reduce(
        0, torch.tensor(index), torch.tensor(src), reduce, include_self=include_self
    )
    assert got.dtype == want.numpy().dtype
    np.testing.assert_array_equal(got.data, want.numpy())


def test_in_place_form_matches_torch():
    x, src, index = _problem(0, 1, True)
    ours, theirs = Tensor(x.copy()), torch.tensor(x.copy())
    r1 = ours.scatter_reduce_(1, Tensor(index), Tensor(src), "amax", include_self=False)
    r2 = theirs.scatter_reduce_(
        1, torch.tensor(index), torch.tensor(src), "amax", include_self=False
    )
    assert r1 is ours and r2 is theirs
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_float32_matches_torch():
    x, src, index = _problem(3, 0, False)
    for reduce in REDUCTIONS:
        got = Tensor(x.astype(np.float32)).scatter_reduce(
            0, Tensor(index), Tensor(src.astype(np.float32)), reduce
        )
        want = torch.tensor(x, dtype=torch.float32).scatter_reduce(
            0, torch.tensor(index), torch.tensor(src, dtype=torch.float32), reduce
        )
        assert got.dtype == np.float32
        np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-6, atol=1e-6)
