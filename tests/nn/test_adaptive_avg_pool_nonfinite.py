"""Adaptive average pooling of inputs holding inf: each output cell is the mean of its own
cell (inf where the cell holds inf, nan only for inf with -inf), not nan everywhere, and the
gradient (which does not depend on the values) is the one finite inputs get."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn.functional as F
from nn.functional.pooling import _adaptive_bounds

CASES = [
    ("adaptive_avg_pool1d", (2, 7), (3,)),
    ("adaptive_avg_pool1d", (1, 2, 9), (4,)),
    ("adaptive_avg_pool2d", (2, 5, 6), (3, 4)),
    ("adaptive_avg_pool3d", (1, 4, 5, 3), (3, 2, 2)),
]


def _reference(x: np.ndarray, out: tuple) -> np.ndarray:
    """Each cell's mean, taken over the whole cell at once."""
    lead = x.shape[: x.ndim - len(out)]
    y = np.empty(lead + out)
    bounds = [_adaptive_bounds(n, m) for n, m in zip(x.shape[-len(out) :], out)]
    for cell in np.ndindex(*out):
        where = (...,) + tuple(slice(*bounds[k][i]) for k, i in enumerate(cell))
        block = x[where].reshape(lead + (-1,))
        y[(...,) + cell] = block.sum(-1) / block.shape[-1]
    return y


@pytest.mark.parametrize(("name", "shape", "out"), CASES)
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), specials=st.integers(1, 4))
def test_cells_holding_inf_are_inf_and_the_rest_finite(name, shape, out, seed, specials):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    flat = x.reshape(-1)
    flat[rng.integers(0, flat.size, specials)] = rng.choice([np.inf, -np.inf], specials)
    arg = out[0] if len(out) == 1 else out
    t = autograd.tensor(x, requires_grad=True)
    y = getattr(F, name)(t, arg)
    # (atol: a cell mean near 0 is a difference of larger terms, summed in another order)
    np.testing.assert_allclose(
        y.numpy(), _reference(x, out), rtol=1e-12, atol=1e-15, equal_nan=True
    )
    g = rng.standard_normal(y.shape)
    y.backward(autograd.tensor(g))
    finite = autograd.tensor(np.nan_to_num(x, posinf=1.0, neginf=-1.0), requires_grad=True)
    getattr(F, name)(finite, arg).backward(autograd.tensor(g))
    np.testing.assert_allclose(t.grad.numpy(), finite.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dims", [1, 2])
def test_adaptive_max_pooling_of_nonfinite_input_still_takes_each_cells_maximum(dims: int) -> None:
    # (a nan or inf input once sent max pooling down the averaging path)
    row = np.array([1.0, 3.0, 3.0, 0.0, np.inf, 2.0, -np.inf, 1.0])
    x = row.reshape((1, 1) + (1,) * (dims - 1) + (8,))
    size = (1,) * (dims - 1) + (3,)
    pool = [F.adaptive_max_pool1d, F.adaptive_max_pool2d][dims - 1]
    y, i = pool(autograd.tensor(x), size if dims > 1 else 3, return_indices=True)
    np.testing.assert_array_equal(y.data.ravel(), [3.0, np.inf, 2.0])
    np.testing.assert_array_equal(i.data.ravel(), [1, 4, 5])
    with_nan = np.where(np.isinf(x), np.nan, x)
    y = pool(autograd.tensor(with_nan), size if dims > 1 else 3)
    assert y.data.ravel()[0] == 3.0 and np.isnan(y.data.ravel()[1])
