"""Each first-order update rule against a reference written from its formula."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import optim

from .problems import KINDS, W0, make_params, quartic, quartic_grad, values_of

STEPS = 8


def _grad(w: np.ndarray, maximize: bool, weight_decay: float) -> np.ndarray:
    g = quartic_grad(w)
    g = -g if maximize else g
    return g + weight_decay * w


def ref_sgd(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False):
    w, b, out = W0.copy(), None, []
    for _ in range(STEPS):
        g = _grad(w, maximize, weight_decay)
        if momentum:
            b = g.copy() if b is None else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        w = w - lr * g
        out.append(w)
    return out


def ref_adagrad(
    lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10, maximize=False
):
    w, acc, out = W0.copy(), np.full(3, initial_accumulator_value), []
    for t in range(1, STEPS + 1):
        g = _grad(w, maximize, weight_decay)
        acc = acc + g**2
        w = w - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(acc) + eps)
        out.append(w)
    return out


def ref_rmsprop(
    lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False, maximize=False
):
    w, v, m, b, out = W0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for _ in range(STEPS):
        g = _grad(w, maximize, weight_decay)
        v = alpha * v + (1 - alpha) * g**2
        m = alpha * m + (1 - alpha) * g
        avg = np.sqrt(v - m**2 if centered else v) + eps
        if momentum:
            b = momentum * b + g / avg
            w = w - lr * b
        else:
            w = w - lr * g / avg
        out.append(w)
    return out


def ref_adadelta(lr, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False):
    w, v, u, out = W0.copy(), np.zeros(3), np.zeros(3), []
    for _ in range(STEPS):
        g = _grad(w, maximize, weight_decay)
        v = rho * v + (1 - rho) * g**2
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta**2
        w = w - lr * delta
        out.append(w)
    return out


def ref_adam(
    lr,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0.0,
    amsgrad=False,
    maximize=False,
    decoupled=False,
):
    (b1, b2), w, m, v, vmax, out = betas, W0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for t in range(1, STEPS + 1):
        if decoupled:
            w = w * (1 - lr * weight_decay)
            g = _grad(w / (1 - lr * weight_decay), maximize, 0.0)
        else:
            g = _grad(w, maximize, weight_decay)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        vmax = np.maximum(vmax, v)
        m_hat = m / (1 - b1**t)
        v_hat = (vmax if amsgrad else v) / (1 - b2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w)
    return out


def ref_adamax(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False):
    (b1, b2), w, m, u, out = betas, W0.copy(), np.zeros(3), np.zeros(3), []
    for t in range(1, STEPS + 1):
        g = _grad(w, maximize, weight_decay)
        m = b1 * m + (1 - b1) * g
        u = np.maximum(b2 * u, np.abs(g) + eps)
        w = w - lr / (1 - b1**t) * m / u
        out.append(w)
    return out


def _decay(w, lr, weight_decay, decoupled, maximize):
    """The gradient and the (possibly shrunk) iterate of one Adam-family step."""
    if decoupled:
        return _grad(w, maximize, 0.0), w * (1 - lr * weight_decay)
    return _grad(w, maximize, weight_decay), w


def ref_nadam(
    lr,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0.0,
    momentum_decay=4e-3,
    decoupled_weight_decay=False,
    maximize=False,
):
    (b1, b2), w, m, v, out = betas, W0.copy(), np.zeros(3), np.zeros(3), []
    mus = [b1 * (1 - 0.5 * 0.96 ** (t * momentum_decay)) for t in range(STEPS + 2)]
    for t in range(1, STEPS + 1):
        g, w = _decay(w, lr, weight_decay, decoupled_weight_decay, maximize)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        v_hat = v / (1 - b2**t)
        # the running product of mu is kept as a float32 number, as torch keeps it
        prod_t = float(np.prod(np.array(mus[1 : t + 1], dtype=np.float32)))
        m_bar = (1 - mus[t]) / (1 - prod_t) * g + mus[t + 1] / (1 - prod_t * mus[t + 1]) * m
        w = w - lr * m_bar / (np.sqrt(v_hat) + eps)
        out.append(w)
    return out


def ref_radam(
    lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False, maximize=False
):
    (b1, b2), w, m, v, out = betas, W0.copy(), np.zeros(3), np.zeros(3), []
    rho_inf = 2 / (1 - b2) - 1
    for t in range(1, STEPS + 1):
        g, w = _decay(w, lr, weight_decay, decoupled_weight_decay, maximize)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)
        rho = rho_inf - 2 * t * b2**t / (1 - b2**t)
        if rho > 5:
            l_t = np.sqrt(1 - b2**t) / (np.sqrt(v) + eps)
            r_t = np.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            w = w - lr * m_hat * l_t * r_t
        else:
            w = w - lr * m_hat
        out.append(w)
    return out


def ref_rprop(lr, etas=(0.5, 1.2), step_sizes=(1e-6, 50), maximize=False):
    w, prev, d, out = W0.copy(), np.zeros(3), np.full(3, lr), []
    for _ in range(STEPS):
        g = _grad(w, maximize, 0.0)
        for i in range(3):
            if g[i] * prev[i] > 0:
                d[i] = min(d[i] * etas[1], step_sizes[1])
            elif g[i] * prev[i] < 0:
                d[i] = max(d[i] * etas[0], step_sizes[0])
                g[i] = 0.0
        w = w - np.sign(g) * d
        prev = g
        out.append(w)
    return out


def ref_asgd(lr, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, maximize=False):
    w, eta, out = W0.copy(), float(np.float32(lr)), []
    for t in range(1, STEPS + 1):
        g = _grad(w, maximize, weight_decay)
        w = w * (1 - lambd * eta) - eta * g
        eta = float(np.float32(lr / (1 + lambd * lr * t) ** alpha))  # float32, as torch keeps it
        out.append(w)
    return out


CASES: list[tuple[Any, Callable, dict]] = [
    (optim.SGD, ref_sgd, dict(lr=0.05)),
    (optim.SGD, ref_sgd, dict(lr=0.05, momentum=0.9)),
    (optim.SGD, ref_sgd, dict(lr=0.05, momentum=0.9, dampening=0.9)),
    (optim.SGD, ref_sgd, dict(lr=0.05, momentum=0.8, nesterov=True)),
    (optim.SGD, ref_sgd, dict(lr=0.05, momentum=0.5, weight_decay=0.1)),
    (optim.SGD, ref_sgd, dict(lr=0.01, momentum=0.5, weight_decay=0.1, maximize=True)),
    (optim.Adagrad, ref_adagrad, dict(lr=0.1)),
    (optim.Adagrad, ref_adagrad, dict(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.5)),
    (optim.Adagrad, ref_adagrad, dict(lr=0.1, weight_decay=0.2, eps=1e-3, maximize=True)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01, alpha=0.9, centered=True)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01, momentum=0.9, weight_decay=0.1)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01, momentum=0.5, centered=True, maximize=True)),
    (optim.Adadelta, ref_adadelta, dict(lr=1.0)),
    (optim.Adadelta, ref_adadelta, dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1)),
    (optim.Adadelta, ref_adadelta, dict(lr=1.0, maximize=True)),
    (optim.Adam, ref_adam, dict(lr=0.05)),
    (optim.Adam, ref_adam, dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1)),
    (optim.Adam, ref_adam, dict(lr=0.05, amsgrad=True)),
    (optim.Adam, ref_adam, dict(lr=0.05, eps=1e-3, maximize=True)),
    (optim.Adamax, ref_adamax, dict(lr=0.05)),
    (optim.Adamax, ref_adamax, dict(lr=0.05, betas=(0.8, 0.9), weight_decay=0.1, maximize=True)),
    (optim.NAdam, ref_nadam, dict(lr=0.05)),
    (optim.NAdam, ref_nadam, dict(lr=0.05, momentum_decay=0.5, weight_decay=0.1)),
    (optim.NAdam, ref_nadam, dict(lr=0.05, weight_decay=0.3, decoupled_weight_decay=True)),
    (optim.RAdam, ref_radam, dict(lr=0.05)),
    (optim.RAdam, ref_radam, dict(lr=0.05, betas=(0.5, 0.6), weight_decay=0.1, maximize=True)),
    (optim.RAdam, ref_radam, dict(lr=0.05, weight_decay=0.3, decoupled_weight_decay=True)),
    (optim.Rprop, ref_rprop, dict(lr=0.05)),
    (optim.Rprop, ref_rprop, dict(lr=0.3, etas=(0.3, 1.5), step_sizes=(0.01, 0.4))),
    (optim.Rprop, ref_rprop, dict(lr=0.1, maximize=True)),
    (optim.ASGD, ref_asgd, dict(lr=0.05)),
    (optim.ASGD, ref_asgd, dict(lr=0.05, lambd=0.1, alpha=0.5, weight_decay=0.1)),
]
ADAMW_CASES = [dict(lr=0.05), dict(lr=0.05, weight_decay=0.5, amsgrad=True)]


def _run(opt_cls: Any, kind: str, **hp: Any) -> tuple[list[np.ndarray], list[Any], Any]:
    params = make_params(kind)
    opt = opt_cls(params, **hp)
    trajectory = []
    for _ in range(STEPS):
        opt.zero_grad()
        quartic(params).backward()
        opt.step()
        trajectory.append(values_of(params))
    return trajectory, params, opt


def _check(trajectory: list[np.ndarray], reference: list[np.ndarray], kind: str) -> None:
    tol = dict(rtol=2e-5, atol=2e-6) if kind == "float32" else dict(rtol=1e-12, atol=1e-14)
    for k, (got, want) in enumerate(zip(trajectory, reference, strict=True)):
        np.testing.assert_allclose(got, want, **tol, err_msg=f"step {k + 1}")


def _case_id(case: tuple) -> str:
    return f"{case[0].__name__}-" + "-".join(f"{k}={v}" for k, v in case[2].items())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_update_rule_matches_formula(case: tuple, kind: str) -> None:
    opt_cls, reference, hp = case
    trajectory, _, _ = _run(opt_cls, kind, **hp)
    _check(trajectory, reference(**hp), kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("hp", ADAMW_CASES)
def test_adamw_decouples_weight_decay(hp: dict, kind: str) -> None:
    trajectory, _, _ = _run(optim.AdamW, kind, **hp)
    ref_hp = {"weight_decay": 1e-2, **hp}
    _check(trajectory, ref_adam(decoupled=True, **ref_hp), kind)


def test_adam_with_zero_weight_decay_equals_adamw_with_zero() -> None:
    a, _, _ = _run(optim.Adam, "float64", lr=0.05)
    b, _, _ = _run(optim.AdamW, "float64", lr=0.05, weight_decay=0.0)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_float32_stays_float32_in_place(case: tuple) -> None:
    opt_cls, _, hp = case
    params = make_params("float32")
    array = params[0].data
    opt = opt_cls(params, **hp)
    for _ in range(2):
        opt.zero_grad()
        quartic(params).backward()
        opt.step()
    assert params[0].data is array
    assert params[0].data.dtype == np.float32
    for value in opt.state[params[0]].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32


def test_params_without_grad_are_skipped() -> None:
    from autograd import Tensor

    used = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    unused = Tensor(np.array([3.0]), requires_grad=True)
    opt = optim.Adam([used, unused], lr=0.1)
    (used * used).sum().backward()
    opt.step()
    assert unused.data.tolist() == [3.0]
    assert unused not in opt.state
    assert used in opt.state


def test_param_groups_have_their_own_options() -> None:
    a, b = make_params("float64"), make_params("float64")
    opt = optim.SGD([{"params": a}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[1]["lr"] == 0.5
    assert opt.param_groups[1]["momentum"] == 0.9
    opt.zero_grad()
    (quartic(a) + quartic(b)).backward()
    opt.step()
    g = quartic_grad(W0)
    np.testing.assert_allclose(values_of(a), W0 - 0.1 * g)
    np.testing.assert_allclose(values_of(b), W0 - 0.5 * g)


def test_zero_grad() -> None:
    tensors, values = make_params("float64"), make_params("value")
    opt = optim.SGD(tensors + values, lr=0.1)
    quartic(tensors).backward()
    quartic(values).backward()
    opt.zero_grad(set_to_none=False)
    assert np.all(tensors[0].grad == 0) and all(v.grad == 0.0 for v in values)
    opt.zero_grad()
    assert tensors[0].grad is None and all(v.grad == 0.0 for v in values)


def test_step_returns_closure_loss() -> None:
    params = make_params("float64")
    opt = optim.SGD(params, lr=0.1)

    def closure() -> Any:
        opt.zero_grad()
        loss = quartic(params)
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == pytest.approx(float(np.sum(W0**4 / 4 + (W0 * [0.3, -0.7, 0.1]))))
