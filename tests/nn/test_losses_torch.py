"""Every loss PyTorch also has, against torch.nn.functional: values and the gradients of
input and target, for each reduction (skipped without torch)."""

from __future__ import annotations

import numpy as np
import pytest

import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(42)
REDUCTIONS = ("mean", "sum", "none")


def run_ours(fn, arrays, grad_mask, kwargs):
    ts = [Tensor(a, requires_grad=g) if g else a for a, g in zip(arrays, grad_mask)]
    out = fn(*ts, **kwargs)
    out.backward(np.ones(out.shape))
    return out.data, [t.grad for t, g in zip(ts, grad_mask) if g]


def run_torch(fn, arrays, grad_mask, kwargs):
    ts = [torch.tensor(a, requires_grad=g) for a, g in zip(arrays, grad_mask)]
    out = fn(*ts, **kwargs)
    out.backward(torch.ones_like(out))
    return out.detach().numpy(), [t.grad.numpy() for t, g in zip(ts, grad_mask) if g]


def assert_same(
    ours_fn, torch_fn, arrays, grad_mask, ours_kwargs=None, torch_kwargs=None, rtol=1e-10
):
    a_out, a_grads = run_ours(ours_fn, arrays, grad_mask, ours_kwargs or {})
    b_out, b_grads = run_torch(torch_fn, arrays, grad_mask, torch_kwargs or ours_kwargs or {})
    np.testing.assert_allclose(a_out, b_out, rtol=rtol, atol=1e-12)
    for ga, gb in zip(a_grads, b_grads):
        np.testing.assert_allclose(ga, gb, rtol=rtol, atol=1e-12)


