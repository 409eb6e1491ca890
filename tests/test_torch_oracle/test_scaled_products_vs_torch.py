"""addmm / baddbmm / addbmm / addmv / addr with beta == 0 against torch: the input is ignored,
so nan and inf in it (an ``empty`` buffer, as attention code passes) do not propagate."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

from .oracle import normal  # noqa: E402

NAN = float("nan")


def _pair(shape: tuple, seed: int) -> tuple:
    x = normal(shape, seed)
    return autograd.tensor(x), torch.tensor(x)


CASES = {
    "addmm": ((2, 2), (2, 3), (3, 2)),
    "baddbmm": ((2, 2, 2), (2, 2, 3), (2, 3, 2)),
    "addbmm": ((2, 2), (2, 2, 3), (2, 3, 2)),
    "addmv": ((2,), (2, 3), (3,)),
    "addr": ((2, 3), (2,), (3,)),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("fill", [NAN, float("inf")])
def test_beta_zero_ignores_the_input(name, fill):
    shape, s1, s2 = CASES[name]
    (a, ta), (b, tb) = _pair(s1, 1), _pair(s2, 2)
    ours = getattr(autograd, name)(
        autograd.full(shape, fill, dtype=autograd.float64), a, b, beta=0, alpha=0.5
    )
    theirs = getattr(torch, name)(
        torch.full(shape, fill, dtype=torch.float64), ta, tb, beta=0, alpha=0.5
    )
    assert np.isfinite(ours.numpy()).all()
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
