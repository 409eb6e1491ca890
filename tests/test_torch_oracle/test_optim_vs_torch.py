"""Optimizers against torch.optim: 20 steps on the same problem from the same start, the
parameter trajectories equal to ~1e-10 (float64); param groups, zero_grad, state_dict."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import optim  # noqa: E402
from autograd import Tensor, Value  # noqa: E402

from .oracle import normal  # noqa: E402

STEPS = 20
XR, YR = normal((12, 3), 60), normal((12, 2), 61)
_M = normal((4, 4), 62)
A_SPD = _M @ _M.T / 4 + np.eye(4)
C = normal(4, 63)
START = [normal((3, 2), 64, 0.5), normal(2, 65, 0.1), normal(4, 66)]


def objective(params: list, const: Any) -> Any:
    """Linear regression (W, b) plus a convex quadratic in q, written once for both libraries."""
    w, b, q = params
    r = const(XR) @ w + b - const(YR)
    return (r * r).mean() + 0.5 * (q * (const(A_SPD) @ q)).sum() - (const(C) * q).sum()


class Side:
    """One library's parameters, optimizer and objective."""

    def __init__(self, lib: str, name: str, hp: Any, groups: bool = False) -> None:
        self.lib = lib
        if lib == "torch":
            self.params = [torch.tensor(a, requires_grad=True) for a in START]
            self.const = torch.tensor
            cls = getattr(torch.optim, name)
        else:
            self.params = [Tensor(a.copy(), requires_grad=True) for a in START]
            self.const = Tensor
            cls = getattr(optim, name)
        spec: Any = self.params
        if groups:
            spec = [{"params": self.params[:2], **hp[1]}, {"params": self.params[2:]}]
            hp = hp[0]
        self.opt = cls(spec, **hp)

    def closure(self) -> Any:
        self.opt.zero_grad()
        loss = objective(self.params, self.const)
        loss.backward()
        return loss

    def step(self) -> float:
        return float(self.opt.step(self.closure).item())

    def values(self) -> list[np.ndarray]:
        if self.lib == "torch":
            return [p.detach().numpy().copy() for p in self.params]
        return [p.data.copy() for p in self.params]


def assert_same_trajectory(
    name: str, hp: Any, groups: bool = False, steps: int = STEPS, rtol: float = 1e-10
) -> None:
    ours, theirs = Side("ours", name, hp, groups), Side("torch", name, hp, groups)
    for k in range(steps):
        loss, t_loss = ours.step(), theirs.step()
        assert loss == pytest.approx(t_loss, rel=rtol, abs=1e-12), f"loss at step {k}"
        for i, (a, b) in enumerate(zip(ours.values(), theirs.values())):
            np.testing.assert_allclose(
                a, b, rtol=rtol, atol=1e-12, err_msg=f"{name} {hp}: param {i}, step {k}"
            )


