"""RReLU (evaluation), Softmax2d and their reprs against torch; gumbel_softmax's relaxed sample
against torch's formula with the same Gumbel noise."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
from autograd import Tensor  # noqa: E402


@pytest.mark.parametrize("bounds", [(), (0.1, 0.3), (0.0, 1.0)])
def test_rrelu_in_evaluation_matches_torch(bounds: tuple) -> None:
    x = np.random.default_rng(0).normal(size=(3, 5))
    x[0, 0] = 0.0
    ours, theirs = nn.RReLU(*bounds).eval(), torch.nn.RReLU(*bounds).eval()
    assert repr(ours) == repr(theirs)
    a, t = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(a), theirs(t)
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), rtol=1e-15)
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-15)


@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (3, 4, 5)])
def test_softmax2d_matches_torch(shape: tuple) -> None:
    x = np.random.default_rng(1).normal(size=shape)
    w = np.random.default_rng(2).normal(size=shape)
    a, t = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (nn.Softmax2d()(a) * Tensor(w)).sum().backward()
    (torch.nn.Softmax2d()(t) * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert repr(nn.Softmax2d()) == repr(torch.nn.Softmax2d())
