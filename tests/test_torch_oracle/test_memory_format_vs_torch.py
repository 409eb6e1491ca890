"""Memory formats against PyTorch: the same values from every call that takes one, and
errors in the same places."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")

FORMATS = ["preserve_format", "contiguous_format", "channels_last", "channels_last_3d"]
CALLS = [
    ("zeros_like", lambda L, x, f: L.zeros_like(x, memory_format=f)),
    ("ones_like", lambda L, x, f: L.ones_like(x, memory_format=f)),
    ("full_like", lambda L, x, f: L.full_like(x, 3.0, memory_format=f)),
    ("clone", lambda L, x, f: (x * 2).clone(memory_format=f)),
    ("to", lambda L, x, f: (x + 1).to(memory_format=f)),
    ("contiguous", lambda L, x, f: x.permute(0, 2, 1, 3).contiguous(memory_format=f)),
]


@pytest.mark.parametrize("name,call", CALLS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (2, 3, 4), (1, 2, 3, 4, 5)])
def test_values_and_errors_match_torch(name, call, fmt, shape):
    x = np.random.default_rng(0).normal(size=shape)
    if name == "contiguous" and len(shape) != 4:
        return
    try:
        theirs = call(torch, torch.tensor(x), getattr(torch, fmt)).numpy()
    except RuntimeError:
        with pytest.raises(
            RuntimeError, match="required rank|preserve memory format is unsupported"
        ):
            call(autograd, autograd.tensor(x), getattr(autograd, fmt))
        return
    ours = call(autograd, autograd.tensor(x), getattr(autograd, fmt)).numpy()
    np.testing.assert_array_equal(ours, theirs)
