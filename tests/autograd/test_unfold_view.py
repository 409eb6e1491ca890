"""Tensor.unfold(dim, size, step): the windows are a view sharing the tensor's data (as
torch's), with first and second derivatives that match finite differences."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd.testing import gradcheck, gradgradcheck


@st.composite
def _windows(draw: st.DrawFn) -> tuple:
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    size = draw(st.integers(0, shape[dim]))
    step = draw(st.integers(1, 4))
    return shape, dim, size, step


def _reference(x: np.ndarray, dim: int, size: int, step: int) -> np.ndarray:
    """Each window copied out by index: the definition."""
    a = dim % x.ndim
    count = (x.shape[a] - size) // step + 1
    parts = [np.take(x, np.arange(i * step, i * step + size), axis=a) for i in range(count)]
    return np.stack([np.moveaxis(p, a, -1) for p in parts], axis=a)


@settings(max_examples=60, deadline=None)
@given(_windows(), st.integers(0, 2**31))
def test_windows_are_the_definition_and_share_the_data(geometry: tuple, seed: int) -> None:
    shape, dim, size, step = geometry
    x = autograd.tensor(np.random.default_rng(seed).normal(size=shape))
    u = x.unfold(dim, size, step)
    np.testing.assert_array_equal(u.numpy(), _reference(x.numpy(), dim, size, step))
    if u.numel():
        assert np.shares_memory(u.data, x.data)
        x.data[...] = -x.data  # a write to the tensor shows in its windows
        np.testing.assert_array_equal(u.numpy(), _reference(x.numpy(), dim, size, step))


def test_a_write_to_a_window_shows_in_the_tensor() -> None:
    x = autograd.arange(6.0)
    u = x.unfold(0, 3, 1)
    u[1, 0] = -1.0
    assert x.tolist() == [0.0, -1.0, 2.0, 3.0, 4.0, 5.0]
    assert u[0].tolist() == [0.0, -1.0, 2.0]


@settings(max_examples=25, deadline=None)
@given(_windows(), st.integers(0, 2**31))
def test_derivatives_match_finite_differences(geometry: tuple, seed: int) -> None:
    shape, dim, size, step = geometry
    x = autograd.tensor(np.random.default_rng(seed).normal(size=shape), requires_grad=True)
    assert gradcheck(lambda t: t.unfold(dim, size, step), [x])
    assert gradgradcheck(lambda t: t.unfold(dim, size, step) ** 2, [x])
