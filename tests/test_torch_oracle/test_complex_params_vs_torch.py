"""Optimizers on complex parameters update the real and imaginary parts as real numbers, as
torch's do (view_as_real): five steps of each against torch."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import optim  # noqa: E402

rng = np.random.default_rng(0)
Z0 = rng.normal(size=3) + 1j * rng.normal(size=3)
W = rng.normal(size=3) + 1j * rng.normal(size=3)
CASES = [
    ("Adam", {"lr": 0.1}),
    ("AdamW", {"lr": 0.1, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.05, "momentum": 0.9, "centered": True}),
    ("Adagrad", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("Adamax", {"lr": 0.1}),
    ("NAdam", {"lr": 0.1}),
    ("RAdam", {"lr": 0.1}),
    ("Adadelta", {"lr": 1.0}),
    ("ASGD", {"lr": 0.1}),
    ("Rprop", {"lr": 0.1}),
    ("LBFGS", {"lr": 0.5}),
]


def _run(lib, optimizers, name, kw):
    z = lib.tensor(Z0.copy(), requires_grad=True)
    opt = getattr(optimizers, name)([z], **kw)
    w = lib.tensor(W)

    def closure():
        opt.zero_grad()
        loss = ((z - w).abs() ** 2).sum() + 0.1 * ((z * z).abs() ** 2).sum()
        loss.backward()
        return loss

    for _ in range(5):
        opt.step(closure)
    return z.detach().numpy()


@pytest.mark.parametrize("name, kw", CASES, ids=[c[0] for c in CASES])
def test_complex_parameter_steps_match_torch(name, kw):
    ours = _run(autograd, optim, name, kw)
    theirs = _run(torch, torch.optim, name, kw)
    assert ours.dtype == np.complex128
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
