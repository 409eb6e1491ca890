"""Padding layers, ParameterDict, pixel (un)shuffle, adaptive max pooling, Bilinear and the
likelihood / margin losses against PyTorch: same inputs and weights, outputs and every
gradient in float32 and float64 over a grid of arguments; reprs printed the same."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
TF = torch.nn.functional

DTYPES = [np.float32, np.float64]
TOL = {np.float32: {"rtol": 1e-4, "atol": 1e-5}, np.float64: {"rtol": 1e-9, "atol": 1e-11}}


def run(ours: Any, theirs: Any, arrays: list, grads: list | None = None, dtype: Any = np.float64):
    """Call both sides on the same arrays; compare outputs (value, dtype, shape) and the
    gradients of every floating array for one random upstream gradient per output."""
    if grads is None:
        grads = [a.dtype.kind == "f" for a in arrays]
    xs = [Tensor(a, requires_grad=g) for a, g in zip(arrays, grads)]
    txs = [torch.tensor(a, requires_grad=g) for a, g in zip(arrays, grads)]
    outs, touts = ours(*xs), theirs(*txs)
    outs = list(outs) if isinstance(outs, tuple) else [outs]
    touts = list(touts) if isinstance(touts, tuple) else [touts]
    tol = TOL[dtype]
    rng = np.random.default_rng(0)
    loss: Any = 0.0
    tloss: Any = 0.0
    for o, t in zip(outs, touts, strict=True):
        t_np = t.detach().numpy()
        assert o.shape == t_np.shape and o.dtype == t_np.dtype, (o.shape, o.dtype, t_np.dtype)
        np.testing.assert_allclose(o.data, t_np, err_msg="forward", **tol)
        if t.dtype.is_floating_point and t.requires_grad:
            g = rng.normal(size=t_np.shape).astype(t_np.dtype)
            loss = loss + (o * Tensor(g)).sum()
            tloss = tloss + (t * torch.tensor(g)).sum()
    if isinstance(tloss, float):
        return
    loss.backward()
    tloss.backward()
    for i, (x, tx) in enumerate(zip(xs, txs)):
        if x.requires_grad:
            tg = np.zeros_like(arrays[i]) if tx.grad is None else tx.grad.numpy()
            og = np.zeros_like(arrays[i]) if x.grad is None else np.asarray(x.grad)
            assert og.dtype == tg.dtype
            np.testing.assert_allclose(og, tg, err_msg=f"gradient of argument {i}", **tol)


def normal(shape: Any, seed: int, dtype: Any) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


# --- padding ---------------------------------------------------------------------------------

PADS = [
    ("ZeroPad1d", (2,), (2, 3, 5)),
    ("ZeroPad1d", ((1, -2),), (3, 5)),
    ("ZeroPad2d", ((1, 0, 2, 3),), (2, 3, 4, 5)),
    ("ConstantPad1d", ((0, 3), 2.5), (2, 3, 4)),
    ("ConstantPad2d", (1, -1.5), (3, 4, 5)),
    ("ConstantPad2d", ((-1, 2, 0, 1), 0.5), (2, 2, 4, 5)),
    ("ReflectionPad1d", (3,), (2, 3, 5)),
    ("ReflectionPad1d", ((0, 2),), (3, 4)),
    ("ReflectionPad2d", ((1, 2, 3, 0),), (2, 2, 4, 5)),
    ("ReflectionPad2d", (2,), (2, 3, 4)),
    ("ReplicationPad1d", ((4, 1),), (2, 3, 3)),
    ("ReplicationPad2d", ((3, 0, 1, 5),), (2, 2, 3, 4)),
    ("ReplicationPad2d", (1,), (3, 2, 2)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,args,shape", PADS)
def test_padding_layers(name, args, shape, dtype):
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    run(ours, theirs, [normal(shape, 1, dtype)], dtype=dtype)


# --- pixel shuffle, adaptive max pooling, bilinear -----------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("r,shape", [(2, (2, 8, 3, 4)), (3, (9, 2, 2)), (1, (2, 3, 2, 2)),
                                     (2, (2, 1, 12, 2, 3))])  # fmt: skip
def test_pixel_shuffle(r, shape, dtype):
    x = normal(shape, 2, dtype)
    run(lambda t: F.pixel_shuffle(t, r), lambda t: TF.pixel_shuffle(t, r), [x], dtype=dtype)
    run(nn.PixelShuffle(r), torch.nn.PixelShuffle(r), [x], dtype=dtype)
    y = normal(shape[:-2] + (shape[-2] * r, shape[-1] * r), 3, dtype)
    run(lambda t: F.pixel_unshuffle(t, r), lambda t: TF.pixel_unshuffle(t, r), [y], dtype=dtype)
    run(nn.PixelUnshuffle(r), torch.nn.PixelUnshuffle(r), [y], dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size,shape", [((3, 4), (2, 3, 7, 6)), (2, (3, 5, 5)),
                                        ((None, 3), (2, 2, 4, 7)), ((5, 1), (1, 2, 3, 4)),
                                        (4, (2, 3, 4, 4))])  # fmt: skip
@pytest.mark.parametrize("return_indices", [False, True])
def test_adaptive_max_pool2d(size, shape, return_indices, dtype):
    x = normal(shape, 4, dtype)
    run(lambda t: F.adaptive_max_pool2d(t, size, return_indices),
        lambda t: TF.adaptive_max_pool2d(t, size, return_indices), [x], dtype=dtype)  # fmt: skip
    run(nn.AdaptiveMaxPool2d(size, return_indices),
        torch.nn.AdaptiveMaxPool2d(size, return_indices), [x], dtype=dtype)  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size,shape", [(3, (2, 3, 7)), (4, (3, 4)), (5, (2, 2, 3)), (1, (2, 6))])
@pytest.mark.parametrize("return_indices", [False, True])
def test_adaptive_max_pool1d(size, shape, return_indices, dtype):
    x = normal(shape, 5, dtype)
    run(lambda t: F.adaptive_max_pool1d(t, size, return_indices),
        lambda t: TF.adaptive_max_pool1d(t, size, return_indices), [x], dtype=dtype)  # fmt: skip
    run(nn.AdaptiveMaxPool1d(size, return_indices),
        torch.nn.AdaptiveMaxPool1d(size, return_indices), [x], dtype=dtype)  # fmt: skip


def test_adaptive_max_pool_ties_and_nan_pick_torchs_index():
    x = np.array([[[1.0, 3.0, 3.0, 0.0, np.nan, 2.0, np.nan, 1.0]]])
    y, i = F.adaptive_max_pool1d(Tensor(x), 3, return_indices=True)
    ty, ti = TF.adaptive_max_pool1d(torch.tensor(x), 3, return_indices=True)
    np.testing.assert_array_equal(i.data, ti.numpy())
    np.testing.assert_array_equal(y.data, ty.numpy())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("lead,bias", [((4,), True), ((2, 3), False), ((), True)])
def test_bilinear(lead, bias, dtype):
    x1, x2 = normal(lead + (3,), 6, dtype), normal(lead + (5,), 7, dtype)
    w, b = normal((4, 3, 5), 8, dtype), normal((4,), 9, dtype)
    if bias:
        run(F.bilinear, TF.bilinear, [x1, x2, w, b], dtype=dtype)
    else:
        run(F.bilinear, TF.bilinear, [x1, x2, w], dtype=dtype)
    ours = nn.Bilinear(3, 5, 4, bias=bias, dtype=dtype)
    theirs = torch.nn.Bilinear(3, 5, 4, bias=bias)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.numpy().astype(dtype) for k, v in theirs.state_dict().items()})
    theirs.to(torch.float32 if dtype == np.float32 else torch.float64)
    xs = [Tensor(x1, requires_grad=True), Tensor(x2, requires_grad=True)]
    txs = [torch.tensor(x1, requires_grad=True), torch.tensor(x2, requires_grad=True)]
    y, ty = ours(*xs), theirs(*txs)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), **TOL[dtype])
    g = normal(y.shape, 10, dtype)
    y.backward(g)
    ty.backward(torch.tensor(g))
    for (n, p), (tn, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert n == tn
        np.testing.assert_allclose(np.asarray(p.grad), tp.grad.numpy(), **TOL[dtype])
    for x, tx in zip(xs, txs):
        np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy(), **TOL[dtype])


def test_bilinear_init_bounds_as_torch():
    w = nn.Bilinear(16, 3, 50).weight.data
    assert w.dtype == np.float32 and w.shape == (50, 16, 3)
    assert np.abs(w).max() <= 0.25 and np.abs(w).max() > 0.2  # U(-1/sqrt(16), 1/sqrt(16))


def test_parameter_dict_as_torch():
    a, b = np.ones((2, 3), np.float32), np.zeros(4)
    ours = nn.ParameterDict({"b": Tensor(b), "a": a, "n": 3})
    theirs = torch.nn.ParameterDict({"b": torch.tensor(b), "a": torch.tensor(a), "n": 3})
    assert list(ours.keys()) == list(theirs.keys()) == ["a", "b", "n"]
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    # the layout is torch's; dtypes print as this library names them
    expected = repr(theirs).replace("torch.FloatTensor", "float32")
    assert repr(ours) == expected.replace("torch.DoubleTensor", "float64")


# --- losses ----------------------------------------------------------------------------------

REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("log_input,full", [(True, False), (False, False), (True, True),
                                            (False, True)])  # fmt: skip
def test_poisson_nll_loss(log_input, full, reduction, dtype):
    rng = np.random.default_rng(11)
    x = rng.normal(size=(3, 4)).astype(dtype)
    if not log_input:
        x = np.abs(x) + dtype(0.1)
    counts = rng.integers(0, 6, size=(3, 4)).astype(dtype)
    kw = {"log_input": log_input, "full": full, "reduction": reduction}
    # counts of 0 and 1: torch's gradient in target is nan there under full=True
    run(lambda u, v: F.poisson_nll_loss(u, v, **kw),
        lambda u, v: TF.poisson_nll_loss(u, v, **kw), [x, counts], [True, not full],
        dtype=dtype)  # fmt: skip
    rates = (rng.uniform(1.5, 6.0, size=(3, 4))).astype(dtype)  # target gradients too
    run(lambda u, v: F.poisson_nll_loss(u, v, **kw),
        lambda u, v: TF.poisson_nll_loss(u, v, **kw), [x, rates], dtype=dtype)  # fmt: skip
    run(nn.PoissonNLLLoss(log_input, full, eps=1e-3, reduction=reduction),
        torch.nn.PoissonNLLLoss(log_input, full, eps=1e-3, reduction=reduction), [x, rates],
        dtype=dtype)  # fmt: skip


VAR_SHAPES = [(2, 3, 4), (2, 3), (2, 3, 1), (2, 1, 4), (1, 3, 4)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("var_shape", VAR_SHAPES)
def test_gaussian_nll_loss(var_shape, full, reduction, dtype):
    rng = np.random.default_rng(12)
    x, y = normal((2, 3, 4), 13, dtype), normal((2, 3, 4), 14, dtype)
    var = rng.uniform(0.2, 2.0, size=var_shape).astype(dtype)
    var.reshape(-1)[0] = 1e-8  # below eps: clamped in value, not in gradient
    kw = {"full": full, "reduction": reduction}
    run(lambda u, v, s: F.gaussian_nll_loss(u, v, s, **kw),
        lambda u, v, s: TF.gaussian_nll_loss(u, v, s, **kw), [x, y, var], dtype=dtype)  # fmt: skip
    run(nn.GaussianNLLLoss(full=full, eps=1e-2, reduction=reduction),
        torch.nn.GaussianNLLLoss(full=full, eps=1e-2, reduction=reduction), [x, y, var],
        dtype=dtype)  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
def test_gaussian_nll_loss_float_var(dtype):
    x, y = normal((3, 2), 15, dtype), normal((3, 2), 16, dtype)
    run(lambda u, v: F.gaussian_nll_loss(u, v, 0.7), lambda u, v: TF.gaussian_nll_loss(u, v, 0.7),
        [x, y], dtype=dtype)  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(5,), (3, 4)])
def test_soft_margin_loss(shape, reduction, dtype):
    x = normal(shape, 17, dtype) * 3
    y = np.where(normal(shape, 18, dtype) > 0, 1, -1).astype(dtype)
    run(lambda u, v: F.soft_margin_loss(u, v, reduction=reduction),
        lambda u, v: TF.soft_margin_loss(u, v, reduction=reduction), [x, y], [True, False],
        dtype=dtype)  # fmt: skip
    run(nn.SoftMarginLoss(reduction=reduction), torch.nn.SoftMarginLoss(reduction=reduction),
        [x, y], [True, False], dtype=dtype)  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(4, 3), (5,), (2, 3, 4)])
def test_multilabel_soft_margin_loss(shape, weighted, reduction, dtype):
    x = normal(shape, 19, dtype) * 2
    y = (normal(shape, 20, dtype) > 0).astype(dtype)
    w = np.random.default_rng(21).uniform(0.5, 2, size=shape[-1]).astype(dtype)
    wt = torch.tensor(w) if weighted else None
    run(lambda u, v: F.multilabel_soft_margin_loss(u, v, w if weighted else None,
                                                   reduction=reduction),
        lambda u, v: TF.multilabel_soft_margin_loss(u, v, wt, reduction=reduction), [x, y],
        dtype=dtype)  # fmt: skip
    run(
        nn.MultiLabelSoftMarginLoss(Tensor(w) if weighted else None, reduction=reduction),
        torch.nn.MultiLabelSoftMarginLoss(wt, reduction=reduction),
        [x, y],
        dtype=dtype,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [1.0, 0.3, 2.5])
def test_hinge_embedding_loss(margin, reduction, dtype):
    x = np.abs(normal((4, 5), 22, dtype)) * 2
    y = np.where(normal((4, 5), 23, dtype) > 0, 1, -1).astype(dtype)
    y[0, :2] = 0.0  # neither label: both terms, as torch
    run(lambda u, v: F.hinge_embedding_loss(u, v, margin, reduction=reduction),
        lambda u, v: TF.hinge_embedding_loss(u, v, margin, reduction=reduction), [x, y],
        dtype=dtype)  # fmt: skip
    run(
        nn.HingeEmbeddingLoss(margin, reduction=reduction),
        torch.nn.HingeEmbeddingLoss(margin, reduction=reduction),
        [x, y],
        dtype=dtype,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p,margin,weighted", [(1, 1.0, False), (2, 1.0, False), (1, 0.5, True),
                                               (2, 2.0, True)])  # fmt: skip
@pytest.mark.parametrize("batched", [True, False])
def test_multi_margin_loss(batched, p, margin, weighted, reduction, dtype):
    x = normal((5, 4) if batched else (4,), 24, dtype)
    t = np.array([0, 3, 1, 1, 2]) if batched else np.array(2)
    w = np.random.default_rng(25).uniform(0.5, 2, size=4).astype(dtype)
    wt = torch.tensor(w) if weighted else None
    run(lambda u, v: F.multi_margin_loss(u, v, p, margin, w if weighted else None,
                                         reduction=reduction),
        lambda u, v: TF.multi_margin_loss(u, v, p, margin, wt, reduction=reduction), [x, t],
        dtype=dtype)  # fmt: skip
    run(
        nn.MultiMarginLoss(p, margin, Tensor(w) if weighted else None, reduction=reduction),
        torch.nn.MultiMarginLoss(p, margin, wt, reduction=reduction),
        [x, t],
        dtype=dtype,
    )


def test_legacy_size_average_reduce_as_torch():
    x, y = normal((3, 4), 26, np.float64), normal((3, 4), 27, np.float64)
    for sa, rd in [(False, None), (None, False), (True, True)]:
        with pytest.warns(UserWarning, match="deprecated"):
            ours = nn.SoftMarginLoss(sa, rd)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = torch.nn.SoftMarginLoss(sa, rd)
        assert ours.reduction == theirs.reduction
        with pytest.warns(UserWarning):
            out = F.soft_margin_loss(Tensor(x), Tensor(y), sa, rd)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = TF.soft_margin_loss(torch.tensor(x), torch.tensor(y), sa, rd)
        np.testing.assert_allclose(out.data, ref.numpy())


@pytest.mark.parametrize(
    "name,args,kw",
    [
        ("PoissonNLLLoss", (), {}),
        ("PoissonNLLLoss", (False, True), {"eps": 1e-3, "reduction": "sum"}),
        ("GaussianNLLLoss", (), {"full": True}),
        ("SoftMarginLoss", (), {"reduction": "none"}),
        ("MultiLabelSoftMarginLoss", (), {}),
        ("HingeEmbeddingLoss", (0.5,), {}),
        ("MultiMarginLoss", (2, 0.5), {}),
        ("AdaptiveMaxPool2d", ((3, None),), {"return_indices": True}),
        ("AdaptiveMaxPool1d", (4,), {}),
        ("PixelShuffle", (3,), {}),
        ("PixelUnshuffle", (2,), {}),
        ("Bilinear", (2, 3, 4), {"bias": False}),
        ("ConstantPad2d", ((1, 2, 3, 4), 2), {}),
        ("ZeroPad1d", ((1, 2),), {}),
        ("ReplicationPad1d", (3,), {}),
    ],
)
def test_repr_as_torch(name, args, kw):
    assert repr(getattr(nn, name)(*args, **kw)) == repr(getattr(torch.nn, name)(*args, **kw))


def test_loss_defaults_as_torch():
    for name in ("PoissonNLLLoss", "GaussianNLLLoss", "HingeEmbeddingLoss", "MultiMarginLoss"):
        ours, theirs = getattr(nn, name)(), getattr(torch.nn, name)()
        for attr in ("reduction", "log_input", "full", "eps", "margin", "p"):
            if hasattr(theirs, attr):
                assert getattr(ours, attr) == getattr(theirs, attr), (name, attr)
