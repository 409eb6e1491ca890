"""Ranking and embedding losses (margin_ranking, triplet_margin, contrastive,
cosine_embedding): values against numpy formulas and the notes' worked numbers, gradients,
the zero-distance case, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

from ._losses_support import REDUCTIONS, arrays, away_from, reduce_np

embedding_shapes = st.sampled_from([(3,), (4, 3), (2, 5)])


def signs(n):
    return st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n).map(np.array)


def bits(n):
    return st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n).map(np.array)


# --- margin_ranking_loss ---


def margin_ranking_np(x1, x2, y, margin):
    return np.maximum(0, -y * (x1 - x2) + margin)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), margin=st.sampled_from([0.0, 1.0]))
def test_margin_ranking_values_and_gradients(reduction, data, margin):
    x1, x2 = data.draw(arrays((5,))), data.draw(arrays((5,)))
    y = data.draw(signs(5))
    out = F.margin_ranking_loss(Tensor(x1), Tensor(x2), y, margin=margin, reduction=reduction)
    np.testing.assert_allclose(out.data, reduce_np(margin_ranking_np(x1, x2, y, margin), reduction))
    assume(away_from(-y * (x1 - x2) + margin, [0.0]))
    a, b = Tensor(x1, requires_grad=True), Tensor(x2, requires_grad=True)
    assert gradcheck(lambda u, v: F.margin_ranking_loss(u, v, y, margin, reduction), [a, b])


def test_margin_ranking_notes_cases():
    # 003, margin 1: (y=1, 3, 1) -> 0; (y=1, 2, 2) -> 1; (y=-1, 4, 5) -> 0
    out = F.margin_ranking_loss(
        Tensor([3.0, 2.0, 4.0]), Tensor([1.0, 2.0, 5.0]), [1, 1, -1], margin=1.0, reduction="none"
    )
    np.testing.assert_allclose(out.data, [0.0, 1.0, 0.0])
    # the target gets PyTorch's gradient -(x1 - x2) where the hinge is active
    y = Tensor(np.array([1.0, 1.0, -1.0]), requires_grad=True)
    F.margin_ranking_loss(
        Tensor([3.0, 2.0, 4.0]), Tensor([1.0, 2.5, 5.0]), y, margin=1.0, reduction="sum"
    ).backward()
    # at the kink (third pair: 1 - (-1)(4 - 5) = 0) torch's clamp_min passes the gradient
    np.testing.assert_allclose(y.grad, [0.0, 0.5, 1.0])


def test_margin_ranking_bad_input():
    with pytest.raises(ValueError, match=r"input2 has shape \(2,\) but input1 has shape \(3,\)"):
        F.margin_ranking_loss(Tensor(np.zeros(3)), Tensor(np.zeros(2)), [1, 1, 1])
    with pytest.raises(ValueError, match=r"target has shape \(3, 1\) but input1 has shape"):
        F.margin_ranking_loss(Tensor(np.zeros(3)), Tensor(np.zeros(3)), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"target must hold 1 or -1; found 0.0"):
        F.margin_ranking_loss(Tensor(np.zeros(3)), Tensor(np.zeros(3)), [1, 0, 1])


# --- triplet_margin_loss ---


def pnorm_np(v, p):
    return np.max(np.abs(v), axis=-1) if np.isinf(p) else (np.abs(v) ** p).sum(-1) ** (1 / p)


def triplet_parts_np(a, pos, neg, margin, p, eps, swap, squared):
    """The hinge's argument d(a, p) - d_neg + margin, and the three distances."""
    if squared:

        def dist(u, v):
            return ((u - v) ** 2).sum(-1)
    else:

        def dist(u, v):
            return pnorm_np(u - v + eps, p)

    d_ap, d_an, d_pn = dist(a, pos), dist(a, neg), dist(pos, neg)
    d_neg = np.minimum(d_an, d_pn) if swap else d_an
    return d_ap - d_neg + margin, (d_ap, d_an, d_pn)


def triplet_np(a, pos, neg, margin, p, eps, swap, squared):
    return np.maximum(0, triplet_parts_np(a, pos, neg, margin, p, eps, swap, squared)[0])


triplet_options = st.sampled_from(
    [
        dict(p=2, swap=False, squared=False),
        dict(p=1, swap=False, squared=False),
        dict(p=3, swap=True, squared=False),
        dict(p=float("inf"), swap=False, squared=False),
        dict(p=2, swap=True, squared=False),
        dict(p=2, swap=False, squared=True),
    ]
)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=embedding_shapes, options=triplet_options)
def test_triplet_values(reduction, data, shape, options):
    a, pos, neg = (data.draw(arrays(shape, -2, 2)) for _ in range(3))
    out = F.triplet_margin_loss(
        Tensor(a), Tensor(pos), Tensor(neg), margin=0.5, reduction=reduction, **options
    )
    expected = triplet_np(a, pos, neg, 0.5, eps=1e-6, **options)
    np.testing.assert_allclose(out.data, reduce_np(expected, reduction), rtol=1e-10, atol=1e-12)


