"""3-d pooling (max, average, adaptive) and max unpooling in 1, 2 and 3 dimensions: values
against the definition, first and second derivatives against central differences in float64
(hypothesis draws the geometry), layer reprs and errors."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck


@st.composite
def pool_geometry(draw, dims=3):
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    return {
        "kernel_size": kernel,
        "stride": tuple(draw(st.integers(1, 2)) for _ in range(dims)),
        "padding": tuple(draw(st.integers(0, k // 2)) for k in kernel),
        "ceil_mode": draw(st.booleans()),
    }


def _sizes(geo, dilation=(1, 1, 1)):
    return tuple(d * (k - 1) + 1 + 1 for k, d in zip(geo["kernel_size"], dilation))


def direct_max_pool3d(x, k, s, p, d, out):
    """The definition: the maximum over each window's places inside the input."""
    y = np.full(x.shape[:2] + tuple(out), -np.inf)
    for pos in itertools.product(*(range(m) for m in out)):
        for kpos in itertools.product(*(range(kk) for kk in k)):
            at = [pos[a] * s[a] + kpos[a] * d[a] - p[a] for a in range(3)]
            if all(0 <= c < n for c, n in zip(at, x.shape[2:])):
                here = (slice(None), slice(None), *pos)
                y[here] = np.maximum(y[here], x[(slice(None), slice(None), *at)])
    return y


@settings(max_examples=15, deadline=None)
@given(geo=pool_geometry(), dil=st.tuples(*[st.integers(1, 2)] * 3), seed=st.integers(0, 2**16))
def test_max_pool3d_matches_the_definition_and_its_indices(geo, dil, seed):
    x = np.random.default_rng(seed).normal(size=(2, 2, *_sizes(geo, dil)))
    y, idx = F.max_pool3d(Tensor(x), dilation=dil, return_indices=True, **geo)
    want = direct_max_pool3d(x, geo["kernel_size"], geo["stride"], geo["padding"], dil,
                             y.shape[2:])  # fmt: skip
    np.testing.assert_array_equal(y.data, want)
    flat = x.reshape(2, 2, -1)
    np.testing.assert_array_equal(np.take_along_axis(flat, idx.data.reshape(2, 2, -1), -1),
                                  y.data.reshape(2, 2, -1))  # fmt: skip


@settings(max_examples=8, deadline=None)
@given(geo=pool_geometry(), include=st.booleans(), seed=st.integers(0, 2**16))
def test_pool3d_first_and_second_derivatives(geo, include, seed):
    rng = np.random.default_rng(seed)
    x = Tensor(rng.normal(size=(1, 2, *_sizes(geo))), requires_grad=True)
    assert gradcheck(lambda x: F.max_pool3d(x, **geo), [x])
    assert gradgradcheck(lambda x: F.max_pool3d(x, **geo), [x])
    avg = lambda x: F.avg_pool3d(x, count_include_pad=include, **geo)  # noqa: E731
    assert gradcheck(avg, [x]) and gradgradcheck(avg, [x])


