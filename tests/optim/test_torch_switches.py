"""PyTorch's implementation switches (foreach, fused, capturable, differentiable) and
parameters given as named_parameters()."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import optim
from autograd import Tensor

from .problems import make_params, quartic, values_of

FIRST_ORDER = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "Adamax", "NAdam",
               "RAdam", "Rprop", "ASGD", "Adafactor"]  # fmt: skip


def _trajectory(name: str, **hp: object) -> list[np.ndarray]:
    params = make_params("float64")
    opt = getattr(optim, name)(params, lr=0.05, **hp)
    out = []
    for _ in range(5):
        opt.zero_grad()
        quartic(params).backward()
        opt.step()
        out.append(values_of(params))
    return out


@pytest.mark.parametrize("name", FIRST_ORDER)
def test_foreach_chooses_a_kernel_not_the_update(name: str) -> None:
    plain = _trajectory(name)
    for flag in (False, True):
        np.testing.assert_array_equal(_trajectory(name, foreach=flag), plain)


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "Adam", "AdamW"])
def test_fused_is_accepted_where_torch_has_it(name: str) -> None:
    np.testing.assert_array_equal(_trajectory(name, fused=True), _trajectory(name))
    with pytest.raises(RuntimeError, match="`fused` and `foreach` cannot be `True` together"):
        _trajectory(name, fused=True, foreach=True)


@pytest.mark.parametrize("name", ["RMSprop", "Adam", "NAdam", "ASGD"])
def test_capturable_and_differentiable_are_refused_by_name(name: str) -> None:
    p = [Tensor(np.zeros(2), requires_grad=True)]
    with pytest.raises(ValueError, match=f"{name}: capturable=True"):
        getattr(optim, name)(p, capturable=True)
    with pytest.raises(ValueError, match=f"{name}: differentiable=True"):
        getattr(optim, name)(p, differentiable=True)
    with pytest.raises(TypeError, match="foreach must be a bool or None"):
        getattr(optim, name)(p, foreach="yes")


def test_named_parameters_train_as_plain_ones_and_keep_their_names() -> None:
    model = nn.Linear(3, 2)
    x = Tensor(np.arange(6.0, dtype=np.float32).reshape(2, 3))
    opt = optim.Adam(model.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.param_groups[0]["params"] == [model.weight, model.bias]
    before = model.weight.data.copy()
    model(x).sum().backward()
    opt.step()
    assert not np.array_equal(model.weight.data, before)
    saved = opt.state_dict()
    assert saved["param_groups"][0]["param_names"] == ["weight", "bias"]
    assert saved["param_groups"][0]["params"] == [0, 1]


def test_named_and_plain_groups_cannot_mix() -> None:
    model = nn.Linear(3, 2)
    with pytest.raises(ValueError, match="with or without names"):
        optim.SGD([{"params": [model.weight]}, {"params": [("bias", model.bias)]}], lr=0.1)
    with pytest.raises(TypeError, match=r"\(name, parameter\) pairs"):
        optim.SGD([("weight", model.weight), model.bias], lr=0.1)


@pytest.mark.parametrize("etas", [(1.0, 1.2), (0.5, 1.0), (0.0, 2.0)])
def test_rprop_checks_its_etas(etas: tuple) -> None:
    with pytest.raises(ValueError, match="Invalid eta values"):
        optim.Rprop([Tensor(np.zeros(2), requires_grad=True)], etas=etas)
