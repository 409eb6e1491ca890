"""Loss modules: each one is its nn.functional loss with the options it holds."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, Value

rng = np.random.default_rng(0)
X = rng.normal(size=(4, 3))
Y = rng.normal(size=(4, 3))
P = 1 / (1 + np.exp(-X))
B = (Y > 0).astype(float)
LABELS = np.array([0, 2, 1, 2])
SIGNS = np.array([1.0, -1.0, -1.0, 1.0])
W3 = np.array([0.5, 1.0, 2.0])
LOGP = X - np.log(np.exp(X).sum(1, keepdims=True))


def T(a):
    return Tensor(a)


# module, its function with the same options, and the inputs
CASES = [
    (nn.L1Loss(reduction="sum"), F.l1_loss, dict(reduction="sum"), (T(X), Y)),
    (nn.MSELoss(), F.mse_loss, {}, (T(X), Y)),
    (nn.HuberLoss(delta=0.5), F.huber_loss, dict(delta=0.5), (T(X), Y)),
    (nn.SmoothL1Loss(beta=0.5), F.smooth_l1_loss, dict(beta=0.5), (T(X), Y)),
    (nn.LogCoshLoss(reduction="none"), F.log_cosh_loss, dict(reduction="none"), (T(X), Y)),
    (nn.BCELoss(weight=W3), F.binary_cross_entropy, dict(weight=W3), (T(P), B)),
    (
        nn.BCEWithLogitsLoss(pos_weight=W3),
        F.binary_cross_entropy_with_logits,
        dict(pos_weight=W3),
        (T(X), B),
    ),
    (
        nn.CrossEntropyLoss(weight=W3, ignore_index=1, label_smoothing=0.1),
        F.cross_entropy,
        dict(weight=W3, ignore_index=1, label_smoothing=0.1),
        (T(X), LABELS),
    ),
    (nn.NLLLoss(weight=W3), F.nll_loss, dict(weight=W3), (T(LOGP), LABELS)),
    (
        nn.KLDivLoss(reduction="batchmean"),
        F.kl_div,
        dict(reduction="batchmean"),
        (T(LOGP), np.exp(LOGP[::-1])),
    ),
    (nn.HingeLoss(margin=0.5), F.hinge_loss, dict(margin=0.5), (T(X[:, 0]), SIGNS)),
    (
        nn.MarginRankingLoss(margin=0.2),
        F.margin_ranking_loss,
        dict(margin=0.2),
        (T(X[:, 0]), T(Y[:, 0]), SIGNS),
    ),
    (
        nn.TripletMarginLoss(margin=0.5, p=1, swap=True),
        F.triplet_margin_loss,
        dict(margin=0.5, p=1, swap=True),
        (T(X), T(Y), T(P)),
    ),
    (nn.ContrastiveLoss(margin=2.0), F.contrastive_loss, dict(margin=2.0), (T(X), T(Y), B[:, 0])),
    (
        nn.CosineEmbeddingLoss(margin=0.1),
        F.cosine_embedding_loss,
        dict(margin=0.1),
        (T(X), T(Y), SIGNS),
    ),
]


@pytest.mark.parametrize(
    "module, fn, options, args", CASES, ids=[type(c[0]).__name__ for c in CASES]
)
def test_module_is_its_function(module, fn, options, args):
    out = module(*args)
    np.testing.assert_allclose(out.data, fn(*args, **options).data, rtol=1e-12)
    default = fn(*args)  # the options matter: a module ignoring them would match this instead
    if options:
        assert not np.allclose(out.data, default.data)
    assert isinstance(module, nn.Module)
    assert list(module.parameters()) == []


def test_weights_are_buffers_saved_in_state_dict():
    loss = nn.CrossEntropyLoss(weight=W3)
    state = loss.state_dict()
    assert list(state) == ["weight"]
    np.testing.assert_array_equal(state["weight"], W3)
    other = nn.CrossEntropyLoss(weight=np.ones(3))
    other.load_state_dict(state)
    np.testing.assert_allclose(other(Tensor(X), LABELS).data, loss(Tensor(X), LABELS).data)
    assert nn.BCEWithLogitsLoss(pos_weight=W3).state_dict().keys() == {"pos_weight"}
    assert nn.MSELoss().state_dict() == {}


def test_value_inputs_and_repr_and_bad_reduction():
    vs = [Value(1.0), Value(2.0)]
    out = nn.MSELoss()(vs, [0.0, 0.0])
    assert isinstance(out, Value) and out.data == 2.5
    out.backward()
    assert [v.grad for v in vs] == [1.0, 2.0]
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.HuberLoss(delta=2.0)) == "HuberLoss()"  # torch's losses print no options
    with pytest.raises(ValueError, match=r"MSELoss: reduction must be one of"):
        nn.MSELoss(reduction="batchmean")
    assert nn.KLDivLoss(reduction="batchmean").reduction == "batchmean"
