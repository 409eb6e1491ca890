"""Lazy modules: sizes read from the first input, the switch to the ordinary class, the
same Parameter objects before and after (so an optimizer built first trains them), shapes
from a checkpoint, and the ordinary layer's initialisation and gradients afterwards."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
import optim
from autograd import Tensor
from autograd.testing import gradcheck

RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    "make,shape,cls,size_attr,size",
    [
        (lambda: nn.LazyLinear(5), (3, 7), nn.Linear, "in_features", 7),
        (lambda: nn.LazyLinear(5, bias=False), (2, 4, 6), nn.Linear, "in_features", 6),
        (lambda: nn.LazyConv1d(4, 3), (2, 3, 9), nn.Conv1d, "in_channels", 3),
        (lambda: nn.LazyConv2d(6, 3, padding=1, groups=2), (2, 4, 5, 5), nn.Conv2d, "in_channels",
         4),
        (lambda: nn.LazyConv2d(4, 3), (3, 6, 6), nn.Conv2d, "in_channels", 3),  # unbatched
        (lambda: nn.LazyConvTranspose2d(4, 2, stride=2), (2, 3, 4, 4), nn.ConvTranspose2d,
         "in_channels", 3),
        (lambda: nn.LazyBatchNorm1d(), (8, 5), nn.BatchNorm1d, "num_features", 5),
        (lambda: nn.LazyBatchNorm2d(affine=False), (4, 3, 2, 2), nn.BatchNorm2d, "num_features", 3),
    ],
)  # fmt: skip
def test_first_forward_infers_size_and_becomes_the_plain_layer(make, shape, cls, size_attr, size):
    m = make()
    assert m.has_uninitialized_params()
    before = list(m.parameters())
    assert all(isinstance(p, nn.UninitializedParameter) for p in before)
    x = Tensor(RNG.normal(size=shape).astype(np.float32))
    y = m(x)
    assert type(m) is cls and getattr(m, size_attr) == size
    assert not any(isinstance(p, nn.UninitializedParameter) for p in m.parameters())
    assert [id(p) for p in m.parameters()] == [id(p) for p in before]
    assert y.dtype == np.float32
    if cls is nn.Linear:  # the plain layer's computation on the materialized weights
        want = x.numpy() @ m.weight.numpy().T + (0 if m.bias is None else m.bias.numpy())
        np.testing.assert_allclose(y.numpy(), want, rtol=1e-5, atol=1e-6)


def test_linear_initialisation_is_torch_default_bound():
    autograd.manual_seed(0)
    m = nn.LazyLinear(200)
    m(Tensor(np.zeros((1, 50), np.float32)))
    bound = 1 / math.sqrt(50)
    w, b = m.weight.numpy(), m.bias.numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert np.abs(b).max() <= bound and w.std() > 0.5 * bound / math.sqrt(3)


def test_optimizer_built_before_the_first_forward_trains_the_parameters():
    autograd.manual_seed(1)
    net = nn.Sequential(nn.LazyLinear(8), nn.Tanh(), nn.LazyLinear(1))
    opt = optim.Adam(net.parameters(), lr=0.05)
    X = Tensor(RNG.normal(size=(32, 3)))
    y = X.sum(1, keepdim=True) * 0.5
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = ((net(X.float()) - y.float()) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]


def test_load_state_dict_takes_the_checkpoint_shapes():
    autograd.manual_seed(2)
    src = nn.Sequential(nn.LazyConv2d(3, 3), nn.LazyBatchNorm2d(), nn.Flatten(), nn.LazyLinear(2))
    x = Tensor(RNG.normal(size=(2, 2, 5, 5)).astype(np.float32))
    src(x)
    dst = nn.Sequential(nn.LazyConv2d(3, 3), nn.LazyBatchNorm2d(), nn.Flatten(), nn.LazyLinear(2))
    dst.load_state_dict(src.state_dict())
    assert not dst[0].has_uninitialized_params()
    src.eval()
    dst.eval()
    np.testing.assert_array_equal(dst(x).numpy(), src(x).numpy())
    assert type(dst[3]) is nn.Linear and dst[3].in_features == 27
    assert type(dst[1]) is nn.BatchNorm2d and dst[1].num_features == 3


def test_repr_before_and_after():
    m = nn.LazyLinear(4)
    assert repr(m) == "LazyLinear(in_features=0, out_features=4, bias=True)"
    assert repr(m.weight) == "<UninitializedParameter>"
    m(Tensor(np.ones((1, 3), np.float32)))
    assert repr(m) == "Linear(in_features=3, out_features=4, bias=True)"
    c = nn.LazyConv2d(4, 3, padding=1)
    assert repr(c) == "LazyConv2d(0, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"


def test_groups_must_divide_the_inferred_channels():
    m = nn.LazyConv2d(4, 3, groups=2)
    with pytest.raises(ValueError, match=r"in_channels \(3\) must be divisible by groups"):
        m(Tensor(np.zeros((1, 3, 5, 5), np.float32)))


def test_gradients_after_materialising_match_finite_differences():
    autograd.manual_seed(3)
    lin = nn.LazyLinear(3, dtype=np.float64)
    conv = nn.LazyConv2d(2, 2, dtype=np.float64)
    x = Tensor(RNG.normal(size=(2, 4)), requires_grad=True)
    xi = Tensor(RNG.normal(size=(1, 2, 3, 3)), requires_grad=True)
    lin(x)
    conv(xi)
    assert lin.weight.dtype == np.float64
    assert gradcheck(lambda a, w, b: nn.functional.linear(a, w, b), [x, lin.weight, lin.bias])
    assert gradcheck(lambda a: conv(a), [xi])


@pytest.mark.parametrize(
    "lazy, plain, shape, weight",
    [
        (lambda: nn.LazyConv3d(4, 2), nn.Conv3d, (2, 3, 4, 4, 4), (4, 3, 2, 2, 2)),
        (lambda: nn.LazyConvTranspose1d(5, 3), nn.ConvTranspose1d, (2, 6, 7), (6, 5, 3)),
        (
            lambda: nn.LazyConvTranspose3d(2, 2),
            nn.ConvTranspose3d,
            (1, 3, 2, 2, 2),
            (3, 2, 2, 2, 2),
        ),
        (lambda: nn.LazyBatchNorm3d(), nn.BatchNorm3d, (2, 5, 2, 2, 2), (5,)),
    ],
)
def test_the_3d_and_transposed_lazy_layers_read_their_channels(lazy, plain, shape, weight):
    m = lazy()
    m(Tensor(np.ones(shape)))
    assert type(m) is plain
    assert m.weight.shape == weight
