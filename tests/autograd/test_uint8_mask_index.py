"""A uint8 index tensor (an old ``ByteTensor`` mask, as eriklindernoren's YOLOv3 builds) selects
as a boolean mask with PyTorch's deprecation warning, differentiably; assigning one value
through it is PyTorch's masked_fill_ error, a tensor of values assigns."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd.testing import gradcheck
from autograd.testing.strategies import tensors

DEPRECATED = "indexing with dtype torch.uint8 is now deprecated"


@given(tensors(shape=(3, 4)), st.lists(st.booleans(), min_size=12, max_size=12))
def test_uint8_mask_selects_like_a_bool_mask_with_gradients(x, picks):
    keep = np.array(picks).reshape(3, 4)
    byte = autograd.tensor(keep.astype(np.uint8))
    with pytest.warns(UserWarning, match=DEPRECATED):
        got = x[byte]
    np.testing.assert_array_equal(got.detach().numpy(), x.detach().numpy()[keep])
    x64 = autograd.tensor(x.detach().numpy().astype(np.float64), requires_grad=True)
    with pytest.warns(UserWarning, match=DEPRECATED):
        assert gradcheck(lambda t: t[byte] ** 2, [x64])


def test_uint8_mask_among_other_indices():
    x = autograd.arange(24.0).view(2, 3, 4)
    m = autograd.ByteTensor([1, 0, 1])
    with pytest.warns(UserWarning, match=DEPRECATED):
        got = x[1, m]
    np.testing.assert_array_equal(got.numpy(), np.arange(24.0).reshape(2, 3, 4)[1, [0, 2]])


def test_uint8_mask_assigns_a_tensor_of_values():
    x = autograd.zeros(2, 3)
    with pytest.warns(UserWarning, match=DEPRECATED):
        x[autograd.tensor([0, 1], dtype=autograd.uint8)] = autograd.tensor([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x.numpy(), [[0, 0, 0], [1, 2, 3]])


@pytest.mark.parametrize("value", [1.0, 0, autograd.tensor(2.0)])
def test_uint8_mask_refuses_a_single_value(value):
    x = autograd.zeros(2, 3)
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks"):
        x[autograd.tensor([[1, 0, 0], [0, 1, 0]], dtype=autograd.uint8)] = value
    assert float(x.sum()) == 0


def test_integer_index_tensors_are_still_positions():
    x = autograd.arange(5.0)
    np.testing.assert_array_equal(x[autograd.tensor([1, 1, 0])].numpy(), [1, 1, 0])
