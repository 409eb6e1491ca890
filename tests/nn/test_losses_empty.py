"""Every loss on an empty batch, as PyTorch: nan for reduction='mean' (0 / 0), 0 for 'sum',
an empty tensor for 'none'; backward gives an empty gradient. Also Tensor.mean of an empty
selection (the shared root: it is nan, not an error)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn.functional as F
from autograd import Tensor

W3 = np.array([1.0, 2.0, 3.0])


def _f(shape: tuple) -> Tensor:
    return Tensor(np.zeros(shape))


def _i(shape: tuple) -> Tensor:
    return Tensor(np.zeros(shape, dtype=np.int64))


# name -> (loss(input, reduction), input shape, 'none' result shape)
LOSSES = {
    "mse": (lambda x, r: F.mse_loss(x, _f((0, 3)), reduction=r), (0, 3), (0, 3)),
    "l1": (lambda x, r: F.l1_loss(x, _f((0,)), reduction=r), (0,), (0,)),
    "huber": (lambda x, r: F.huber_loss(x, _f((0, 2)), reduction=r), (0, 2), (0, 2)),
    "smooth_l1": (lambda x, r: F.smooth_l1_loss(x, _f((0,)), reduction=r), (0,), (0,)),
    "log_cosh": (lambda x, r: F.log_cosh_loss(x, _f((0,)), reduction=r), (0,), (0,)),
    "bce": (lambda x, r: F.binary_cross_entropy(x.sigmoid(), _f((0,)), reduction=r), (0,), (0,)),
    "bce_logits": (
        lambda x, r: F.binary_cross_entropy_with_logits(
            x, _f((0, 3)), pos_weight=Tensor(W3), reduction=r
        ),
        (0, 3),
        (0, 3),
    ),
    "cross_entropy": (lambda x, r: F.cross_entropy(x, _i((0,)), reduction=r), (0, 3), (0,)),
    "cross_entropy_weight_smoothing": (
        lambda x, r: F.cross_entropy(
            x, _i((0,)), weight=Tensor(W3), label_smoothing=0.2, reduction=r
        ),
        (0, 3),
        (0,),
    ),
    "cross_entropy_probs": (lambda x, r: F.cross_entropy(x, _f((0, 3)), reduction=r), (0, 3), (0,)),
    "cross_entropy_empty_spatial": (
        lambda x, r: F.cross_entropy(x, _i((2, 0)), reduction=r),
        (2, 3, 0),
        (2, 0),
    ),
    "nll_weight": (
        lambda x, r: F.nll_loss(x, _i((0,)), weight=Tensor(W3), reduction=r),
        (0, 3),
        (0,),
    ),
    "kl_div": (lambda x, r: F.kl_div(x, _f((0, 3)), reduction=r), (0, 3), (0, 3)),
    "hinge": (lambda x, r: F.hinge_loss(x, _f((0,)), reduction=r), (0,), (0,)),
    "margin_ranking": (
        lambda x, r: F.margin_ranking_loss(x, x * 2, _f((0,)), reduction=r),
        (0,),
        (0,),
    ),
    "triplet": (
        lambda x, r: F.triplet_margin_loss(x, x * 2, _f((0, 3)), reduction=r),
        (0, 3),
        (0,),
    ),
    "contrastive": (lambda x, r: F.contrastive_loss(x, x * 2, _f((0,)), reduction=r), (0, 3), (0,)),
    "cosine_embedding": (
        lambda x, r: F.cosine_embedding_loss(x, x * 2, _f((0,)), reduction=r),
        (0, 3),
        (0,),
    ),
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_on_empty_batch(name: str, reduction: str) -> None:
    loss, shape, none_shape = LOSSES[name]
    x = Tensor(np.zeros(shape), requires_grad=True)
    out = loss(x, reduction)
    if reduction == "none":
        assert out.shape == none_shape
        out.sum().backward()
    else:
        assert out.shape == ()
        value = float(out.item())
        assert math.isnan(value) if reduction == "mean" else value == 0.0
        out.backward()
    assert np.asarray(x.grad).shape == shape


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_kl_div_batchmean_on_empty_batch_is_nan() -> None:
    assert math.isnan(F.kl_div(_f((0, 3)), _f((0, 3)), reduction="batchmean").item())


@pytest.mark.parametrize(
    ("shape", "dim", "want_shape"),
    [((0,), None, ()), ((0, 3), 0, (3,)), ((0, 3), None, ()), ((3, 0), 1, (3,)), ((3, 0), 0, (0,))],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mean_of_empty_selection_is_nan(shape, dim, want_shape, dtype) -> None:
    x = Tensor(np.zeros(shape, dtype=dtype), requires_grad=True)
    m = x.mean() if dim is None else x.mean(dim=dim)
    assert m.shape == want_shape and m.dtype == dtype
    assert np.isnan(m.data).all()
    m.sum().backward()
    assert np.asarray(x.grad).shape == shape
