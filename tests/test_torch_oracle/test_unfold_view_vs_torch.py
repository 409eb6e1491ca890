"""Tensor.unfold against torch: a view (writes either way show on the other side), with the
same values and gradients."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

CASES = [((3, 4), (1, 2, 1)), ((2, 3, 4), (-1, 2, 3)), ((5, 3), (0, 2, 1)), ((7,), (0, 3, 2))]


@pytest.mark.parametrize(("shape", "args"), CASES)
def test_writes_through_the_windows_and_the_tensor_match_torch(shape, args) -> None:
    x = np.arange(float(np.prod(shape))).reshape(shape)
    a, b = autograd.tensor(x), torch.tensor(x)
    ua, ub = a.unfold(*args), b.unfold(*args)
    ua[(0,) * ua.ndim] = -1.0
    ub[(0,) * ub.ndim] = -1.0
    a[(-1,) * a.ndim] = 99.0
    b[(-1,) * b.ndim] = 99.0
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_array_equal(ua.numpy(), ub.numpy())


@pytest.mark.parametrize(("shape", "args"), CASES)
def test_gradients_match_torch(shape, args) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape)
    a, b = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ua, ub = a.unfold(*args), b.unfold(*args)
    g = rng.normal(size=tuple(ub.shape))
    (ua * ua).backward(autograd.tensor(g))
    (ub * ub).backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)
