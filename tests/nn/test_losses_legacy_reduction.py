"""PyTorch's deprecated ``size_average`` / ``reduce`` loss arguments (old scripts still pass
them: ``F.binary_cross_entropy(x, y, size_average=False)``): either one given overrides
``reduction`` with a warning; positions follow PyTorch's signatures."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor

RNG = np.random.default_rng(0)
P = RNG.uniform(0.1, 0.9, size=(4, 3))
Y01 = (RNG.uniform(size=(4, 3)) > 0.5).astype(np.float64)
Z = RNG.normal(size=(4, 3))
LABELS = np.array([0, 2, 1, 2])
PM1 = np.where(RNG.uniform(size=4) > 0.5, 1.0, -1.0)
A, B, C = RNG.normal(size=(4, 5)), RNG.normal(size=(4, 5)), RNG.normal(size=(4, 5))

# name: (function, module class, inputs)
CASES: dict[str, tuple[Any, Any, tuple]] = {
    "l1_loss": (F.l1_loss, nn.L1Loss, (Z, P)),
    "mse_loss": (F.mse_loss, nn.MSELoss, (Z, P)),
    "smooth_l1_loss": (F.smooth_l1_loss, nn.SmoothL1Loss, (Z, P)),
    "binary_cross_entropy": (F.binary_cross_entropy, nn.BCELoss, (P, Y01)),
    "binary_cross_entropy_with_logits": (
        F.binary_cross_entropy_with_logits,
        nn.BCEWithLogitsLoss,
        (Z, Y01),
    ),
    "cross_entropy": (F.cross_entropy, nn.CrossEntropyLoss, (Z, LABELS)),
    "nll_loss": (F.nll_loss, nn.NLLLoss, (np.log(P / P.sum(1, keepdims=True)), LABELS)),
    "kl_div": (F.kl_div, nn.KLDivLoss, (np.log(P), Y01)),
    "margin_ranking_loss": (F.margin_ranking_loss, nn.MarginRankingLoss, (Z[:, 0], Z[:, 1], PM1)),
    "triplet_margin_loss": (F.triplet_margin_loss, nn.TripletMarginLoss, (A, B, C)),
    "cosine_embedding_loss": (F.cosine_embedding_loss, nn.CosineEmbeddingLoss, (A, B, PM1)),
}
LEGACY = [  # (size_average, reduce) -> the reduction PyTorch maps it to
    (False, None, "sum"),
    (True, None, "mean"),
    (None, False, "none"),
    (False, False, "none"),
    (True, True, "mean"),
    (None, True, "mean"),
]


def _tensors(arrays: tuple) -> list[Tensor]:
    return [Tensor(a) for a in arrays]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("size_average,reduce,expected", LEGACY)
def test_legacy_arguments_choose_the_reduction(name, size_average, reduce, expected):
    function, module, arrays = CASES[name]
    want = function(*_tensors(arrays), reduction=expected)
    with pytest.warns(UserWarning, match=f"reduction='{expected}'"):
        got = function(*_tensors(arrays), size_average=size_average, reduce=reduce)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    with pytest.warns(UserWarning, match=f"reduction='{expected}'"):
        loss = module(size_average=size_average, reduce=reduce, reduction="sum")
    assert loss.reduction == expected
    np.testing.assert_array_equal(loss(*_tensors(arrays)).numpy(), want.numpy())


@pytest.mark.parametrize("name", sorted(CASES))
def test_without_legacy_arguments_no_warning(name):
    function, module, arrays = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        function(*_tensors(arrays), reduction="sum")
        module(reduction="none")(*_tensors(arrays))


def test_positional_legacy_arguments_where_torch_has_them():
    # BCELoss(weight, size_average, reduce, reduction); CrossEntropyLoss(weight,
    # size_average, ignore_index, reduce, reduction); MSELoss(size_average, reduce, reduction)
    with pytest.warns(UserWarning):
        assert nn.BCELoss(None, False).reduction == "sum"
    with pytest.warns(UserWarning):
        assert nn.CrossEntropyLoss(None, None, -100, False).reduction == "none"
    with pytest.warns(UserWarning):
        assert nn.MSELoss(False).reduction == "sum"
    with pytest.warns(UserWarning):
        out = F.mse_loss(Tensor(Z), Tensor(P), False)
    np.testing.assert_allclose(out.item(), ((Z - P) ** 2).sum())
    with pytest.warns(UserWarning):
        out = F.binary_cross_entropy(Tensor(P), Tensor(Y01), None, False)
    ref = -(Y01 * np.log(P) + (1 - Y01) * np.log(1 - P)).sum()
    np.testing.assert_allclose(out.item(), ref)


def test_gradient_follows_the_legacy_reduction():
    x = Tensor(Z, requires_grad=True)
    with pytest.warns(UserWarning):
        F.mse_loss(x, Tensor(P), size_average=False).backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (Z - P))


def test_bad_reduction_still_refused_when_legacy_arguments_absent():
    with pytest.raises(ValueError, match="reduction"):
        F.cross_entropy(Tensor(Z), Tensor(LABELS), reduction="avg")
