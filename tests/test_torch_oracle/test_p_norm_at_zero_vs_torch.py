"""p-norms with p < 1 against torch where entries are zero: finite gradients, torch's."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402


@pytest.mark.parametrize("p", [0.3, 0.5, 0.99])
def test_p_norm_below_one_passes_zero_back_from_zero_entries(p):
    # |x|^p has an infinite slope at 0 for p < 1; torch's norm backward gives those entries 0
    x = np.array([[0.0, 1.0, -2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 1.5]])
    weights = np.array([1.0, 2.0, -1.0])
    ours = autograd.tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    (ours.norm(p, dim=1) * autograd.tensor(weights)).sum().backward()
    (theirs.norm(p, dim=1) * torch.tensor(weights)).sum().backward()
    assert np.isfinite(ours.grad.numpy()).all()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-10)
    a, b = autograd.tensor(x[0], requires_grad=True), torch.tensor(x[0], requires_grad=True)
    autograd.dist(a, autograd.zeros(3, dtype=autograd.float64), p).backward()
    torch.dist(b, torch.zeros(3, dtype=torch.float64), p).backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10)
