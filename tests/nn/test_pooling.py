"""Pooling: exact small cases, the definition over windows, gradients of first and second
order, PyTorch's output sizes (ceil_mode, padding) and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck


def windows(x, k, s, p, pad_value):
    """(out_h, out_w, list of window arrays) by the definition (floor mode)."""
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=pad_value)
    oh = (xp.shape[2] - k) // s + 1
    ow = (xp.shape[3] - k) // s + 1
    return [[xp[:, :, i * s : i * s + k, j * s : j * s + k] for j in range(ow)] for i in range(oh)]


def test_exact_small_cases():
    x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    y = F.max_pool2d(x, 2)
    np.testing.assert_array_equal(y.data[0, 0], [[5, 7], [13, 15]])
    y.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad)[0, 0], [[0, 0, 0, 0], [0, 1, 0, 1]] * 2)
    np.testing.assert_array_equal(F.avg_pool2d(x, 2).data[0, 0], [[2.5, 4.5], [10.5, 12.5]])
    np.testing.assert_array_equal(F.adaptive_avg_pool2d(x, 1).data.ravel(), [7.5])
    # padding counts in the divisor unless count_include_pad=False
    one = Tensor(np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(F.avg_pool2d(one, 2, 1, 1).data[0, 0, 0], [0.25, 0.5, 0.25])
    np.testing.assert_array_equal(
        F.avg_pool2d(one, 2, 1, 1, count_include_pad=False).data[0, 0, 0], [1, 1, 1]
    )
    # a tie sends the whole gradient to the first maximum (PyTorch's choice)
    t = Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    F.max_pool2d(t, 2).sum().backward()
    np.testing.assert_array_equal(np.asarray(t.grad).ravel(), [1, 0, 0, 0])


@settings(max_examples=15)
@given(k=st.integers(1, 3), s=st.integers(1, 3), p=st.integers(0, 1), seed=st.integers(0, 999))
def test_max_and_avg_match_the_definition(k, s, p, seed):
    p = min(p, k // 2)
    x = np.random.default_rng(seed).normal(size=(2, 2, 5, 6))
    mx = F.max_pool2d(Tensor(x), k, s, p).data
    av = F.avg_pool2d(Tensor(x), k, s, p).data
    win_max = windows(x, k, s, p, -np.inf)
    win_avg = windows(x, k, s, p, 0.0)
    assert mx.shape[2:] == (len(win_max), len(win_max[0]))
    for i, row in enumerate(win_max):
        for j, w in enumerate(row):
            np.testing.assert_array_equal(mx[:, :, i, j], w.max(axis=(2, 3)))
            np.testing.assert_allclose(av[:, :, i, j], win_avg[i][j].mean(axis=(2, 3)))


def test_ceil_mode_sizes_follow_pytorch():
    x = Tensor(np.zeros((1, 1, 7, 7)))
    assert F.max_pool2d(x, 2, ceil_mode=True).shape == (1, 1, 4, 4)
    assert F.max_pool2d(x, 2).shape == (1, 1, 3, 3)
    # the last window must start inside the input or its left padding
    assert F.avg_pool2d(Tensor(np.zeros((1, 1, 6, 6))), 2, 2, 1, ceil_mode=True).shape == (
        1, 1, 4, 4,
    )  # fmt: skip
    assert F.adaptive_avg_pool2d(x, (3, None)).shape == (1, 1, 3, 7)


@pytest.mark.parametrize(
    "f",
    [
        lambda t: F.max_pool2d(t, 3, 1, 1),
        lambda t: F.max_pool2d(t, 2, ceil_mode=True, dilation=(1, 2)),
        lambda t: F.avg_pool2d(t, 3, 2, 1, ceil_mode=True, count_include_pad=False),
        lambda t: F.avg_pool2d(t, 2, 1, divisor_override=3),
        lambda t: F.adaptive_avg_pool2d(t, (2, 3)),
    ],
)
def test_first_and_second_derivatives(f):
    x = Tensor(np.random.default_rng(0).normal(size=(1, 2, 5, 5)), requires_grad=True)
    assert gradcheck(f, [x])
    assert gradgradcheck(f, [x])


def test_modules_repr_unbatched_and_errors():
    assert repr(nn.MaxPool2d(2)) == (
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    )
    assert repr(nn.AvgPool2d(3, 1)) == "AvgPool2d(kernel_size=3, stride=1, padding=0)"
    assert repr(nn.AdaptiveAvgPool2d((1, 1))) == "AdaptiveAvgPool2d(output_size=(1, 1))"
    assert nn.MaxPool2d(2)(Tensor(np.zeros((3, 4, 4)))).shape == (3, 2, 2)
    y, idx = nn.MaxPool2d(2, return_indices=True)(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)))
    np.testing.assert_array_equal(idx.data[0, 0], [[5, 7], [13, 15]])
    with pytest.raises(
        ValueError, match=r"MaxPool2d.*larger than the padded input.*\(1, 1, 2, 2\)"
    ):
        nn.MaxPool2d(3)(Tensor(np.zeros((1, 1, 2, 2))))
    with pytest.raises(ValueError, match="at most half"):
        F.max_pool2d(Tensor(np.zeros((1, 1, 4, 4))), 2, padding=2)
    with pytest.raises(ValueError, match=r"AvgPool2d.*4-d.*\(4, 4\)"):
        nn.AvgPool2d(2)(Tensor(np.zeros((4, 4))))


def test_integer_average_pooling_truncates_as_pytorchs_int64_kernel():
    """int64 windows average to their truncated quotient (PyTorch's int64 kernel: -2.25
    gives -2, 11/9 gives 1), and stay int64; other integer dtypes are refused, as there."""
    x = Tensor(np.array([[[[1, 2, 4, 7], [3, 5, 1, -2], [0, 0, 1, 1], [-5, -4, 3, 3]]]]))
    out = F.avg_pool2d(x, 2)
    assert out.dtype == np.int64 and out.data.ravel().tolist() == [2, 2, -2, 2]
    padded = F.avg_pool2d(x, 3, stride=2, padding=1)  # sums 11, 17, -1, 8 over 9
    assert padded.data.ravel().tolist() == [1, 1, 0, 0]
    assert F.avg_pool2d(x, 2, divisor_override=3).data.ravel().tolist() == [3, 3, -3, 2]
    for dtype in (np.int32, np.uint8, np.bool_):
        with pytest.raises(NotImplementedError, match=r"not implemented for dtype.*\.float\(\)"):
            F.avg_pool2d(Tensor(x.data.astype(dtype)), 2)


@pytest.mark.parametrize("dtype", [np.int64, np.uint8])
def test_adaptive_average_pooling_refuses_integers(dtype):
    """The averaging matrices' fractions cut to integers gave zeros: refused, as PyTorch."""
    x = Tensor(np.arange(16).reshape(1, 1, 4, 4).astype(dtype))
    for call in (lambda: F.adaptive_avg_pool2d(x, 2), lambda: nn.AdaptiveAvgPool2d(1)(x)):
        with pytest.raises(NotImplementedError, match=r"expected a floating tensor"):
            call()
    assert F.adaptive_avg_pool2d(x.float(), 1).item() == 7.5
