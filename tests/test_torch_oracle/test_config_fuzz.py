"""Configuration fuzzer: every nn layer, activation and loss (tests/test_torch_oracle/
config_space.py draws the constructor arguments and the inputs), every optimizer and every
lr scheduler, built with the same drawn arguments in ours and in torch.

Layers: torch's module is built first; its parameters (those it initialises to a constant
drawn at random) and buffers are loaded into ours. Then, for each forward step (several for
the layers with running statistics), both run on the same inputs (float64, float32 for a
quarter of the draws) and must agree in: whether they raise (construction, forward or
backward); output count, shapes, dtypes and values (nan in the same places); the gradients of
a random weighted sum of the outputs with respect to every float input and every parameter;
the state_dict after the step (running statistics, max_norm renormed embeddings); and
``repr``. A difference documented in ``config_space.KNOWN`` is counted, not failed.

Optimizers: drawn hyperparameters and two parameter groups with different settings, steps on a
quadratic (gradients by backward) and on random gradients; the parameters after every step
equal torch's; half way the state_dict is loaded into a fresh optimizer that continues.
Schedulers: drawn arguments, get_last_lr() over 30 epochs.

``CONFIG_FUZZ_EXAMPLES`` (default 10 per test) sets the number of examples per test;
``CONFIG_FUZZ_REPORT=path.json`` switches to survey mode (no failure; mismatches by class and
kind, with first examples, written to the path); ``CONFIG_FUZZ_CLASSES=A,B`` focuses a run.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import Counter, defaultdict
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

import nn  # noqa: E402
import optim  # noqa: E402
from autograd import Tensor  # noqa: E402
from nn.utils import rnn as our_rnn  # noqa: E402
from optim import lr_scheduler as our_sched  # noqa: E402

from .config_space import KNOWN, NOT_FUZZED, SPECS, Case, Draw, G  # noqa: E402

EXAMPLES = int(os.environ.get("CONFIG_FUZZ_EXAMPLES", "10"))
REPORT = os.environ.get("CONFIG_FUZZ_REPORT")
ONLY = os.environ.get("CONFIG_FUZZ_CLASSES")
CLASSES = sorted(ONLY.split(",") if ONLY else SPECS)
TOL = {np.float64: (1e-8, 1e-10), np.float32: (1e-4, 2e-5)}
TORCH_DTYPE = {np.float64: torch.float64, np.float32: torch.float32}
OURS = SimpleNamespace(nn=nn, F=nn.functional, rnn=our_rnn)
THEIRS = SimpleNamespace(nn=torch.nn, F=torch.nn.functional, rnn=torch.nn.utils.rnn)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not REPORT,
    suppress_health_check=list(HealthCheck),
)

torch.set_num_threads(1)
_found: dict[str, Counter] = defaultdict(Counter)
_examples: dict[str, list[str]] = defaultdict(list)


class Mismatch(AssertionError):
    def __init__(self, what: str, detail: str) -> None:
        super().__init__(f"{what}: {detail}")
        self.what = what


def _convert(v: Any, side: str, dtype: Any) -> Any:
    """Arrays to each library's tensors (float ones in the run's dtype)."""
    if isinstance(v, (tuple, list)):
        return type(v)(_convert(x, side, dtype) for x in v)
    if isinstance(v, dict):
        return {k: _convert(x, side, dtype) for k, x in v.items()}
    grad = isinstance(v, G)
    if grad:
        v = v.a
    if isinstance(v, np.generic):  # numpy's 0-d results (np.log of a 0-d array) are arrays here
        v = np.asarray(v)
    if not isinstance(v, np.ndarray):
        return v
    if v.dtype.kind == "f":
        v = v.astype(dtype)
    if side == "torch":
        return torch.tensor(v, requires_grad=grad)
    return Tensor(v, requires_grad=grad)


def _leaves(v: Any) -> list:
    """The gradient-taking inputs, in order."""
    if isinstance(v, (tuple, list)):
        return [x for e in v for x in _leaves(e)]
    return [v] if getattr(v, "requires_grad", False) else []


def _flat(out: Any) -> list:
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o)]
    if out is None:
        return []
    if hasattr(out, "batch_sizes"):  # PackedSequence
        return [out.data, out.batch_sizes]
    return [out]


def _dense(grad: Any) -> np.ndarray:
    """A torch gradient's values (a sparse=True embedding's is a sparse tensor; ours dense)."""
    return (grad.to_dense() if grad.is_sparse else grad).numpy()


def _np(t: Any) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        return t.detach().numpy()
    return np.asarray(t.data if hasattr(t, "data") else t)


def _close(ours: np.ndarray, theirs: np.ndarray, what: str, tol: tuple) -> None:
    if ours.shape != theirs.shape:
        raise Mismatch(what, f"shape {ours.shape} != torch's {theirs.shape}")
    if ours.dtype != theirs.dtype:
        raise Mismatch(what, f"dtype {ours.dtype} != torch's {theirs.dtype}")
    try:
        np.testing.assert_allclose(ours, theirs, rtol=tol[0], atol=tol[1])
    except AssertionError as e:
        raise Mismatch(what, str(e)[:600]) from None


def _attempt(fn: Any) -> tuple[Any, BaseException | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(), None
    except Exception as e:  # noqa: BLE001  (any refusal counts; compared below)
        return None, e


def _raises(stage: str, ours: BaseException | None, theirs: BaseException | None) -> bool:
    """Both raised (True), neither (False), or a Mismatch."""
    if theirs is not None and ours is None:
        raise Mismatch("raises", f"{stage}: torch raises {theirs!r}, ours does not")
    if ours is not None and theirs is None:
        raise Mismatch("raises", f"{stage}: ours raises {ours!r}, torch does not")
    return ours is not None


def _build(case: Case, dtype: Any) -> tuple[Any, Any] | None:
    targs, tkw = _convert(case.args, "torch", dtype), _convert(case.kwargs, "torch", dtype)
    oargs, okw = _convert(case.args, "ours", dtype), _convert(case.kwargs, "ours", dtype)
    torch.manual_seed(0)
    theirs, te = _attempt(lambda: getattr(torch.nn, case.name)(*targs, **tkw))
    ours, oe = _attempt(lambda: getattr(nn, case.name)(*oargs, **okw))
    if _raises("construction", oe, te):
        return None
    if repr(ours) != repr(theirs):
        raise Mismatch("repr", f"{ours!r} != torch's {theirs!r}")
    theirs = theirs.to(TORCH_DTYPE[dtype])
    ours = ours.to(dtype)
    rng = np.random.default_rng(1)
    with torch.no_grad():
        for p in theirs.parameters():
            if case.randomize and p.numel() > 1 and bool((p == p.flatten()[0]).all()):
                p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.5 + 1))
            elif case.randomize and p.numel() == 1:
                p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.5))
    state = theirs.state_dict()
    if list(ours.state_dict()) != list(state):
        raise Mismatch("state", f"keys {list(ours.state_dict())} != torch's {list(state)}")
    ours.load_state_dict({k: v.numpy() for k, v in state.items()})
    ours.train(case.training)
    theirs.train(case.training)
    return ours, theirs


def _step(case: Case, ours: Any, theirs: Any, dtype: Any, rng: np.random.Generator) -> bool:
    """One forward/backward; False when both refused the input."""
    tol = tuple(t * case.tol_scale for t in TOL[dtype])
    raw = case.make(rng)
    oin, tin = _convert(raw, "ours", dtype), _convert(raw, "torch", dtype)

    def run(lib: Any, m: Any, xs: tuple) -> Any:
        return case.call(lib, m, *xs) if case.call else m(*xs)

    tout, te = _attempt(lambda: run(THEIRS, theirs, tin))
    oout, oe = _attempt(lambda: run(OURS, ours, oin))
    if _raises("forward", oe, te):
        return False
    outs, touts = _flat(oout), _flat(tout)
    if len(outs) != len(touts):
        raise Mismatch("value", f"{len(outs)} outputs != torch's {len(touts)}")
    for i, (o, t) in enumerate(zip(outs, touts)):
        _close(_np(o), _np(t), f"value (output {i})", tol)
    weights = [
        rng.normal(size=tuple(t.shape)).astype(dtype)
        for t in touts
        if isinstance(t, torch.Tensor) and t.requires_grad
    ]
    diff = [(o, t) for o, t in zip(outs, touts) if isinstance(t, torch.Tensor) and t.requires_grad]
    if diff:
        if not all(getattr(o, "requires_grad", False) for o, _ in diff):
            raise Mismatch("grad", "an output of ours does not require grad; torch's does")
        tl = sum((t * torch.tensor(w)).sum() for (_, t), w in zip(diff, weights))
        ol = sum((o * Tensor(w)).sum() for (o, _), w in zip(diff, weights))
        _, te = _attempt(lambda: tl.backward())
        _, oe = _attempt(lambda: ol.backward())
        if not _raises("backward", oe, te):
            for i, (o, t) in enumerate(zip(_leaves(oin), _leaves(tin))):
                tg = np.zeros(tuple(t.shape), dtype) if t.grad is None else t.grad.numpy()
                og = np.zeros(o.shape, dtype) if o.grad is None else np.asarray(o.grad)
                _close(og, tg, f"grad (input {i})", tol)
            tparams = dict(theirs.named_parameters())
            for name, p in ours.named_parameters():
                t = tparams[name]
                tg = np.zeros(tuple(t.shape), dtype) if t.grad is None else _dense(t.grad)
                og = np.zeros(p.shape, dtype) if p.grad is None else np.asarray(p.grad)
                _close(og, tg, f"grad ({name})", tol)
    ostate = ours.state_dict()
    for key, value in theirs.state_dict().items():
        _close(np.asarray(ostate[key]), value.numpy(), f"state ({key})", tol)
    ours.zero_grad()
    theirs.zero_grad()
    return True


def _known(case: Case, m: Mismatch) -> str:
    for k in KNOWN:
        if (
            k.name == case.name
            and k.what == m.what.split(" ")[0]
            and k.match in str(m)
            and k.when(case)
        ):
            return k.reason
    return ""


def _check(case: Case, dtype: Any) -> None:
    try:
        built = _build(case, dtype)
        if built is None:
            return
        rng = np.random.default_rng(2)
        for _ in range(case.steps):
            if not _step(case, *built, dtype, rng):
                return
    except Mismatch as m:
        if _known(case, m):
            _found[case.name]["known " + m.what] += 1
            return
        if not REPORT:
            raise AssertionError(f"{case} ({np.dtype(dtype)}): {m}") from None
        key = f"{case.name}: {m.what}"
        _found[case.name][m.what] += 1
        if len(_examples[key]) < 3:
            _examples[key].append(f"{case.args} {case.kwargs} {np.dtype(dtype)}: {m}")


@pytest.mark.parametrize("name", CLASSES)
def test_layer_configurations_match_torch(name: str) -> None:
    spec = SPECS[name]

    @SETTINGS
    @given(st.data())
    def run(data: Any) -> None:
        d = Draw(data)
        case = spec(d, name)
        _check(case, np.float32 if d.int(0, 3) == 0 else np.float64)

    run()
    _write_report()


def test_every_layer_class_is_fuzzed_or_excused() -> None:
    public = {n for n in nn.__all__ if isinstance(getattr(nn, n), type)}
    assert public - set(SPECS) - set(NOT_FUZZED) == set()
    assert set(SPECS) <= public


# --- optimizers -------------------------------------------------------------------------
def _optim_hparams(d: Draw, name: str) -> dict:
    lr = d.choice([1e-3, 0.01, 0.1, 0.5])
    wd = d.choice([0.0, 0.0, 0.01, 0.1])
    hp: dict[str, Any] = {"lr": lr, "weight_decay": wd}
    if name not in ("LBFGS", "Rprop", "ASGD"):
        hp["maximize"] = d.flag()
    betas = (d.choice([0.9, 0.5, 0.0]), d.choice([0.999, 0.9, 0.5]))
    eps = d.choice([1e-8, 1e-3, 0.1])
    if name == "SGD":
        hp |= {"momentum": d.choice([0.0, 0.5, 0.9]), "dampening": d.choice([0.0, 0.3]),
               "nesterov": d.flag()}  # fmt: skip
    elif name in ("Adam", "AdamW"):
        hp |= {"betas": betas, "eps": eps, "amsgrad": d.flag()}
    elif name in ("Adamax", "RAdam", "NAdam"):
        hp |= {"betas": betas, "eps": eps}
        if name == "RAdam":
            hp["decoupled_weight_decay"] = d.flag()
        if name == "NAdam":
            hp["momentum_decay"] = d.choice([4e-3, 0.1])
            hp["decoupled_weight_decay"] = d.flag()
    elif name == "RMSprop":
        hp |= {"alpha": d.choice([0.99, 0.5]), "eps": eps, "momentum": d.choice([0.0, 0.5]),
               "centered": d.flag()}  # fmt: skip
    elif name == "Adagrad":
        hp |= {"lr_decay": d.choice([0.0, 0.1]), "eps": eps,
               "initial_accumulator_value": d.choice([0.0, 0.5])}  # fmt: skip
    elif name == "Adadelta":
        hp |= {"rho": d.choice([0.9, 0.5]), "eps": eps, "lr": d.choice([1.0, 0.5])}
    elif name == "Rprop":
        del hp["weight_decay"]
        hp |= {"etas": (d.choice([0.5, 0.3]), d.choice([1.2, 1.5])),
               "step_sizes": (d.choice([1e-6, 1e-3]), d.choice([50.0, 0.5])),
               "maximize": d.flag()}  # fmt: skip
    elif name == "Adafactor":
        hp |= {"beta2_decay": d.choice([-0.8, -0.5, 0.0]), "d": d.choice([1.0, 2.0]),
               "eps": (d.choice([None, 1e-3, 1e-30]), d.choice([1e-3, 0.0, 0.5]))}  # fmt: skip
    elif name == "ASGD":
        hp |= {"lambd": d.choice([1e-4, 0.1]), "alpha": d.choice([0.75, 0.5]),
               "t0": d.choice([1e6, 2.0]), "maximize": d.flag()}  # fmt: skip
    return hp


# SparseAdam is left out: it takes only sparse=True embeddings' gradients, and these steps give
# dense ones (test_sparse_embedding_optim_vs_torch trains a skip-gram model with it instead)
OPTIMIZERS = ["SGD", "Adam", "AdamW", "Adamax", "RAdam", "NAdam", "RMSprop", "Adagrad",
              "Adadelta", "Rprop", "ASGD", "Adafactor"]  # fmt: skip


class _OptSide:
    def __init__(self, lib: str, name: str, start: list, hp: dict, group_hp: dict) -> None:
        mk = torch.tensor if lib == "torch" else Tensor
        self.ps = [mk(a.copy(), requires_grad=True) for a in start]
        self.cls = getattr(torch.optim if lib == "torch" else optim, name)
        self.mk = mk
        self.groups = [{"params": self.ps[:1], **group_hp}, {"params": self.ps[1:]}]
        self.opt = self.cls(self.groups, **hp)

    def step(self, grads: list | None, a: np.ndarray) -> None:
        self.opt.zero_grad()
        if grads is None:  # a quadratic: sum_i 0.5 p_i^T A p_i
            loss = sum((p * (self.mk(a[: p.shape[0], : p.shape[0]]) @ p)).sum() for p in self.ps)
            loss.backward()
        else:
            for p, g in zip(self.ps, grads):
                p.grad = self.mk(g) if self.mk is torch.tensor else g.copy()
        self.opt.step()

    def reload(self, name: str, hp: dict, group_hp: dict) -> None:
        """A fresh optimizer on the same parameters, taking this one's state_dict."""
        state = self.opt.state_dict()
        self.opt = self.cls([{"params": self.ps[:1], **group_hp}, {"params": self.ps[1:]}], **hp)
        self.opt.load_state_dict(state)