@given(data=st.data(), shape=embedding_shapes, options=triplet_options)
def test_triplet_gradients(data, shape, options):
    a, pos, neg = (data.draw(arrays(shape, -2, 2)) for _ in range(3))
    arg, (d_ap, d_an, d_pn) = triplet_parts_np(a, pos, neg, 0.5, eps=1e-6, **options)
    assume(away_from(arg, [0.0]))  # the hinge's corner
    assume(not options["swap"] or away_from(d_an - d_pn, [0.0]))  # the min's corner
    assume(min(d_ap.min(), d_an.min(), d_pn.min()) > 1e-2)  # a norm's corner at 0
    if options["p"] != 2:  # |v| has a corner at each zero coordinate
        assume(all(away_from(u - v + 1e-6, [0.0]) for u, v in ((a, pos), (a, neg), (pos, neg))))
    if options["p"] == float("inf"):  # the max-norm has a corner where two |coordinates| tie
        for u, v in ((a, pos), (a, neg), (pos, neg)):
            top = np.sort(np.abs(u - v + 1e-6), axis=-1)
            assume(u.shape[-1] < 2 or (top[..., -1] - top[..., -2] > 1e-3).all())
    ts = [Tensor(v, requires_grad=True) for v in (a, pos, neg)]
    assert gradcheck(
        lambda x, y, z: F.triplet_margin_loss(x, y, z, margin=0.5, reduction="sum", **options), ts
    )


def test_triplet_notes_worked_numbers():
    # 003, margin 0.5: D(A,P) = 0.8, D(A,N) = 1.0 -> 0.3; D(A,N) = 2.0 -> 0
    a = Tensor(np.zeros((2, 2)))
    pos = Tensor(np.array([[0.8, 0.0], [0.0, 0.8]]))
    neg = Tensor(np.array([[0.0, 1.0], [2.0, 0.0]]))
    out = F.triplet_margin_loss(a, pos, neg, margin=0.5, reduction="none", eps=0.0)
    np.testing.assert_allclose(out.data, [0.3, 0.0], atol=1e-12)
    # the notes' formula with squared distances: 0.64 - 1 + 0.5 = 0.14, and 0.64 - 4 + 0.5 < 0
    sq = F.triplet_margin_loss(a, pos, neg, margin=0.5, reduction="none", squared=True)
    np.testing.assert_allclose(sq.data, [0.14, 0.0], atol=1e-12)


def test_triplet_bad_input():
    x = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"negative has shape \(2, 4\) but anchor has shape"):
        F.triplet_margin_loss(x, x, Tensor(np.zeros((2, 4))))
    with pytest.raises(ValueError, match=r"squared=True .* p must be 2"):
        F.triplet_margin_loss(x, x, x, p=1, squared=True)
    with pytest.raises(ValueError, match=r"p must be positive"):
        F.triplet_margin_loss(x, x, x, p=0)


# --- contrastive_loss ---


def contrastive_np(x1, x2, y, margin):
    d = np.sqrt(((x1 - x2) ** 2).sum(-1))
    return 0.5 * (y * d**2 + (1 - y) * np.maximum(0, margin - d) ** 2)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=embedding_shapes, margin=st.sampled_from([1.0, 2.0]))
def test_contrastive_values_and_gradients(reduction, data, shape, margin):
    x1, x2 = data.draw(arrays(shape, -2, 2)), data.draw(arrays(shape, -2, 2))
    y = data.draw(bits(int(np.prod(shape[:-1])))).reshape(shape[:-1])
    out = F.contrastive_loss(Tensor(x1), Tensor(x2), y, margin=margin, reduction=reduction)
    expected = reduce_np(contrastive_np(x1, x2, y, margin), reduction)
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)
    d = np.sqrt(((x1 - x2) ** 2).sum(-1))
    assume(away_from(d, [0.0, margin], 1e-3))
    a, b = Tensor(x1, requires_grad=True), Tensor(x2, requires_grad=True)
    assert gradcheck(lambda u, v: F.contrastive_loss(u, v, y, margin, reduction), [a, b])
    assert gradgradcheck(lambda u, v: F.contrastive_loss(u, v, y, margin, reduction), [a, b])


def test_contrastive_mean_is_the_notes_one_over_2n_sum():
    rng = np.random.default_rng(1)
    x1, x2 = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    y = np.array([1, 0, 1, 0, 0, 1.0])
    d = np.linalg.norm(x1 - x2, axis=-1)
    notes = np.sum(y * d**2 + (1 - y) * np.maximum(0, 2.0 - d) ** 2) / (2 * len(y))
    assert F.contrastive_loss(Tensor(x1), Tensor(x2), y, margin=2.0).item() == pytest.approx(notes)