@settings(max_examples=8, deadline=None)
@given(
    size=st.tuples(*[st.integers(1, 4)] * 3),
    out=st.tuples(*[st.integers(1, 3)] * 3),
    seed=st.integers(0, 2**16),
)
def test_adaptive_pool3d_values_and_derivatives(size, out, seed):
    x = Tensor(np.random.default_rng(seed).normal(size=(2, *size)), requires_grad=True)
    y = F.adaptive_avg_pool3d(x, out)
    for cell in itertools.product(*(range(m) for m in out)):
        where = tuple(
            slice((i * n) // m, -(-((i + 1) * n) // m)) for i, n, m in zip(cell, size, out)
        )
        block = x.data[(slice(None), *where)].reshape(2, -1)
        # (atol: a mean that cancels to near 0 keeps only absolute accuracy)
        np.testing.assert_allclose(
            y.data[(slice(None), *cell)], block.mean(-1), rtol=1e-12, atol=1e-15
        )
        ym = F.adaptive_max_pool3d(x, out).data[(slice(None), *cell)]
        np.testing.assert_array_equal(ym, block.max(axis=-1))
    assert gradcheck(lambda x: F.adaptive_avg_pool3d(x, out), [x])
    assert gradcheck(lambda x: F.adaptive_max_pool3d(x, out), [x])
    assert gradgradcheck(lambda x: F.adaptive_max_pool3d(x, out), [x])


@pytest.mark.parametrize("dims", [1, 2, 3])
@settings(max_examples=5, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_max_unpool_inverts_max_pool_and_its_derivatives(dims, data, seed):
    geo = data.draw(pool_geometry(dims))
    geo.pop("ceil_mode")
    size = tuple(s + 1 for s in _sizes(geo, (1,) * dims))
    x = np.random.default_rng(seed).normal(size=(2, *size))  # unbatched
    pool = getattr(F, f"max_pool{dims}d")
    unpool = getattr(F, f"max_unpool{dims}d")
    y, idx = pool(Tensor(x), return_indices=True, **geo)
    back = unpool(y, idx, output_size=size, **geo)
    assert back.shape == x.shape
    kept = back.data != 0
    np.testing.assert_array_equal(back.data[kept], x[kept])  # maxima in place, zeros elsewhere
    assert set(idx.data.ravel()) == set(np.flatnonzero(kept.reshape(2, -1)) % int(np.prod(size)))
    yt = Tensor(y.data, requires_grad=True)
    f = lambda t: unpool(t, idx, output_size=size, **geo)  # noqa: E731
    rows = idx.data.reshape(2, -1)
    if all(len(set(r)) == len(r) for r in rows):
        assert gradcheck(f, [yt]) and gradgradcheck(f, [yt])
    else:  # overlapping windows name a place twice: each gets that place's gradient, as torch
        g = np.random.default_rng(seed).normal(size=x.shape)
        f(yt).backward(Tensor(g))
        want = np.take_along_axis(g.reshape(2, -1), rows, -1).reshape(y.shape)
        np.testing.assert_array_equal(yt.grad, want)


def test_layers_reprs_and_state():
    assert repr(nn.MaxPool3d(2)) == (
        "MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    )
    assert repr(nn.AvgPool3d((1, 2, 3), padding=1)) == (
        "AvgPool3d(kernel_size=(1, 2, 3), stride=(1, 2, 3), padding=1)"
    )
    assert repr(nn.AdaptiveAvgPool3d((2, None, 3))) == "AdaptiveAvgPool3d(output_size=(2, None, 3))"
    assert repr(nn.AdaptiveMaxPool3d(2)) == "AdaptiveMaxPool3d(output_size=2)"
    assert repr(nn.MaxUnpool1d(2)) == "MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))"
    assert repr(nn.MaxUnpool2d(3, 2, 1)) == (
        "MaxUnpool2d(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))"
    )
    assert nn.MaxUnpool3d(2).state_dict() == {} and list(nn.MaxPool3d(2).parameters()) == []
    x = Tensor(np.arange(64.0).reshape(1, 4, 4, 4))
    y, idx = nn.MaxPool3d(2, return_indices=True)(x)
    assert y.shape == idx.shape == (1, 2, 2, 2)
    assert nn.MaxUnpool3d(2)(y, idx).shape == (1, 4, 4, 4)
    assert nn.AdaptiveAvgPool3d((None, 1, 2))(x).shape == (1, 4, 1, 2)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda x: F.max_pool3d(x[0, 0], 2), r"max_pool3d: expected a 4-d \(C, D, H, W\)"),
        (lambda x: F.max_pool3d(x, (2, 2)), "a triple"),
        (lambda x: F.avg_pool3d(x, 3, padding=2), r"padding \(2, 2, 2\) should be at most half"),
        (lambda x: F.avg_pool3d(x, 2, divisor_override=0), "avg_pool3d: divisor_override"),
        (lambda x: nn.MaxPool3d(5)(x), r"MaxPool3d: the window.*\(1, 2, 4, 4, 4\)"),
        (lambda x: F.adaptive_avg_pool3d(x, (2, 2)), "adaptive_avg_pool3d: output_size"),
        (lambda x: nn.AdaptiveMaxPool3d(0)(x), "AdaptiveMaxPool3d: output_size"),
        (lambda x: F.max_unpool2d(x[0], Tensor(np.zeros((2, 4, 3), np.int64)), 2), "indices"),
        (lambda x: F.max_unpool1d(x[0, 0, 0], Tensor(np.full((4, 4), 9)), 2),
         "invalid max index 9"),
        (lambda x: nn.MaxUnpool1d(2)(x[0, 0, 0], Tensor(np.zeros((4, 4), np.int64)), [12]),
         r'MaxUnpool1d: invalid output_size "\(12,\)" \(dim 0 must be between 7 and 9\)'),
    ],
)  # fmt: skip
def test_errors_name_the_op_and_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call(Tensor(np.zeros((1, 2, 4, 4, 4))))


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_max_unpool_to_an_empty_output_gives_it_and_a_zero_gradient(dims):
    """An output size of 0 along some axis ((1 - 1) * 3 - 2 + 2): the empty result, no index
    checked (nothing is written), gradient 0, as torch; a negative size is refused."""
    x = Tensor(np.ones((1, 2) + (1,) * dims), requires_grad=True)
    idx = Tensor(np.zeros((1, 2) + (1,) * dims, np.int64))
    unpool = getattr(F, f"max_unpool{dims}d")
    y = unpool(x, idx, 2, 3, 1)
    assert y.shape == (1, 2) + (0,) * dims
    (g,) = autograd.grad(y.sum(), [x])
    assert np.all(g.data == 0) and g.shape == x.shape
    with pytest.raises(ValueError, match=f"max_unpool{dims}d: the output size .* is negative"):
        unpool(x, idx, 1, 1, 1)