X = rng.normal(size=(5, 4)) * 2
Y = rng.normal(size=(5, 4)) * 2


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("l1_loss", {}),
        ("mse_loss", {}),
        ("huber_loss", {"delta": 0.7}),
        ("smooth_l1_loss", {"beta": 0.7}),
        ("smooth_l1_loss", {"beta": 0.0}),
    ],
)
def test_regression(name, kwargs, reduction):
    assert_same(
        getattr(F, name),
        getattr(TF, name),
        [X, Y],
        [True, True],
        {**kwargs, "reduction": reduction},
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy(reduction, weighted):
    p = rng.uniform(0.01, 0.99, size=(5, 4))
    y = rng.uniform(0, 1, size=(5, 4))
    kw = {"reduction": reduction, "weight": rng.uniform(0.5, 2, 4) if weighted else None}
    tkw = {**kw, "weight": None if kw["weight"] is None else torch.tensor(kw["weight"])}
    assert_same(F.binary_cross_entropy, TF.binary_cross_entropy, [p, y], [True, True], kw, tkw)


@pytest.mark.parametrize("p", [1e-10, 1e-300, 0.0, 1 - 1e-10, 1.0])
def test_binary_cross_entropy_extremes(p):
    probs = np.full(3, p)
    y = np.array([0.0, 1.0, 0.4])
    # rtol: PyTorch's 1e-12 floor of p (1 - p) is a float32 constant (1e-12 * (1 + 4e-9))
    assert_same(
        F.binary_cross_entropy,
        TF.binary_cross_entropy,
        [probs, y],
        [True, False],
        {"reduction": "none"},
        rtol=1e-8,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("scale", [1.0, 1e3])
def test_binary_cross_entropy_with_logits(reduction, scale):
    z = X * scale
    y = rng.uniform(0, 1, size=z.shape)
    w = rng.uniform(0.5, 2, size=z.shape)
    pw = rng.uniform(0.5, 3, size=4)
    kw = {"reduction": reduction, "weight": w, "pos_weight": pw}
    tkw = {"reduction": reduction, "weight": torch.tensor(w), "pos_weight": torch.tensor(pw)}
    assert_same(
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        [z, y],
        [True, True],
        kw,
        tkw,
    )
    assert_same(
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        [z, y],
        [True, True],
        {"reduction": reduction},
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(6,), (5, 6), (2, 6, 3, 2)])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_indices(reduction, shape, smoothing, weighted):
    axis = 0 if len(shape) == 1 else 1
    z = rng.normal(size=shape) * 3
    t = rng.integers(0, shape[axis], size=shape[:axis] + shape[axis + 1 :])
    t.flat[1::3] = 4  # ignored below
    w = rng.uniform(0.5, 2, shape[axis]) if weighted else None
    kw = {"weight": w, "ignore_index": 4, "reduction": reduction, "label_smoothing": smoothing}
    tkw = {**kw, "weight": None if w is None else torch.tensor(w)}
    ours = F.cross_entropy(Tensor(z, requires_grad=True), t, **kw)
    zt = Tensor(z, requires_grad=True)
    out = F.cross_entropy(zt, t, **kw)
    out.backward(np.ones(out.shape))
    zz = torch.tensor(z, requires_grad=True)
    ref = TF.cross_entropy(zz, torch.tensor(t), **tkw)
    ref.backward(torch.ones_like(ref))
    np.testing.assert_allclose(ours.data, ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(zt.grad, zz.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_cross_entropy_all_ignored_is_nan_with_zero_gradient(smoothing):
    z = rng.normal(size=(3, 4))
    zt = Tensor(z, requires_grad=True)
    out = F.cross_entropy(zt, [-100, -100, -100], label_smoothing=smoothing)
    out.backward()
    zz = torch.tensor(z, requires_grad=True)
    ref = TF.cross_entropy(zz, torch.tensor([-100, -100, -100]), label_smoothing=smoothing)
    ref.backward()
    assert np.isnan(out.item()) and np.isnan(ref.item())
    np.testing.assert_array_equal(zt.grad, zz.grad.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_cross_entropy_probabilities(reduction, smoothing):
    z = rng.normal(size=(3, 5, 2)) * 3
    p = rng.dirichlet(np.ones(5), size=(3, 2)).transpose(0, 2, 1)
    w = rng.uniform(0.5, 2, 5)
    kw = {"weight": w, "reduction": reduction, "label_smoothing": smoothing}
    assert_same(
        F.cross_entropy,
        TF.cross_entropy,
        [z, p],
        [True, True],
        kw,
        {**kw, "weight": torch.tensor(w)},
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss(reduction):
    logp = np.log(rng.dirichlet(np.ones(4), size=6))
    t = rng.integers(0, 4, size=6)
    t[2] = -100
    w = rng.uniform(0.5, 2, 4)
    zt = Tensor(logp, requires_grad=True)
    out = F.nll_loss(zt, t, weight=w, reduction=reduction)
    out.backward(np.ones(out.shape))
    zz = torch.tensor(logp, requires_grad=True)
    ref = TF.nll_loss(zz, torch.tensor(t), weight=torch.tensor(w), reduction=reduction)
    ref.backward(torch.ones_like(ref))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(zt.grad, zz.grad.numpy(), rtol=1e-10)


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")  # torch's advice to use batchmean
@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    x = np.log(rng.dirichlet(np.ones(4), size=3))
    t = rng.dirichlet(np.ones(4), size=3)
    if log_target:
        t = np.log(t + 0.01)
    assert_same(
        F.kl_div,
        TF.kl_div,
        [x, t],
        [True, True],
        {"reduction": reduction, "log_target": log_target},
    )


def test_kl_div_zero_target():
    # t = 0 adds 0 (0 log 0 = 0) as in PyTorch; PyTorch's target gradient there is nan,
    # ours is finite (-input: the 0 log 0 term is taken as constant)
    x = np.log(np.array([0.25, 0.75]))
    t = np.array([0.0, 1.0])
    tt = Tensor(t, requires_grad=True)
    out = F.kl_div(Tensor(x), tt, reduction="sum")
    out.backward()
    ref = TF.kl_div(torch.tensor(x), torch.tensor(t), reduction="sum")
    assert out.item() == pytest.approx(ref.item())
    np.testing.assert_allclose(tt.grad, [-x[0], np.log(1.0) + 1 - x[1]])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_ranking(reduction):
    y = np.where(rng.uniform(size=8) > 0.5, 1.0, -1.0)
    a, b = rng.normal(size=8), rng.normal(size=8)
    assert_same(
        F.margin_ranking_loss,
        TF.margin_ranking_loss,
        [a, b, y],
        [True, True, True],
        {"margin": 0.3, "reduction": reduction},
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p, swap", [(2, False), (1, True), (3, False), (2, True)])
@pytest.mark.parametrize("shape", [(6, 3), (3,)])
def test_triplet_margin(reduction, p, swap, shape):
    a, pos, neg = (rng.normal(size=shape) for _ in range(3))
    kw = {"margin": 1.5, "p": p, "eps": 1e-4, "swap": swap, "reduction": reduction}
    assert_same(
        F.triplet_margin_loss, TF.triplet_margin_loss, [a, pos, neg], [True, True, True], kw
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(6, 3), (3,)])
def test_cosine_embedding(reduction, shape):
    a, b = rng.normal(size=shape), rng.normal(size=shape)
    y = np.where(rng.uniform(size=shape[:-1]) > 0.5, 1.0, -1.0)
    assert_same(
        F.cosine_embedding_loss,
        TF.cosine_embedding_loss,
        [a, b, y],
        [True, True, False],
        {"margin": 0.2, "reduction": reduction},
    )


def test_bce_target_gradient_differs_only_where_logs_are_clamped():
    # PyTorch's d/dy is -logit(p) unclamped; ours is the derivative of the clamped forward
    p = np.array([0.3, 1e-50])
    y = np.array([0.5, 0.5])
    yt = Tensor(y, requires_grad=True)
    F.binary_cross_entropy(Tensor(p), yt, reduction="sum").backward()
    yy = torch.tensor(y, requires_grad=True)
    TF.binary_cross_entropy(torch.tensor(p), yy, reduction="sum").backward()
    assert yt.grad[0] == pytest.approx(yy.grad[0].item())
    assert yt.grad[1] == pytest.approx(100.0) and yy.grad[1].item() == pytest.approx(-np.log(1e-50))
