"""ctc_loss and CTCLoss against PyTorch: losses for every reduction, blank, target layout
(padded, concatenated, unbatched), zero_infinity and impossible targets, float32 and float64;
gradients through log_softmax of the logits.

The gradient is compared through ``log_softmax``, as PyTorch's documentation uses it:
PyTorch's own gradient in log_probs is the gradient in the logits of a log_softmax it assumes
(exp(log_probs) - posterior, pytorch/pytorch#52241), while ours is the derivative in
log_probs (-posterior); through log_softmax both are the same gradient of the logits."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor
from tests.test_torch_oracle.oracle import compare, normal

torch = pytest.importorskip("torch")
TF = torch.nn.functional

T, N, C = 7, 4, 5
IN_LENS = np.array([7, 5, 6, 2])
# the last needs 3 frames for "2 2" but has 2: impossible
TARGETS = [[1, 2, 2], [3], [], [2, 2]]


def _padded(blank: int) -> np.ndarray:
    """The targets with labels moved off ``blank``, padded with ``blank``."""
    shift = [[(k + blank) % C if (k + blank) % C != blank else C - 1 for k in t] for t in TARGETS]
    return np.array([t + [blank] * (3 - len(t)) for t in shift], dtype=np.int64)


CASES = list(itertools.product((0, 3), ("mean", "sum", "none"), (False, True), ("padded", "flat")))


@pytest.mark.parametrize("blank, reduction, zero_infinity, layout", CASES, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_ctc_loss_matches_torch(blank, reduction, zero_infinity, layout, dtype):
    padded = _padded(blank)
    t_lens = np.array([len(t) for t in TARGETS])
    targets = (
        padded
        if layout == "padded"
        else np.concatenate([row[:k] for row, k in zip(padded, t_lens)])
    )
    lens = IN_LENS if zero_infinity else IN_LENS[:3]  # inf propagates NaNs into torch's sum
    n = len(lens)
    if layout == "padded":
        targets = targets[:n]
    else:
        targets = targets[: t_lens[:n].sum()]
    kw = {"blank": blank, "reduction": reduction, "zero_infinity": zero_infinity}

    def ours(x):
        return F.ctc_loss(F.log_softmax(x, -1), Tensor(targets), Tensor(lens),
                          Tensor(t_lens[:n]), **kw)  # fmt: skip

    def theirs(x):
        return TF.ctc_loss(x.log_softmax(-1), torch.tensor(targets), torch.tensor(lens),
                           torch.tensor(t_lens[:n]), **kw)  # fmt: skip

    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    compare(ours, theirs, [normal((T, n, C), 3, dtype=dtype)], **tol)


def test_impossible_target_is_inf_with_nan_gradient_as_torch():
    x = normal((T, N, C), 4)
    targets, t_lens = _padded(0), [len(t) for t in TARGETS]
    ours_x = Tensor(x, requires_grad=True)
    loss = F.ctc_loss(F.log_softmax(ours_x, -1), targets, IN_LENS, t_lens, reduction="none")
    xt = torch.tensor(x, requires_grad=True)
    ref = TF.ctc_loss(xt.log_softmax(-1), torch.tensor(targets), torch.tensor(IN_LENS),
                      torch.tensor(t_lens), reduction="none")  # fmt: skip
    np.testing.assert_allclose(loss.data, ref.detach().numpy(), rtol=1e-10)
    assert np.isinf(loss.data[3])
    loss.sum().backward()
    ref.sum().backward()
    np.testing.assert_allclose(ours_x.grad, xt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_unbatched_and_module_match_torch(reduction):
    ours, theirs = nn.CTCLoss(1, reduction), torch.nn.CTCLoss(1, reduction)
    assert repr(ours) == repr(theirs)
    compare(lambda x: ours(F.log_softmax(x, -1), Tensor(np.array([2, 3, 3])), 6, 3),
            lambda x: theirs(x.log_softmax(-1), torch.tensor([2, 3, 3]), torch.tensor(6),
                             torch.tensor(3)),
            [normal((6, C), 5)])  # fmt: skip


def test_loss_of_unnormalised_scores_matches_torch():
    """The forward of log_probs that are not log-probabilities (the sum over alignments is
    defined for any scores), compared with torch's forward."""
    x = normal((T, N, C), 6)
    targets, t_lens = _padded(0), [len(t) for t in TARGETS]
    ours = F.ctc_loss(Tensor(x), targets, IN_LENS, t_lens, reduction="none", zero_infinity=True)
    ref = TF.ctc_loss(torch.tensor(x), torch.tensor(targets), torch.tensor(IN_LENS),
                      torch.tensor(t_lens), reduction="none", zero_infinity=True)  # fmt: skip
    np.testing.assert_allclose(ours.data, ref.numpy(), rtol=1e-10)
