"""cat leaves out 1-d empty inputs (shape ``(0,)``) whatever the other inputs' shapes, as
torch's does (``torch.cat((torch.empty(0), x))`` is ``x``: DINO's multi-crop loop starts
from ``torch.empty(0)``); they still count for the dtype and get empty gradients."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import shapes, tensors


@given(
    x=tensors(shape=shapes(min_dims=2, max_dims=3, max_side=3), min_value=-3, max_value=3),
    data=st.data(),
)
def test_empty_inputs_are_left_out_anywhere_in_the_list(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    where = data.draw(st.lists(st.integers(0, 2), min_size=1, max_size=3))
    empty = Tensor(np.zeros(0), requires_grad=True)

    def joined(x, empty):
        parts = [x, x * 2]
        for i in sorted(where, reverse=True):
            parts.insert(i, empty)
        return ag.cat(parts, dim=axis)

    out = joined(x, empty)
    np.testing.assert_array_equal(out.data, np.concatenate([x.data, 2 * x.data], axis=axis))
    assert gradcheck(lambda x, e: joined(x, e) ** 2, [x, empty])
    assert gradgradcheck(lambda x, e: joined(x, e) ** 2, [x, empty])
    (joined(x, empty) ** 2).sum().backward()
    assert empty.grad.shape == (0,)


def test_all_empty_gives_an_empty_1d_tensor_for_any_dim():
    assert ag.cat([ag.empty(0), ag.empty(0)], dim=1).shape == (0,)


def test_empty_inputs_take_part_in_the_dtype():
    x = ag.ones(2, 3)
    assert ag.cat([ag.empty(0, dtype=ag.float64), x]).dtype == ag.float64
    assert ag.cat([ag.empty(0, dtype=ag.int64), x]).dtype == ag.float32


def test_other_empty_shapes_still_have_to_fit():
    with pytest.raises(ValueError, match="concatenate"):
        ag.cat([ag.empty(0, 3), ag.ones(2, 2)])
    with pytest.raises(IndexError, match="concatenate"):
        ag.cat([ag.empty(0), ag.ones(2, 3)], dim=5)


def test_an_empty_input_gets_an_empty_gradient_of_its_own_dtype():
    empty = ag.empty(0, dtype=ag.float32, requires_grad=True)
    x = ag.ones(2, 3, dtype=ag.float64, requires_grad=True)
    out = ag.cat([empty, x], dim=1)
    assert out.dtype == ag.float64
    out.sum().backward()
    assert empty.grad.shape == (0,) and empty.grad.dtype == ag.float32
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((2, 3)))
