"""nn.AdaptiveLogSoftmaxWithLoss: its modules and their sizes, the log probabilities it
defines (a distribution over the classes; forward, log_prob and predict agree with each
other), gradients of the loss against finite differences (hypothesis), and its checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import autograd.func as func
import nn
from autograd.testing import gradcheck, gradgradcheck


@st.composite
def _model_and_batch(draw: st.DrawFn) -> tuple:
    n_classes = draw(st.integers(2, 12))
    cutoffs = sorted(draw(st.sets(st.integers(1, n_classes - 1), min_size=1, max_size=3)))
    in_features = draw(st.integers(1, 9))
    kw = dict(div_value=draw(st.sampled_from([1.0, 2.0, 4.0])), head_bias=draw(st.booleans()))
    seed = draw(st.integers(0, 2**31))
    batch = draw(st.integers(0, 6))
    return n_classes, cutoffs, in_features, kw, seed, batch


def _build(n_classes: int, cutoffs: list, in_features: int, kw: dict, seed: int) -> Any:
    autograd.manual_seed(seed)
    return nn.AdaptiveLogSoftmaxWithLoss(
        in_features, n_classes, cutoffs, dtype=autograd.float64, **kw
    )


def _sizes(model: Any) -> list[tuple]:
    return [tuple(p.shape) for p in model.parameters()]


@settings(max_examples=60, deadline=None)
@given(_model_and_batch())
def test_a_distribution_over_the_classes_that_forward_and_predict_agree_with(case: tuple):
    n_classes, cutoffs, in_features, kw, seed, batch = case
    model = _build(n_classes, cutoffs, in_features, kw, seed)
    rng = np.random.default_rng(seed)
    x = autograd.tensor(rng.normal(size=(batch, in_features)))
    target = rng.integers(0, n_classes, size=batch)
    logp = model.log_prob(x)
    assert logp.shape == (batch, n_classes)
    np.testing.assert_allclose(np.exp(logp.numpy()).sum(axis=1), 1.0, rtol=1e-12)
    out = model(x, autograd.tensor(target))
    np.testing.assert_allclose(out.output.numpy(), logp.numpy()[np.arange(batch), target])
    if batch:
        assert out.loss.item() == pytest.approx(-logp.numpy()[np.arange(batch), target].mean())
    assert model.predict(x).tolist() == logp.numpy().argmax(axis=1).tolist()


def test_modules_and_sizes() -> None:
    model = nn.AdaptiveLogSoftmaxWithLoss(16, 20, (4, 10, 15), div_value=2.0, head_bias=True)
    assert model.cutoffs == [4, 10, 15, 20]
    assert (model.shortlist_size, model.n_clusters, model.head_size) == (4, 3, 7)
    assert [n for n, _ in model.named_parameters()] == [
        "head.weight", "head.bias",
        "tail.0.0.weight", "tail.0.1.weight",
        "tail.1.0.weight", "tail.1.1.weight",
        "tail.2.0.weight", "tail.2.1.weight",
    ]  # fmt: skip
    assert _sizes(model) == [(7, 16), (7,), (8, 16), (6, 8), (4, 16), (5, 4), (2, 16), (5, 2)]
    assert model.head.weight.dtype == np.float32
    bound = 1 / np.sqrt(16)  # each Linear's default initialisation
    assert np.all(np.abs(model.head.weight.data) <= bound)
    assert np.all(np.abs(model.tail[1][1].weight.data) <= 1 / np.sqrt(4))
    before = [p.data.copy() for p in model.parameters()]
    model.reset_parameters()
    for old, p in zip(before, model.parameters(), strict=True):
        assert not np.array_equal(old, p.data)
        assert np.all(np.abs(p.data) <= 1 / np.sqrt(p.shape[-1] if p.ndim == 2 else 16))


def test_unbatched_input_gives_a_0d_output() -> None:
    model = nn.AdaptiveLogSoftmaxWithLoss(5, 6, [2], dtype=autograd.float64)
    x = autograd.tensor(np.random.default_rng(0).normal(size=5))
    out = model(x, autograd.tensor(4))
    assert out.output.shape == () and out.loss.shape == ()
    assert out.output.item() == pytest.approx(model.log_prob(x[None]).numpy()[0, 4])
    assert type(out).__name__ == "_ASMoutput" and out._fields == ("output", "loss")


@settings(max_examples=20, deadline=None)
@given(_model_and_batch())
def test_loss_derivatives_match_finite_differences(case: tuple) -> None:
    n_classes, cutoffs, in_features, kw, seed, batch = case
    model = _build(n_classes, cutoffs, in_features, kw, seed)
    rng = np.random.default_rng(seed)
    x = autograd.tensor(rng.normal(size=(max(batch, 1), in_features)), requires_grad=True)
    target = autograd.tensor(rng.integers(0, n_classes, size=max(batch, 1)))
    names = [n for n, _ in model.named_parameters()]
    leaves = [autograd.tensor(p.data.copy(), requires_grad=True) for p in model.parameters()]

    def loss(x: Any, *ps: Any) -> Any:
        out = func.functional_call(model, dict(zip(names, ps, strict=True)), (x, target))
        return out.loss + 0.5 * out.output.sum()

    assert gradcheck(loss, [x, *leaves])
    assert gradgradcheck(loss, [x, *leaves])


@pytest.mark.parametrize(
    "cutoffs, error",
    [([], ValueError), ([3, 3], ValueError), ([6, 3], ValueError), ([0, 3], ValueError),
     ([3, 10], ValueError), ([3.5], ValueError), ([3, 6.0], TypeError)],
)  # fmt: skip
def test_bad_cutoffs_are_refused(cutoffs: list, error: type) -> None:
    with pytest.raises(error, match="cutoffs"):
        nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs)


@pytest.mark.parametrize(
    "x_shape, target, message",
    [
        ((5, 8), [0, 4, 10, 2, 7], r"should be in \[0, 9\], but values in range \[0, 10\]"),
        ((5, 8), [0, -1, 9, 2, 7], r"values in range \[-1, 9\] were found"),
        ((5, 8), [0, 4, 9], "same size in the batch dimension"),
        ((8,), [0, 4, 9, 2, 7], "same size in the batch dimension"),
        ((5, 8), 3, "0D target tensor expects 1D input tensors"),
        ((1, 5, 8), [[0, 4, 9, 2, 7]], "multi-target not supported"),
        ((5, 8), [0.0, 4.0, 9.0, 2.0, 7.0], "class indices"),
    ],
)  # fmt: skip
def test_bad_targets_are_refused(x_shape: tuple, target: Any, message: str) -> None:
    model = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6])
    x = autograd.tensor(np.zeros(x_shape, dtype=np.float32))
    with pytest.raises(RuntimeError, match=message):
        model(x, autograd.tensor(np.asarray(target)))


def test_takes_torchs_keyword_names() -> None:
    model = nn.AdaptiveLogSoftmaxWithLoss(4, 5, [2], dtype=autograd.float64)
    x = autograd.tensor(np.ones((2, 4)))
    by_name = model(input_=x, target_=autograd.tensor([0, 4]))
    assert by_name.loss.item() == model(x, autograd.tensor([0, 4])).loss.item()
    assert model.log_prob(input=x).shape == (2, 5) and model.predict(input=x).shape == (2,)