def test_contrastive_notes_worked_numbers():
    # 003, margin 2: similar at D = 0.5 -> D^2 = 0.25; dissimilar at D = 0.5 -> (2 - 0.5)^2 =
    # 2.25; dissimilar at D = 3 -> 0. Those are per-pair terms before the formula's 1/2.
    x1 = Tensor(np.zeros((3, 2)))
    x2 = Tensor(np.array([[0.5, 0.0], [0.0, 0.5], [3.0, 0.0]]))
    out = F.contrastive_loss(x1, x2, [1, 0, 0], margin=2.0, reduction="none")
    np.testing.assert_allclose(2 * out.data, [0.25, 2.25, 0.0])


def test_contrastive_gradient_at_zero_distance_is_zero():
    x = np.array([[0.3, -1.0], [2.0, 2.0]])
    for y in ([1, 0], [0, 0]):
        a, b = Tensor(x.copy(), requires_grad=True), Tensor(x.copy(), requires_grad=True)
        out = F.contrastive_loss(a, b, y, margin=1.0)
        out.backward()
        assert out.item() == pytest.approx(0.5 * (2 - sum(y)) / 2)
        np.testing.assert_array_equal(a.grad, 0)
        np.testing.assert_array_equal(b.grad, 0)


def test_contrastive_target_gradient_and_bad_input():
    x1, x2 = Tensor(np.zeros((2, 2))), Tensor(np.array([[0.5, 0.0], [3.0, 0.0]]))
    y = Tensor(np.array([1.0, 0.0]), requires_grad=True)
    F.contrastive_loss(x1, x2, y, margin=1.0, reduction="sum").backward()
    np.testing.assert_allclose(y.grad, 0.5 * (np.array([0.25, 9.0]) - np.array([0.25, 0.0])))
    with pytest.raises(ValueError, match=r"contrastive_loss: target must hold 1 or 0; found -1"):
        F.contrastive_loss(x1, x2, [1, -1])
    with pytest.raises(ValueError, match=r"one label per pair, shape \(2,\)"):
        F.contrastive_loss(x1, x2, [1, 0, 1])
    with pytest.raises(ValueError, match=r"x2 has shape \(2, 3\) but x1 has shape \(2, 2\)"):
        F.contrastive_loss(x1, Tensor(np.zeros((2, 3))), [1, 0])


# --- cosine_embedding_loss ---


def cosine_embedding_np(x1, x2, y, margin):
    eps = 1e-12
    cos = (x1 * x2).sum(-1) / np.sqrt(((x1**2).sum(-1) + eps) * ((x2**2).sum(-1) + eps))
    return np.where(y == 1, 1 - cos, np.maximum(0, cos - margin)), cos


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=embedding_shapes, margin=st.sampled_from([0.0, 0.3]))
def test_cosine_embedding_values_and_gradients(reduction, data, shape, margin):
    x1, x2 = data.draw(arrays(shape, -2, 2)), data.draw(arrays(shape, -2, 2))
    y = data.draw(signs(int(np.prod(shape[:-1])))).reshape(shape[:-1])
    out = F.cosine_embedding_loss(Tensor(x1), Tensor(x2), y, margin=margin, reduction=reduction)
    expected, cos = cosine_embedding_np(x1, x2, y, margin)
    np.testing.assert_allclose(out.data, reduce_np(expected, reduction), rtol=1e-9, atol=1e-12)
    assume(away_from(cos, [margin], 1e-3))
    assume(np.all(np.linalg.norm(x1, axis=-1) > 0.1) and np.all(np.linalg.norm(x2, axis=-1) > 0.1))
    a, b = Tensor(x1, requires_grad=True), Tensor(x2, requires_grad=True)
    assert gradcheck(lambda u, v: F.cosine_embedding_loss(u, v, y, margin, reduction), [a, b])


def test_cosine_embedding_zero_vector_is_finite_and_bad_targets():
    a = Tensor(np.zeros((1, 3)), requires_grad=True)
    out = F.cosine_embedding_loss(a, Tensor(np.ones((1, 3))), [1])
    out.backward()
    assert out.item() == pytest.approx(1.0) and np.isfinite(a.grad).all()
    with pytest.raises(ValueError, match=r"cosine_embedding_loss: target must hold 1 or -1"):
        F.cosine_embedding_loss(Tensor(np.ones((2, 3))), Tensor(np.ones((2, 3))), [1, 0])


@pytest.mark.parametrize("margin", [0.0, -0.5])
def test_triplet_margin_refuses_a_margin_not_above_zero(margin):
    """As torch: the module at construction, the function when called."""
    with pytest.raises(ValueError, match="TripletMarginLoss: margin must be greater than 0"):
        nn.TripletMarginLoss(margin=margin)
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="triplet_margin_loss: margin must be greater than 0"):
        F.triplet_margin_loss(x, x, x, margin=margin)
