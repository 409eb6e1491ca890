"""autograd.topk_ties: the k entries torch's CPU topk picks, ties at the cut included (the
sets below were read off torch 2.13), and the selection's invariants on generated input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from autograd.topk_ties import topk_index_set


@pytest.mark.parametrize(
    "values, k, largest, expected",
    [
        ([1.0] * 6, 3, False, [3, 4, 5]),  # introselect's choice among equal values
        ([1.0] * 10, 3, True, [6, 7, 8]),
        ([1.0] * 40, 3, False, [26, 27, 28]),
        ([1.0] * 200, 3, False, [0, 1, 2]),  # 64 * k <= n: the heap select's
        ([2.0, 1, 1, 3, 1, 0, 1], 3, False, [1, 4, 5]),
        ([2.0, 1, 1, 3, 1, 0, 1], 4, True, [0, 3, 4, 6]),
        ([0.0] * 4 + [1.0, 1.0] + [0.0] * 33, 5, False, [24, 25, 26, 27, 28]),
        ([np.nan, 1.0, 2.0], 1, True, [0]),  # NaN is the largest
        ([np.nan, 1.0, 2.0], 2, False, [1, 2]),
    ],
)
def test_torchs_choices(values: list, k: int, largest: bool, expected: list) -> None:
    np.testing.assert_array_equal(topk_index_set(np.array(values), k, largest), expected)


@settings(max_examples=200, deadline=None)
@given(
    values=arrays(np.float64, st.integers(1, 300), elements=st.sampled_from([0.0, 1.0, 2.0, -1.0])),
    data=st.data(),
    largest=st.booleans(),
)
def test_the_set_is_a_valid_topk(values: np.ndarray, data: st.DataObject, largest: bool) -> None:
    k = data.draw(st.integers(0, values.size))
    chosen = topk_index_set(values, k, largest)
    assert len(chosen) == len(set(chosen.tolist())) == k
    rest = np.setdiff1d(np.arange(values.size), chosen)
    if k and rest.size:
        if largest:
            assert values[chosen].min() >= values[rest].max()
        else:
            assert values[chosen].max() <= values[rest].min()
