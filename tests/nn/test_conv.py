"""Convolutions and pad: values against a direct loop, gradients (first and second order)
against finite differences, PyTorch's parameter shapes/initialisation, and error messages."""

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


def direct_conv2d(x, w, b, stride, padding, dilation, groups):
    """The definition, one output element at a time."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((n, o, oh, ow))
    og = o // groups
    for ni in range(n):
        for oi in range(o):
            gi = oi // og
            for i in range(oh):
                for j in range(ow):
                    acc = 0.0 if b is None else b[oi]
                    for ci in range(cg):
                        for a in range(kh):
                            for e in range(kw):
                                acc += (
                                    xp[ni, gi * cg + ci, i * sh + a * dh, j * sw + e * dw]
                                    * w[oi, ci, a, e]
                                )
                    y[ni, oi, i, j] = acc
    return y


geometry = st.fixed_dictionaries(
    {
        "stride": st.tuples(st.integers(1, 2), st.integers(1, 2)),
        "padding": st.tuples(st.integers(0, 2), st.integers(0, 2)),
        "dilation": st.tuples(st.integers(1, 2), st.integers(1, 2)),
        "groups": st.sampled_from([1, 2]),
        "kernel": st.tuples(st.integers(1, 3), st.integers(1, 3)),
        "size": st.tuples(st.integers(3, 6), st.integers(3, 6)),
    }
)


@settings(max_examples=15)
@given(geo=geometry, seed=st.integers(0, 2**16))
def test_conv2d_matches_the_definition(geo, seed):
    rng = np.random.default_rng(seed)
    g = geo["groups"]
    x = rng.normal(size=(2, 2 * g, *geo["size"]))
    w = rng.normal(size=(2 * g, 2, *geo["kernel"]))
    b = rng.normal(size=(2 * g,))
    span = [d * (k - 1) + 1 for d, k in zip(geo["dilation"], geo["kernel"])]
    if any(s + 2 * p < k for s, p, k in zip(geo["size"], geo["padding"], span)):
        with pytest.raises(ValueError, match="larger than the padded input"):
            F.conv2d(Tensor(x), Tensor(w), Tensor(b), **_args(geo))
        return
    y = F.conv2d(Tensor(x), Tensor(w), Tensor(b), **_args(geo))
    want = direct_conv2d(x, w, b, geo["stride"], geo["padding"], geo["dilation"], g)
    np.testing.assert_allclose(y.data, want, rtol=1e-10, atol=1e-10)


def _args(geo):
    return {k: geo[k] for k in ("stride", "padding", "dilation", "groups")}


@settings(max_examples=6)
@given(geo=geometry, seed=st.integers(0, 2**16))
def test_conv2d_first_and_second_derivatives(geo, seed):
    rng = np.random.default_rng(seed)
    g = geo["groups"]
    span = [d * (k - 1) + 1 for d, k in zip(geo["dilation"], geo["kernel"])]
    size = [max(s, k) for s, k in zip(geo["size"], span)]
    x = Tensor(rng.normal(size=(1, g, *size)), requires_grad=True)
    w = Tensor(rng.normal(size=(g, 1, *geo["kernel"])), requires_grad=True)
    b = Tensor(rng.normal(size=(g,)), requires_grad=True)

    def f(x, w, b):
        return F.conv2d(x, w, b, **_args(geo))

    assert gradcheck(f, [x, w, b])
    assert gradgradcheck(f, [x, w, b])


def test_conv1d_and_transposed_second_derivatives():
    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=(2, 2, 5)), requires_grad=True)
    w = Tensor(rng.normal(size=(4, 1, 3)), requires_grad=True)
    b = Tensor(rng.normal(size=(4,)), requires_grad=True)
    f1 = lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=1, groups=2)  # noqa: E731
    assert gradcheck(f1, [x, w, b]) and gradgradcheck(f1, [x, w, b])
    xt = Tensor(rng.normal(size=(1, 2, 3, 2)), requires_grad=True)
    wt = Tensor(rng.normal(size=(2, 2, 2, 3)), requires_grad=True)

    def ft(x, w):
        return F.conv_transpose2d(x, w, None, stride=2, padding=(0, 1), output_padding=1)

    assert ft(xt, wt).shape == (1, 2, 7, 4)
    assert gradcheck(ft, [xt, wt]) and gradgradcheck(ft, [xt, wt])


def test_conv_transpose2d_is_the_adjoint_of_conv2d():
    """<conv(x, w), y> == <x, conv_transpose(y, w)> for every geometry."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 4, 7, 6))
    w = rng.normal(size=(6, 2, 3, 2))
    kw = {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 2), "groups": 2}
    y = F.conv2d(Tensor(x), Tensor(w), **kw).data
    r = rng.normal(size=y.shape)
    back = F.conv_transpose2d(Tensor(r), Tensor(w), output_padding=(0, 0), **kw).data
    assert back.shape == x.shape
    np.testing.assert_allclose((y * r).sum(), (x * back).sum(), rtol=1e-10)


