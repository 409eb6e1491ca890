"""F.unfold / F.fold and nn.Unfold / nn.Fold: a convolution as unfold + matmul, fold as
unfold's adjoint, gradients to second order by finite differences, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

_geometry = st.tuples(
    st.integers(1, 3), st.integers(1, 2), st.integers(0, 2), st.integers(1, 2),
    st.integers(3, 6), st.integers(3, 6),
)  # fmt: skip


def test_unfold_then_matmul_is_conv2d():
    rng = np.random.default_rng(0)
    x, w = Tensor(rng.normal(size=(2, 3, 5, 6))), Tensor(rng.normal(size=(4, 3, 3, 3)))
    cols = F.unfold(x, 3, padding=1, stride=2)  # (2, 27, L)
    out = (w.reshape(4, -1) @ cols).reshape(2, 4, 3, 3)
    np.testing.assert_allclose(out.data, F.conv2d(x, w, padding=1, stride=2).data, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(_geometry)
def test_fold_is_the_adjoint_of_unfold(geometry):
    k, d, p, s, h, w = geometry
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 2, h, w))
    try:
        cols = F.unfold(Tensor(x), k, d, p, s).data
    except ValueError:
        return  # the kernel does not fit
    c = rng.normal(size=cols.shape)
    back = F.fold(Tensor(c), (h, w), k, d, p, s).data
    np.testing.assert_allclose((cols * c).sum(), (x * back).sum(), rtol=1e-12)


def test_gradients_to_second_order():
    rng = np.random.default_rng(2)
    x = Tensor(rng.normal(size=(1, 2, 4, 5)), requires_grad=True)
    assert gradcheck(lambda a: F.unfold(a, (2, 3), padding=1, stride=(2, 1)), [x])
    assert gradgradcheck(lambda a: F.unfold(a, (2, 3), padding=1, stride=(2, 1)) ** 2, [x])
    c = Tensor(rng.normal(size=(1, 8, 6)), requires_grad=True)
    assert gradcheck(lambda a: F.fold(a, (3, 4), 2), [c])
    assert gradgradcheck(lambda a: F.fold(a, (3, 4), 2) ** 2, [c])


def test_unbatched_inputs_and_modules():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4))
    cols = nn.Unfold(2)(x)
    assert cols.shape == (8, 6)
    np.testing.assert_array_equal(cols.data, F.unfold(x.unsqueeze(0), 2).data[0])
    assert nn.Fold((3, 4), 2)(cols).shape == (2, 3, 4)
    assert repr(nn.Fold((3, 4), 2)) == (
        "Fold(output_size=(3, 4), kernel_size=2, dilation=1, padding=0, stride=1)"
    )


def test_bad_inputs_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="only 3-d .* or 4-d"):
        F.unfold(Tensor(np.zeros((2, 3))), 2)
    with pytest.raises(ValueError, match="does not fit"):
        F.unfold(Tensor(np.zeros((1, 1, 2, 2))), 3)
    with pytest.raises(ValueError, match="divisible by the product of kernel_size"):
        F.fold(Tensor(np.zeros((1, 5, 4))), (3, 3), 2)
    with pytest.raises(ValueError, match="calculated number of sliding blocks"):
        F.fold(Tensor(np.zeros((1, 4, 5))), (3, 3), 2)
    with pytest.raises(ValueError, match="stride must be an int >= 1"):
        F.unfold(Tensor(np.zeros((1, 1, 3, 3))), 2, stride=0)
