"""F.interpolate and nn.Upsample: sizes, nearest copies, linear modes reproduce linear
functions, gradients by finite differences, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck


def test_nearest_doubling_repeats_every_pixel():
    x = Tensor(np.arange(6.0).reshape(1, 1, 2, 3))
    y = F.interpolate(x, scale_factor=2)
    np.testing.assert_array_equal(y.data[0, 0], np.repeat(np.repeat(x.data[0, 0], 2, 0), 2, 1))
    assert nn.Upsample(size=(3, 5))(x).shape == (1, 1, 3, 5)


@pytest.mark.parametrize("align_corners", [False, True])
def test_bilinear_reproduces_a_linear_function_inside(align_corners):
    h, w = 4, 5
    yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    img = Tensor((2.0 * yy + 3.0 * xx)[None, None].astype(np.float64))
    out = F.interpolate(img, size=(7, 9), mode="bilinear", align_corners=align_corners).data[0, 0]
    if align_corners:  # source positions i * (in - 1) / (out - 1)
        sy, sx = np.arange(7) * 3 / 6, np.arange(9) * 4 / 8
    else:  # (i + 0.5) * in / out - 0.5, clamped into [0, in - 1]
        sy = np.clip((np.arange(7) + 0.5) * h / 7 - 0.5, 0, h - 1)
        sx = np.clip((np.arange(9) + 0.5) * w / 9 - 0.5, 0, w - 1)
    np.testing.assert_allclose(out, 2.0 * sy[:, None] + 3.0 * sx[None, :], atol=1e-12)


@pytest.mark.parametrize(
    ("shape", "kw"),
    [
        ((1, 2, 3, 4), {"scale_factor": 1.5, "mode": "bilinear"}),
        ((2, 1, 5), {"size": 7, "mode": "linear", "align_corners": True}),
        ((1, 1, 2, 2, 3), {"scale_factor": 2, "mode": "trilinear"}),
        ((1, 2, 3, 4), {"size": (5, 3), "mode": "nearest"}),
    ],
)
def test_gradients_match_finite_differences(shape, kw):
    x = Tensor(np.random.default_rng(0).normal(size=shape), requires_grad=True)
    assert gradcheck(lambda t: F.interpolate(t, **kw), [x])


def test_bad_arguments_are_refused():
    x = Tensor(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="exactly one of size and scale_factor"):
        F.interpolate(x)
    with pytest.raises(ValueError, match="needs a 3-d input"):
        F.interpolate(x, scale_factor=2, mode="linear")
    with pytest.raises(ValueError, match="align_corners"):
        F.interpolate(x, scale_factor=2, align_corners=True)
    with pytest.raises(NotImplementedError, match="bicubic"):
        F.interpolate(x, scale_factor=2, mode="bicubic")
    with pytest.raises(ValueError, match="2 entries for 2 spatial dims|3 entries"):
        F.interpolate(x, size=(1, 2, 3))
    assert repr(nn.Upsample(scale_factor=2)) == "Upsample(scale_factor=2.0, mode='nearest')"
