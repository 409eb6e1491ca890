"""F.interpolate and nn.Upsample: sizes, nearest copies, linear modes reproduce linear
functions, bicubic is Keys' kernel (A = -0.75) with clamped borders, area is adaptive
average pooling, gradients by finite differences, clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        ((1, 2, 3, 4), {"scale_factor": 1.5, "mode": "bicubic"}),
        ((1, 1, 4, 3), {"size": (2, 7), "mode": "bicubic", "align_corners": True}),
        ((2, 1, 5), {"size": 3, "mode": "area"}),
        ((1, 1, 3, 4, 5), {"scale_factor": 0.6, "mode": "area"}),
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
    with pytest.raises(ValueError, match="'bicubic' needs a 4-d input"):
        F.interpolate(Tensor(np.zeros((1, 1, 4))), scale_factor=2, mode="bicubic")
    with pytest.raises(ValueError, match="align_corners can only be set"):
        F.interpolate(x, scale_factor=2, mode="area", align_corners=False)
    with pytest.raises(NotImplementedError, match="mode 'lanczos' is not supported"):
        F.interpolate(x, scale_factor=2, mode="lanczos")
    with pytest.raises(ValueError, match="2 entries for 2 spatial dims|3 entries"):
        F.interpolate(x, size=(1, 2, 3))
    assert repr(nn.Upsample(scale_factor=2)) == "Upsample(scale_factor=2.0, mode='nearest')"


def _keys(d):
    """Keys' cubic convolution kernel with a = -0.75, written from its definition."""
    d, a = abs(d), -0.75
    if d <= 1:
        return (a + 2) * d**3 - (a + 3) * d**2 + 1
    if d < 2:
        return a * d**3 - 5 * a * d**2 + 8 * a * d - 4 * a
    return 0.0


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize(("n_in", "n_out"), [(4, 7), (5, 3), (3, 3), (6, 13)])
def test_bicubic_is_keys_kernel_with_clamped_borders(align_corners, n_in, n_out):
    img = np.random.default_rng(n_in * n_out).normal(size=(1, 1, 1, n_in))
    got = F.interpolate(
        Tensor(img), size=(1, n_out), mode="bicubic", align_corners=align_corners
    ).data[0, 0, 0]
    for i in range(n_out):
        if align_corners:
            p = i * (n_in - 1) / (n_out - 1)
        else:
            p = (i + 0.5) * n_in / n_out - 0.5  # not clamped, unlike the linear modes
        f = math.floor(p)
        want = sum(
            _keys(p - k) * img[0, 0, 0, min(max(k, 0), n_in - 1)] for k in range(f - 1, f + 3)
        )
        assert got[i] == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_bicubic_reproduces_a_linear_row_inside_and_area_is_adaptive_average():
    # Keys' kernel with a = -0.75 is exact for linear functions away from the borders
    row = 2.0 + 0.5 * np.arange(8.0)
    out = F.interpolate(Tensor(row[None, None, None]), size=(1, 15), mode="bicubic",
                        align_corners=True).data[0, 0, 0]  # fmt: skip
    np.testing.assert_allclose(out[3:-3], 2.0 + 0.5 * np.arange(15)[3:-3] * 7 / 14, atol=1e-12)
    x = Tensor(np.random.default_rng(3).normal(size=(2, 3, 7, 5)))
    np.testing.assert_allclose(  # the same averages, summed in another order
        F.interpolate(x, size=(3, 2), mode="area").data,
        F.adaptive_avg_pool2d(x, (3, 2)).data,
        rtol=1e-14,
        atol=1e-16,
    )


@settings(max_examples=20, deadline=None)
@given(
    mode=st.sampled_from(["bicubic", "area"]),
    h=st.integers(1, 5),
    w=st.integers(1, 5),
    out=st.tuples(st.integers(1, 7), st.integers(1, 7)),
    align_corners=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_bicubic_and_area_derivatives(mode, h, w, out, align_corners, seed):
    x = Tensor(np.random.default_rng(seed).normal(size=(1, 2, h, w)), requires_grad=True)
    ac = align_corners if mode == "bicubic" else None
    assert gradcheck(lambda t: F.interpolate(t, size=out, mode=mode, align_corners=ac), [x])


# --- integer input ---


def test_uint8_images_resize_in_fixed_point():
    """A uint8 image stays uint8: a constant stays that constant, a 0/255 edge gets PyTorch's
    fixed-point blend (not wrapped-around uint8 arithmetic, which gave values 200 off)."""
    from nn.functional.uint8_resampling import fixed_point

    flat = Tensor(np.full((1, 3, 4, 5), 77, dtype=np.uint8))
    for mode in ("bilinear", "bicubic"):
        out = F.interpolate(flat, size=(7, 3), mode=mode)
        assert out.dtype == np.uint8 and (out.data == 77).all()
    edge = Tensor(np.array([[[[0, 255]]]], dtype=np.uint8))
    out = F.interpolate(edge, size=(1, 4), mode="bilinear")  # positions -0.25, 0.25, 0.75, 1.25
    assert out.data.tolist() == [[[[0, 64, 191, 255]]]]
    ints, precision = fixed_point(np.array([[0.75, 0.25]]))
    # 0.75 * 2**15 fits int16, twice it (the next precision's test) does not
    assert precision == 15 and ints.tolist() == [[24576, 8192]]


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
@pytest.mark.parametrize("mode", ["linear", "bilinear", "bicubic", "area"])
def test_integer_input_is_refused_where_it_would_be_cut(dtype, mode):
    """Interpolating integers (other than uint8 images in bilinear/bicubic) would cut the
    blends to integers: PyTorch refuses, and so do we; nearest modes copy entries of any
    dtype."""
    shape = (1, 2, 6) if mode == "linear" else (1, 2, 4, 5)
    x = Tensor(np.arange(np.prod(shape)).reshape(shape).astype(dtype))
    if dtype == np.uint8 and mode in ("bilinear", "bicubic"):
        assert F.interpolate(x, scale_factor=2, mode=mode).dtype == np.uint8
        return
    with pytest.raises(NotImplementedError, match=r"not implemented for dtype.*\.float\(\)"):
        F.interpolate(x, scale_factor=2, mode=mode)
    assert F.interpolate(x, scale_factor=2).dtype == dtype  # nearest: entries copied
