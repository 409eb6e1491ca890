"""state_dict / load_state_dict: PyTorch's layout, and resuming gives the same trajectory."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import optim

from .problems import (
    backward_closure,
    make_params,
    quartic,
    rosenbrock_params,
    values_of,
)

FIRST_ORDER = [
    (optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
    (optim.Adagrad, dict(lr=0.1, lr_decay=0.01)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.9, centered=True)),
    (optim.Adadelta, dict(lr=1.0)),
    (optim.Adam, dict(lr=0.05, amsgrad=True)),
    (optim.AdamW, dict(lr=0.05)),
]


def _first_order_steps(opt: Any, params: list, n: int) -> None:
    for _ in range(n):
        opt.zero_grad()
        quartic(params).backward()
        opt.step()


@pytest.mark.parametrize("kind", ["float64", "float32", "value"])
@pytest.mark.parametrize("opt_cls,hp", FIRST_ORDER, ids=[c.__name__ for c, _ in FIRST_ORDER])
def test_first_order_resume_is_identical(opt_cls: Any, hp: dict, kind: str) -> None:
    a = make_params(kind)
    opt_a = opt_cls(a, **hp)
    _first_order_steps(opt_a, a, 3)
    saved = opt_a.state_dict()

    b = make_params(kind, values_of(a))
    opt_b = opt_cls(b, **{**hp, "lr": 123.0})  # the saved lr must win
    opt_b.load_state_dict(saved)
    assert opt_b.param_groups[0]["lr"] == hp["lr"]
    _first_order_steps(opt_a, a, 4)
    _first_order_steps(opt_b, b, 4)
    np.testing.assert_array_equal(values_of(a), values_of(b))
    if kind == "float32":
        for value in opt_b.state[b[0]].values():
            if isinstance(value, np.ndarray):
                assert value.dtype == np.float32


def _closure_for(opt_cls: Any, opt: Any, loss_fn: Any) -> Any:
    return backward_closure(opt, loss_fn) if opt_cls is optim.LBFGS else loss_fn


CLOSURE_BASED = [
    (optim.LBFGS, dict(max_iter=3, history_size=4, line_search_fn="strong_wolfe")),
    (optim.LBFGS, dict(lr=0.1, max_iter=3)),
    (optim.ConjugateGradient, dict(beta="PR")),
    (optim.ConjugateGradient, dict(beta="FR", line_search="armijo")),
    (optim.Newton, dict(damping=0.1)),
]


@pytest.mark.parametrize(
    "opt_cls,hp", CLOSURE_BASED, ids=[f"{c.__name__}-{h}" for c, h in CLOSURE_BASED]
)
def test_closure_optimizers_resume_identically(opt_cls: Any, hp: dict) -> None:
    a, loss_a = rosenbrock_params("float64")
    opt_a = opt_cls(a, **hp)
    for _ in range(3):
        opt_a.step(_closure_for(opt_cls, opt_a, loss_a))
    saved = opt_a.state_dict()
    b, loss_b = rosenbrock_params("float64")
    b[0].data[...] = a[0].data
    opt_b = opt_cls(b, **hp)
    opt_b.load_state_dict(saved)
    for _ in range(4):
        opt_a.step(_closure_for(opt_cls, opt_a, loss_a))
        opt_b.step(_closure_for(opt_cls, opt_b, loss_b))
    np.testing.assert_array_equal(a[0].data, b[0].data)


def test_layout_is_pytorchs() -> None:
    a, b, c = make_params("float64"), make_params("float64"), make_params("value")
    opt = optim.SGD([{"params": a + b}, {"params": c, "lr": 0.5}], lr=0.1, momentum=0.9)
    for p in (a, b, c):
        quartic(p).backward()
    opt.step()
    sd = opt.state_dict()
    assert set(sd) == {"state", "param_groups"}
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2, 3, 4]]
    assert sd["param_groups"][1]["lr"] == 0.5 and sd["param_groups"][0]["momentum"] == 0.9
    assert sorted(sd["state"]) == [0, 1, 2, 3, 4]
    assert set(sd["state"][0]) == {"momentum_buffer"}


def test_state_dict_is_a_snapshot() -> None:
    p = make_params("float64")
    opt = optim.Adam(p, lr=0.1)
    _first_order_steps(opt, p, 1)
    saved = opt.state_dict()
    before = saved["state"][0]["exp_avg"].copy()
    _first_order_steps(opt, p, 2)
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], before)
    assert saved["state"][0]["step"] == 1


def test_load_state_dict_mismatch_errors() -> None:
    opt = optim.SGD(make_params("float64"), lr=0.1)
    other = optim.SGD(make_params("value"), lr=0.1)
    with pytest.raises(ValueError, match="parameters"):
        opt.load_state_dict(other.state_dict())
    two_groups = optim.SGD([{"params": make_params("float64")}, {"params": make_params("float64")}])
    with pytest.raises(ValueError, match="parameter groups"):
        opt.load_state_dict(two_groups.state_dict())
