"""Indexing: basic slices, None, Ellipsis, boolean masks and integer arrays (repeats add up)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors

X = np.arange(24.0).reshape(2, 3, 4) / 7 - 1.5
MASK = (np.arange(24).reshape(2, 3, 4) % 3) == 0

INDICES = {
    "int": 1,
    "negative_int": -1,
    "slice": slice(0, 1),
    "negative_step": (slice(None), slice(None, None, -1)),
    "slice_with_step": (..., slice(0, 4, 2)),
    "int_and_slice": (0, slice(1, 3)),
    "negative_pair": (-1, -2),
    "full_element": (1, 2, 3),
    "none": (None, 1),
    "none_between": (slice(None), None, 0),
    "ellipsis": (Ellipsis, 1),
    "ellipsis_none": (0, Ellipsis, None),
    "mask": MASK,
    "mask_first_axis": np.array([False, True]),
    "mask_in_tuple": (slice(None), np.array([True, False, True])),
    "int_list_repeated": [1, 1, 0],
    "int_array_repeated": np.array([[0, 1], [1, 1]]),
    "negative_int_array": np.array([-1, -2, -1]),
    "arrays_on_two_axes": (np.array([0, 1, 1]), np.array([2, 2, 0])),
    "array_and_slice": (slice(None), np.array([0, 0, 2]), slice(1, 3)),
    "arrays_split_by_slice": (np.array([1, 1]), slice(None), np.array([3, 3])),
    "array_and_ellipsis": (Ellipsis, np.array([3, 0, 3])),
}


@pytest.mark.parametrize("name", INDICES)
def test_values_match_numpy(name):
    index = INDICES[name]
    np.testing.assert_array_equal(Tensor(X)[index].data, X[index])


@pytest.mark.parametrize("name", INDICES)
def test_gradient_counts_how_often_each_element_was_picked(name):
    index = INDICES[name]
    x = Tensor(X, requires_grad=True)
    x[index].sum().backward()
    expected = np.zeros_like(X)
    np.add.at(expected, index, 1.0)
    np.testing.assert_array_equal(x.grad, expected)


@pytest.mark.parametrize("name", INDICES)
def test_first_and_second_derivatives(name):
    index = INDICES[name]
    x = Tensor(X.copy(), requires_grad=True)
    assert gradcheck(lambda x: x[index] * x[index], [x])
    assert gradgradcheck(lambda x: x[index] * x[index], [x])


def test_repeated_indices_add_their_gradients():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = x[[0, 0, 2, 0]]
    (y * np.array([1.0, 10.0, 100.0, 1000.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [1011.0, 0.0, 100.0])


@given(
    x=tensors(shape=(5,), min_value=-3, max_value=3),
    picks=st.lists(st.integers(-5, 4), min_size=1, max_size=8),
)
def test_generated_integer_indices_with_repeats(x, picks):
    y = x[np.array(picks)]
    np.testing.assert_array_equal(y.data, x.data[picks])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.bincount(np.array(picks) % 5, minlength=5))
    assert gradgradcheck(lambda x: x[np.array(picks)] ** 2, [x])


@given(
    x=tensors(shape=(3, 4), min_value=-3, max_value=3),
    start=st.integers(-4, 3),
    stop=st.integers(-4, 4),
    step=st.sampled_from([1, 2, -1, -2]),
)
def test_generated_slices(x, start, stop, step):
    index = (slice(None), slice(start, stop, step))
    np.testing.assert_array_equal(x[index].data, x.data[index])
    assert gradcheck(lambda x: x[index] * 2.0, [x])


def test_index_with_an_integer_tensor_and_a_bool_tensor():
    x = Tensor(np.arange(4.0), requires_grad=True)
    picks = Tensor(np.array([3, 3, 1]))
    mask = x > 1.5
    assert mask.dtype == bool
    (x[picks].sum() + x[mask].sum()).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0, 3.0])


def test_mask_made_from_the_tensor_itself():
    x = Tensor(np.array([-1.0, 2.0, -3.0, 4.0]), requires_grad=True)
    x[x.data > 0].sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0, 1.0])


@pytest.mark.parametrize("index", [5, (0, 7), np.array([0, 9])])
def test_out_of_range_index_names_the_shape(index):
    with pytest.raises(IndexError, match=r"\(2, 3\)"):
        Tensor(np.ones((2, 3)))[index]
