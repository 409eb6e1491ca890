"""``autograd.empty(..., memory_format=...)`` as PyTorch's (RWKV's WKV Function allocates
its output with ``memory_format=torch.contiguous_format``): the formats are checked, the
result is an ordinary tensor of the shape and dtype asked for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd


@given(st.lists(st.integers(0, 4), min_size=0, max_size=4))
def test_contiguous_format_gives_the_shape_asked_for(shape):
    t = autograd.empty(tuple(shape), memory_format=autograd.contiguous_format)
    assert t.shape == tuple(shape) and t.dtype == autograd.float32
    assert t.is_contiguous()


def test_channels_last_needs_four_dims():
    assert autograd.empty(1, 2, 3, 4, memory_format=autograd.channels_last).shape == (1, 2, 3, 4)
    with pytest.raises(RuntimeError, match="empty: required rank 4 tensor to use channels_last"):
        autograd.empty(2, 3, memory_format=autograd.channels_last)


def test_preserve_format_and_non_formats_are_refused():
    with pytest.raises(RuntimeError, match="empty: unsupported memory format preserve_format"):
        autograd.empty(2, 3, memory_format=autograd.preserve_format)
    with pytest.raises(TypeError, match="empty: memory_format must be"):
        autograd.empty(2, 3, memory_format="channels_last")


def test_other_arguments_still_apply():
    t = autograd.empty(
        (2, 2), dtype=autograd.float64, requires_grad=True, memory_format=autograd.contiguous_format
    )
    assert t.dtype == autograd.float64 and t.requires_grad and t.is_leaf
