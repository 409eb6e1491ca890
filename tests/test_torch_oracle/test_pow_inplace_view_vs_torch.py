"""pow_ through a view, then an in-place change of another view of the same base, against
torch: values and gradients (torch's pow keeps its input, not its result)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

from .oracle import compare, normal  # noqa: E402


def program(lib, c0, exponent):
    c = c0 * 1
    on_diag = lib.diagonal(c).add_(-1).pow_(exponent).sum()
    c[0, 1:].mul_(3)
    return on_diag + (c**2).sum()


@pytest.mark.parametrize("exponent", [2, 3, 0.5, 0])
@pytest.mark.parametrize("n", [2, 3])
def test_diag_pow_then_another_view_changes(exponent, n):
    c = abs(normal((n, n), n)) + 2
    compare(lambda c: program(autograd, c, exponent), lambda c: program(torch, c, exponent), [c])


@pytest.mark.parametrize("n", [2])
def test_barlow_twins_loss(n):
    def loss(lib, c0):
        c = c0 * 1
        on_diag = lib.diagonal(c).add_(-1).pow_(2).sum()
        off_diag = c.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten().pow_(2).sum()
        return on_diag + 0.0051 * off_diag

    compare(lambda c: loss(autograd, c), lambda c: loss(torch, c), [normal((n, n), 7)])
