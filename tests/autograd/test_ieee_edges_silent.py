"""exp, log and sqrt on tensors give inf / -inf / nan at the edges of their domains silently,
as PyTorch does (word_language_model builds its causal mask as log(tril(ones)))."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd

EDGES = np.array([-1.0, 0.0, 1.0, 1000.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["exp", "log", "sqrt"])
def test_domain_edges_give_ieee_values_without_warnings(name: str, dtype: type) -> None:
    x = EDGES.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_function = getattr(autograd, name)(autograd.tensor(x)).numpy()
        by_method = getattr(autograd.tensor(x), name)().numpy()
    with np.errstate(all="ignore"):
        want = getattr(np, name)(x)
    np.testing.assert_array_equal(by_function, want)
    np.testing.assert_array_equal(by_method, want)


def test_log_causal_mask_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = autograd.log(autograd.tril(autograd.ones(4, 4))).numpy()
    np.testing.assert_array_equal(ours, torch.log(torch.tril(torch.ones(4, 4))).numpy())
