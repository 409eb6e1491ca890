"""torch.cat leaves out 1-d empty tensors (shape ``(0,)``) beside tensors of other shapes, as
Transformer-XL's ``torch.cat([torch.empty(0), hids], dim=0)`` relies on: their dtype still
promotes, their gradient is empty, and the others' gradients are unchanged."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd.errors import DimError, ShapeError
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors


@given(tensors(shape=(2, 3)), tensors(shape=(1, 3)), st.integers(0, 2))
def test_empty_pieces_are_left_out_with_first_and_second_derivatives(a, b, where):
    empty = autograd.empty(0, dtype=autograd.float64, requires_grad=True)
    parts = [a, b]
    parts.insert(where, empty)
    out = autograd.cat(parts, dim=0)
    np.testing.assert_array_equal(out.detach().numpy(), np.concatenate([a.data, b.data]))
    assert gradcheck(lambda *ts: autograd.cat(list(ts), dim=0) ** 2, parts)
    assert gradgradcheck(lambda *ts: autograd.cat(list(ts), dim=0) ** 2, parts)


def test_empty_piece_gets_an_empty_gradient():
    e = autograd.empty(0, requires_grad=True)
    x = autograd.ones(2, 3, requires_grad=True)
    autograd.cat([e, x, e], dim=1).sum().backward()
    assert e.grad.shape == (0,) and e.grad.dtype == autograd.float32
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((2, 3)))


def test_empty_piece_dtype_promotes():
    out = autograd.cat([autograd.empty(0, dtype=autograd.float64), autograd.ones(2, 3)])
    assert out.dtype == autograd.float64 and out.shape == (2, 3)


def test_all_empty_pieces_give_an_empty_tensor():
    assert autograd.cat([autograd.empty(0), autograd.empty(0)]).shape == (0,)


def test_dims_are_checked_against_the_joined_tensors():
    with pytest.raises(DimError, match="concatenate along axis 2"):
        autograd.cat([autograd.empty(0), autograd.ones(2, 3)], dim=2)
    with pytest.raises(ShapeError, match="concatenate"):  # (0, 3) is not a legacy empty
        autograd.cat([autograd.empty(0, 3), autograd.ones(2, 3, 4)], dim=0)
