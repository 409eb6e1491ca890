"""The notes' plain gradient descent on J = t1^2 + t2^2: t_k = (1 - 2 lr)^k t_0."""

from __future__ import annotations

import numpy as np
import pytest

import optim
from autograd import Tensor, Value


@pytest.mark.parametrize("lr", [0.25, 0.125, 0.375])
def test_gd_on_sum_of_squares_is_exact_geometric_values(lr: float) -> None:
    # lr a multiple of 1/8: every product is exact in binary, so equality is exact.
    t1, t2 = Value(3.0), Value(-5.0)
    opt = optim.SGD([t1, t2], lr=lr)
    for k in range(1, 30):
        opt.zero_grad()
        (t1**2 + t2**2).backward()
        opt.step()
        assert t1.data == 3.0 * (1 - 2 * lr) ** k
        assert t2.data == -5.0 * (1 - 2 * lr) ** k


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gd_on_sum_of_squares_tensor(dtype: type) -> None:
    lr = 0.1
    t = Tensor(np.array([3.0, -5.0], dtype=dtype), requires_grad=True)
    opt = optim.SGD([t], lr=lr)
    for k in range(1, 50):
        opt.zero_grad()
        (t**2).sum().backward()
        opt.step()
        rtol = 1e-5 if dtype == np.float32 else 1e-13
        np.testing.assert_allclose(t.data, np.array([3.0, -5.0]) * (1 - 2 * lr) ** k, rtol=rtol)
        assert t.data.dtype == dtype
