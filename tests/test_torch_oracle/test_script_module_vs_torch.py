"""A torch.jit.ScriptModule subclass with script_method methods, written once for both
libraries: the same outputs and gradients given PyTorch's weights, the same state_dict keys
and isinstance answers."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn

torch = pytest.importorskip("torch")


def make(lib, lnn):
    class Mixer(lib.jit.ScriptModule):
        def __init__(self):
            super().__init__()
            self.key = lnn.Linear(4, 4, bias=False)
            self.ln = lnn.LayerNorm(4)

        @lib.jit.script_method
        def mix(self, x, state, i: int):
            xk = x * 0.5 + state[i] * 0.5
            return lib.square(lib.relu(self.key(xk)))

        @lib.jit.script_method
        def forward(self, x, state):
            return self.mix(self.ln(x), state, 1)

    return Mixer()


def test_matches_torch():
    rs = np.random.RandomState(0)
    theirs = make(torch, torch.nn)
    ours = make(autograd, nn)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert isinstance(ours, autograd.jit.ScriptModule) and isinstance(ours, nn.Module)
    assert isinstance(theirs, torch.jit.ScriptModule) and isinstance(theirs, torch.nn.Module)
    x, state = rs.randn(3, 4).astype(np.float32), rs.randn(2, 4).astype(np.float32)
    results = []
    for lib, m in ((autograd, ours), (torch, theirs)):
        xt = lib.tensor(x, requires_grad=True)
        y = m(xt, lib.tensor(state))
        y.sum().backward()
        results.append((y.detach().numpy(), xt.grad.numpy(), m.key.weight.grad.numpy()))
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
