"""Convolutions over 1 and 3 spatial axes (conv3d, conv_transpose1d, conv_transpose3d and
their layers): values against the definition, first and second derivatives against central
differences in float64, adjointness, layer shapes, reprs and errors."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck


def direct_conv(x, w, b, stride, padding, dilation, groups):
    """The definition over any number of spatial axes, one output element at a time."""
    nd = x.ndim - 2
    xp = np.pad(x, ((0, 0), (0, 0), *((p, p) for p in padding)))
    o, cg, *kernel = w.shape
    out = [
        (size + 2 * p - d * (k - 1) - 1) // s + 1
        for size, p, k, s, d in zip(x.shape[2:], padding, kernel, stride, dilation)
    ]
    y = np.zeros((x.shape[0], o, *out))
    og = o // groups
    for oi in range(o):
        gi = oi // og
        for pos in itertools.product(*(range(m) for m in out)):
            acc = np.zeros(x.shape[0]) if b is None else np.full(x.shape[0], b[oi])
            for kpos in itertools.product(*(range(k) for k in kernel)):
                at = tuple(pos[a] * stride[a] + kpos[a] * dilation[a] for a in range(nd))
                acc = (
                    acc
                    + xp[(slice(None), slice(gi * cg, (gi + 1) * cg), *at)]
                    @ w[(oi, slice(None), *kpos)]
                )
            y[(slice(None), oi, *pos)] = acc
    return y


def geometry(nd):
    pair = lambda lo, hi: st.tuples(*[st.integers(lo, hi)] * nd)  # noqa: E731
    return st.fixed_dictionaries(
        {
            "stride": pair(1, 2),
            "padding": pair(0, 1),
            "dilation": pair(1, 2),
            "groups": st.sampled_from([1, 2]),
            "kernel": pair(1, 2),
            "size": pair(3, 4),
        }
    )


def _args(geo):
    return {k: geo[k] for k in ("stride", "padding", "dilation", "groups")}


@settings(max_examples=10, deadline=None)
@given(geo=geometry(3), seed=st.integers(0, 2**16))
def test_conv3d_matches_the_definition(geo, seed):
    rng = np.random.default_rng(seed)
    g = geo["groups"]
    x = rng.normal(size=(2, 2 * g, *geo["size"]))
    w = rng.normal(size=(g, 2, *geo["kernel"]))
    b = rng.normal(size=(g,))
    y = F.conv3d(Tensor(x), Tensor(w), Tensor(b), **_args(geo))
    want = direct_conv(x, w, b, geo["stride"], geo["padding"], geo["dilation"], g)
    np.testing.assert_allclose(y.data, want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("nd", [1, 3])
@settings(max_examples=5, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_conv_first_and_second_derivatives(nd, data, seed):
    geo = data.draw(geometry(nd))
    rng = np.random.default_rng(seed)
    g = geo["groups"]
    x = Tensor(rng.normal(size=(1, g, *geo["size"])), requires_grad=True)
    w = Tensor(rng.normal(size=(g, 1, *geo["kernel"])), requires_grad=True)
    b = Tensor(rng.normal(size=(g,)), requires_grad=True)
    conv = F.conv1d if nd == 1 else F.conv3d

    def f(x, w, b):
        return conv(x, w, b, **_args(geo))

    assert gradcheck(f, [x, w, b])
    assert gradgradcheck(f, [x, w, b])


@pytest.mark.parametrize("nd", [1, 3])
@settings(max_examples=5, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_conv_transpose_first_and_second_derivatives(nd, data, seed):
    geo = data.draw(geometry(nd))
    extra = tuple(
        data.draw(st.integers(0, max(s, d) - 1)) for s, d in zip(geo["stride"], geo["dilation"])
    )
    rng = np.random.default_rng(seed)
    g = geo["groups"]
    small = tuple(s - 1 for s in geo["size"])
    x = Tensor(rng.normal(size=(1, g, *small)), requires_grad=True)
    w = Tensor(rng.normal(size=(g, 1, *geo["kernel"])), requires_grad=True)
    b = Tensor(rng.normal(size=(g,)), requires_grad=True)
    conv_t = F.conv_transpose1d if nd == 1 else F.conv_transpose3d

    def f(x, w, b):
        return conv_t(x, w, b, output_padding=extra, **_args(geo))

    out = [
        (m - 1) * s - 2 * p + d * (k - 1) + e + 1
        for m, s, p, d, k, e in zip(
            small, geo["stride"], geo["padding"], geo["dilation"], geo["kernel"], extra
        )
    ]
    if min(out) < 1:
        with pytest.raises(ValueError, match="too small"):
            f(x, w, b)
        return
    assert f(x, w, b).shape == (1, g, *out)
    assert gradcheck(f, [x, w, b])
    assert gradgradcheck(f, [x, w, b])


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_transpose_is_the_adjoint_of_conv(nd):
    """<conv(x, w), r> == <x, conv_transpose(r, w)> for a strided, dilated, grouped geometry."""
    rng = np.random.default_rng(nd)
    x = rng.normal(size=(2, 4, *(7, 6, 5)[:nd]))
    w = rng.normal(size=(6, 2, *(3, 2, 2)[:nd]))
    kw = {"stride": (2, 1, 2)[:nd], "padding": (1, 0, 1)[:nd], "dilation": (1, 2, 1)[:nd],
          "groups": 2}  # fmt: skip
    conv = getattr(F, f"conv{nd}d")
    conv_t = getattr(F, f"conv_transpose{nd}d")
    y = conv(Tensor(x), Tensor(w), **kw).data
    r = rng.normal(size=y.shape)
    lost = [(s + 2 * p - d * (k - 1) - 1) % st_ for s, p, d, k, st_ in
            zip(x.shape[2:], kw["padding"], kw["dilation"], w.shape[2:], kw["stride"])]  # fmt: skip
    back = conv_t(Tensor(r), Tensor(w), output_padding=tuple(lost), **kw).data
    assert back.shape == x.shape
    np.testing.assert_allclose((y * r).sum(), (x * back).sum(), rtol=1e-10)


def test_layers_shapes_init_repr_and_state_dict():
    autograd.manual_seed(0)
    conv = nn.Conv3d(4, 6, (3, 2, 1), groups=2)
    assert conv.weight.shape == (6, 2, 3, 2, 1) and conv.bias.shape == (6,)
    assert list(conv.state_dict()) == ["weight", "bias"]
    bound = 1 / math.sqrt(2 * 3 * 2 * 1)
    assert np.abs(conv.weight.data).max() <= bound and np.abs(conv.bias.data).max() <= bound
    assert nn.ConvTranspose1d(4, 6, 3, groups=2).weight.shape == (4, 3, 3)
    assert nn.ConvTranspose3d(2, 3, 2).weight.shape == (2, 3, 2, 2, 2)
    assert repr(nn.Conv3d(1, 2, 3, stride=2, bias=False)) == (
        "Conv3d(1, 2, kernel_size=(3, 3, 3), stride=(2, 2, 2), bias=False)"
    )
    assert repr(nn.ConvTranspose1d(2, 4, 3, stride=2, output_padding=1)) == (
        "ConvTranspose1d(2, 4, kernel_size=(3,), stride=(2,), output_padding=(1,))"
    )


def test_unbatched_same_padding_and_padding_modes_in_3d():
    rng = np.random.default_rng(1)
    conv = nn.Conv3d(2, 3, (3, 2, 3), padding="same", dilation=(1, 2, 1), dtype=np.float64)
    x = rng.normal(size=(2, 4, 5, 3))
    y = conv(Tensor(x))
    assert y.shape == (3, 4, 5, 3)
    np.testing.assert_allclose(y.data, conv(Tensor(x[None])).data[0])
    for mode in ("reflect", "replicate", "circular"):
        c = nn.Conv3d(2, 2, 3, padding=1, padding_mode=mode, dtype=np.float64)
        want = F.conv3d(F.pad(Tensor(x), (1,) * 6, mode=mode), c.weight, c.bias).data
        np.testing.assert_allclose(c(Tensor(x)).data, want)


def test_transposed_output_size_in_1d_and_3d():
    t = nn.ConvTranspose1d(2, 3, 3, stride=3, dtype=np.float64)
    x = Tensor(np.random.default_rng(0).normal(size=(1, 2, 4)))
    assert t(x).shape == (1, 3, 12)
    for size in ([13], [14], (1, 3, 14)):
        assert t(x, output_size=size).shape == (1, 3, size[-1])
    with pytest.raises(ValueError, match="ConvTranspose1d.*not reachable"):
        t(x, output_size=[15])
    t3 = nn.ConvTranspose3d(2, 1, 2, stride=2, dtype=np.float64)
    x3 = Tensor(np.ones((2, 2, 2, 2)))
    assert t3(x3, output_size=(5, 4, 5)).shape == (1, 5, 4, 5)


def test_errors_name_the_op_and_shapes():
    with pytest.raises(ValueError, match=r"conv3d: expected a 4-d \(unbatched: C, D, H, W\)"):
        F.conv3d(Tensor(np.zeros((1, 2, 3))), Tensor(np.zeros((1, 1, 1, 1, 1))))
    with pytest.raises(ValueError, match=r"conv3d: weight must be 5-d"):
        F.conv3d(Tensor(np.zeros((1, 1, 3, 3, 3))), Tensor(np.zeros((1, 1, 1, 1))))
    with pytest.raises(ValueError, match=r"Conv3d.*2 channels.*expected 3"):
        nn.Conv3d(3, 4, 1)(Tensor(np.zeros((1, 2, 3, 3, 3), np.float32)))
    with pytest.raises(ValueError, match=r"conv_transpose1d: output_padding"):
        F.conv_transpose1d(Tensor(np.zeros((1, 2, 3))), Tensor(np.zeros((2, 1, 3))),
                           output_padding=1)  # fmt: skip
    with pytest.raises(ValueError, match=r"conv_transpose3d.*bias of shape \(2,\)"):
        F.conv_transpose3d(Tensor(np.zeros((1, 2, 3, 3, 3))), Tensor(np.zeros((2, 1, 3, 3, 3))),
                           Tensor(np.zeros(2)))  # fmt: skip
    with pytest.raises(ValueError, match="ConvTranspose3d: only padding_mode='zeros'"):
        nn.ConvTranspose3d(1, 1, 1, padding_mode="reflect")
    with pytest.raises(ValueError, match="strided"):
        nn.Conv3d(1, 1, 3, stride=(1, 2, 1), padding="same")
