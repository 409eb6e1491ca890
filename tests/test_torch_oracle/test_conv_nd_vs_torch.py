"""conv1d/2d/3d and conv_transpose1d/2d/3d against PyTorch over a grid of hyper-parameters
(stride, padding incl. 'same'/'valid', output_padding, dilation, groups, bias, unbatched
input): forward values and the gradients of input, weight and bias; the layers (Conv3d,
ConvTranspose1d/3d with every padding mode and output_size) with torch's parameters copied."""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor
from tests.test_torch_oracle.oracle import compare, normal

torch = pytest.importorskip("torch")
TF = torch.nn.functional
# torch's note that it copies the input for an even kernel with padding='same'
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")

SIZES = {1: (7,), 2: (6, 5), 3: (5, 6, 4)}
KERNELS = {1: (3,), 2: (3, 2), 3: (2, 3, 1)}


def _seed(*args: object) -> int:
    return zlib.crc32(repr(args).encode())


# (stride, padding, dilation, groups, bias, batched): every axis gets the same value; the
# unbatched form once per padding and grouping
PLAIN = [
    (s, p, d, g, b, not (s == d == 1 and b))
    for s, p, d, g, b in itertools.product(
        (1, 2), (0, 1, "same", "valid"), (1, 2), (1, 2), (True, False)
    )  # fmt: skip
    if not (p == "same" and s != 1)
]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("stride, padding, dilation, groups, bias, batched", PLAIN, ids=str)
def test_conv_matches_torch(nd, stride, padding, dilation, groups, bias, batched):
    seed = _seed(nd, stride, padding, dilation, groups, bias, batched)
    x = normal(((2,) if batched else ()) + (2 * groups, *SIZES[nd]), seed)
    w = normal((3 * groups, 2, *KERNELS[nd]), seed + 1)
    arrays = [x, w] + ([normal((3 * groups,), seed + 2)] if bias else [])
    kw = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    ours_fn, theirs_fn = getattr(F, f"conv{nd}d"), getattr(TF, f"conv{nd}d")
    compare(lambda *a: ours_fn(*a, **kw), lambda *a: theirs_fn(*a, **kw), arrays)


# (stride, padding, output_padding, dilation, groups, bias, batched)
TRANSPOSED = [
    (s, p, op, d, g, b, not (s == d == 1 and b))
    for s, p, op, d, g, b in itertools.product(
        (1, 2, 3), (0, 1), (0, 1, 2), (1, 2), (1, 2), (True, False)
    )  # fmt: skip
    if op < max(s, d)
]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize(
    "stride, padding, output_padding, dilation, groups, bias, batched", TRANSPOSED, ids=str
)
def test_conv_transpose_matches_torch(
    nd, stride, padding, output_padding, dilation, groups, bias, batched
):
    seed = _seed(nd, stride, padding, output_padding, dilation, groups, bias, batched)
    x = normal(((2,) if batched else ()) + (2 * groups, *SIZES[nd]), seed)
    w = normal((2 * groups, 3, *KERNELS[nd]), seed + 1)
    arrays = [x, w] + ([normal((3 * groups,), seed + 2)] if bias else [])
    kw = {"stride": stride, "padding": padding, "output_padding": output_padding,
          "dilation": dilation, "groups": groups}  # fmt: skip
    ours_fn, theirs_fn = getattr(F, f"conv_transpose{nd}d"), getattr(TF, f"conv_transpose{nd}d")
    compare(lambda *a: ours_fn(*a, **kw), lambda *a: theirs_fn(*a, **kw), arrays)


def test_mixed_per_axis_arguments_match_torch():
    x, w = normal((2, 4, 6, 5, 7), 1), normal((4, 2, 3, 1, 2), 2)
    kw = {"stride": (1, 2, 3), "padding": (1, 0, 2), "dilation": (2, 1, 1), "groups": 2}
    compare(lambda x, w: F.conv3d(x, w, **kw), lambda x, w: TF.conv3d(x, w, **kw), [x, w])
    kw_t = {**kw, "output_padding": (1, 0, 2)}
    compare(lambda x, w: F.conv_transpose3d(x, w, **kw_t),
            lambda x, w: TF.conv_transpose3d(x, w, **kw_t), [x, w])  # fmt: skip
    compare(lambda x, w: F.conv3d(x, w, padding="same", dilation=(1, 2, 2)),
            lambda x, w: TF.conv3d(x, w, padding="same", dilation=(1, 2, 2)),
            [normal((1, 2, 4, 5, 6), 3), normal((3, 2, 2, 3, 4), 4)])  # fmt: skip


LAYERS = [
    ("Conv3d", (2, 4, 3), {"padding": 1, "padding_mode": mode}, (2, 2, 4, 5, 4))
    for mode in ("zeros", "reflect", "replicate", "circular")
] + [
    ("Conv3d", (2, 4, (2, 3, 2)), {"padding": "same", "padding_mode": "reflect"},
     (2, 4, 5, 3)),
    ("Conv3d", (4, 2, 1), {"stride": 2, "groups": 2, "bias": False}, (1, 4, 3, 4, 5)),
    ("Conv1d", (2, 4, 3), {"padding": 2, "padding_mode": "circular", "dilation": 2}, (3, 2, 6)),
    ("ConvTranspose1d", (4, 2, 3), {"stride": 2, "padding": 1, "output_padding": 1,
                                    "groups": 2}, (2, 4, 5)),
    ("ConvTranspose1d", (2, 3, 2), {"dilation": 3, "bias": False}, (2, 4)),
    ("ConvTranspose3d", (2, 4, (2, 3, 1)), {"stride": (2, 1, 3), "padding": (0, 1, 0)},
     (2, 2, 3, 4, 2)),
]  # fmt: skip


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, args, kwargs, shape", LAYERS, ids=[c[0] for c in LAYERS])
def test_layers_match_torch(name, args, kwargs, shape, dtype):
    t_dtype = torch.float32 if dtype == np.float32 else torch.float64
    torch.manual_seed(0)
    theirs = getattr(torch.nn, name)(*args, **kwargs, dtype=t_dtype)
    ours = getattr(nn, name)(*args, **kwargs, dtype=dtype)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = normal(shape, 5, dtype=dtype)
    xo, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    tol = {"rtol": 2e-4, "atol": 2e-5} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), **tol)
    up = normal(tuple(yt.shape), 6, dtype=dtype)
    yo.backward(up)
    yt.backward(torch.tensor(up))
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), **tol)
    for k, p in theirs.named_parameters():
        np.testing.assert_allclose(getattr(ours, k).grad, p.grad.numpy(), **tol)


@pytest.mark.parametrize(
    "name, size",
    [
        ("ConvTranspose1d", [13]),
        ("ConvTranspose1d", [1, 3, 14]),
        ("ConvTranspose3d", (13, 5, 7)),
    ],  # fmt: skip
)
def test_transposed_output_size_matches_torch(name, size):
    torch.manual_seed(1)
    nd = int(name[-2])
    theirs = getattr(torch.nn, name)(3, 3, 3, stride=3, dtype=torch.float64)
    ours = getattr(nn, name)(3, 3, 3, stride=3, dtype=np.float64)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    x = normal((1, 3, *(4, 1, 2)[:nd]), 7)
    y_t = theirs(torch.tensor(x), output_size=size)
    np.testing.assert_allclose(ours(Tensor(x), output_size=size).data, y_t.detach().numpy(),
                               rtol=1e-10, atol=1e-12)  # fmt: skip
