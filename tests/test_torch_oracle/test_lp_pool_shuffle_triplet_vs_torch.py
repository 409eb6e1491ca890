"""LPPool1d/2d/3d, ChannelShuffle and TripletMarginWithDistanceLoss against torch."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("p", [1, 2, 1.5, 3.0])
@pytest.mark.parametrize("stride, ceil_mode", [(None, False), (None, True), (1, False)])
def test_lp_pool_matches_torch(nd: int, p: float, stride: int | None, ceil_mode: bool) -> None:
    x = np.abs(np.random.default_rng(nd).normal(size=(2, 3) + (5,) * nd)) + 0.1
    name = f"LPPool{nd}d"
    ours, theirs = (
        getattr(nn, name)(p, 2, stride, ceil_mode),
        getattr(torch.nn, name)(p, 2, stride, ceil_mode),
    )
    assert repr(ours) == repr(theirs)
    a, t = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(a), theirs(t)
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-11)


@pytest.mark.parametrize("groups", [1, 2, 3, 6])
def test_channel_shuffle_matches_torch(groups: int) -> None:
    x = np.random.default_rng(0).normal(size=(2, 6, 3, 2))
    ours = nn.ChannelShuffle(groups)(Tensor(x))
    np.testing.assert_array_equal(
        ours.data, torch.nn.ChannelShuffle(groups)(torch.tensor(x)).numpy()
    )
    assert repr(nn.ChannelShuffle(groups)) == repr(torch.nn.ChannelShuffle(groups))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("kind", ["default", "swap", "cosine"])
def test_triplet_margin_with_distance_matches_torch(reduction: str, kind: str) -> None:
    rng = np.random.default_rng(3)
    xs = [rng.normal(size=(6, 4)) for _ in range(3)]
    kw: dict = {"reduction": reduction}
    tkw: dict = {"reduction": reduction}
    if kind == "swap":
        kw.update(swap=True, margin=0.3)
        tkw.update(swap=True, margin=0.3)
    if kind == "cosine":
        kw["distance_function"] = lambda u, v: 1 - F.cosine_similarity(u, v)
        tkw["distance_function"] = lambda u, v: 1 - torch.nn.functional.cosine_similarity(u, v)
    ours = [Tensor(x, requires_grad=True) for x in xs]
    theirs = [torch.tensor(x, requires_grad=True) for x in xs]
    lo = nn.TripletMarginWithDistanceLoss(**kw)(*ours)
    lt = torch.nn.TripletMarginWithDistanceLoss(**tkw)(*theirs)
    lo.sum().backward()
    lt.sum().backward()
    np.testing.assert_allclose(lo.data, lt.detach().numpy(), rtol=1e-12, atol=1e-15)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.data, t.grad.numpy(), rtol=1e-11, atol=1e-15)


@pytest.mark.parametrize("eps", [1e-8, 0.5, 2.0])
@pytest.mark.parametrize("shapes", [((1, 4), (3, 4)), ((3, 1), (3, 4)), ((2, 3), (2, 3))])
def test_cosine_similarity_broadcast_and_eps_match_torch(shapes, eps):
    """Broadcast first, clamp the norms' values only (torch's gradient through the clamp)."""
    rng = np.random.default_rng(4)
    xs = [rng.normal(size=s) * 0.4 for s in shapes]
    for dim in (0, 1):
        ours = [Tensor(x, requires_grad=True) for x in xs]
        theirs = [torch.tensor(x, requires_grad=True) for x in xs]
        lo = F.cosine_similarity(*ours, dim=dim, eps=eps)
        lt = torch.nn.functional.cosine_similarity(*theirs, dim=dim, eps=eps)
        g = rng.normal(size=lt.shape)
        lo.backward(g)
        lt.backward(torch.tensor(g))
        np.testing.assert_allclose(lo.data, lt.detach().numpy(), rtol=1e-12, atol=1e-15)
        for o, t in zip(ours, theirs):
            np.testing.assert_allclose(o.grad.data, t.grad.numpy(), rtol=1e-11, atol=1e-14)
