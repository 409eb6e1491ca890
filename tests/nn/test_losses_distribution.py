"""cross_entropy, nll_loss and kl_div: values against numpy formulas (the notes' categorical,
sparse categorical and pixel-wise CE, KL), gradients first and second order, PyTorch's
weight / ignore_index / label_smoothing semantics, stability and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

from ._losses_support import REDUCTIONS, arrays, reduce_np

# (input shape, class axis): one sample, a batch, and the notes' pixel-wise (N, C, H, W)
LAYOUTS = [((4,), 0), ((3, 4), 1), ((2, 3, 2, 2), 1)]


def log_softmax_np(z, axis):
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def one_hot(t, n_classes, axis):
    return np.moveaxis(np.eye(n_classes)[t], -1, axis)


def ce_indices_np(z, t, axis, w=None, ignore=-100, eps=0.0, reduction="mean"):
    """PyTorch's definition written out: per sample -(1 - eps) w[t] log S[t] - eps/C sum_c
    w_c log S_c, 0 where t == ignore; 'mean' divides by the summed w[t] of counted samples."""
    n_classes = z.shape[axis]
    w = np.ones(n_classes) if w is None else w
    logp = log_softmax_np(z, axis)
    keep = t != ignore
    safe = np.where(keep, t, 0)
    w_shape = (n_classes,) + (1,) * (z.ndim - axis - 1)
    hit = -(one_hot(safe, n_classes, axis) * logp).sum(axis=axis) * w[safe]
    smooth = -(logp * w.reshape(w_shape)).sum(axis=axis)
    per = np.where(keep, (1 - eps) * hit + eps / n_classes * smooth, 0.0)
    if reduction == "mean":
        return per.sum() / (w[safe] * keep).sum()
    return reduce_np(per, reduction)


def ce_probabilities_np(z, p, axis, w=None, eps=0.0, reduction="mean"):
    n_classes = z.shape[axis]
    w = np.ones(n_classes) if w is None else w
    q = p * (1 - eps) + eps / n_classes
    per = -(q * log_softmax_np(z, axis) * w.reshape((n_classes,) + (1,) * (z.ndim - axis - 1)))
    per = per.sum(axis=axis)
    if reduction == "mean":
        return per.sum() / (z.size // n_classes)
    return reduce_np(per, reduction)


@st.composite
def index_problem(draw, layout=None, with_ignore=True):
    shape, axis = draw(st.sampled_from(LAYOUTS)) if layout is None else layout
    n_classes = shape[axis]
    z = draw(arrays(shape, -6, 6))
    t_shape = shape[:axis] + shape[axis + 1 :]
    labels = st.integers(0, n_classes - 1)
    if with_ignore:
        labels = st.one_of(labels, st.just(-100))
    t = np.array(
        draw(st.lists(labels, min_size=int(np.prod(t_shape)), max_size=int(np.prod(t_shape)))),
        dtype=np.int64,
    )
    t = t.reshape(t_shape)
    return z, t, axis


# --- cross_entropy with class indices ---


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(
    problem=index_problem(with_ignore=False),
    eps=st.sampled_from([0.0, 0.1]),
    weighted=st.booleans(),
)
def test_cross_entropy_indices_values(reduction, problem, eps, weighted):
    z, t, axis = problem
    w = np.linspace(0.5, 2.0, z.shape[axis]) if weighted else None
    out = F.cross_entropy(Tensor(z), t, weight=w, reduction=reduction, label_smoothing=eps)
    expected = ce_indices_np(z, t, axis, w, eps=eps, reduction=reduction)
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(problem=index_problem(layout=((6, 3), 1)), eps=st.sampled_from([0.0, 0.2]))
def test_cross_entropy_ignore_index_with_weights(reduction, problem, eps):
    z, t, axis = problem
    t[0] = 1  # at least one counted sample
    w = np.array([0.3, 1.0, 2.5])
    out = F.cross_entropy(Tensor(z), t, weight=w, reduction=reduction, label_smoothing=eps)
    expected = ce_indices_np(z, t, axis, w, eps=eps, reduction=reduction)
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)
    if reduction == "none":
        assert np.all(out.data[t == -100] == 0)


def test_cross_entropy_custom_ignore_index_and_all_ignored():
    z = np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 0.3]])
    out = F.cross_entropy(Tensor(z), [2, 1], ignore_index=1)
    assert out.item() == pytest.approx(-log_softmax_np(z, 1)[0, 2])
    with np.errstate(invalid="ignore"):
        assert math.isnan(F.cross_entropy(Tensor(z), [-100, -100]).item())  # PyTorch: nan


@given(
    problem=index_problem(), eps=st.sampled_from([0.0, 0.15]), reduction=st.sampled_from(REDUCTIONS)
)
def test_cross_entropy_gradients(problem, eps, reduction):
    z, t, axis = problem
    w = np.linspace(0.5, 1.5, z.shape[axis])
    zt = Tensor(z, requires_grad=True)
    if reduction == "mean" and np.all(t == -100):
        t.flat[0] = 0

    def fn(a):
        return F.cross_entropy(a, t, weight=w, reduction=reduction, label_smoothing=eps)

    assert gradcheck(fn, [zt])
    assert gradgradcheck(fn, [zt])


@given(problem=index_problem(with_ignore=False), reduction=st.sampled_from(REDUCTIONS))
def test_cross_entropy_plain_indices_gradients(problem, reduction):
    # no weight, no smoothing, every label counted: the fused op (IndexCrossEntropy)
    z, t, axis = problem
    zt = Tensor(z, requires_grad=True)

    def fn(a):
        return F.cross_entropy(a, t, reduction=reduction)

    node = "NllLoss2DBackward0" if z.ndim == 4 else "NllLossBackward0"  # torch's names
    assert type(fn(zt).grad_fn).__name__ == node
    assert gradcheck(fn, [zt])
    assert gradgradcheck(fn, [zt])


@given(problem=index_problem(with_ignore=False), reduction=st.sampled_from(REDUCTIONS))
def test_cross_entropy_plain_indices_same_as_general_path(problem, reduction):
    # class weights of 1 take the one-hot path: the fused op must give the same numbers
    z, t, axis = problem
    z = z.astype(np.float32)
    fused, general = Tensor(z, requires_grad=True), Tensor(z, requires_grad=True)
    ones = np.ones(z.shape[axis], dtype=np.float32)
    a = F.cross_entropy(fused, t, reduction=reduction)
    b = F.cross_entropy(general, t, weight=ones, reduction=reduction)
    np.testing.assert_array_equal(a.data, b.data)
    assert a.dtype == b.dtype
    (a.sum() if reduction == "none" else a).backward()
    (b.sum() if reduction == "none" else b).backward()
    np.testing.assert_array_equal(fused.grad, general.grad)


@given(problem=index_problem(with_ignore=False))
def test_cross_entropy_gradient_is_softmax_minus_one_hot(problem):
    # 002: dJ/dz_i = S(z)_i - 1 for the positive class, S(z)_i for the others
    z, t, axis = problem
    zt = Tensor(z, requires_grad=True)
    F.cross_entropy(zt, t, reduction="sum").backward()
    expected = np.exp(log_softmax_np(z, axis)) - one_hot(t, z.shape[axis], axis)
    np.testing.assert_allclose(zt.grad, expected, rtol=1e-10, atol=1e-14)


def test_cross_entropy_notes_numbers():
    # 003: true class dog (index 1), predicted [0.1, 0.7, 0.2] -> -log 0.7 ~ 0.357; the
    # logits log(p) have softmax p
    probs = np.array([0.1, 0.7, 0.2])
    assert F.cross_entropy(Tensor(np.log(probs)), 1).item() == pytest.approx(0.3567, abs=1e-4)
    # categorical (one-hot) and sparse (index) targets give the same result
    onehot = F.cross_entropy(Tensor(np.log(probs)), np.array([0.0, 1.0, 0.0])).item()
    assert onehot == pytest.approx(-math.log(0.7))
    # a less confident prediction costs more: [0.7, 0.2, 0.1] -> -log 0.2
    worse = F.cross_entropy(Tensor(np.log([0.7, 0.2, 0.1])), 1).item()
    assert worse == pytest.approx(-math.log(0.2)) and worse > onehot
    # pixel-wise: -1/N sum over pixels, for an image of (N=1, C=3, H=1, W=2)
    img = np.log(np.array([[[[0.1, 0.8]], [[0.7, 0.1]], [[0.2, 0.1]]]]))
    pix = F.cross_entropy(Tensor(img), np.array([[[1, 0]]])).item()
    assert pix == pytest.approx(-(math.log(0.7) + math.log(0.8)) / 2)


@pytest.mark.parametrize("scale", [1.0, 1e3, 1e6])
def test_cross_entropy_extreme_logits(scale):
    # the notes' unstable softmax example [20, 134, 854]: naive exp overflows
    z = Tensor(np.array([[20.0, 134.0, 854.0], [-1.0, 0.0, 1.0]]) * scale, requires_grad=True)
    t = np.array([0, 2])
    out = F.cross_entropy(z, t, reduction="none")
    out.sum().backward()
    assert np.isfinite(out.data).all() and np.isfinite(z.grad).all()
    assert out.data[0] == pytest.approx((854 - 20) * scale, rel=1e-12)
    z32 = Tensor(np.array([[1e3, -1e3, 0.0]], dtype=np.float32), requires_grad=True)
    loss = F.cross_entropy(z32, [1], label_smoothing=0.1)
    loss.backward()
    assert loss.dtype == np.float32 and z32.grad.dtype == np.float32
    assert np.isfinite(loss.item()) and np.isfinite(z32.grad).all()


def test_cross_entropy_masked_logits_stay_finite():
    # a logit of -inf (a masked class) that is not the target adds nothing
    z = Tensor(np.array([[0.0, -np.inf, 1.0]]), requires_grad=True)
    out = F.cross_entropy(z, [2])
    out.backward()
    assert out.item() == pytest.approx(math.log(1 + math.e**-1))
    assert np.isfinite(z.grad).all() and z.grad[0, 1] == 0


# --- cross_entropy with class probabilities ---


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(
    data=st.data(),
    layout=st.sampled_from(LAYOUTS),
    eps=st.sampled_from([0.0, 0.1]),
    weighted=st.booleans(),
)
def test_cross_entropy_probabilities_values(reduction, data, layout, eps, weighted):
    shape, axis = layout
    z = data.draw(arrays(shape, -6, 6))
    raw = data.draw(arrays(shape, 0.01, 1.0))
    p = raw / raw.sum(axis=axis, keepdims=True)
    w = np.linspace(0.5, 2.0, shape[axis]) if weighted else None
    out = F.cross_entropy(Tensor(z), Tensor(p), weight=w, reduction=reduction, label_smoothing=eps)
    expected = ce_probabilities_np(z, p, axis, w, eps, reduction)
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)


@given(data=st.data(), layout=st.sampled_from(LAYOUTS), eps=st.sampled_from([0.0, 0.1]))
def test_cross_entropy_probabilities_gradients(data, layout, eps):
    shape, axis = layout
    z = data.draw(arrays(shape, -6, 6))
    p = data.draw(arrays(shape, 0.0, 1.0))
    w = np.linspace(0.5, 2.0, shape[axis])
    zt, pt = Tensor(z, requires_grad=True), Tensor(p, requires_grad=True)

    def fn(a, b):
        return F.cross_entropy(a, b, weight=w, label_smoothing=eps)

    assert gradcheck(fn, [zt, pt])
    assert gradgradcheck(fn, [zt, pt])


# --- nll_loss ---


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(problem=index_problem(), weighted=st.booleans())
def test_nll_loss_is_cross_entropy_of_log_softmax(reduction, problem, weighted):
    z, t, axis = problem
    if reduction == "mean":
        t.flat[0] = 0
    w = np.linspace(0.5, 2.0, z.shape[axis]) if weighted else None
    logp = log_softmax_np(z, axis)
    out = F.nll_loss(Tensor(logp), t, weight=w, reduction=reduction)
    expected = ce_indices_np(z, t, axis, w, reduction=reduction)
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)
    fused = F.cross_entropy(Tensor(z), t, weight=w, reduction=reduction)
    np.testing.assert_allclose(out.data, fused.data, rtol=1e-10, atol=1e-12)


@given(problem=index_problem())
def test_nll_loss_gradients(problem):
    z, t, axis = problem
    t.flat[0] = 0
    w = np.linspace(0.5, 2.0, z.shape[axis])
    x = Tensor(z, requires_grad=True)
    assert gradcheck(lambda a: F.nll_loss(a, t, weight=w), [x])
    assert gradgradcheck(lambda a: F.nll_loss(a, t, weight=w), [x])


def test_nll_loss_picks_only_the_target_entry():
    with np.errstate(divide="ignore"):
        logp = np.log(np.array([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]]))  # log 0 = -inf elsewhere
    x = Tensor(logp, requires_grad=True)
    out = F.nll_loss(x, [1, 0], reduction="none")
    out.sum().backward()
    np.testing.assert_allclose(out.data, [0.0, math.log(2)])
    np.testing.assert_array_equal(x.grad, [[0, -1, 0], [-1, 0, 0]])


# --- kl_div ---


@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
@given(data=st.data(), shape=st.sampled_from([(3, 4), (2, 3, 2)]))
def test_kl_div_values(reduction, log_target, data, shape):
    x = log_softmax_np(data.draw(arrays(shape, -4, 4)), -1)
    p = np.exp(log_softmax_np(data.draw(arrays(shape, -4, 4)), -1))
    per = p * (np.log(p) - x)
    expected = per.sum() / shape[0] if reduction == "batchmean" else reduce_np(per, reduction)
    target = np.log(p) if log_target else p
    out = F.kl_div(Tensor(x), Tensor(target), reduction=reduction, log_target=log_target)
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("log_target", [False, True])
@given(data=st.data())
def test_kl_div_gradients(log_target, data):
    x = data.draw(arrays((2, 3), -3, 0))
    t = data.draw(arrays((2, 3), -3, 0) if log_target else arrays((2, 3), 0.05, 1.0))
    xt, tt = Tensor(x, requires_grad=True), Tensor(t, requires_grad=True)

    def fn(a, b):
        return F.kl_div(a, b, reduction="batchmean", log_target=log_target)

    assert gradcheck(fn, [xt, tt])
    assert gradgradcheck(fn, [xt, tt])


def test_kl_div_notes_example_and_zero_target():
    # 003: KL = sum y log(y / y_hat); P = [0.7, 0.2, 0.1] vs Q = [0.6, 0.3, 0.1] is small,
    # vs [0.1, 0.8, 0.1] (confidently wrong) large
    p = np.array([0.7, 0.2, 0.1])
    close = F.kl_div(Tensor(np.log([0.6, 0.3, 0.1])), p, reduction="sum").item()
    far = F.kl_div(Tensor(np.log([0.1, 0.8, 0.1])), p, reduction="sum").item()
    assert close == pytest.approx(np.sum(p * np.log(p / [0.6, 0.3, 0.1])))
    assert far == pytest.approx(np.sum(p * np.log(p / [0.1, 0.8, 0.1])))
    assert close < 0.05 < 1.0 < far
    # 0 log 0 = 0: a zero target entry adds nothing, and its gradient is finite
    t = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    x = Tensor(np.log([0.5, 0.5]), requires_grad=True)
    out = F.kl_div(x, t, reduction="sum")
    out.backward()
    assert out.item() == pytest.approx(math.log(2))
    assert np.isfinite(t.grad).all() and np.isfinite(x.grad).all()


# --- bad input ---


def test_label_out_of_range_names_label_and_classes():
    z = Tensor(np.zeros((3, 4)))
    with pytest.raises(IndexError, match=r"class label 4 at index \(1,\), outside \[0, 4\).*C = 4"):
        F.cross_entropy(z, [0, 4, 1])
    with pytest.raises(IndexError, match=r"nll_loss: target holds class label -3"):
        F.nll_loss(z, [0, -3, 1])
    with pytest.raises(IndexError, match=r"class label 7, outside \[0, 4\)"):
        F.cross_entropy(Tensor(np.zeros(4)), 7)


def test_target_shape_and_type_errors():
    z = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"target of class indices has shape \(3, 1\).*\(3,\)"):
        F.cross_entropy(z, np.zeros((3, 1), dtype=np.int64))
    with pytest.raises(ValueError, match=r"float target holds class probabilities.*\(3, 4\)"):
        F.cross_entropy(z, np.zeros(3))
    with pytest.raises(TypeError, match=r"nll_loss: target must hold integer class indices"):
        F.nll_loss(z, np.zeros(3))
    with pytest.raises(ValueError, match=r"weight must have one entry per class, shape \(4,\)"):
        F.cross_entropy(z, [0, 1, 2], weight=np.ones(3))
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
        F.cross_entropy(z, [0, 1, 2], label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"input must have a class axis"):
        F.cross_entropy(Tensor(np.float64(1.0)), 0)
    with pytest.raises(ValueError, match=r"kl_div: target has shape \(3,\) but input"):
        F.kl_div(z, np.ones(3))
    with pytest.raises(ValueError, match=r"kl_div: reduction must be one of"):
        F.kl_div(z, np.ones((3, 4)), reduction="avg")


def test_cross_entropy_probability_targets_refuse_ignore_index():
    """torch's rule: a float target takes no ignore_index (its default -100 is allowed)."""
    x, t = Tensor(np.zeros((2, 3))), np.full((2, 3), 1 / 3)
    assert F.cross_entropy(x, t, ignore_index=-100).item() == pytest.approx(np.log(3))
    with pytest.raises(ValueError, match="ignore_index is not supported for floating point"):
        F.cross_entropy(x, t, ignore_index=0)
