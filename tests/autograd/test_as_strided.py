"""Tensor.as_strided(size, stride, storage_offset): a view of the storage in element strides,
whose entries are read at ``offset + sum(i * stride)``; first and second derivatives against
finite differences (overlapping windows accumulate, aliased inputs share); its checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd.testing import gradcheck, gradgradcheck

# how the input is laid out before as_strided: its own storage, in different orders
LAYOUTS = {
    "contiguous": lambda t: t,
    "transposed": lambda t: t.transpose(0, -1),
    "expanded": lambda t: t.unsqueeze(0).expand(2, *t.shape),
    "sliced": lambda t: t[1:],
}


@st.composite
def _geometry(draw: st.DrawFn) -> tuple:
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    if layout == "sliced":
        assume(shape[0] > 1)
    size = tuple(draw(st.lists(st.integers(0, 4), min_size=0, max_size=3)))
    stride = tuple(draw(st.lists(st.integers(0, 3), min_size=len(size), max_size=len(size))))
    offset = draw(st.integers(0, int(np.prod(shape)) - 1))
    return shape, layout, size, stride, offset


def _places(size: tuple, stride: tuple, offset: int) -> set:
    """The storage positions a layout's entries sit at."""
    return {offset + sum(k * s for k, s in zip(i, stride)) for i in np.ndindex(*size)}


def _readable(x: Any, size: tuple, stride: tuple, offset: int) -> bool:
    """Whether every entry of the layout is one of x's places."""
    return _places(size, stride, offset) <= _places(x.shape, x.stride(), x.storage_offset())


def _reference(x: Any, size: tuple, stride: tuple, offset: int) -> np.ndarray:
    """Each entry read from the storage by its index: the definition."""
    memory = np.asarray(x.untyped_storage().tolist(), dtype=np.uint8).view(x.numpy().dtype)
    out = np.empty(size, dtype=memory.dtype)
    for i in np.ndindex(*size):
        out[i] = memory[offset + sum(k * s for k, s in zip(i, stride))]
    return out


@settings(max_examples=80, deadline=None)
@given(_geometry(), st.integers(0, 2**31))
def test_entries_are_the_definition_and_share_the_memory(geometry: tuple, seed: int) -> None:
    shape, layout, size, stride, offset = geometry
    x = LAYOUTS[layout](autograd.tensor(np.random.default_rng(seed).normal(size=shape)))
    assume(_readable(x, size, stride, offset))
    y = x.as_strided(size, stride, offset)
    assert y.shape == size and y.storage_offset() == offset
    np.testing.assert_array_equal(y.numpy(), _reference(x, size, stride, offset))
    if y.numel():
        assert y.stride() == stride
        assert y.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()


@settings(max_examples=40, deadline=None)
@given(_geometry(), st.integers(0, 2**31))
def test_derivatives_match_finite_differences(geometry: tuple, seed: int) -> None:
    shape, layout, size, stride, offset = geometry
    leaf = autograd.tensor(np.random.default_rng(seed).normal(size=shape), requires_grad=True)
    assume(_readable(LAYOUTS[layout](leaf), size, stride, offset))

    def f(t: Any) -> Any:
        return LAYOUTS[layout](t).as_strided(size, stride, offset)

    assert gradcheck(f, [leaf])
    assert gradgradcheck(lambda t: f(t) ** 2, [leaf])


def test_overlapping_windows_add_up_their_gradients() -> None:
    x = autograd.tensor(np.arange(5.0), requires_grad=True)
    w = x.as_strided((3, 3), (1, 1))  # the windows [0:3], [1:4], [2:5]
    w.backward(autograd.tensor(np.ones((3, 3))))
    assert x.grad.tolist() == [1.0, 2.0, 3.0, 2.0, 1.0]


def test_aliased_input_entries_share_the_gradient_of_their_place() -> None:
    b = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    e = b.expand(3, 2)  # three entries at each place
    y = e.as_strided((2,), (1,), 0)
    y.backward(autograd.tensor(np.array([3.0, 6.0])))
    assert b.grad.tolist() == [3.0, 6.0]  # each of the 3 aliases took a third, expand sums


def test_default_offset_is_the_tensors_own() -> None:
    base = autograd.arange(10.0)
    x = base[4:]
    assert x.as_strided((2,), (2,)).tolist() == [4.0, 6.0]
    assert autograd.as_strided(x, (2,), (1,), 5).tolist() == [5.0, 6.0]


def test_a_write_through_the_view_shows_in_the_tensor_and_is_recorded() -> None:
    x = autograd.tensor(np.arange(6.0), requires_grad=True)
    w = autograd.tensor(np.array([10.0, 100.0]), requires_grad=True)
    y = x * 1
    v = y.as_strided((2,), (3,), 1)
    v.mul_(w)
    assert y.tolist() == [0.0, 10.0, 2.0, 3.0, 400.0, 5.0]
    y.backward(autograd.tensor(np.arange(6.0) + 1))
    assert x.grad.tolist() == [1.0, 20.0, 3.0, 4.0, 500.0, 6.0]
    assert w.grad.tolist() == [2.0, 20.0]


def test_a_write_to_the_tensor_reaches_the_views_gradient() -> None:
    x = autograd.tensor(np.arange(4.0), requires_grad=True)
    w = autograd.tensor(np.array([3.0]), requires_grad=True)
    y = x * 1
    v = y.as_strided((2, 2), (1, 1))
    y[1:2] = w * 2
    assert v.tolist() == [[0.0, 6.0], [6.0, 2.0]]
    (v * v).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 4.0, 0.0]
    assert w.grad.tolist() == [48.0]


def test_overlapping_views_refuse_writes() -> None:
    y = autograd.arange(4.0)
    v = y.as_strided((2, 2), (1, 1))
    with pytest.raises(RuntimeError, match="more than one element"):
        v.add_(1)
    assert y.tolist() == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    "size, stride, offset, error, message",
    [
        ((2, 2), (3, 1), 3, RuntimeError, "out of bounds for storage of size 24"),
        ((3,), (-1,), 2, RuntimeError, "Negative strides are not supported"),
        ((3,), (1,), -1, RuntimeError, "invalid storage offset -1"),
        ((-1,), (1,), 0, RuntimeError, "negative size"),
        ((2, 2), (1,), 0, RuntimeError, "mismatch in length of strides and shape"),
        ((3,), (1.5,), 0, TypeError, "stride entry must be an int"),
        (3, (1,), 0, TypeError, "size must be a tuple of ints"),
    ],
)
def test_bad_layouts_are_refused(size: Any, stride: Any, offset: int, error: type, message: str):
    with pytest.raises(error, match=f"as_strided: .*{message}"):
        autograd.arange(6.0).as_strided(size, stride, offset)


def test_empty_views_may_start_anywhere() -> None:
    assert autograd.arange(6.0).as_strided((0, 3), (1, 1), 7).shape == (0, 3)


def test_reading_beyond_a_views_entries_is_not_supported() -> None:
    x = autograd.arange(6.0)[2:]
    with pytest.raises(NotImplementedError, match="as_strided: .*on the base tensor"):
        x.as_strided((3,), (1,), 0)
