"""Module.cpu / cuda / half / type / get_parameter, as PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest

import nn


def test_cpu_is_the_module_and_cuda_is_refused():
    m = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
    assert m.cpu() is m
    with pytest.raises(RuntimeError, match="Sequential.cuda: device 'cuda' is not available"):
        m.cuda()


def test_half_and_type_cast_the_parameters():
    m = nn.Linear(2, 3)
    assert m.half().weight.dtype == np.float16 and m.bias.dtype == np.float16
    assert m.type(np.float64).weight.dtype == np.float64


def test_get_parameter_follows_dotted_paths():
    m = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.Linear(3, 1)))
    assert m.get_parameter("1.0.bias") is m[1][0].bias
    assert m.get_parameter("0.weight") is m[0].weight
    with pytest.raises(AttributeError, match="Linear has no parameter 'foo'"):
        m.get_parameter("0.foo")
    with pytest.raises(AttributeError, match="no submodule '7'"):
        m.get_parameter("7.weight")
