"""Padding layers, ParameterDict, pixel (un)shuffle, adaptive max pooling, Bilinear and the
likelihood / margin losses without PyTorch: values worked by hand, shapes, reprs, errors,
and gradients against finite differences in float64."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck


def t64(shape, seed=0, scale=1.0, requires_grad=True):
    data = np.random.default_rng(seed).normal(size=shape) * scale
    return Tensor(data, requires_grad=requires_grad)


# --- padding ---------------------------------------------------------------------------------


def test_padding_hand_values_and_reprs():
    x = Tensor(np.array([[[1.0, 2.0, 3.0]]]))
    np.testing.assert_array_equal(nn.ReflectionPad1d(2)(x).data[0, 0], [3, 2, 1, 2, 3, 2, 1])
    np.testing.assert_array_equal(nn.ReplicationPad1d((1, 2))(x).data[0, 0], [1, 1, 2, 3, 3, 3])
    np.testing.assert_array_equal(nn.ZeroPad1d((0, 1))(x).data[0, 0], [1, 2, 3, 0])
    np.testing.assert_array_equal(nn.ConstantPad1d(1, 9.0)(x).data[0, 0], [9, 1, 2, 3, 9])
    img = Tensor(np.arange(4.0).reshape(1, 2, 2))
    np.testing.assert_array_equal(
        nn.ReplicationPad2d((1, 0, 0, 1))(img).data[0], [[0, 0, 1], [2, 2, 3], [2, 2, 3]]
    )
    assert nn.ZeroPad2d(2)(img).shape == (1, 6, 6)
    assert nn.ConstantPad2d((1, -1, 0, 0), 1.0)(img).data[0].tolist() == [[1, 0], [1, 2]]
    assert repr(nn.ZeroPad2d(1)) == "ZeroPad2d((1, 1, 1, 1))"
    assert repr(nn.ConstantPad1d(2, 3.5)) == "ConstantPad1d(padding=(2, 2), value=3.5)"
    assert repr(nn.ReflectionPad2d((1, 2, 3, 4))) == "ReflectionPad2d((1, 2, 3, 4))"
    assert repr(nn.ReplicationPad1d(3)) == "ReplicationPad1d((3, 3))"


def test_padding_gradients_add_up_repeats():
    x = Tensor(np.array([[[1.0, 2.0, 3.0]]]), requires_grad=True)
    nn.ReflectionPad1d(2)(x).sum().backward()  # [3 2 1 2 3 2 1]: 1 twice, 2 three, 3 twice
    np.testing.assert_array_equal(np.asarray(x.grad)[0, 0], [2, 3, 2])
    for layer in (nn.ReflectionPad2d((1, 2, 2, 1)), nn.ReplicationPad2d((3, 0, 1, 2)),
                  nn.ConstantPad2d((1, -1, 2, 0), 0.5), nn.ReflectionPad1d(2),
                  nn.ReplicationPad1d((0, 3)), nn.ZeroPad1d(1)):  # fmt: skip
        shape = (2, 3, 4, 5) if "2d" in type(layer).__name__ else (2, 3, 5)
        assert gradcheck(layer, [t64(shape)])


def test_padding_errors():
    with pytest.raises(ValueError, match="ReflectionPad1d.*smaller than the size"):
        nn.ReflectionPad1d(3)(Tensor(np.zeros((1, 3))))
    with pytest.raises(ValueError, match=r"ReflectionPad2d: expected 3D or 4D input \(got 2D"):
        nn.ReflectionPad2d(1)(Tensor(np.zeros((3, 3))))
    with pytest.raises(ValueError, match="ReplicationPad1d: expected 2D or 3D"):
        nn.ReplicationPad1d(1)(Tensor(np.zeros((1, 1, 3, 3))))
    with pytest.raises(ValueError, match="4 integers"):
        nn.ZeroPad2d((1, 2.5))
    # a tuple of another length is PyTorch's F.pad's business: constant pads take it, the
    # other modes take only PyTorch's combinations
    assert nn.ZeroPad2d((1, 2))(Tensor(np.zeros((1, 3, 3)))).shape == (1, 3, 6)
    with pytest.raises(NotImplementedError, match="Padding size 2 is not supported for 5D"):
        nn.ReflectionPad3d((1, 2))(Tensor(np.zeros((1, 1, 3, 3, 3))))


# --- ParameterDict ---------------------------------------------------------------------------


def test_parameter_dict():
    d = nn.ParameterDict({"w": np.ones((2, 3), np.float32), "b": Tensor(np.zeros(3))})
    assert list(d) == ["b", "w"]  # a plain dict is taken in sorted order, as torch
    assert isinstance(d["w"], nn.Parameter) and d["w"].requires_grad
    d["z"] = nn.Parameter(np.ones(1, np.float32))
    d["note"] = "text"
    assert [n for n, _ in d.named_parameters()] == ["b", "w", "z"]
    assert len(d) == 4 and "note" in d and d.get("missing") is None
    assert d.pop("z").shape == (1,) and "z" not in d
    d.update([("a", np.zeros(2)), ("w", np.full(2, 5.0))])
    assert list(d.keys()) == ["b", "w", "note", "a"]
    assert d["w"].data.tolist() == [5.0, 5.0]
    assert d.setdefault("q", np.ones(1)).shape == (1,)
    assert d.popitem()[0] == "q"
    c = d.copy()
    assert c["b"] is d["b"] and list(c) == list(d)
    merged = d | nn.ParameterDict({"extra": np.ones(1)})
    assert list(merged)[-1] == "extra" and "extra" not in d
    model = nn.Module()
    model.params = d
    assert "params.w" in dict(model.named_parameters())
    assert repr(nn.ParameterDict({"a": np.zeros((2, 3), np.float32), "n": 3})) == (
        "ParameterDict(\n    (a): Parameter containing: [float32 of size 2x3]\n"
        "    (n): Object of type: int\n)"
    )
    del d["a"]
    assert "a" not in d and "a" not in dict(d.named_parameters())
    d.clear()
    assert len(d) == 0 and list(d.parameters()) == []
    with pytest.raises(TypeError, match="keys must be strings"):
        d[1] = np.ones(1)  # type: ignore[index]
    with pytest.raises(KeyError):
        d["nothing"]


# --- pixel shuffle ---------------------------------------------------------------------------


def test_pixel_shuffle_hand_values():
    x = Tensor(np.arange(8.0).reshape(1, 8, 1, 1))
    y = F.pixel_shuffle(x, 2)
    assert y.shape == (1, 2, 2, 2)
    np.testing.assert_array_equal(y.data[0, 0], [[0, 1], [2, 3]])
    np.testing.assert_array_equal(y.data[0, 1], [[4, 5], [6, 7]])
    np.testing.assert_array_equal(F.pixel_unshuffle(y, 2).data, x.data)
    z = t64((2, 18, 2, 3))
    np.testing.assert_array_equal(nn.PixelUnshuffle(3)(nn.PixelShuffle(3)(z)).data, z.data)
    assert repr(nn.PixelShuffle(3)) == "PixelShuffle(upscale_factor=3)"
    assert repr(nn.PixelUnshuffle(2)) == "PixelUnshuffle(downscale_factor=2)"
    assert gradcheck(lambda a: F.pixel_shuffle(a, 2), [t64((2, 8, 2, 3))])
    assert gradcheck(lambda a: F.pixel_unshuffle(a, 2), [t64((3, 4, 6))])
    with pytest.raises(ValueError, match="divisible by upscale_factor"):
        F.pixel_shuffle(Tensor(np.zeros((1, 6, 2, 2))), 2)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        F.pixel_shuffle(Tensor(np.zeros((4, 2))), 2)
    with pytest.raises(ValueError, match="divisible by downscale_factor"):
        F.pixel_unshuffle(Tensor(np.zeros((1, 1, 3, 4))), 2)


# --- adaptive max pooling --------------------------------------------------------------------


def test_adaptive_max_pool_hand_values_and_gradient():
    x = Tensor(np.array([[[1.0, 5.0, 2.0, 4.0, 3.0]]]), requires_grad=True)
    # cells of length 5 into 3: [0, 2), [1, 4), [3, 5)
    y, idx = F.adaptive_max_pool1d(x, 3, return_indices=True)
    np.testing.assert_array_equal(y.data[0, 0], [5, 5, 4])
    np.testing.assert_array_equal(idx.data[0, 0], [1, 1, 3])
    assert idx.dtype == np.int64
    y.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad)[0, 0], [0, 2, 0, 1, 0])
    img = Tensor(np.arange(16.0).reshape(1, 4, 4))
    out, where = nn.AdaptiveMaxPool2d((2, None), return_indices=True)(img)
    assert out.shape == (1, 2, 4)
    np.testing.assert_array_equal(out.data[0], [[4, 5, 6, 7], [12, 13, 14, 15]])
    np.testing.assert_array_equal(where.data[0], [[4, 5, 6, 7], [12, 13, 14, 15]])
    assert nn.AdaptiveMaxPool1d(2)(Tensor(np.zeros((2, 3, 7)))).shape == (2, 3, 2)
    assert repr(nn.AdaptiveMaxPool2d((3, None))) == "AdaptiveMaxPool2d(output_size=(3, None))"
    assert gradcheck(lambda a: F.adaptive_max_pool2d(a, (3, 2)), [t64((2, 2, 5, 7))])
    assert gradcheck(lambda a: F.adaptive_max_pool1d(a, 4), [t64((2, 3, 6))])
    with pytest.raises(ValueError, match="AdaptiveMaxPool2d: expected a 3-d"):
        nn.AdaptiveMaxPool2d(2)(Tensor(np.zeros((3, 3))))
    with pytest.raises(ValueError, match="positive integers"):
        F.adaptive_max_pool2d(Tensor(np.zeros((1, 3, 3))), (0, 2))


# --- bilinear --------------------------------------------------------------------------------


def test_bilinear_hand_values_shapes_and_gradient():
    w = np.zeros((2, 2, 3), dtype=np.float32)
    w[0, 0, 1] = 1.0  # y0 = x1[0] * x2[1]
    w[1, 1, 2] = 2.0  # y1 = 2 x1[1] x2[2]
    y = F.bilinear(Tensor([[3.0, 4.0]]), Tensor([[5.0, 6.0, 7.0]]), Tensor(w), Tensor([0.5, 0.0]))
    np.testing.assert_allclose(y.data, [[18.5, 56.0]])
    layer = nn.Bilinear(3, 4, 5)
    assert layer.weight.shape == (5, 3, 4) and layer.bias.shape == (5,)
    assert layer.weight.dtype == np.float32
    assert layer(autograd.zeros(2, 6, 3), autograd.zeros(2, 6, 4)).shape == (2, 6, 5)
    assert repr(layer) == "Bilinear(in1_features=3, in2_features=4, out_features=5, bias=True)"
    assert nn.Bilinear(2, 2, 1, bias=False).bias is None
    assert gradcheck(F.bilinear, [t64((4, 3), 1), t64((4, 2), 2), t64((5, 3, 2), 3), t64((5,), 4)])
    with pytest.raises(ValueError, match="Bilinear: inputs of shapes"):
        layer(autograd.zeros(2, 4), autograd.zeros(2, 4))
    with pytest.raises(ValueError, match="same batch dimensions"):
        layer(autograd.zeros(2, 3), autograd.zeros(3, 4))
    mixed = layer(autograd.zeros(2, 3, dtype=autograd.float64), autograd.zeros(2, 4))
    assert mixed.dtype == np.float64  # promoted (torch refuses the mix; see README)


# --- losses ----------------------------------------------------------------------------------


def test_poisson_nll_loss_hand_values():
    x, y = Tensor([0.0, math.log(2.0)]), Tensor([1.0, 3.0])
    # exp(x) - y x: 1 - 0 and 2 - 3 log 2
    expected = np.array([1.0, 2.0 - 3.0 * math.log(2.0)])
    np.testing.assert_allclose(F.poisson_nll_loss(x, y, reduction="none").data, expected, 1e-6)
    stirling = 3 * math.log(3) - 3 + 0.5 * math.log(2 * math.pi * 3)  # only for target > 1
    np.testing.assert_allclose(
        F.poisson_nll_loss(x, y, full=True, reduction="sum").item(),
        expected.sum() + stirling,
        rtol=1e-6,
    )
    rate = Tensor([2.0])
    np.testing.assert_allclose(
        F.poisson_nll_loss(rate, Tensor([3.0]), log_input=False, eps=0.0).item(),
        2.0 - 3.0 * math.log(2.0),
        rtol=1e-6,
    )
    assert repr(nn.PoissonNLLLoss()) == "PoissonNLLLoss()"
    counts = Tensor(np.array([0.0, 1.0, 2.0, 4.0, 7.0, 3.0]))
    for log_input in (True, False):
        for full in (True, False):
            x64 = Tensor(np.abs(t64((6,), 5).data) + 0.5, requires_grad=True)
            assert gradcheck(
                lambda a: F.poisson_nll_loss(a, counts, log_input, full),  # noqa: B023
                [x64],
            )


def test_gaussian_nll_loss_hand_values_and_var_shapes():
    x, y = Tensor([[1.0, 2.0]]), Tensor([[0.0, 2.0]])
    var = Tensor([[2.0, 0.5]])
    expected = 0.5 * (np.log([2.0, 0.5]) + np.array([1.0, 0.0]) / np.array([2.0, 0.5]))
    np.testing.assert_allclose(F.gaussian_nll_loss(x, y, var, reduction="none").data[0], expected)
    np.testing.assert_allclose(
        F.gaussian_nll_loss(x, y, var, full=True).item(),
        expected.mean() + 0.5 * math.log(2 * math.pi),
        rtol=1e-6,
    )
    # one variance per row (input's shape without the last axis), and a number
    row = F.gaussian_nll_loss(x, y, Tensor([2.0]), reduction="none")
    np.testing.assert_allclose(row.data[0], 0.5 * (math.log(2.0) + np.array([1.0, 0.0]) / 2))
    np.testing.assert_allclose(F.gaussian_nll_loss(x, y, 2.0, reduction="none").data, row.data)
    # a variance below eps is clamped in value, but its gradient passes straight through
    v = Tensor(np.array([[1e-9, 1.0]]), requires_grad=True)
    F.gaussian_nll_loss(x, y, v, eps=1e-3, reduction="sum").backward()
    np.testing.assert_allclose(np.asarray(v.grad)[0, 0], 0.5 * (1 / 1e-3 - 1 / 1e-6), rtol=1e-9)
    with pytest.raises(ValueError, match="var is of incorrect size"):
        F.gaussian_nll_loss(x, y, Tensor([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="negative"):
        F.gaussian_nll_loss(x, y, Tensor([[1.0, -1.0]]))
    var64 = Tensor(np.random.default_rng(8).uniform(0.5, 2, (3, 1)), requires_grad=True)
    inputs = [t64((3, 4), 6), t64((3, 4), 7), var64]
    assert gradcheck(lambda a, b, s: F.gaussian_nll_loss(a, b, s, full=True), inputs)
    assert repr(nn.GaussianNLLLoss(full=True)) == "GaussianNLLLoss()"
    with pytest.raises(TypeError):
        nn.GaussianNLLLoss(True)  # type: ignore[misc]  # keyword-only, as torch


def test_soft_margin_losses_hand_values():
    x, y = Tensor([0.0, 2.0]), Tensor([1.0, -1.0])
    expected = np.log1p(np.exp([0.0, 2.0]))
    np.testing.assert_allclose(F.soft_margin_loss(x, y, reduction="none").data, expected, 1e-6)
    assert np.isfinite(F.soft_margin_loss(Tensor([1000.0]), Tensor([-1.0])).item())
    with pytest.raises(ValueError, match="not differentiable with respect to target"):
        F.soft_margin_loss(x, Tensor([1.0, -1.0], requires_grad=True))
    assert gradcheck(lambda a: F.soft_margin_loss(a, y.data), [t64((2,), 9)])
    # multilabel: mean over classes of the per-class logistic losses, per sample
    xs, ys = Tensor([[0.0, 1.0]]), Tensor([[1.0, 0.0]])
    per_class = np.array([math.log(2.0), math.log1p(math.e)])
    np.testing.assert_allclose(
        F.multilabel_soft_margin_loss(xs, ys, reduction="none").data, [per_class.mean()], 1e-6
    )
    np.testing.assert_allclose(
        F.multilabel_soft_margin_loss(xs, ys, weight=[2.0, 0.0]).item(), per_class[0], 1e-6
    )
    labels = (np.random.default_rng(10).random((3, 4)) > 0.5).astype(float)
    w = np.array([0.5, 1.0, 2.0, 1.5])
    assert gradcheck(lambda a: F.multilabel_soft_margin_loss(a, labels, w), [t64((3, 4), 11)])
    assert repr(nn.MultiLabelSoftMarginLoss(weight=w)) == "MultiLabelSoftMarginLoss()"
    assert list(nn.MultiLabelSoftMarginLoss(weight=w).state_dict()) == ["weight"]


def test_hinge_embedding_loss_hand_values():
    x, y = Tensor([0.3, 0.3, 2.0, 0.5]), Tensor([1.0, -1.0, -1.0, 0.0])
    # 1 -> x; -1 -> max(0, margin - x); anything else -> both terms
    np.testing.assert_allclose(
        F.hinge_embedding_loss(x, y, reduction="none").data, [0.3, 0.7, 0.0, 1.0], 1e-6
    )
    np.testing.assert_allclose(
        F.hinge_embedding_loss(x, y, margin=2.5).item(), (0.3 + 2.2 + 0.5 + 2.5) / 4, 1e-6
    )
    labels = np.array([1.0, -1.0, -1.0, 1.0, -1.0])
    x64 = Tensor(np.array([0.3, 0.2, 1.7, 2.0, 0.6]), requires_grad=True)
    assert gradcheck(lambda a: F.hinge_embedding_loss(a, labels), [x64])
    assert repr(nn.HingeEmbeddingLoss(0.5)) == "HingeEmbeddingLoss()"


def test_multi_margin_loss_hand_values():
    x = Tensor([[0.1, 0.2, 0.4, 0.8]])
    # target 3: max(0, 1 - 0.8 + x_j) for j = 0, 1, 2 -> 0.3 + 0.4 + 0.6, divided by 4
    np.testing.assert_allclose(F.multi_margin_loss(x, np.array([3])).item(), 1.3 / 4, 1e-6)
    np.testing.assert_allclose(
        F.multi_margin_loss(x, np.array([3]), p=2).item(), (0.09 + 0.16 + 0.36) / 4, 1e-6
    )
    np.testing.assert_allclose(
        F.multi_margin_loss(x, np.array([3]), weight=[1, 1, 1, 2.0]).item(), 2 * 1.3 / 4, 1e-6
    )
    assert F.multi_margin_loss(x[0], np.array(3), reduction="none").shape == ()
    assert F.multi_margin_loss(t64((5, 3)), np.array([0, 1, 2, 0, 1]), reduction="none").shape == (
        5,
    )
    t = np.array([0, 2, 1])
    for p in (1, 2):
        assert gradcheck(
            lambda a: F.multi_margin_loss(a, t, p, 0.7, [1.0, 2.0, 0.5, 1.0]),  # noqa: B023
            [t64((3, 4), 12)],
        )
    with pytest.raises(ValueError, match="only p == 1 and p == 2"):
        nn.MultiMarginLoss(p=3)
    with pytest.raises(IndexError, match="out of range"):
        F.multi_margin_loss(x, np.array([4]))
    with pytest.raises(TypeError, match="integer class indices"):
        F.multi_margin_loss(x, np.array([1.0]))
    assert repr(nn.MultiMarginLoss(2, 0.5)) == "MultiMarginLoss()"


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_modules_call_their_functions(reduction):
    x = t64((3, 4), 13)
    counts = np.abs(np.round(t64((3, 4), 14, 3).data))
    pm = np.sign(t64((3, 4), 15).data)
    pairs = [
        (nn.PoissonNLLLoss(reduction=reduction), F.poisson_nll_loss, (x, counts)),
        (nn.SoftMarginLoss(reduction=reduction), F.soft_margin_loss, (x, pm)),
        (nn.HingeEmbeddingLoss(reduction=reduction), F.hinge_embedding_loss, (x, pm)),
        (nn.MultiLabelSoftMarginLoss(reduction=reduction), F.multilabel_soft_margin_loss,
         (x, (pm > 0).astype(float))),
        (nn.MultiMarginLoss(reduction=reduction), F.multi_margin_loss, (x, np.array([0, 3, 1]))),
    ]  # fmt: skip
    for module, fn, args in pairs:
        np.testing.assert_array_equal(module(*args).data, fn(*args, reduction=reduction).data)
    gauss = nn.GaussianNLLLoss(reduction=reduction)
    np.testing.assert_array_equal(
        gauss(x, pm, 2.0).data, F.gaussian_nll_loss(x, pm, 2.0, reduction=reduction).data
    )
    with pytest.raises(ValueError, match="reduction"):
        F.poisson_nll_loss(x, counts, reduction="avg")
