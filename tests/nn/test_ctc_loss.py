"""ctc_loss and CTCLoss: values against a sum over every alignment, gradients against central
differences in float64 (hypothesis draws lengths, labels and reductions), zero_infinity,
target layouts, the module's repr and the errors."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck


def brute_force_nll(lp, target, blank):
    """-log of the summed probability of every path over lp (T, C) that collapses (repeats
    merged, then blanks dropped) to ``target``."""
    total = 0.0
    for path in itertools.product(range(lp.shape[1]), repeat=lp.shape[0]):
        merged = [k for i, k in enumerate(path) if i == 0 or k != path[i - 1]]
        if [k for k in merged if k != blank] == list(target):
            total += np.exp(sum(lp[t, k] for t, k in enumerate(path)))
    return -np.log(total)


def _needed(target):
    """The fewest frames that can emit ``target`` (a blank between repeated labels)."""
    return len(target) + sum(a == b for a, b in zip(target, target[1:]))


@st.composite
def ctc_problem(draw):
    n = draw(st.integers(1, 3))
    c = draw(st.integers(2, 4))
    blank = draw(st.integers(0, c - 1))
    labels = [k for k in range(c) if k != blank]
    targets = [draw(st.lists(st.sampled_from(labels), min_size=0, max_size=3)) for _ in range(n)]
    t_max = max(_needed(t) for t in targets) + draw(st.integers(0, 2))
    t_max = max(t_max, 1)
    in_lens = [draw(st.integers(max(_needed(t), 1), t_max)) for t in targets]
    return n, c, blank, targets, t_max, in_lens


def _padded(targets, fill):
    width = max(1, max(len(t) for t in targets))
    return np.array([t + [fill] * (width - len(t)) for t in targets], dtype=np.int64)


@settings(max_examples=25, deadline=None)
@given(problem=ctc_problem(), seed=st.integers(0, 2**16))
def test_values_are_the_sum_over_alignments(problem, seed):
    n, c, blank, targets, t_max, in_lens = problem
    if t_max > 5:
        t_max, in_lens = 5, [min(t, 5) for t in in_lens]
        if any(_needed(t) > k for t, k in zip(targets, in_lens)):
            return
    lp = np.log(np.random.default_rng(seed).dirichlet(np.ones(c), size=(t_max, n)))
    losses = F.ctc_loss(Tensor(lp), Tensor(_padded(targets, blank)), in_lens,
                        [len(t) for t in targets], blank=blank, reduction="none")  # fmt: skip
    want = [brute_force_nll(lp[:k, i], targets[i], blank) for i, k in enumerate(in_lens)]
    np.testing.assert_allclose(losses.data, want, rtol=1e-10)


@settings(max_examples=25, deadline=None)
@given(
    problem=ctc_problem(),
    reduction=st.sampled_from(["mean", "sum", "none"]),
    concatenated=st.booleans(),
    normalised=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_gradient_matches_finite_differences(problem, reduction, concatenated, normalised, seed):
    n, c, blank, targets, t_max, in_lens = problem
    logits = np.random.default_rng(seed).normal(size=(t_max, n, c))
    tg = np.array(sum(targets, []), dtype=np.int64) if concatenated else _padded(targets, 0)
    t_lens = [len(t) for t in targets]

    def f(x):
        lp = F.log_softmax(x, -1) if normalised else x  # the loss of any scores
        return F.ctc_loss(lp, Tensor(tg), in_lens, t_lens, blank=blank, reduction=reduction)

    assert gradcheck(f, [Tensor(logits, requires_grad=True)])


def test_layouts_unbatched_and_reductions_agree():
    rng = np.random.default_rng(0)
    lp = np.log(rng.dirichlet(np.ones(4), size=(6, 2)))
    padded = np.array([[1, 2, 2], [3, 0, 0]])
    flat = np.array([1, 2, 2, 3])
    none = F.ctc_loss(Tensor(lp), Tensor(padded), [6, 4], [3, 1], reduction="none").data
    np.testing.assert_allclose(
        F.ctc_loss(Tensor(lp), Tensor(flat), (6, 4), (3, 1), reduction="none").data, none
    )
    np.testing.assert_allclose(F.ctc_loss(Tensor(lp), padded, [6, 4], [3, 1]).data,
                               np.mean(none / [3, 1]))  # fmt: skip
    np.testing.assert_allclose(
        F.ctc_loss(Tensor(lp), padded, [6, 4], [3, 1], reduction="sum").data, none.sum()
    )
    one = F.ctc_loss(Tensor(lp[:4, 1]), Tensor(np.array([3])), 4, 1, reduction="none")
    assert one.shape == () and one.data == pytest.approx(none[1])


def test_impossible_targets_are_infinite_or_zeroed():
    lp = Tensor(np.log(np.full((3, 2, 3), 1 / 3)), requires_grad=True)
    targets = Tensor(np.array([[1, 1, 2], [2, 0, 0]]))  # the first needs 4 frames
    loss = F.ctc_loss(lp, targets, [3, 3], [3, 1], reduction="none")
    assert np.isinf(loss.data[0]) and np.isfinite(loss.data[1])
    loss.sum().backward()
    assert np.isnan(lp.grad[:, 0]).all() and np.isfinite(lp.grad[:, 1]).all()
    lp.grad = None
    F.ctc_loss(lp, targets, [2, 3], [2, 1], reduction="none").sum().backward()  # "1 1" in 2
    assert np.isnan(lp.grad[:2, 0]).all() and (lp.grad[2, 0] == 0).all()
    lp.grad = None
    loss = F.ctc_loss(lp, targets, [3, 3], [3, 1], reduction="none", zero_infinity=True)
    assert loss.data[0] == 0.0
    loss.sum().backward()
    assert (lp.grad[:, 0] == 0).all() and (lp.grad[:, 1] != 0).any()


def test_module_repr_options_and_no_second_derivative():
    assert repr(nn.CTCLoss()) == "CTCLoss()" == repr(nn.CTCLoss(blank=2, zero_infinity=True))
    m = nn.CTCLoss(blank=2, reduction="sum")
    assert (m.blank, m.reduction, m.zero_infinity) == (2, "sum", False)
    assert m.state_dict() == {}
    lp = Tensor(np.log(np.full((4, 1, 3), 1 / 3)), requires_grad=True)
    loss = m(lp, Tensor(np.array([[0, 1]])), [4], [2])
    assert loss.data == pytest.approx(F.ctc_loss(lp, [[0, 1]], [4], [2], blank=2).data * 2)
    (g,) = autograd.grad(loss, [lp], create_graph=False)
    assert g.shape == (4, 1, 3)
    loss = m(lp, Tensor(np.array([[0, 1]])), [4], [2])
    with pytest.raises(NotImplementedError, match="ctc_loss: second derivatives"):
        autograd.grad(loss, [lp], create_graph=True)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"log_probs": np.zeros((4,))}, r"\(T, N, C\) or unbatched \(T, C\)"),
        ({"input_lengths": [5, 4]}, r"input_lengths must lie in \[0, T = 4\]"),
        ({"input_lengths": [4]}, "input_lengths must have one entry per sequence"),
        ({"target_lengths": [4, 1]}, "at least max\\(target_lengths\\) = 4 columns"),
        ({"target_lengths": [-1, 1]}, "target_lengths must be >= 0"),
        ({"targets": np.array([1, 2, 3, 2])}, "hold 4 labels but target_lengths add up to 5"),
        ({"targets": np.array([[1, 2, 7], [2, 0, 0]])}, r"target labels must lie in \[0, 5\)"),
        ({"blank": 5}, r"blank must be a class index in \[0, 5\)"),
        ({"reduction": "avg"}, "ctc_loss: reduction must be one of"),
    ],
)
def test_errors_name_the_problem(kwargs, match):
    args = {
        "log_probs": np.log(np.full((4, 2, 5), 0.2)),
        "targets": np.array([[1, 2, 3], [2, 0, 0]]),
        "input_lengths": [4, 4],
        "target_lengths": [3, 2],
        **kwargs,
    }
    args["log_probs"] = Tensor(args["log_probs"])
    with pytest.raises(ValueError, match=match):
        F.ctc_loss(**args)
