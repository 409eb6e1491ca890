"""nn.utils.parameters_to_vector / vector_to_parameters."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from nn.utils import parameters_to_vector, vector_to_parameters


def test_round_trip_and_gradient_flow():
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    vec = parameters_to_vector(model.parameters())
    assert vec.shape == (3 * 2 + 2 + 2 + 1,) and vec.dtype == np.float32
    np.testing.assert_array_equal(vec.data[:6], model[0].weight.data.reshape(-1))
    (vec * vec).sum().backward()  # differentiable, as torch.cat of views
    np.testing.assert_allclose(model[0].weight.grad.data, 2 * model[0].weight.data)
    new = vec.detach() * 0 + np.arange(vec.numel(), dtype=np.float32)
    vector_to_parameters(new, model.parameters())
    np.testing.assert_array_equal(model[2].bias.data, [10.0])
    np.testing.assert_array_equal(model[0].weight.data, np.arange(6).reshape(2, 3))
    new.data[0] = 99.0  # the parameters hold copies
    assert model[0].weight.data[0, 0] == 0.0


def test_length_mismatch_is_refused():
    model = nn.Linear(2, 2)
    with pytest.raises(ValueError, match="has 5 entries but the parameters hold 6"):
        vector_to_parameters(parameters_to_vector(model.parameters())[:5], model.parameters())
