"""Bad input gives a clear error naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

import optim
from autograd import Tensor, Value

from .problems import make_params


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda p: optim.SGD(p, lr=-0.1), "lr"),
        (lambda p: optim.SGD(p, lr=0.1, momentum=-1), "momentum"),
        (lambda p: optim.SGD(p, lr=0.1, weight_decay=-1), "weight_decay"),
        (lambda p: optim.SGD(p, lr=0.1, nesterov=True), "nesterov"),
        (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "nesterov"),
        (lambda p: optim.Adagrad(p, lr=-1), "lr"),
        (lambda p: optim.Adagrad(p, eps=-1e-10), "eps"),
        (lambda p: optim.Adagrad(p, lr_decay=-1), "lr_decay"),
        (lambda p: optim.Adagrad(p, initial_accumulator_value=-1), "initial_accumulator_value"),
        (lambda p: optim.RMSprop(p, eps=-1), "eps"),
        (lambda p: optim.RMSprop(p, alpha=-0.5), "alpha"),
        (lambda p: optim.Adadelta(p, rho=1.5), "rho"),
        (lambda p: optim.Adadelta(p, eps=-1), "eps"),
        (lambda p: optim.Adam(p, lr=-1e-3), "lr"),
        (lambda p: optim.Adam(p, eps=-1e-8), "eps"),
        (lambda p: optim.Adam(p, betas=(1.0, 0.999)), r"betas\[0\]"),
        (lambda p: optim.Adam(p, betas=(0.9, -0.1)), r"betas\[1\]"),
        (lambda p: optim.AdamW(p, betas=(0.9, 1.0)), r"betas\[1\]"),
        (lambda p: optim.Adam(p, betas=(0.9,)), "betas"),
        (lambda p: optim.LBFGS(p, lr=-1), "lr"),
        (lambda p: optim.LBFGS(p, line_search_fn="armijo"), "line_search_fn"),
        (lambda p: optim.LBFGS(p, history_size=0), "history_size"),
        (lambda p: optim.Newton(p, damping=-1), "damping"),
        (lambda p: optim.Newton(p, lr=-1), "lr"),
        (lambda p: optim.ConjugateGradient(p, beta="HS"), "beta"),
        (lambda p: optim.ConjugateGradient(p, line_search="exact"), "line_search"),
        (lambda p: optim.SGD([{"params": p, "lr": -1}], lr=0.1), "lr"),
    ],
)
def test_bad_hyperparameters(make, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make(make_params("float64"))


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.LBFGS, optim.Newton])
def test_empty_parameter_list(cls) -> None:
    with pytest.raises(ValueError, match="empty parameter list"):
        cls([])


def test_parameter_given_twice() -> None:
    p = make_params("float64")[0]
    with pytest.raises(ValueError, match="given twice"):
        optim.SGD([p, p], lr=0.1)
    v = Value(1.0)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [v]}, {"params": [v]}], lr=0.1)
    opt = optim.SGD([p], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [p]})


def test_not_a_parameter() -> None:
    with pytest.raises(TypeError, match="Values or Tensors"):
        optim.SGD([np.zeros(3)], lr=0.1)
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(Tensor(np.zeros(3), requires_grad=True), lr=0.1)
    with pytest.raises(TypeError, match="set"):
        optim.SGD([{"params": {Value(1.0)}}], lr=0.1)


def test_non_leaf_tensor() -> None:
    p = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([p * 2], lr=0.1)


@pytest.mark.parametrize(
    "cls,backward",
    [(optim.LBFGS, "backward"), (optim.Newton, "without"), (optim.ConjugateGradient, "without")],
)
def test_closure_required(cls, backward: str) -> None:
    opt = cls(make_params("float64"))
    with pytest.raises(TypeError, match=f"requires a closure.*{backward}"):
        opt.step()


def test_closure_loss_must_depend_on_params() -> None:
    p = make_params("float64")
    opt = optim.Newton(p)
    with pytest.raises(RuntimeError, match="does not depend on the parameters"):
        opt.step(lambda: Tensor(np.array(1.0)))


def test_lbfgs_single_group_only() -> None:
    with pytest.raises(ValueError, match="parameter groups"):
        optim.LBFGS([{"params": make_params("float64")}, {"params": make_params("value")}])
