"""matrix_norm 2 / -2 / 'nuc' of matrices with repeated singular values against torch: its
svdvals gradient is U diag(gS) Vh (ties of the largest value share it, as amax)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_torch_oracle.oracle import compare

torch = pytest.importorskip("torch")

from autograd import linalg  # noqa: E402

DEGENERATE = [np.eye(3), np.zeros((4, 3)), np.ones((4, 3)), np.full((2, 4, 3), 2.0),
              np.eye(4, 3), np.diag([2.0, 2.0, 1.0])]  # fmt: skip


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
@pytest.mark.parametrize("a", DEGENERATE, ids=range(len(DEGENERATE)))
def test_norms_of_degenerate_matrices_match_torch(a, ord):
    compare(lambda t: linalg.matrix_norm(t, ord),
            lambda t: torch.linalg.matrix_norm(t, ord), [a])  # fmt: skip
