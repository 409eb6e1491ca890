"""3-d pooling and max unpooling (1-d, 2-d, 3-d) against PyTorch over a grid of arguments
(kernel, stride, padding, dilation, ceil_mode, count_include_pad, divisor_override,
return_indices, unbatched input, output_size): values, indices and input gradients."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from tests.test_torch_oracle.oracle import compare, normal

torch = pytest.importorskip("torch")
TF = torch.nn.functional

SHAPE = (2, 3, 5, 6, 7)

MAX = [
    (k, s, p, d, ceil)
    for k, s, p, d, ceil in itertools.product(
        (2, 3, (1, 2, 3)), (None, 1, 2, (2, 1, 3)), (0, 1), (1, 2), (False, True)
    )
    if not (p == 1 and k == (1, 2, 3))
]


@pytest.mark.parametrize("kernel, stride, padding, dilation, ceil_mode", MAX, ids=str)
def test_max_pool3d_matches_torch(kernel, stride, padding, dilation, ceil_mode):
    kw = {"kernel_size": kernel, "stride": stride, "padding": padding, "dilation": dilation,
          "ceil_mode": ceil_mode}  # fmt: skip
    x = normal(SHAPE, 1)
    compare(lambda x: F.max_pool3d(x, **kw), lambda x: TF.max_pool3d(x, **kw), [x])
    y, idx = F.max_pool3d(Tensor(x[0]), return_indices=True, **kw)
    y_t, idx_t = TF.max_pool3d(torch.tensor(x[0]), return_indices=True, **kw)
    np.testing.assert_array_equal(y.data, y_t.numpy())
    np.testing.assert_array_equal(idx.data, idx_t.numpy())


AVG = [
    (k, s, p, ceil, inc, div)
    for k, s, p, ceil, inc, div in itertools.product(
        (2, 3, (1, 2, 3)), (None, 2, (2, 1, 3)), (0, 1), (False, True), (True, False), (None, 5)
    )
    if not (p == 1 and k == (1, 2, 3))
]


@pytest.mark.parametrize(
    "kernel, stride, padding, ceil_mode, count_include_pad, divisor_override", AVG, ids=str
)
def test_avg_pool3d_matches_torch(kernel, stride, padding, ceil_mode, count_include_pad,
                                  divisor_override):  # fmt: skip
    kw = {"kernel_size": kernel, "stride": stride, "padding": padding, "ceil_mode": ceil_mode,
          "count_include_pad": count_include_pad, "divisor_override": divisor_override}  # fmt: skip
    compare(lambda x: F.avg_pool3d(x, **kw), lambda x: TF.avg_pool3d(x, **kw), [normal(SHAPE, 2)])
    compare(lambda x: F.avg_pool3d(x, **kw), lambda x: TF.avg_pool3d(x, **kw),
            [normal(SHAPE[1:], 3)])  # fmt: skip


@pytest.mark.parametrize("out", [1, 2, (3, 4, 5), (None, 2, 7), (5, 6, 7), (4, 1, 3)], ids=str)
@pytest.mark.parametrize("batched", [True, False])
def test_adaptive_pool3d_matches_torch(out, batched):
    x = normal(SHAPE if batched else SHAPE[1:], 4)
    compare(lambda x: F.adaptive_avg_pool3d(x, out), lambda x: TF.adaptive_avg_pool3d(x, out), [x])
    compare(lambda x: F.adaptive_max_pool3d(x, out), lambda x: TF.adaptive_max_pool3d(x, out), [x])
    _, idx = F.adaptive_max_pool3d(Tensor(x), out, return_indices=True)
    _, idx_t = TF.adaptive_max_pool3d(torch.tensor(x), out, return_indices=True)
    np.testing.assert_array_equal(idx.data, idx_t.numpy())


UNPOOL = [
    (dims, k, s, p, batched)
    for dims, k, s, p, batched in itertools.product(
        (1, 2, 3), (2, 3), (None, 1, 2), (0, 1), (True, False)
    )
]


@pytest.mark.parametrize("dims, kernel, stride, padding, batched", UNPOOL, ids=str)
def test_max_unpool_matches_torch(dims, kernel, stride, padding, batched):
    """Pooled with torch, unpooled by both (overlapping windows name places twice)."""
    shape = (2, 3, 7, 6, 5)[: 2 + dims]
    x = normal(shape if batched else shape[1:], 5)
    kw = {"kernel_size": kernel, "stride": stride, "padding": padding}
    pool_t = getattr(TF, f"max_pool{dims}d")
    y_t, idx_t = pool_t(torch.tensor(x), return_indices=True, **kw)
    idx = idx_t.numpy()
    ours, theirs = getattr(F, f"max_unpool{dims}d"), getattr(TF, f"max_unpool{dims}d")
    try:
        theirs(y_t, idx_t, **kw)
    except RuntimeError as e:  # the default output is smaller than the pooled input
        assert "invalid max index" in str(e)
        with pytest.raises(ValueError, match="invalid max index"):
            ours(Tensor(y_t.numpy()), Tensor(idx), **kw)
    else:
        compare(lambda y: ours(y, Tensor(idx), **kw), lambda y: theirs(y, idx_t, **kw),
                [y_t.numpy()])  # fmt: skip
    size = list(x.shape[-dims:])
    compare(lambda y: ours(y, Tensor(idx), output_size=size, **kw),
            lambda y: theirs(y, idx_t, output_size=size, **kw), [y_t.numpy()])  # fmt: skip


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "name, args, kwargs, extra",
    [
        ("MaxPool3d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True}, ()),
        ("AvgPool3d", ((2, 3, 1),), {"stride": 1, "divisor_override": 4}, ()),
        ("AdaptiveAvgPool3d", ((2, None, 3),), {}, ()),
        ("AdaptiveMaxPool3d", (2,), {}, ()),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_layers_match_torch(name, args, kwargs, extra, dtype):
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    tol = {"rtol": 2e-6, "atol": 1e-7} if dtype == np.float32 else {"rtol": 1e-12, "atol": 0}
    compare(ours, theirs, [normal(SHAPE, 6, dtype=dtype)], **tol)


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_unpool_layers_match_torch(dims):
    name = f"MaxUnpool{dims}d"
    ours, theirs = getattr(nn, name)(2, padding=1), getattr(torch.nn, name)(2, padding=1)
    assert repr(ours) == repr(theirs)
    x = torch.tensor(normal((2, 3, 6, 4, 4)[: 2 + dims], 7))
    y, idx = getattr(TF, f"max_pool{dims}d")(x, 2, padding=1, return_indices=True)
    compare(lambda y: ours(y, Tensor(idx.numpy())), lambda y: theirs(y, idx), [y.numpy()])


# ceil_mode: a window may overhang the padded input when it still starts inside it (torch
# gives one output there; ours refused a window longer than the padded input)
CEIL_OVERHANG = [
    ("max_pool1d", (1, 2, 2), dict(kernel_size=3, stride=3, ceil_mode=True)),
    ("max_pool2d", (1, 1, 2, 5), dict(kernel_size=(2, 2), stride=2, dilation=(2, 1),
                                      ceil_mode=True)),
    ("max_pool3d", (1, 1, 2, 5, 2), dict(kernel_size=2, stride=2, dilation=(1, 2, 2),
                                         ceil_mode=True)),
    ("avg_pool2d", (1, 3, 1, 3), dict(kernel_size=(2, 3), stride=3, ceil_mode=True)),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                                      count_include_pad=False)),
    ("lp_pool2d", (1, 1, 3, 2), dict(norm_type=2.0, kernel_size=3, stride=3, ceil_mode=True)),
]  # fmt: skip


@pytest.mark.parametrize("name,shape,kw", CEIL_OVERHANG, ids=[c[0] for c in CEIL_OVERHANG])
def test_ceil_mode_window_overhanging_the_input_matches_torch(name, shape, kw):
    x = np.abs(normal(shape, 7)) + 0.1
    compare(lambda t: getattr(F, name)(t, **kw),
            lambda t: getattr(torch.nn.functional, name)(t, **kw), [x])  # fmt: skip


def test_floor_mode_window_longer_than_the_padded_input_is_refused_by_both():
    x = normal((1, 1, 2, 5), 8)
    with pytest.raises(RuntimeError):
        torch.nn.functional.max_pool2d(torch.tensor(x), 3, 3)
    with pytest.raises(ValueError, match="larger than the padded input"):
        F.max_pool2d(Tensor(x), 3, 3)


@pytest.mark.parametrize("shape", [(1, 1, 1, 6, 6), (1, 1, 3, 1, 4)])
def test_avg_pool3d_refuses_an_unpadded_input_smaller_than_the_kernel(shape):
    x = normal(shape, 9)
    with pytest.raises(RuntimeError, match="smaller than kernel size"):
        torch.nn.functional.avg_pool3d(torch.tensor(x), 2, 2, 1)
    with pytest.raises(ValueError, match="avg_pool3d: input image .* smaller than kernel size"):
        F.avg_pool3d(Tensor(x), 2, 2, 1)
    ok = normal((1, 1, 2, 2, 3), 10)  # as large as the kernel: fine in both
    compare(lambda t: F.avg_pool3d(t, 2, 2, 1),
            lambda t: torch.nn.functional.avg_pool3d(t, 2, 2, 1), [ok])  # fmt: skip


INTEGER_POOLS = {
    "avg_pool1d": lambda F, x: F.avg_pool1d(x[0], 3, stride=2, padding=1),
    "avg_pool2d": lambda F, x: F.avg_pool2d(x, 2),
    "avg_pool2d_pad": lambda F, x: F.avg_pool2d(x, 3, padding=1, count_include_pad=False),
    "avg_pool2d_ceil": lambda F, x: F.avg_pool2d(x, 3, stride=2, ceil_mode=True),
    "avg_pool2d_divisor": lambda F, x: F.avg_pool2d(x, 2, divisor_override=3),
    "lp_pool2d": lambda F, x: F.lp_pool2d(x, 2, 2),
    "adaptive_avg_pool2d": lambda F, x: F.adaptive_avg_pool2d(x, 2),
    "adaptive_avg_pool1d": lambda F, x: F.adaptive_avg_pool1d(x[0], 3),
}


@pytest.mark.parametrize("name", sorted(INTEGER_POOLS))
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
def test_integer_average_pooling_as_torch(name: str, dtype: str) -> None:
    """Average pooling of integers: PyTorch's int64 kernel truncates each quotient (and
    lp_pool built on it follows); other integer dtypes and adaptive pooling are refused."""
    a = np.random.default_rng(3).integers(-9 if dtype != "uint8" else 0, 10, (2, 3, 5, 6))
    outcomes = []
    for lib, functional in ((torch, torch.nn.functional), (autograd, F)):
        try:
            out = np.asarray(INTEGER_POOLS[name](functional, lib.tensor(a.astype(dtype))))
            outcomes.append((str(out.dtype), np.nan_to_num(out, nan=-1).round(5).tolist()))
        except NotImplementedError:
            outcomes.append(("NotImplementedError",))
    assert outcomes[0] == outcomes[1]


def _unpool(lib: Any, fn: Any, dims: int, geometry: tuple) -> tuple[Any, Any]:
    """The input (requiring grad) and the unpooled output, or the exception raised."""
    x = lib.tensor(np.ones((1, 2) + (1,) * dims), requires_grad=True)
    idx = lib.tensor(np.zeros((1, 2) + (1,) * dims, np.int64))
    try:
        return x, getattr(fn, f"max_unpool{dims}d")(x, idx, *geometry)
    except (ValueError, RuntimeError) as e:
        return x, e


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_max_unpool_to_an_empty_or_negative_size_as_torch(dims):
    """(kernel 2, stride 3, padding 1) on one entry: the empty output as torch; torch's backward
    then raises (it gathers at an index into the empty output), ours gives 0. (1, 1, 1): a
    negative size, refused by both."""
    (xo, yo), (xt, yt) = (
        _unpool(lib, fn, dims, (2, 3, 1)) for lib, fn in ((autograd, F), (torch, TF))
    )
    assert tuple(yo.shape) == tuple(yt.shape) == (1, 2) + (0,) * dims
    with pytest.raises(RuntimeError, match="out of bounds"):
        torch.autograd.grad(yt.sum(), [xt])
    assert np.all(autograd.grad(yo.sum(), [xo])[0].numpy() == 0)
    refused = [_unpool(lib, fn, dims, (1, 1, 1))[1] for lib, fn in ((autograd, F), (torch, TF))]
    assert all(isinstance(r, Exception) for r in refused), refused
