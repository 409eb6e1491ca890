"""F.upsample / upsample_nearest / upsample_bilinear against PyTorch: values, gradients and
the deprecation warning's text."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn.functional as F

torch = pytest.importorskip("torch")
import torch.nn.functional as tF  # noqa: E402

CASES = {
    "upsample_bilinear_size": ("upsample", {"size": (5, 7), "mode": "bilinear"}),
    "upsample_bilinear_corners": (
        "upsample",
        {"scale_factor": 2, "mode": "bilinear", "align_corners": True},
    ),
    "upsample_nearest_default": ("upsample", {"scale_factor": 3}),
    "upsample_nearest": ("upsample_nearest", {"size": (4, 6)}),
    "upsample_bilinear": ("upsample_bilinear", {"scale_factor": 2}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_torch(case):
    name, kwargs = CASES[case]
    x = np.random.RandomState(0).randn(2, 3, 3, 4)
    results, messages = [], []
    for lib, fns in ((autograd, F), (torch, tF)):
        t = lib.tensor(x, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = getattr(fns, name)(t, **kwargs)
        messages.append([str(w.message) for w in caught if w.category is UserWarning])
        (y * y).sum().backward()
        results.append((y.detach().numpy(), t.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-10, atol=1e-12)
    assert messages[0] == messages[1]