CASES = [
    ("SGD", {"lr": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.01, "maximize": True}),
    (
        "SGD",
        {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.05, "nesterov": True, "maximize": True},
    ),
    ("SGD", {}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05}),
    ("Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.3}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1, "eps": 1e-6}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.8}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.7, "weight_decay": 0.1}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-4}),
    ("Adadelta", {"weight_decay": 0.1}),
    ("Adam", {}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-6, "amsgrad": True, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "maximize": True, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.05, "maximize": True, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.005, "maximize": True, "momentum": 0.5, "centered": True}),
    ("Adadelta", {"maximize": True, "weight_decay": 0.1}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    ("AdamW", {"lr": 0.05, "betas": (0.5, 0.8), "weight_decay": 0.0}),
    ("Adam", {"lr": 0.05, "foreach": False, "fused": None}),
    ("Adam", {"lr": 0.05, "decoupled_weight_decay": True, "weight_decay": 0.2}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "foreach": True}),
    ("Adamax", {}),
    ("Adamax", {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-4, "weight_decay": 0.1}),
    ("Adamax", {"lr": 0.05, "maximize": True}),
    ("NAdam", {}),
    ("NAdam", {"lr": 0.05, "momentum_decay": 0.1, "weight_decay": 0.1}),
    ("NAdam", {"lr": 0.05, "weight_decay": 0.2, "decoupled_weight_decay": True}),
    ("NAdam", {"lr": 0.01, "betas": (0.5, 0.7), "maximize": True}),
    ("RAdam", {}),
    ("RAdam", {"lr": 0.05, "betas": (0.5, 0.7), "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.05, "weight_decay": 0.2, "decoupled_weight_decay": True}),
    ("RAdam", {"lr": 0.01, "maximize": True}),
    ("Rprop", {}),
    ("Rprop", {"lr": 0.2, "etas": (0.3, 1.7), "step_sizes": (1e-3, 0.5)}),
    ("Rprop", {"lr": 0.05, "maximize": True}),
    ("ASGD", {}),
    ("ASGD", {"lr": 0.05, "lambd": 0.05, "alpha": 0.6, "t0": 5, "weight_decay": 0.1}),
    ("ASGD", {"lr": 0.01, "t0": 0, "maximize": True}),
    ("Adafactor", {}),
    ("Adafactor", {"lr": 0.1, "beta2_decay": -0.5, "d": 1.5, "weight_decay": 0.1}),
    ("Adafactor", {"lr": 0.5, "eps": (1e-3, 1e-2), "maximize": True}),
    ("Adafactor", {"lr": 0.3, "eps": (1e-30, 0.0)}),
]


@pytest.mark.parametrize("name, hp", CASES, ids=[f"{n}-{h}" for n, h in CASES])
def test_trajectory(name, hp):
    assert_same_trajectory(name, hp)


LBFGS_CASES = [
    {},
    {"line_search_fn": "strong_wolfe"},
    {"lr": 0.5, "max_iter": 4, "history_size": 3},
    {"max_iter": 3, "history_size": 2, "line_search_fn": "strong_wolfe"},
    {"max_iter": 5, "max_eval": 6, "tolerance_grad": 1e-5},
]


@pytest.mark.parametrize("hp", LBFGS_CASES, ids=str)
def test_lbfgs_trajectory(hp):
    assert_same_trajectory("LBFGS", hp, steps=5, rtol=1e-9)


@pytest.mark.parametrize("hp", LBFGS_CASES, ids=str)
def test_lbfgs_counters(hp):
    ours, theirs = Side("ours", "LBFGS", hp), Side("torch", "LBFGS", hp)
    for _ in range(3):
        ours.step()
        theirs.step()
    s, t = ours.opt.state[ours.params[0]], theirs.opt.state[theirs.params[0]]
    assert (s["func_evals"], s["n_iter"]) == (t["func_evals"], t["n_iter"])


GROUP_CASES = [
    ("SGD", ({"lr": 0.01, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.5})),
    ("Adam", ({"lr": 0.01}, {"lr": 0.1, "betas": (0.8, 0.95)})),
    ("AdamW", ({"lr": 0.01, "weight_decay": 0.3}, {"weight_decay": 0.0})),
    ("RMSprop", ({"lr": 0.01}, {"lr": 0.03, "centered": True})),
    ("Adagrad", ({"lr": 0.1}, {"lr": 0.2, "lr_decay": 0.1})),
    # torch starts every group's sums at the constructor's initial_accumulator_value
    (
        "Adagrad",
        ({"lr": 0.1, "initial_accumulator_value": 0.2}, {"initial_accumulator_value": 0.7}),
    ),  # fmt: skip
    ("Adadelta", ({}, {"lr": 0.3})),
]


@pytest.mark.parametrize(
    "name, hp", GROUP_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(GROUP_CASES)]
)
def test_param_groups_with_their_own_options(name, hp):
    assert_same_trajectory(name, hp, groups=True)
    ours = Side("ours", name, hp, groups=True).opt
    theirs = Side("torch", name, hp, groups=True).opt
    for g, tg in zip(ours.param_groups, theirs.param_groups):
        for key in g:
            if key != "params":
                assert g[key] == tg[key], key


def test_values_as_parameters():
    def loss(w1, w2):
        return (w1 * 3 - 1) ** 2 + (w1 * w2 - 2) ** 2 + w2**4 / 4

    ws = [Value(0.4), Value(-0.7)]
    ts = [torch.tensor(w.data, dtype=torch.float64, requires_grad=True) for w in ws]
    opt = optim.SGD(ws, lr=0.01, momentum=0.9, nesterov=True)
    t_opt = torch.optim.SGD(ts, lr=0.01, momentum=0.9, nesterov=True)
    for _ in range(STEPS):
        for o, ps in ((opt, ws), (t_opt, ts)):
            o.zero_grad()
            loss(*ps).backward()
            o.step()
        assert [w.data for w in ws] == pytest.approx([t.item() for t in ts], rel=1e-12)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_zero_grad_and_skipping_parameters_without_grad(name):
    hp = {"lr": 0.05, "momentum": 0.9} if name != "Adam" else {"lr": 0.05}
    sides = [Side("ours", name, hp), Side("torch", name, hp)]
    for side in sides:
        side.step()
        side.opt.zero_grad()
        assert all(p.grad is None for p in side.params)  # set_to_none=True by default
        objective(side.params, side.const).backward()
        side.opt.zero_grad(set_to_none=False)
        assert all(np.all(np.asarray(p.grad) == 0) for p in side.params)
        side.params[2].grad = None  # q has no gradient this step: skipped, momentum too
        side.params[0].grad = None
        objective(side.params, side.const).backward()
        side.params[2].grad = None
        before = side.values()[2]
        side.opt.step()
        np.testing.assert_array_equal(side.values()[2], before)
    (ours, theirs) = sides
    for a, b in zip(ours.values(), theirs.values()):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


STATE_CASES = [
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("Adagrad", {"lr": 0.1}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}),
    ("Adadelta", {}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("AdamW", {"lr": 0.05}),
    ("LBFGS", {"max_iter": 3}),
    ("Adamax", {"lr": 0.05}),
    ("NAdam", {"lr": 0.05}),
    ("RAdam", {"lr": 0.05}),
    ("Rprop", {"lr": 0.1}),
    ("ASGD", {"lr": 0.05, "t0": 3}),
    ("Adafactor", {"lr": 0.1}),
]


