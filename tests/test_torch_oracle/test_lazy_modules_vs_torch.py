"""Lazy modules against PyTorch's: the sizes each infers, the class each becomes, reprs
before and after, state_dict keys and shapes, and (with torch's materialized weights copied
in) the outputs and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor

torch = pytest.importorskip("torch")

CASES = [
    ("LazyLinear", (5,), {}, (3, 7)),
    ("LazyConv1d", (4, 3), {"padding": 1}, (2, 3, 9)),
    ("LazyConv2d", (6, 3), {"stride": 2, "groups": 2}, (2, 4, 7, 7)),
    ("LazyConv2d", (2, 3), {}, (3, 5, 5)),
    ("LazyConvTranspose2d", (4, 2), {"stride": 2}, (2, 3, 4, 4)),
    ("LazyBatchNorm1d", (), {"momentum": 0.2}, (8, 5)),
    ("LazyBatchNorm2d", (), {}, (4, 3, 2, 2)),
    ("LazyConv3d", (4, 2), {"padding": 1}, (2, 3, 4, 4, 4)),
    ("LazyConvTranspose1d", (3, 3), {"stride": 2, "output_padding": 1}, (2, 4, 5)),
    ("LazyConvTranspose3d", (2, 2), {"groups": 2}, (1, 4, 3, 3, 3)),
    ("LazyBatchNorm3d", (), {}, (3, 2, 2, 2, 2)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", CASES)
def test_lazy_module_matches_torch(name, args, kwargs, shape):
    ours = getattr(nn, name)(*args, **kwargs)
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    ours = ours.double()
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).normal(size=shape)
    tx = torch.tensor(x, requires_grad=True)
    tout = theirs(tx)
    # torch's materialized parameters copied in (a partial load: the buffers stay lazy and
    # are materialized by our first forward, which must then update them as torch's did)
    params = {k: v.detach().numpy().copy() for k, v in theirs.named_parameters()}
    ours.load_state_dict(params, strict=False)
    xo = Tensor(x, requires_grad=True)
    out = ours(xo)
    assert type(ours).__name__ == type(theirs).__name__
    assert repr(ours) == repr(theirs)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = np.random.default_rng(1).normal(size=tout.shape)
    tout.backward(torch.tensor(g))
    out.backward(g)
    np.testing.assert_allclose(xo.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    for (k, v), (tk, tv) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert k == tk
        np.testing.assert_allclose(v.grad.numpy(), tv.grad.numpy(), rtol=1e-10, atol=1e-12)
    ours_state, their_state = ours.state_dict(), theirs.state_dict()
    assert list(ours_state) == list(their_state)
    for k, v in their_state.items():
        np.testing.assert_allclose(ours_state[k], v.numpy(), rtol=1e-10, atol=1e-12)
