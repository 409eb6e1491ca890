"""nn.utils.parametrize and nn.utils.parametrizations: tensors computed from originals on
access, assignment through right_inverse, removal, caching, weight and spectral norm."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from autograd.testing import gradcheck
from nn.utils import parametrizations, parametrize


class Symmetric(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x.triu() + x.triu(1).mT

    def right_inverse(self, a: Tensor) -> Tensor:
        return a.triu()


class Scaled(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x * 2.0


def test_a_parametrized_weight_is_recomputed_and_trains():
    m = nn.Linear(3, 3).double()
    parametrize.register_parametrization(m, "weight", Symmetric())
    assert type(m).__name__ == "ParametrizedLinear" and isinstance(m, nn.Linear)
    assert list(m.state_dict()) == ["bias", "parametrizations.weight.original"]
    np.testing.assert_array_equal(m.weight.data, m.weight.data.T)
    x = Tensor(np.random.default_rng(0).normal(size=(2, 3)))
    original = m.parametrizations.weight.original
    assert gradcheck(lambda w: m(x), [original])
    assert parametrize.is_parametrized(m) and parametrize.is_parametrized(m, "weight")
    assert not parametrize.is_parametrized(m, "bias")
    assert not parametrize.is_parametrized(nn.Linear(2, 2))


def test_assignment_goes_through_right_inverse_and_chains_apply_in_order():
    m = nn.Linear(3, 3).double()
    parametrize.register_parametrization(m, "weight", Symmetric())
    target = np.arange(9.0).reshape(3, 3)
    target = target + target.T
    m.weight = Tensor(target)
    np.testing.assert_allclose(m.weight.data, target)
    parametrize.register_parametrization(m, "weight", Scaled())
    np.testing.assert_allclose(m.weight.data, 2 * target)
    assert len(m.parametrizations.weight) == 2


def test_removal_keeps_the_value_and_the_parameter_object():
    m = nn.Linear(3, 3)
    w = m.weight
    parametrize.register_parametrization(m, "weight", Symmetric())
    value = m.weight.data.copy()
    parametrize.remove_parametrizations(m, "weight")
    assert type(m) is nn.Linear and m.weight is w
    np.testing.assert_array_equal(m.weight.data, value)
    assert list(m.state_dict()) == ["bias", "weight"]  # re-registered last, as in torch
    with pytest.raises(ValueError, match="does not have a parametrization on weight"):
        parametrize.remove_parametrizations(m, "weight")


def test_cached_computes_each_tensor_once():
    m = nn.Linear(2, 2)
    parametrize.register_parametrization(m, "weight", Scaled())
    with parametrize.cached():
        assert m.weight is m.weight
    assert m.weight is not m.weight


def test_bad_registrations_are_refused():
    with pytest.raises(ValueError, match="does not have a parameter, a buffer"):
        parametrize.register_parametrization(nn.Linear(2, 2), "kernel", Scaled())

    class Shrink(nn.Module):
        def forward(self, x: Tensor) -> Tensor:
            return x[:1]

    with pytest.raises(ValueError, match="original's shape"):
        parametrize.register_parametrization(nn.Linear(2, 2), "weight", Shrink())


def test_weight_norm_parametrization_stores_g_and_v():
    m = parametrizations.weight_norm(nn.Linear(4, 3).double())
    g = m.parametrizations.weight.original0
    v = m.parametrizations.weight.original1
    assert g.shape == (3, 1) and v.shape == (3, 4)
    np.testing.assert_allclose(
        m.weight.data, g.data * v.data / np.linalg.norm(v.data, axis=1, keepdims=True)
    )
    x = Tensor(np.random.default_rng(1).normal(size=(2, 4)))
    assert gradcheck(lambda a, b: m(x), [g, v])


def test_spectral_norm_parametrization_has_unit_spectral_norm_after_iterating():
    autograd.manual_seed(0)
    m = parametrizations.spectral_norm(nn.Linear(5, 4).double())
    assert list(m.state_dict()) == [
        "bias",
        "parametrizations.weight.original",
        "parametrizations.weight.0._u",
        "parametrizations.weight.0._v",
    ]
    for _ in range(20):
        m(Tensor(np.ones((1, 5))))
    np.testing.assert_allclose(np.linalg.svd(m.weight.data, compute_uv=False)[0], 1.0, rtol=1e-8)
    m.eval()
    u = m.parametrizations.weight[0]._u.data.copy()
    m(Tensor(np.ones((1, 5))))
    np.testing.assert_array_equal(m.parametrizations.weight[0]._u.data, u)
