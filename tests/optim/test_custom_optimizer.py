"""optim.Optimizer as a base class for a user's own rule, written as one would for PyTorch:
defaults fill the groups, state is a dict per parameter, zero_grad and state_dict come free."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import optim
from autograd import Tensor, Value


class SignMomentum(optim.Optimizer):
    """x <- x - lr * sign(b), b <- beta * b + g: a rule no built-in optimizer has."""

    def __init__(self, params: Any, lr: float = 0.1, beta: float = 0.5) -> None:
        super().__init__(params, dict(lr=lr, beta=beta))

    def step(self, closure: Any = None) -> Any:
        for group in self.param_groups:
            for p in group["params"]:
                g = np.asarray(p.grad, dtype=np.float64)
                state = self.state[p]
                state["b"] = group["beta"] * state.get("b", 0.0) + g
                move = group["lr"] * np.sign(state["b"])
                if isinstance(p, Value):
                    p.data -= float(move)
                else:
                    p.data -= move
        return None


def test_defaults_fill_groups_and_groups_override_them() -> None:
    a, b = Tensor(np.zeros(2), requires_grad=True), Value(0.0)
    opt = SignMomentum([{"params": [a]}, {"params": [b], "lr": 1.0}], beta=0.25)
    assert opt.defaults == {"lr": 0.1, "beta": 0.25}
    assert [(g["lr"], g["beta"]) for g in opt.param_groups] == [(0.1, 0.25), (1.0, 0.25)]
    assert opt.param_groups[0]["params"] == [a] and opt.param_groups[1]["params"] == [b]


def test_the_rule_runs_on_tensors_and_values_with_per_parameter_state() -> None:
    t, v = Tensor(np.array([1.0, -2.0]), requires_grad=True), Value(3.0)
    opt = SignMomentum([t, v], lr=0.1, beta=0.5)
    grads = [(np.array([1.0, -1.0]), 2.0), (np.array([-3.0, -1.0]), -1.0)]
    for gt, gv in grads:
        opt.zero_grad()
        assert t.grad is None and v.grad == 0.0
        t.grad, v.grad = gt.copy(), gv
        opt.step()
    # b after two steps: 0.5 * g1 + g2 -> t: [-2.5, -1.5], v: 0.0 (sign 0: no move)
    np.testing.assert_allclose(opt.state[t]["b"], [-2.5, -1.5])
    np.testing.assert_allclose(t.data, [1.0 - 0.1 + 0.1, -2.0 + 0.1 + 0.1])
    assert v.data == pytest.approx(3.0 - 0.1)


def test_state_dict_round_trip_of_a_custom_state() -> None:
    t = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = SignMomentum([t], lr=0.2)
    t.grad = np.array([1.0, 2.0])
    opt.step()
    saved = opt.state_dict()
    t2 = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    fresh = SignMomentum([t2], lr=0.9)
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["lr"] == 0.2
    np.testing.assert_array_equal(fresh.state[t2]["b"], [1.0, 2.0])
    fresh.state[t2]["b"][0] = 7.0
    assert opt.state[t]["b"][0] == 1.0  # loading copied the state
