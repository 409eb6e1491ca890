"""reshape / view / flatten of data that needs a copy, changed in place afterwards, against
torch: the input keeps its values and the gradients agree (Barlow Twins' off_diagonal)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

from .oracle import compare, normal  # noqa: E402


def in_place_on_copy(x, how):
    y = x * 1
    if how == "t_reshape":
        z = y.t().reshape(-1)
    elif how == "t_flatten":
        z = y.t().flatten()
    else:
        z = y[:, 1:].reshape(-1)
    z.mul_(3)
    return z * y.sum() + y.flatten()[0]


@pytest.mark.parametrize("how", ["t_reshape", "t_flatten", "slice_reshape"])
def test_in_place_on_a_reshaped_copy(how):
    compare(lambda x: in_place_on_copy(x, how), None, [normal((3, 4), 1)])


@pytest.mark.parametrize("n", [3, 5])
def test_barlow_twins_loss(n):
    def loss(lib, c0):
        c = c0 * 1
        on_diag = lib.diagonal(c).add_(-1).pow_(2).sum()
        off_diag = c.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten().pow_(2).sum()
        return on_diag + 0.0051 * off_diag

    compare(lambda c: loss(autograd, c), lambda c: loss(torch, c), [normal((n, n), 7)])