@pytest.mark.parametrize("name, hp", STATE_CASES, ids=[c[0] for c in STATE_CASES])
def test_state_dict_round_trip_continues_torchs_trajectory(name, hp):
    steps = 4 if name == "LBFGS" else 10
    first, theirs = Side("ours", name, hp), Side("torch", name, hp)
    for _ in range(steps):
        first.step()
        theirs.step()
    saved = first.opt.state_dict()
    t_saved = theirs.opt.state_dict()
    assert sorted(saved["state"]) == sorted(t_saved["state"])
    for i in saved["state"]:
        # torch's LBFGS also keeps 'al', scratch space of its two-loop recursion
        assert set(saved["state"][i]) == set(t_saved["state"][i]) - {"al"}, i
    assert [g["params"] for g in saved["param_groups"]] == [
        g["params"] for g in t_saved["param_groups"]
    ]
    resumed = Side("ours", name, hp)
    for p, v in zip(resumed.params, first.values()):
        p.data[...] = v
    resumed.opt.load_state_dict(saved)
    for k in range(steps):
        resumed.step()
        theirs.step()
        for a, b in zip(resumed.values(), theirs.values()):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=f"step {k}")


@pytest.mark.parametrize(
    "name",
    [
        "SGD",
        "Adagrad",
        "RMSprop",
        "Adadelta",
        "Adam",
        "AdamW",
        "LBFGS",
        "Adamax",
        "NAdam",
        "RAdam",
        "Rprop",
        "ASGD",
        "Adafactor",
    ],
)
def test_defaults_are_torchs(name):
    p = [Tensor(np.zeros(2), requires_grad=True)]
    tp = [torch.zeros(2, dtype=torch.float64, requires_grad=True)]
    ours = getattr(optim, name)(p).defaults
    theirs = getattr(torch.optim, name)(tp).defaults
    for key, value in ours.items():
        assert key in theirs, key
        assert value == theirs[key], key


F32_CASES = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("AdamW", {"lr": 0.05}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adadelta", {}),
    ("Adamax", {"lr": 0.05}),
    ("NAdam", {"lr": 0.05}),
    ("RAdam", {"lr": 0.05}),
    ("Rprop", {"lr": 0.05, "etas": (0.3, 1.3)}),
    ("ASGD", {"lr": 0.05, "t0": 2}),
    ("Adafactor", {"lr": 0.1}),
]


@pytest.mark.parametrize("name, hp", F32_CASES, ids=[c[0] for c in F32_CASES])
def test_float32_parameters_stay_float32_on_torchs_path(name, hp):
    w0 = START[2].astype(np.float32)
    p, tp = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0, requires_grad=True)
    opt, t_opt = getattr(optim, name)([p], **hp), getattr(torch.optim, name)([tp], **hp)
    a, c = A_SPD.astype(np.float32), C.astype(np.float32)
    ta, tc = torch.tensor(a), torch.tensor(c)
    for _ in range(10):
        opt.zero_grad()
        t_opt.zero_grad()
        (0.5 * (p * (a @ p)).sum() - (p * c).sum()).backward()
        (0.5 * (tp * (ta @ tp)).sum() - (tp * tc).sum()).backward()
        opt.step()
        t_opt.step()
        assert p.data.dtype == np.float32 and p.grad.dtype == np.float32
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-4, atol=1e-5)
    for key, value in opt.state[p].items():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32, key


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(), (5,), (4, 3), (2, 3, 4), (3, 1, 5)])
def test_adafactor_factors_every_matrix_of_a_parameter_as_torch(shape, dtype):
    """Row and column averages of the last two dims, per leading index; 0-d and 1-d
    parameters keep a full variance (random gradients, weight decay and maximize on)."""
    rng = np.random.default_rng(len(shape))
    w0 = rng.normal(size=shape).astype(dtype)
    p, tp = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    hp = {"lr": 0.2, "weight_decay": 0.05, "maximize": True}
    opt, t_opt = optim.Adafactor([p], **hp), torch.optim.Adafactor([tp], **hp)
    tol = dict(rtol=1e-10, atol=1e-13) if dtype == np.float64 else dict(rtol=1e-5, atol=1e-6)
    for k in range(8):
        g = rng.normal(size=shape).astype(dtype) * (1e-4 if k % 3 == 2 else 1.0)
        p.grad, tp.grad = Tensor(g.copy()), torch.tensor(g.copy())
        opt.step()
        t_opt.step()
        np.testing.assert_allclose(p.data, tp.detach().numpy(), **tol, err_msg=f"step {k}")
    ours, theirs = opt.state_dict()["state"][0], t_opt.state_dict()["state"][0]
    assert set(ours) == set(theirs)
    for key in ours:
        np.testing.assert_allclose(np.asarray(ours[key]), theirs[key].numpy(), **tol, err_msg=key)
