"""nanmedian() of a tensor whose entries are all nan (a 0-d nan included): nan, and the nan
entries share the gradient equally, as PyTorch's median of a nan does."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import autograd


@given(n=st.integers(1, 6), g=st.floats(-10, 10))
def test_all_nan_entries_share_the_gradient(n: int, g: float) -> None:
    x = autograd.tensor(np.full(n, np.nan), requires_grad=True)
    y = x.nanmedian()
    assert np.isnan(y.item())
    y.backward(autograd.tensor(g, dtype=autograd.float64))
    np.testing.assert_allclose(x.grad.numpy(), np.full(n, g / n), rtol=1e-12)


def test_a_0d_nan_passes_its_gradient_through() -> None:
    x = autograd.tensor(float("nan"), requires_grad=True)
    x.nanmedian().backward()
    assert x.grad.item() == 1.0
