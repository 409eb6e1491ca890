"""Losses of a float32 input and a float64 target (and the reverse), against torch: the same
loss dtype, the same input-gradient dtype and values, or an error in both. Most losses
compute in the promoted dtype; a few keep the input's; binary_cross_entropy refuses the mix;
binary_cross_entropy_with_logits gives the target's dtype."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn.functional as F

torch = pytest.importorskip("torch")

rs = np.random.RandomState(0)
A = rs.rand(4, 3) * 0.8 + 0.1
B = rs.rand(4, 3) * 0.8 + 0.1
EXTRA = {
    "gaussian_nll_loss": lambda L, x, y: (L.ones_like(x) + 0.5,),
    "cosine_embedding_loss": lambda L, x, y: (L.ones(4),),
    "margin_ranking_loss": lambda L, x, y: (L.ones_like(x),),
    "triplet_margin_loss": lambda L, x, y: (y * 0.5,),
}
NAMES = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "mse_loss",
    "l1_loss",
    "smooth_l1_loss",
    "kl_div",
    "soft_margin_loss",
    "poisson_nll_loss",
    "hinge_embedding_loss",
    "gaussian_nll_loss",
    "multilabel_soft_margin_loss",
    "cosine_embedding_loss",
    "margin_ranking_loss",
    "triplet_margin_loss",
    "cross_entropy",  # class probabilities
]


def _run(lib, functional, name, dx, dy):
    x = lib.tensor(A.astype(dx), requires_grad=True)
    y = lib.tensor(B.astype(dy))
    extra = EXTRA.get(name, lambda L, x, y: ())(lib, x, y)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # kl_div's reduction notice
            loss = getattr(functional, name)(x, y, *extra)
        loss.backward()
    except RuntimeError as e:
        return None, str(e)
    return (str(loss.dtype), str(x.grad.dtype), float(loss), x.grad.numpy()), None


@pytest.mark.parametrize("dtypes", [(np.float32, np.float64), (np.float64, np.float32)])
@pytest.mark.parametrize("name", NAMES)
def test_mixed_float_dtypes_as_torch(name, dtypes):
    ours, ours_error = _run(autograd, F, name, *dtypes)
    theirs, their_error = _run(torch, torch.nn.functional, name, *dtypes)
    assert (ours_error is None) == (their_error is None), (ours_error, their_error)
    if ours is None:
        assert their_error.split(" but ")[0] in ours_error  # "Found dtype Float"
        return
    assert ours[0].removeprefix("float") == theirs[0].removeprefix("torch.float")
    assert ours[1].removeprefix("float") == theirs[1].removeprefix("torch.float")
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-6)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-5, atol=1e-7)
