"""cat with 1-d empty inputs (shape ``(0,)``) beside inputs of other ranks, against torch:
values, dtypes and gradients (the empty inputs' too)."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

from .oracle import compare, normal  # noqa: E402


@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("order", ["first", "middle", "last", "twice"])
def test_cat_leaves_out_empty_1d_inputs(dim, order):
    x, y, e = normal((2, 3), 1), normal((2, 3), 2), np.zeros(0)
    parts = {
        "first": [e, x, y],
        "middle": [x, e, y],
        "last": [x, y, e],
        "twice": [e, x, e, y],
    }[order]
    compare(lambda *t: autograd.cat(t, dim=dim), lambda *t: torch.cat(t, dim=dim), parts)


def test_cat_from_an_empty_start_as_dino_builds_its_output():
    crops = [normal((2, 4), 3), normal((3, 4), 4).astype(np.float32)]

    def build(lib, *crops):
        output = lib.empty(0)
        for c in crops:
            output = lib.cat((output, c * 2))
        return output

    compare(lambda *t: build(autograd, *t), lambda *t: build(torch, *t), crops)


@pytest.mark.parametrize(
    "empty_dtype, other_dtype",
    [(np.float64, np.float32), (np.float32, np.float64), (np.int64, np.float32)],
)
def test_dtypes_and_empty_gradients(empty_dtype, other_dtype):
    parts = [np.zeros(0, dtype=empty_dtype), normal((2, 2), 5, dtype=other_dtype)]
    compare(lambda *t: autograd.cat(t, dim=1), lambda *t: torch.cat(t, dim=1), parts)


def test_all_empty():
    parts = [np.zeros(0), np.zeros(0)]
    compare(lambda *t: autograd.cat(t, dim=0), lambda *t: torch.cat(t, dim=0), parts)
    assert (
        autograd.cat([autograd.empty(0)] * 2, dim=1).shape
        == torch.cat([torch.empty(0)] * 2, dim=1).shape
    )


@pytest.mark.parametrize(("shapes", "dim"), [([(0,), (2, 3)], 2), ([(0, 3), (2, 3, 4)], 0)])
def test_refusals_match_torch(shapes, dim):
    """A dim out of the kept inputs' range, and an empty input of another shape than (0,)."""
    for lib in (autograd, torch):
        with pytest.raises((RuntimeError, IndexError, ValueError)):
            lib.cat([lib.zeros(*s) for s in shapes], dim=dim)
