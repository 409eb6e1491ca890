"""Gatys et al.'s style-transfer criteria (gram_matrix, content_loss, style_loss,
style_transfer_loss and their modules): hand-checked numbers, numpy references of the
paper's formulas, the paper's derivatives, gradients and second derivatives by central
differences, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

from ._losses_support import REDUCTIONS, arrays, reduce_np

# --- numpy references, written from the paper's formulas ---


def gram_np(f: np.ndarray) -> np.ndarray:
    """G_ij = sum_k F_ik F_jk of one image's (C, H, W) or (C, M) features."""
    mat = f.reshape(f.shape[0], -1)
    return mat @ mat.T


def content_np(f: np.ndarray, p: np.ndarray) -> float:
    return 0.5 * float(np.sum((f - p) ** 2))


def style_layer_np(f: np.ndarray, a: np.ndarray) -> float:
    """E_l = 1/(4 N^2 M^2) sum (G - A)^2 for one image with equal-sized feature maps."""
    n = f.shape[0]
    m = f.reshape(n, -1).shape[1]
    return float(np.sum((gram_np(f) - gram_np(a)) ** 2)) / (4 * n**2 * m**2)


def per_image(fn, f: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``fn`` on each image of a batch (target broadcast if it is a single image)."""
    if p.ndim == f.ndim - 1:
        p = np.broadcast_to(p, f.shape[:1] + p.shape)
    return np.array([fn(fi, pi) for fi, pi in zip(f, p, strict=True)])


# --- strategies ---

single_shapes = st.sampled_from([(2, 3), (1, 2, 2), (2, 2, 3), (3, 1, 2)])
batch_shapes = st.sampled_from([(1, 2, 2, 2), (2, 2, 1, 3), (3, 1, 2, 2)])
feature_shapes = st.one_of(single_shapes, batch_shapes)


def leaf(a: np.ndarray) -> Tensor:
    return Tensor(np.array(a, dtype=np.float64), requires_grad=True)


# --- gram_matrix ---


def test_gram_matrix_by_hand():
    f = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(F.gram_matrix(Tensor(f)).data, [[14.0, 2.0], [2.0, 1.0]])
    # the same maps as (C, H, W) = (2, 1, 3) and (3, 1) ... any spatial layout of M = 3
    np.testing.assert_array_equal(
        F.gram_matrix(Tensor(f.reshape(2, 1, 3))).data, [[14.0, 2.0], [2.0, 1.0]]
    )
    np.testing.assert_array_equal(
        F.gram_matrix(Tensor(f.reshape(2, 3, 1)), normalize=True).data,
        np.array([[14.0, 2.0], [2.0, 1.0]]) / 6,
    )


@given(data=st.data(), shape=feature_shapes, normalize=st.booleans())
def test_gram_matrix_against_numpy(data, shape, normalize):
    f = data.draw(arrays(shape))
    out = F.gram_matrix(Tensor(f), normalize=normalize)
    if len(shape) == 4:
        expected = np.stack([gram_np(fi) for fi in f])
        size = np.prod(shape[1:])
    else:
        expected = gram_np(f)
        size = np.prod(shape)
    if normalize:
        expected = expected / size
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=15)
@given(data=st.data(), shape=feature_shapes, normalize=st.booleans())
def test_gram_matrix_gradients(data, shape, normalize):
    f = leaf(data.draw(arrays(shape, -2.0, 2.0)))
    fn = lambda x: F.gram_matrix(x, normalize=normalize)  # noqa: E731
    assert gradcheck(fn, [f])
    assert gradgradcheck(fn, [f])


def test_gram_matrix_module_and_dtype():
    f = np.random.default_rng(1).normal(size=(2, 3, 2, 2)).astype(np.float32)
    out = nn.GramMatrix(normalize=True)(Tensor(f))
    assert out.dtype == np.float32 and out.shape == (2, 3, 3)
    np.testing.assert_allclose(out.data, F.gram_matrix(Tensor(f), normalize=True).data)
    assert repr(nn.GramMatrix()) == "GramMatrix(normalize=False)"


@pytest.mark.parametrize("shape", [(3,), (1, 2, 3, 4, 5), ()])
def test_gram_matrix_refuses_other_layouts(shape):
    with pytest.raises(ValueError, match=r"gram_matrix: features .*\(C, H, W\)"):
        F.gram_matrix(Tensor(np.ones(shape)))


# --- content_loss ---


def test_content_loss_by_hand_and_its_derivative():
    f = leaf(np.array([[[1.0, 2.0], [3.0, 4.0]]]))  # (C, H, W) = (1, 2, 2)
    p = np.array([[[1.0, 0.0], [0.0, 2.0]]])
    loss = F.content_loss(f, p)
    assert loss.item() == pytest.approx(0.5 * (0 + 4 + 9 + 4))
    loss.backward()
    # the paper: dL/dF = F - P
    np.testing.assert_array_equal(np.asarray(f.grad), f.data - p)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=feature_shapes)
def test_content_loss_against_numpy(reduction, data, shape):
    f, p = data.draw(arrays(shape)), data.draw(arrays(shape))
    out = F.content_loss(Tensor(f), Tensor(p), reduction=reduction)
    if len(shape) == 4:
        expected = reduce_np(per_image(content_np, f, p), reduction)
    else:
        expected = content_np(f, p)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)


@settings(max_examples=15)
@given(data=st.data(), shape=feature_shapes, reduction=st.sampled_from(REDUCTIONS))
def test_content_loss_gradients(data, shape, reduction):
    f, p = leaf(data.draw(arrays(shape))), leaf(data.draw(arrays(shape)))
    fn = lambda x, y: F.content_loss(x, y, reduction=reduction)  # noqa: E731
    assert gradcheck(fn, [f, p])
    assert gradgradcheck(fn, [f, p])


def test_content_loss_refuses_mismatched_shapes():
    with pytest.raises(
        ValueError, match=r"content_loss: target has shape \(2, 2, 2\).*\(2, 2, 3\)"
    ):
        F.content_loss(Tensor(np.ones((2, 2, 3))), np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="reduction"):
        F.content_loss(Tensor(np.ones((2, 3))), np.ones((2, 3)), reduction="avg")


# --- style_loss ---


def test_style_loss_by_hand():
    f = np.arange(6.0).reshape(2, 3)  # G = [[5, 14], [14, 50]]
    a = np.ones((2, 3))  # A = [[3, 3], [3, 3]]
    # (2^2 + 11^2 + 11^2 + 47^2) / (4 * 2^2 * 3^2)
    expected = (4 + 121 + 121 + 2209) / 144
    assert F.style_loss(Tensor(f), a).item() == pytest.approx(expected, rel=1e-14)
    assert F.style_loss(Tensor(f.reshape(2, 3, 1)), a.reshape(2, 1, 3)).item() == pytest.approx(
        expected, rel=1e-14
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), shape=feature_shapes)
def test_style_loss_against_the_paper(reduction, data, shape):
    f, a = data.draw(arrays(shape)), data.draw(arrays(shape))
    out = F.style_loss(Tensor(f), Tensor(a), reduction=reduction)
    if len(shape) == 4:
        expected = reduce_np(per_image(style_layer_np, f, a), reduction)
    else:
        expected = style_layer_np(f, a)
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)


def test_style_loss_gradient_is_the_papers():
    # dE/dF_ij = 1/(N^2 M^2) ((F^T (G - A))^T)_ij (Gatys et al., for F > 0)
    rng = np.random.default_rng(2)
    f_np, a_np = rng.uniform(0.1, 2.0, size=(3, 5)), rng.uniform(0.1, 2.0, size=(3, 5))
    f = leaf(f_np)
    F.style_loss(f, a_np).backward()
    n, m = f_np.shape
    expected = (f_np.T @ (gram_np(f_np) - gram_np(a_np))).T / (n**2 * m**2)
    np.testing.assert_allclose(np.asarray(f.grad), expected, rtol=1e-12)


def test_style_loss_over_layers_is_the_weighted_sum():
    rng = np.random.default_rng(3)
    fs = [rng.normal(size=(2, 3, 3)), rng.normal(size=(4, 2, 2)), rng.normal(size=(1, 1, 5))]
    as_ = [rng.normal(size=f.shape) for f in fs]
    terms = np.array([style_layer_np(f, a) for f, a in zip(fs, as_, strict=True)])
    w = [0.5, 2.0, 1.0]
    weighted = F.style_loss([Tensor(f) for f in fs], [Tensor(a) for a in as_], weights=w)
    np.testing.assert_allclose(weighted.item(), float(np.dot(w, terms)), rtol=1e-12)
    # default weights: 1/L each, the paper's choice
    default = F.style_loss(tuple(Tensor(f) for f in fs), list(as_))
    np.testing.assert_allclose(default.item(), terms.mean(), rtol=1e-12)
    # one layer in a list is E_l itself
    one = F.style_loss([Tensor(fs[0])], [as_[0]])
    np.testing.assert_allclose(one.item(), terms[0], rtol=1e-12)


def test_style_loss_with_style_image_of_another_size():
    rng = np.random.default_rng(4)
    f, a = rng.normal(size=(3, 4, 4)), rng.normal(size=(3, 2, 5))
    out = F.style_loss(Tensor(f), a).item()
    g = gram_np(f) / (3 * 16)
    gram_a = gram_np(a) / (3 * 10)
    assert out == pytest.approx(0.25 * np.sum((g - gram_a) ** 2), rel=1e-12)
    # an image of the same maps tiled twice has the same normalised Gram matrix: no loss
    tiled = np.concatenate([a, a], axis=2)
    assert F.style_loss(Tensor(a), tiled).item() == pytest.approx(0.0, abs=1e-15)


def test_style_loss_one_style_image_for_a_batch():
    rng = np.random.default_rng(5)
    f, a = rng.normal(size=(3, 2, 2, 2)), rng.normal(size=(2, 2, 2))
    per = [style_layer_np(fi, a) for fi in f]
    out = F.style_loss(Tensor(f), a, reduction="none")
    np.testing.assert_allclose(out.data, per, rtol=1e-12)
    np.testing.assert_allclose(F.style_loss(Tensor(f), a[None]).item(), np.mean(per), rtol=1e-12)


@settings(max_examples=15)
@given(data=st.data(), shape=feature_shapes, reduction=st.sampled_from(REDUCTIONS))
def test_style_loss_gradients(data, shape, reduction):
    f, a = leaf(data.draw(arrays(shape, -2.0, 2.0))), leaf(data.draw(arrays(shape, -2.0, 2.0)))
    fn = lambda x, y: F.style_loss(x, y, reduction=reduction)  # noqa: E731
    assert gradcheck(fn, [f, a])
    assert gradgradcheck(fn, [f, a])


@settings(max_examples=10)
@given(data=st.data())
def test_style_transfer_loss_gradients(data):
    c = leaf(data.draw(arrays((2, 2, 2), -2.0, 2.0)))
    s1 = leaf(data.draw(arrays((2, 1, 3), -2.0, 2.0)))
    s2 = leaf(data.draw(arrays((1, 2, 2), -2.0, 2.0)))
    p = data.draw(arrays((2, 2, 2)))
    a1, a2 = data.draw(arrays((2, 1, 3))), data.draw(arrays((1, 2, 2)))

    def total(x, y, z):
        return F.style_transfer_loss(x, p, [y, z], [a1, a2], alpha=0.5, beta=3.0)

    expected = 0.5 * content_np(c.data, p) + 3.0 * 0.5 * (
        style_layer_np(s1.data, a1) + style_layer_np(s2.data, a2)
    )
    np.testing.assert_allclose(total(c, s1, s2).item(), expected, rtol=1e-12)
    assert gradcheck(total, [c, s1, s2])
    assert gradgradcheck(total, [c, s1, s2])


def test_style_loss_refuses_bad_input():
    x = Tensor(np.ones((2, 3, 3)))
    with pytest.raises(ValueError, match=r"style_loss: input has 2 channels .* target has 3"):
        F.style_loss(x, np.ones((3, 3, 3)))
    with pytest.raises(TypeError, match="style_loss: input and target must both be"):
        F.style_loss([x], x)
    with pytest.raises(ValueError, match="input has 2 layers but target has 1"):
        F.style_loss([x, x], [x])
    with pytest.raises(ValueError, match="weights has 1 entries but there are 2 layers"):
        F.style_loss([x, x], [x, x], weights=[1.0])
    with pytest.raises(ValueError, match="empty list"):
        F.style_loss([], [])
    with pytest.raises(ValueError, match="target holds 2 images but input holds 3"):
        F.style_loss(Tensor(np.ones((3, 2, 2, 2))), np.ones((2, 2, 2, 2)))
    with pytest.raises(ValueError, match="target is a batch"):
        F.style_loss(x, np.ones((2, 2, 3, 3)))
    with pytest.raises(ValueError, match="layers disagree on the batch"):
        F.style_loss([Tensor(np.ones((2, 2, 2, 2))), x], [np.ones((2, 2, 2)), x])


# --- modules ---


def test_modules_are_their_functions():
    rng = np.random.default_rng(6)
    f, p = rng.normal(size=(2, 3, 2, 2)), rng.normal(size=(2, 3, 2, 2))
    for reduction in REDUCTIONS:
        np.testing.assert_array_equal(
            nn.ContentLoss(reduction=reduction)(Tensor(f), p).data,
            F.content_loss(Tensor(f), p, reduction=reduction).data,
        )
        np.testing.assert_array_equal(
            nn.StyleLoss(reduction=reduction)(Tensor(f), p).data,
            F.style_loss(Tensor(f), p, reduction=reduction).data,
        )
    layers, targets = [Tensor(f), Tensor(p)], [p, f]
    np.testing.assert_array_equal(
        nn.StyleLoss(weights=(1.0, 3.0))(layers, targets).data,
        F.style_loss(layers, targets, weights=[1.0, 3.0]).data,
    )
    np.testing.assert_array_equal(
        nn.StyleTransferLoss(alpha=2.0, beta=5.0)(Tensor(f), p, layers, targets).data,
        F.style_transfer_loss(Tensor(f), p, layers, targets, alpha=2.0, beta=5.0).data,
    )
    assert repr(nn.StyleLoss(weights=[0.5])) == "StyleLoss(weights=[0.5])"
    with pytest.raises(ValueError, match="reduction"):
        nn.ContentLoss(reduction="batchmean")


def test_empty_batch():
    f = Tensor(np.zeros((0, 2, 3, 3)))
    assert F.gram_matrix(f).shape == (0, 2, 2)
    for loss in (F.content_loss, F.style_loss):
        assert np.isnan(loss(f, np.zeros((0, 2, 3, 3))).item())
        assert loss(f, np.zeros((0, 2, 3, 3)), reduction="sum").item() == 0.0
        assert loss(f, np.zeros((0, 2, 3, 3)), reduction="none").shape == (0,)
