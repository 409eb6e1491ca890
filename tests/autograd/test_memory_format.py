"""Memory formats: accepted where PyTorch takes ``memory_format=`` (a layout choice, so the
values are unchanged), refused when they are not a format or need another rank."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor

X4 = np.random.default_rng(0).normal(size=(2, 3, 4, 5))


@pytest.mark.parametrize(
    "fmt", [autograd.preserve_format, autograd.contiguous_format, autograd.channels_last]
)
def test_like_functions_clone_and_to_keep_values(fmt):
    x = Tensor(X4, requires_grad=True)
    for fn, want in (
        (autograd.zeros_like, np.zeros_like(X4)),
        (autograd.ones_like, np.ones_like(X4)),
    ):
        got = fn(x, memory_format=fmt)
        np.testing.assert_array_equal(got.numpy(), want)
    assert autograd.full_like(x, 2.5, memory_format=fmt).numpy().max() == 2.5
    assert autograd.empty_like(x, memory_format=fmt).shape == x.shape
    assert autograd.rand_like(x, memory_format=fmt).shape == x.shape
    assert autograd.randn_like(x, memory_format=fmt).shape == x.shape
    assert autograd.randint_like(x, 3, memory_format=fmt).shape == x.shape
    y = x.clone(memory_format=fmt) * 2
    y = y.to(memory_format=fmt)
    if fmt is not autograd.preserve_format:  # which contiguous() refuses, as PyTorch
        y = y.contiguous(memory_format=fmt)
    y.sum().backward()
    np.testing.assert_array_equal(y.detach().numpy(), 2 * X4)
    np.testing.assert_array_equal(x.grad.numpy(), np.full_like(X4, 2.0))


def test_module_to_channels_last_keeps_outputs():
    conv = nn.Conv2d(3, 2, 3)
    x = Tensor(X4.astype(np.float32))
    before = conv(x).numpy()
    conv = conv.to(memory_format=autograd.channels_last)
    np.testing.assert_array_equal(conv(x.to(memory_format=autograd.channels_last)).numpy(), before)


def test_bad_format_and_rank_are_refused():
    x = Tensor(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="zeros_like: memory_format must be"):
        autograd.zeros_like(x, memory_format="channels_last")
    with pytest.raises(RuntimeError, match="required rank 4 tensor to use channels_last"):
        x.to(memory_format=autograd.channels_last)
    with pytest.raises(RuntimeError, match="required rank 5 tensor to use channels_last_3d"):
        Tensor(X4).contiguous(memory_format=autograd.channels_last_3d)


def test_constants_survive_copy_and_print_as_ours():
    assert copy.deepcopy(autograd.preserve_format) is autograd.preserve_format
    assert repr(autograd.channels_last) == "autograd.channels_last"
    assert isinstance(autograd.channels_last, autograd.memory_format)


def test_like_functions_check_the_rank_too():
    with pytest.raises(RuntimeError, match="required rank 4"):
        autograd.zeros_like(Tensor(np.zeros((2, 3))), memory_format=autograd.channels_last)
