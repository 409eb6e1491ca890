"""``autograd.jit.ScriptModule`` (torch.jit.ScriptModule): an nn.Module base whose subclasses
mark methods with ``@jit.script_method`` (RWKV's RNN runner); the methods run as written, with
their gradients, parameters and state_dict."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import autograd as torch
import nn
from autograd.testing import gradcheck
from autograd.testing.strategies import tensors


class Gated(torch.jit.ScriptModule):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(3, 3).double()
        self.scale = 2.0

    @torch.jit.script_method
    def gate(self, x: torch.Tensor, i: int) -> torch.Tensor:
        return torch.sigmoid(self.lin(x)) * x * (self.scale + i)

    @torch.jit.script_method
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.gate(x, 1)


def test_is_an_nn_module_and_a_script_module():
    m = Gated()
    assert isinstance(m, nn.Module) and isinstance(m, torch.jit.ScriptModule)
    assert not isinstance(nn.Linear(2, 2), torch.jit.ScriptModule)
    assert list(m.state_dict()) == ["lin.weight", "lin.bias"]
    assert len(list(m.parameters())) == 2 and m.training and not m.eval().training
    assert repr(torch.jit.ScriptModule()) == "ScriptModule()"


def test_unknown_jit_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchThing'"):
        torch.jit.NoSuchThing  # noqa: B018


@given(tensors(shape=(2, 3)))
def test_script_methods_are_differentiable(x):
    m = Gated()
    assert gradcheck(lambda t: m(t), [x])
    y = m(x)
    y.sum().backward()
    assert m.lin.weight.grad is not None and np.isfinite(m.lin.weight.grad.numpy()).all()