@SETTINGS
@given(st.data())
def test_optimizer_configurations_match_torch(data: Any) -> None:
    d = Draw(data)
    name = d.choice(OPTIMIZERS)
    hp = _optim_hparams(d, name)
    group_hp = {k: v for k, v in _optim_hparams(d, name).items() if d.flag()}
    rng = np.random.default_rng(d.int(0, 2**16))
    start = [rng.normal(size=3), rng.normal(size=(3,))]
    m = rng.normal(size=(3, 3))
    a = m @ m.T / 3 + np.eye(3)
    sides = []
    for lib in ("torch", "ours"):
        s, e = _attempt(lambda lib=lib: _OptSide(lib, name, start, hp, group_hp))
        sides.append((s, e))
    if sides[0][1] is None and "nesterov" in str(sides[1][1]):
        # torch checks nesterov's requirements (momentum > 0, dampening 0) on the constructor's
        # arguments only, ours on every param group too: the same rule, applied consistently
        return
    if _raises("construction", sides[1][1], sides[0][1]):
        return
    theirs, ours = sides[0][0], sides[1][0]
    random_grads = d.flag()
    for i in range(8):
        grads = [rng.normal(size=p.shape) for p in start] if random_grads else None
        theirs.step(grads, a)
        ours.step(grads, a)
        if i == 3:
            ours.reload(name, hp, group_hp)
        for k, (o, t) in enumerate(zip(ours.ps, theirs.ps)):
            np.testing.assert_allclose(
                np.asarray(o.data), t.detach().numpy(), rtol=1e-9, atol=1e-11,
                err_msg=f"{name} {hp} groups {group_hp}: parameter {k} after step {i}",
            )  # fmt: skip


