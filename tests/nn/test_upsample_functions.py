"""F.upsample, F.upsample_nearest and F.upsample_bilinear (PyTorch's deprecated resizing
functions): PyTorch's warning, interpolate's values with the mode each fixes, and gradients."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import nn.functional as F
from autograd.testing import gradcheck
from autograd.testing.strategies import tensors


def _quiet(fn, *args, **kwargs):
    with pytest.warns(UserWarning, match=f"`nn.functional.{fn.__name__}` is deprecated"):
        return fn(*args, **kwargs)


@given(tensors(shape=(1, 2, 3, 3)))
def test_each_is_interpolate_with_its_mode_and_differentiable(x):
    cases = (
        (F.upsample, {"size": (5, 4), "mode": "bilinear", "align_corners": False}),
        (F.upsample, {"scale_factor": 2}),
        (F.upsample_nearest, {"scale_factor": 2}),
        (F.upsample_bilinear, {"size": (5, 6)}),
    )
    for fn, kwargs in cases:
        want = dict(kwargs)
        if fn is F.upsample_bilinear:
            want.update(mode="bilinear", align_corners=True)
        got = _quiet(fn, x, **kwargs)
        np.testing.assert_allclose(got.detach().numpy(), F.interpolate(x, **want).detach().numpy())
        with pytest.warns(UserWarning):
            assert gradcheck(lambda t, fn=fn, kwargs=kwargs: fn(t, **kwargs), [x])


def test_bad_arguments_are_interpolates_errors():
    x = np.zeros((1, 1, 2, 2))
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="interpolate"):
        F.upsample(x, scale_factor=2, mode="nearest", align_corners=True)
