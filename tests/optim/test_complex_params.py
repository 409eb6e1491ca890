"""A complex parameter is optimized as its real and imaginary parts, each a real number:
the same steps as two real parameters holding those parts (torch's view_as_real rule)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import optim

rng = np.random.default_rng(1)
X0, Y0 = rng.normal(size=4), rng.normal(size=4)
A, B = rng.normal(size=4), rng.normal(size=4)


@pytest.mark.parametrize("name", ["Adam", "RMSprop", "Adagrad", "Adamax", "Rprop", "LBFGS"])
def test_complex_steps_are_the_real_parts_steps(name):
    z = autograd.tensor(X0 + 1j * Y0, requires_grad=True)
    x = autograd.tensor(X0.copy(), requires_grad=True)
    y = autograd.tensor(Y0.copy(), requires_grad=True)
    opt_z = getattr(optim, name)([z], lr=0.1)
    opt_xy = getattr(optim, name)([x, y], lr=0.1)
    target = autograd.tensor(A + 1j * B)

    def loss_z():
        opt_z.zero_grad()
        loss = ((z - target).abs() ** 2).sum()  # = sum (x - a)^2 + (y - b)^2
        loss.backward()
        return loss

    def loss_xy():
        opt_xy.zero_grad()
        loss = ((x - autograd.tensor(A)) ** 2).sum() + ((y - autograd.tensor(B)) ** 2).sum()
        loss.backward()
        return loss

    for _ in range(4):
        opt_z.step(loss_z)
        opt_xy.step(loss_xy)
    np.testing.assert_allclose(z.detach().numpy().real, x.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(z.detach().numpy().imag, y.detach().numpy(), rtol=1e-12)
    assert z.dtype == np.complex128