# --- lr schedulers ----------------------------------------------------------------------
def _sched_args(d: Draw, name: str) -> tuple[dict, Any]:
    """Arguments, and the per-epoch metric for ReduceLROnPlateau."""
    if name == "StepLR":
        return {"step_size": d.int(1, 5), "gamma": d.choice([0.1, 0.5, 1.0])}, None
    if name == "MultiStepLR":
        return {
            "milestones": sorted(d.ints(d.int(1, 3), 1, 25)),
            "gamma": d.choice([0.1, 0.5]),
        }, None
    if name == "ExponentialLR":
        return {"gamma": d.choice([0.9, 0.5, 1.0])}, None
    if name == "CosineAnnealingLR":
        return {"T_max": d.int(1, 20), "eta_min": d.choice([0.0, 1e-3])}, None
    if name == "CosineAnnealingWarmRestarts":
        return {"T_0": d.int(1, 10), "T_mult": d.int(1, 3), "eta_min": d.choice([0.0, 1e-3])}, None
    if name == "LinearLR":
        return {"start_factor": d.choice([1 / 3, 0.5, 1.0]), "end_factor": d.choice([1.0, 0.5]),
                "total_iters": d.int(1, 10)}, None  # fmt: skip
    if name == "ConstantLR":
        return {"factor": d.choice([1 / 3, 0.5, 1.0]), "total_iters": d.int(0, 10)}, None
    if name == "PolynomialLR":
        return {"total_iters": d.int(1, 20), "power": d.choice([1.0, 2.0, 0.5])}, None
    if name == "OneCycleLR":
        return {
            "max_lr": d.choice([0.1, 1.0]),
            "total_steps": d.int(31, 40),
            "pct_start": d.choice([0.3, 0.5]),
            "anneal_strategy": d.choice(["cos", "linear"]),
            "div_factor": d.choice([25.0, 10.0]),
            "final_div_factor": d.choice([1e4, 10.0]),
            "three_phase": d.flag(),
            "cycle_momentum": False,
        }, None
    if name == "CyclicLR":
        return {
            "base_lr": d.choice([0.01, 0.001]),
            "max_lr": d.choice([0.1, 1.0]),
            "step_size_up": d.int(1, 6),
            "step_size_down": d.choice([None, d.int(1, 6)]),
            "mode": d.choice(["triangular", "triangular2", "exp_range"]),
            "gamma": d.choice([1.0, 0.9]),
            "cycle_momentum": False,
        }, None
    if name == "ReduceLROnPlateau":
        metrics = [float(v) for v in np.random.default_rng(d.int(0, 99)).integers(0, 4, 30)]
        return {
            "mode": d.choice(["min", "max"]),
            "factor": d.choice([0.1, 0.5]),
            "patience": d.int(0, 3),
            "threshold": d.choice([1e-4, 0.1]),
            "threshold_mode": d.choice(["rel", "abs"]),
            "cooldown": d.int(0, 2),
            "min_lr": d.choice([0.0, 1e-3]),
            "eps": d.choice([1e-8, 1e-2]),
        }, metrics
    raise AssertionError(name)


