"""F.unfold and F.fold against torch: values and gradients over random geometries."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402


@pytest.mark.parametrize("seed", range(30))
def test_unfold_and_fold_match_torch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k, d = tuple(rng.integers(1, 4, 2)), tuple(rng.integers(1, 3, 2))
    p, s = tuple(rng.integers(0, 3, 2)), tuple(rng.integers(1, 3, 2))
    size = tuple(int(n) for n in rng.integers(d[0] * (k[0] - 1) + 1, 9, 2))
    x = rng.normal(size=(2, 3, *size))
    tx, ax = torch.tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
    ty, ay = torch.nn.functional.unfold(tx, k, d, p, s), F.unfold(ax, k, d, p, s)
    g = rng.normal(size=ty.shape)
    (ty * torch.tensor(g)).sum().backward()
    (ay * Tensor(g)).sum().backward()
    np.testing.assert_allclose(ay.data, ty.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(ax.grad.data, tx.grad.numpy(), rtol=1e-12)
    tc, ac = torch.tensor(g, requires_grad=True), Tensor(g, requires_grad=True)
    tf, af = torch.nn.functional.fold(tc, size, k, d, p, s), F.fold(ac, size, k, d, p, s)
    (tf * torch.tensor(x)).sum().backward()
    (af * Tensor(x)).sum().backward()
    np.testing.assert_allclose(af.data, tf.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ac.grad.data, tc.grad.numpy(), rtol=1e-15)
