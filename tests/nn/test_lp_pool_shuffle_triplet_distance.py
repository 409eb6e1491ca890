"""LPPool1d/2d/3d, ChannelShuffle and TripletMarginWithDistanceLoss: definitions, gradients by
finite differences, reprs and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck

_positive = arrays(np.float64, (1, 2, 4, 4), elements=st.floats(0.1, 3.0))


@settings(max_examples=15, deadline=None)
@given(_positive, st.sampled_from([1.0, 2.0, 3.0]))
def test_lp_pool2d_is_the_windows_p_norm(x, p):
    out = F.lp_pool2d(Tensor(x), p, 2)
    windows = x.reshape(1, 2, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(1, 2, 2, 2, 4)
    np.testing.assert_allclose(out.data, (windows**p).sum(-1) ** (1 / p), rtol=1e-12)
    assert gradcheck(lambda t: F.lp_pool2d(t, p, 2, stride=1), [Tensor(x, requires_grad=True)])


def test_lp_pool_1d_and_3d_and_modules():
    x = Tensor(np.arange(1.0, 7.0).reshape(1, 1, 6))
    np.testing.assert_allclose(nn.LPPool1d(1, 3)(x).data.ravel(), [6.0, 15.0])
    cube = Tensor(np.full((1, 1, 2, 2, 2), 2.0))
    np.testing.assert_allclose(nn.LPPool3d(2, 2)(cube).data.ravel(), [np.sqrt(8 * 4.0)])
    assert (
        repr(nn.LPPool2d(2, 3))
        == "LPPool2d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)"
    )


def test_channel_shuffle_transposes_the_channel_grid():
    x = Tensor(np.arange(6.0).reshape(1, 6, 1))
    np.testing.assert_array_equal(F.channel_shuffle(x, 2).data.ravel(), [0, 3, 1, 4, 2, 5])
    np.testing.assert_array_equal(nn.ChannelShuffle(3)(x).data.ravel(), [0, 2, 4, 1, 3, 5])
    t = Tensor(np.random.default_rng(0).normal(size=(2, 6, 2)), requires_grad=True)
    assert gradcheck(
        lambda a: F.channel_shuffle(a, 3) * Tensor(np.arange(24.0).reshape(2, 6, 2)), [t]
    )
    with pytest.raises(ValueError, match="divisible by groups. Got 5 channels and 2 groups"):
        F.channel_shuffle(Tensor(np.zeros((1, 5, 2))), 2)
    assert repr(nn.ChannelShuffle(2)) == "ChannelShuffle(groups=2)"


def test_triplet_with_distance_defaults_to_triplet_margin_loss():
    rng = np.random.default_rng(1)
    a, p, n = (Tensor(rng.normal(size=(5, 3)), requires_grad=True) for _ in range(3))
    for swap in (False, True):
        ours = nn.TripletMarginWithDistanceLoss(swap=swap)(a, p, n)
        plain = F.triplet_margin_loss(a, p, n, swap=swap)
        np.testing.assert_allclose(ours.data, plain.data, rtol=1e-12)
    l1 = nn.TripletMarginWithDistanceLoss(
        distance_function=lambda u, v: (u - v).abs().sum(-1), margin=0.5, reduction="none"
    )
    expected = np.maximum(
        np.abs(a.data - p.data).sum(-1) - np.abs(a.data - n.data).sum(-1) + 0.5, 0
    )
    np.testing.assert_allclose(l1(a, p, n).data, expected)
    assert gradcheck(lambda x, y, z: l1(x, y, z), [a, p, n])
    assert repr(nn.TripletMarginWithDistanceLoss()) == (
        "TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)"
    )
    with pytest.raises(ValueError, match="margin must be greater than 0"):
        nn.TripletMarginWithDistanceLoss(margin=0.0)
