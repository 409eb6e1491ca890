"""``empty(..., memory_format=...)`` against PyTorch: which formats and ranks are accepted,
and the shapes and dtypes made."""

from __future__ import annotations

import pytest

import autograd

torch = pytest.importorskip("torch")

FORMATS = ("contiguous_format", "channels_last", "channels_last_3d", "preserve_format")
SHAPES = ((2, 3), (1, 2, 3, 4), (1, 2, 1, 3, 2))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_accepts_and_refuses_as_torch(fmt, shape):
    outcomes = []
    for lib in (autograd, torch):
        try:
            t = lib.empty(shape, dtype=lib.float64, memory_format=getattr(lib, fmt))
            outcomes.append((tuple(t.shape), str(t.dtype).replace("torch.", "")))
        except RuntimeError:
            outcomes.append("RuntimeError")
    assert outcomes[0] == outcomes[1]
