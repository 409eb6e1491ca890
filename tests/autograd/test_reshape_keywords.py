"""reshape's and view's shape given by torch's keywords: ``x.reshape(shape=(...))`` (MAE's
patchify), ``torch.reshape(x, shape=...)``, ``x.view(size=(...))``; the same through
``x.data``."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.testing import gradcheck
from autograd.testing.strategies import tensors


@given(
    x=tensors(shape=(2, 3, 4), min_value=-3, max_value=3),
    shape=st.sampled_from([(6, 4), (2, 12), (4, -1), (24,), (2, 3, 2, 2)]),
)
def test_keyword_shape_is_the_positional_shape(x, shape):
    want = x.data.reshape(shape)
    for got in (
        x.reshape(shape=shape),
        ag.reshape(x, shape=shape),
        x.view(size=shape),
        x.view(size=list(shape)),
    ):
        np.testing.assert_array_equal(got.data, want)
    assert gradcheck(lambda x: x.reshape(shape=shape) ** 2, [x])
    assert gradcheck(lambda x: x.view(size=shape) ** 2, [x])


def test_keyword_forms_on_data():
    x = ag.arange(6.0)
    assert x.data.view(size=(2, 3)).shape == (2, 3)
    assert x.data.reshape(shape=(3, 2)).shape == (3, 2)


def test_shape_given_twice_is_refused():
    x = ag.arange(6.0)
    with pytest.raises(TypeError, match="reshape.*multiple values.*'shape'"):
        x.reshape((2, 3), shape=(2, 3))
    with pytest.raises(TypeError, match="view.*multiple values.*'size'"):
        x.view(2, 3, size=(2, 3))