def test_conv_transpose_output_size_picks_the_output_padding():
    t = nn.ConvTranspose2d(2, 3, 3, stride=2, dtype=np.float64)
    x = Tensor(np.random.default_rng(0).normal(size=(1, 2, 4, 4)))
    assert t(x).shape == (1, 3, 9, 9)
    y = t(x, output_size=(10, 9))
    assert y.shape == (1, 3, 10, 9)
    np.testing.assert_allclose(y.data[:, :, :9], t(x).data)  # the extra row is only the bias
    with pytest.raises(ValueError, match="not reachable"):
        t(x, output_size=(12, 9))


def test_unbatched_input_and_same_padding():
    rng = np.random.default_rng(1)
    conv = nn.Conv2d(2, 3, (3, 4), padding="same", dilation=2, dtype=np.float64)
    x = rng.normal(size=(2, 5, 6))
    y = conv(Tensor(x))
    assert y.shape == (3, 5, 6)
    np.testing.assert_allclose(y.data, conv(Tensor(x[None])).data[0])
    assert nn.Conv1d(2, 3, 4, padding="same")(Tensor(np.ones((2, 7), np.float32))).shape == (3, 7)


def test_padding_modes_pad_before_convolving():
    rng = np.random.default_rng(2)
    conv = nn.Conv2d(1, 1, 3, padding=1, padding_mode="circular", bias=False, dtype=np.float64)
    x = rng.normal(size=(1, 1, 4, 4))
    want = F.conv2d(F.pad(Tensor(x), (1, 1, 1, 1), mode="circular"), conv.weight).data
    np.testing.assert_allclose(conv(Tensor(x)).data, want)
    # circular padding wraps: the left pad column is the last column
    circ = F.pad(Tensor(x), (1, 1, 0, 0), "circular").data
    np.testing.assert_array_equal(circ[..., 0], x[..., -1])


def test_pad_modes_values_and_gradients():
    x = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    np.testing.assert_array_equal(F.pad(x, (1, 0), value=-1).data[:, 0], [-1, -1, -1])
    np.testing.assert_array_equal(F.pad(x, (-1, -1)).data, x.data[:, 1:3])
    np.testing.assert_array_equal(F.pad(x, (2, 0), "reflect").data[0, :3], [2, 1, 0])
    np.testing.assert_array_equal(F.pad(x, (0, 2), "replicate").data[0, -3:], [3, 3, 3])
    for mode, p in (("constant", (1, -1, 2, 0)), ("reflect", (2, 1, 1, 1)), ("replicate", (2, 2))):
        xx = Tensor(np.random.default_rng(0).normal(size=(1, 3, 4)), requires_grad=True)
        assert gradcheck(lambda t: F.pad(t, p, mode), [xx])  # noqa: B023
        assert gradgradcheck(lambda t: F.pad(t, p, mode), [xx])  # noqa: B023
    with pytest.raises(ValueError, match="reflect padding"):
        F.pad(x, (4, 0), "reflect")
    with pytest.raises(ValueError, match="even number"):
        F.pad(x, (1, 2, 3))