SCHEDULERS = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
              "CosineAnnealingWarmRestarts", "LinearLR", "ConstantLR", "PolynomialLR",
              "OneCycleLR", "CyclicLR", "ReduceLROnPlateau"]  # fmt: skip


def _lr_run(lib: Any, name: str, kw: dict, metrics: Any, lrs: tuple) -> list:
    mk = torch.zeros if lib is torch else (lambda n: Tensor(np.zeros(n)))
    ps = [mk(2) for _ in lrs]
    for p in ps:
        p.requires_grad_(True)
    opt_mod = torch.optim if lib is torch else optim
    opt = opt_mod.SGD([{"params": [p], "lr": lr} for p, lr in zip(ps, lrs)], lr=lrs[0])
    mod = torch.optim.lr_scheduler if lib is torch else our_sched
    sched = getattr(mod, name)(opt, **kw)
    out = [list(sched.get_last_lr())]
    for epoch in range(30):
        opt.step()
        sched.step(*([metrics[epoch]] if metrics else []))
        out.append([float(v) for v in sched.get_last_lr()])
        out.append([g["lr"] for g in opt.param_groups])
    return out


@SETTINGS
@given(st.data())
def test_lr_scheduler_configurations_match_torch(data: Any) -> None:
    d = Draw(data)
    name = d.choice(SCHEDULERS)
    kw, metrics = _sched_args(d, name)
    lrs = (d.choice([0.1, 0.5]), d.choice([0.03, 1.0]))
    t, te = _attempt(lambda: _lr_run(torch, name, kw, metrics, lrs))
    o, oe = _attempt(lambda: _lr_run(None, name, kw, metrics, lrs))
    if _raises(f"{name}({kw})", oe, te):
        return
    np.testing.assert_allclose(np.array(o), np.array(t), rtol=1e-12, atol=1e-15,
                               err_msg=f"{name}({kw})")  # fmt: skip


def _write_report() -> None:
    if REPORT:
        with open(REPORT, "w") as f:
            json.dump({"mismatches": _found, "examples": _examples}, f, indent=1, default=str)
