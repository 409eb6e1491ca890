"""autograd.topk_ties against torch.topk on the CPU: the same set of indices for inputs full
of ties (and NaNs), on both of torch's selection paths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

torch = pytest.importorskip("torch")

from autograd.topk_ties import topk_index_set  # noqa: E402

VALUES = arrays(
    np.float64,
    st.integers(1, 400),
    elements=st.sampled_from([0.0, -0.0, 1.0, 2.5, -3.0, np.inf, np.nan]),
)


@settings(max_examples=300, deadline=None)
@given(values=VALUES, data=st.data(), largest=st.booleans(), f32=st.booleans())
def test_same_indices_as_torch_topk(
    values: np.ndarray, data: st.DataObject, largest: bool, f32: bool
) -> None:
    k = data.draw(st.integers(0, values.size))
    t = torch.tensor(values, dtype=torch.float32 if f32 else torch.float64)
    expected = np.sort(torch.topk(t, k, largest=largest).indices.numpy())
    np.testing.assert_array_equal(topk_index_set(values, k, largest), expected)