def test_parameters_init_and_state_dict_as_pytorch():
    autograd.manual_seed(0)
    conv = nn.Conv2d(4, 8, (3, 5), groups=2)
    assert conv.weight.shape == (8, 2, 3, 5) and conv.bias.shape == (8,)
    assert list(conv.state_dict()) == ["weight", "bias"]
    bound = 1 / math.sqrt(2 * 3 * 5)
    assert np.abs(conv.weight.data).max() <= bound and np.abs(conv.bias.data).max() <= bound
    assert np.abs(conv.weight.data).max() > 0.8 * bound  # the whole interval is used
    t = nn.ConvTranspose2d(4, 6, 3, groups=2, bias=False)
    assert t.weight.shape == (4, 3, 3, 3) and t.bias is None
    assert nn.Conv1d(3, 5, 2).weight.shape == (5, 3, 2)
    assert repr(nn.Conv2d(1, 2, 3, stride=2, bias=False)) == (
        "Conv2d(1, 2, kernel_size=(3, 3), stride=(2, 2), bias=False)"
    )


def test_errors_name_the_layer_argument_and_shapes():
    conv = nn.Conv2d(3, 4, 3)
    with pytest.raises(ValueError, match=r"Conv2d.*\(2, 2, 5, 5\).*2 channels.*expected 3"):
        conv(Tensor(np.zeros((2, 2, 5, 5), np.float32)))
    with pytest.raises(ValueError, match=r"Conv2d.*4-d.*\(5, 5\)"):
        conv(Tensor(np.zeros((5, 5), np.float32)))
    with pytest.raises(ValueError, match=r"larger than the padded input.*\(1, 3, 2, 7\)"):
        conv(Tensor(np.zeros((1, 3, 2, 7), np.float32)))
    with pytest.raises(ValueError, match="groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="strided"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match=r"conv2d.*weight of shape \(4, 1, 3, 3\).*groups=1"):
        F.conv2d(Tensor(np.zeros((1, 3, 5, 5))), Tensor(np.zeros((4, 1, 3, 3))))
    with pytest.raises(ValueError, match="output_padding"):
        F.conv_transpose2d(
            Tensor(np.zeros((1, 2, 3, 3))), Tensor(np.zeros((2, 1, 3, 3))), output_padding=1
        )


def test_float32_in_float32_out():
    conv = nn.Conv2d(2, 3, 3)
    x = Tensor(np.ones((1, 2, 4, 4), np.float32), requires_grad=True)
    y = conv(x)
    assert y.dtype == np.float32
    y.sum().backward()
    assert (
        np.asarray(x.grad).dtype == np.float32 and np.asarray(conv.weight.grad).dtype == np.float32
    )


@pytest.mark.parametrize(
    "layer,shape",
    [
        (lambda: nn.Conv2d(6, 4, 3, groups=2), (0, 6, 7, 7)),
        (lambda: nn.Conv1d(3, 2, 3, stride=2), (0, 3, 9)),
        (lambda: nn.ConvTranspose2d(4, 3, 2, stride=2), (0, 4, 3, 3)),
    ],
)
def test_empty_batch_forward_and_backward(layer, shape):
    # as PyTorch: an empty batch gives an empty output and zero parameter gradients
    m = layer()
    x = Tensor(np.zeros(shape), requires_grad=True)
    y = m(x)
    assert y.shape[0] == 0
    y.sum().backward()
    assert x.grad.shape == shape
    assert np.all(m.weight.grad.numpy() == 0) and np.all(m.bias.grad.numpy() == 0)
