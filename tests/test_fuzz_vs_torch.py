"""Differential fuzzer: random programs of 1 to 8 ops from tests/op_catalogue.py (the one op
table, shared with the gradient and torch oracle tests), run on our Tensor and on torch,
compared op by op and end to end.

Every float entry of the table takes part: an entry's ``fn(lib, x, ...)`` gives both sides
(``lib = autograd`` and ``lib = torch``); its ``sample`` draws the arguments after the
program's current tensor (axes, scalars, targets, broadcasting partners), or, without one,
its own makers give the extra tensor inputs, fitted to the current tensor's shape where they
share the first input's shape (``fuzz_view``). Integer-only entries are left to the oracle.

Each program draws a dtype (float32/float64), a starting shape (size-0 and size-1 axes
included) and values (a regime per program: plain, special values like 0 and +-1, extremes
like +-1e3, or non-finite +-inf/nan), then 1 to 8 ops whose arguments the catalogue draws
(broadcasting partners, axes, indices, targets). Every step runs on identical inputs in both
libraries and compares: whether both raise; result shape and dtype; values (nan and inf in
the same places); the vector-Jacobian product with a shared random cotangent (first order);
and, for float64 and the entries with ``gradgrad``, the derivative of that VJP against
another random vector. A difference an entry documents (``known``) is counted, not failed.
Finally a program of differentiable ops runs end to end in each library and the gradients
of all its leaves are compared (loosely: rounding differences grow along a chain).

Default runs are short (``FUZZ_EXAMPLES``, default 40); ``FUZZ_EXAMPLES=20000`` makes a long
run. ``FUZZ_REPORT=path.json`` switches to survey mode: no failure, but counts of programs,
steps, mismatches by kind and op, and documented differences skipped are written to the
path (with the first examples of each kind).
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
from autograd import Tensor  # noqa: E402
from tests.op_catalogue import OPS as TABLE  # noqa: E402
from tests.op_catalogue import SAME, TORCH_CANNOT_DIFFERENTIATE, Known, Leaf, Sample  # noqa: E402
from tests.op_catalogue import OpInfo as Entry  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
REPORT = os.environ.get("FUZZ_REPORT")
ONLY = os.environ.get("FUZZ_OPS")  # comma-separated op names, to focus a run

RTOL = {np.dtype(np.float32): 2e-5, np.dtype(np.float64): 1e-10}
END_RTOL = {np.dtype(np.float32): 2e-3, np.dtype(np.float64): 1e-6}
SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, 0.5, -2.0, 2.0, 3.0, -0.5])
EXTREME = np.array([1e3, -1e3, 50.0, -50.0, 1e-30, -1e-30, 20.0, -20.0, 90.0, -90.0])
NONFINITE = np.array([np.inf, -np.inf, np.nan])
REGIMES = ("plain", "special", "extreme", "nonfinite")
# a program stops once its tensor holds more entries: ops that square the size (diagflat,
# diag_embed, outer products) chained would otherwise ask for gigabytes (a 2**16-entry
# diagflat is 16 GiB)
MAX_ENTRIES = 1024

torch.set_num_threads(1)


@dataclass(frozen=True)
class OpInfo:
    """A table entry as the fuzzer runs it: the first input is the program's tensor."""

    name: str
    ours: Callable[..., Any]
    theirs: Callable[..., Any]
    sample: Callable[..., Sample | None]
    domain: str
    start_shape: tuple | None  # an entry without ``sample`` may start from its own shape
    differentiable: bool
    second_order: bool
    tol: float
    kinked: bool
    periodic: bool
    known: tuple[Known, ...]


def _from_makers(e: Entry) -> Callable[..., Sample]:
    """Extra inputs from the entry's makers; those shaped like its first input take x's shape
    (half the time with the program's values regime instead of the maker's domain)."""

    def sample(d: Any, x: np.ndarray) -> Sample:
        first = e.inputs[0].shape
        args = []
        for m in e.inputs[1:]:
            shape = x.shape if m.shape == first else m.shape
            if m.kind == "U" and m.lo < 0 and d.flag():
                args.append(Leaf(d.array(shape)))
            else:
                rng = np.random.default_rng(d.integer(0, 2**31))
                args.append(Leaf(m.like(shape)(rng, x.dtype)))
        return Sample(tuple(args))

    return sample


def fuzz_view(e: Entry) -> OpInfo:
    """The fuzzer's view of one table entry."""
    return OpInfo(
        name=e.name,
        ours=lambda x, *a, **k: e.fn(autograd, x, *a, **k),
        theirs=lambda x, *a, **k: e.fn(torch, x, *a, **k),
        sample=e.sample or _from_makers(e),
        domain=e.domain or e.inputs[0].domain,
        start_shape=None if e.sample else e.inputs[0].shape,
        differentiable=e.grad and TORCH_CANNOT_DIFFERENTIATE not in e.tags,
        second_order=e.grad and e.gradgrad and TORCH_CANNOT_DIFFERENTIATE not in e.tags,
        tol=e.fuzz_tol,
        kinked=e.kinked,
        periodic=e.periodic,
        known=e.known,
    )


CATALOGUE = [fuzz_view(e) for e in TABLE if {"float32", "float64"} & set(e.dtypes)]


class Drawer:
    """Choices through hypothesis (so programs shrink); array values from a seeded rng."""

    def __init__(self, data: Any, rng: np.random.Generator, dtype: np.dtype, regime: str):
        self.data, self.rng, self.dtype, self.regime = data, rng, dtype, regime

    def choice(self, options: Any) -> Any:
        return options[self.data.draw(st.integers(0, len(options) - 1))]

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))

    def flag(self) -> bool:
        return self.data.draw(st.booleans())

    def shape(self) -> tuple:
        ndim = self.integer(0, 3)
        return tuple(self.choice((1, 2, 3, 4, 2, 3, 0)) for _ in range(ndim))

    def broadcast_partner(self, shape: tuple) -> tuple:
        out = list(shape)
        kind = self.integer(0, 4)
        if kind == 1 and out:
            out = out[self.integer(1, len(out)) :]  # drop leading axes
        elif kind == 2:
            out = [1 if self.flag() else s for s in out]
        elif kind == 3:
            out = [self.choice((1, 2))] + out
        elif kind == 4:
            return ()
        return tuple(out)

    def array(self, shape: tuple, domain: str = "any") -> np.ndarray:
        rng, n = self.rng, int(np.prod(shape))
        v = rng.uniform(-3, 3, n)
        if self.regime != "plain" and n:
            pick = rng.random(n) < 0.4
            v[pick] = rng.choice(SPECIAL, int(pick.sum()))
            if self.regime in ("extreme", "nonfinite"):
                pick = rng.random(n) < 0.25
                v[pick] = rng.choice(EXTREME, int(pick.sum()))
            if self.regime == "nonfinite" and domain == "any":
                pick = rng.random(n) < 0.15
                v[pick] = rng.choice(NONFINITE, int(pick.sum()))
        if domain == "positive":
            v = np.abs(v)
        elif domain == "unit":
            v = rng.random(n)
            if self.regime != "plain" and n:
                v[rng.random(n) < 0.2] = 0.0
                v[rng.random(n) < 0.2] = 1.0
        elif domain == "sign":
            v = np.where(rng.random(n) < 0.5, -1.0, 1.0)
        return v.reshape(shape).astype(self.dtype)

    def indices(self, shape: tuple, high: int) -> np.ndarray:
        return self.rng.integers(0, high, size=shape).astype(np.int64)


# --- comparing --------------------------------------------------------------------------
def _finite_max(*arrays: np.ndarray) -> float:
    m = 1.0
    for a in arrays:
        a = np.asarray(a, dtype=np.float64)
        f = np.abs(a[np.isfinite(a)])
        if f.size:
            m = max(m, float(f.max()))
    return m


def differs(ours: np.ndarray, ref: np.ndarray, rtol: float, scale_from: tuple = ()) -> str:
    """'' when equal within tolerance (nan where nan, infinities equal), else a description."""
    if ours.shape != ref.shape:
        return f"shape {ours.shape} vs torch {ref.shape}"
    if ref.dtype.kind not in "fc":
        return "" if np.array_equal(ours, ref) else f"{ours.tolist()} vs torch {ref.tolist()}"
    a, b = ours.astype(np.float64), ref.astype(np.float64)
    big = float(np.finfo(ref.dtype).max) / 16 if ref.dtype.kind == "f" else np.inf
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    bad = nan_a != nan_b
    inf_a, inf_b = np.isinf(a), np.isinf(b)
    # an infinity on one side against a finite number within a factor 16 of the largest float
    # on the other: overflow at the edge (an intermediate of one side's formula overflowed)
    edge = (inf_a & ~inf_b & (np.abs(b) > big)) | (inf_b & ~inf_a & (np.abs(a) > big))
    bad |= (inf_a | inf_b) & ~(nan_a | nan_b) & ~edge & (a != b)
    both = np.isfinite(a) & np.isfinite(b)
    scale = _finite_max(b, *scale_from)
    with np.errstate(invalid="ignore", over="ignore"):
        bad |= both & (np.abs(a - b) > rtol * (np.abs(b) + scale))
    if not bad.any():
        return ""
    i = np.unravel_index(int(np.argmax(bad)), bad.shape) if bad.ndim else ()
    return f"{int(bad.sum())}/{bad.size} differ, e.g. at {i}: {a[i]!r} vs torch {b[i]!r}"


def _np(t: Any, like: Any = None) -> np.ndarray:
    if t is None:
        return np.zeros(like.shape, dtype=like.dtype)
    if isinstance(t, torch.Tensor):
        return t.detach().numpy(force=True)
    return np.asarray(t.data if isinstance(t, Tensor) else t)


# --- running one op ---------------------------------------------------------------------
class Step:
    """One op's inputs, built as leaves of both libraries from the same arrays."""

    def __init__(self, op: OpInfo, x: np.ndarray, sample: Sample):
        self.op, self.x, self.sample = op, x, sample
        fx = x.dtype.kind == "f" and op.differentiable
        self.xo = Tensor(x.copy(), requires_grad=fx)
        self.xt = torch.from_numpy(np.array(x, copy=True)).requires_grad_(fx)
        self.leaves_o = [self.xo] if fx else []
        self.leaves_t = [self.xt] if fx else []
        self.args_o = [self._arg(a, 0) for a in sample.args]
        self.args_t = [self._arg(a, 1) for a in sample.args]
        self.kw_o = {k: self._arg(v, 0, False) for k, v in sample.kwargs.items()}
        self.kw_t = {k: self._arg(v, 1, False) for k, v in sample.kwargs.items()}

    def _arg(self, a: Any, side: int, grad: bool = True) -> Any:
        if isinstance(a, str) and a == SAME:
            return self.xo if side == 0 else self.xt
        if not isinstance(a, Leaf):
            return a
        rg = grad and a.requires_grad and a.data.dtype.kind == "f" and self.op.differentiable
        if side == 0:
            t = Tensor(a.data.copy(), requires_grad=rg)
            if rg:
                self.leaves_o.append(t)
        else:
            t = torch.from_numpy(np.array(a.data, copy=True)).requires_grad_(rg)
            if rg:
                self.leaves_t.append(t)
        return t


def _call(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, BaseException | None]:
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs), None
    except Exception as e:  # noqa: BLE001 (both libraries' errors are compared)
        return None, e


def _leaf_rtol(rtol: float, leaf: Any, op: OpInfo) -> float:
    """The tolerance for a leaf's gradient: the output's, or the leaf's own dtype's when that
    is coarser (a float32 input of a float64 result gets a float32 gradient)."""
    own = RTOL.get(np.dtype(str(leaf.dtype).removeprefix("torch.")), 0.0) * op.tol
    return max(rtol, own)


def _known(op: OpInfo, what: str, x: np.ndarray, sample: Sample) -> str:
    for k in op.known:
        if k.what == what and k.when(x, sample):
            return k.reason
    return ""


class Recorder:
    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.by_op: dict[str, Counter] = defaultdict(Counter)
        self.examples: dict[str, list] = defaultdict(list)
        self.documented: Counter = Counter()
        self.mismatches: list[str] = []
        self.step_documented = False  # a documented first-order difference in this program

    def mismatch(self, kind: str, op: str, text: str) -> None:
        self.counts[kind] += 1
        self.by_op[op][kind] += 1
        if len(self.examples[f"{op}:{kind}"]) < 3:
            self.examples[f"{op}:{kind}"].append(text)
        self.mismatches.append(f"[{kind}] {op}: {text}")


def check_step(
    op: OpInfo, x: np.ndarray, sample: Sample, rng: np.random.Generator, rec: Recorder
) -> tuple[np.ndarray | None, bool]:
    """Run one op both ways; record mismatches; return our result (None if both raised) and
    whether the step agreed."""
    s = Step(op, x, sample)
    where = f"{op.name}(x{x.shape} {x.dtype}, {sample.args!r:.200}, {sample.kwargs!r:.120})"
    out_o, err_o = _call(op.ours, s.xo, *s.args_o, **s.kw_o)
    out_t, err_t = _call(op.theirs, s.xt, *s.args_t, **s.kw_t)
    if err_o is not None or err_t is not None:
        if err_o is None or err_t is None:
            if _known(op, "raises", x, sample):
                rec.documented[f"{op.name}:raises"] += 1
                rec.step_documented = True
                return None, True
            rec.mismatch("raises", op.name, f"{where}: ours {err_o!r:.200}, torch {err_t!r:.200}")
            return None, False
        return None, True
    vo, vt = _np(out_o), _np(out_t)
    ok = True
    if vo.shape != vt.shape:
        if _known(op, "shape", x, sample):
            rec.documented[f"{op.name}:shape"] += 1
            rec.step_documented = True
            return None, True
        rec.mismatch("shape", op.name, f"{where}: {vo.shape} vs torch {tuple(vt.shape)}")
        return None, False
    if vo.dtype != vt.dtype:
        rec.mismatch("dtype", op.name, f"{where}: {vo.dtype} vs torch {vt.dtype}")
        ok = False
    rtol = RTOL.get(vt.dtype, 0.0) * op.tol
    d = differs(vo, vt, rtol, (x,))
    if d:
        reason = _known(op, "value", x, sample)
        if reason:
            rec.documented[f"{op.name}:value"] += 1
            rec.step_documented = True
        else:
            rec.mismatch("value", op.name, f"{where}: {d}")
            ok = False
    if not s.leaves_o or vt.dtype.kind != "f" or not out_t.requires_grad:
        return vo, ok
    if not getattr(out_o, "requires_grad", False):
        rec.mismatch("requires_grad", op.name, f"{where}: ours does not require grad")
        return vo, False
    second = op.second_order and vt.dtype == np.float64
    v = rng.standard_normal(vt.shape).astype(vt.dtype)
    go, err_o = _call(
        autograd.grad,
        out_o,
        s.leaves_o,
        grad_outputs=Tensor(v.copy()),
        allow_unused=True,
        create_graph=second,
    )
    gt, err_t = _call(
        torch.autograd.grad,
        out_t,
        s.leaves_t,
        grad_outputs=torch.tensor(v),
        allow_unused=True,
        create_graph=second,
    )
    if err_o is not None or err_t is not None:
        if (err_o is None or err_t is None) and _known(op, "grad_raises", x, sample):
            rec.documented[f"{op.name}:grad_raises"] += 1
            rec.step_documented = True
        elif err_o is None or err_t is None:
            rec.mismatch(
                "grad_raises", op.name, f"{where}: ours {err_o!r:.200}, torch {err_t!r:.200}"
            )
            ok = False
        return vo, ok
    known_grad = _known(op, "grad", x, sample)
    for i, (a, b, leaf) in enumerate(zip(go, gt, s.leaves_t)):
        ga, gb = _np(a, leaf.detach().numpy()), _np(b, leaf.detach().numpy())
        if ga.dtype != gb.dtype and ga.size:
            rec.mismatch("grad_dtype", op.name, f"{where}: input {i}: {ga.dtype} vs {gb.dtype}")
            ok = False
        d = differs(ga, gb, _leaf_rtol(rtol, leaf, op), (v, x))
        if d:
            if known_grad:
                rec.documented[f"{op.name}:grad"] += 1
                rec.step_documented = True
            else:
                rec.mismatch("grad", op.name, f"{where}: input {i}: {d}")
                ok = False
    if not second:
        return vo, ok
    ws = [rng.standard_normal(leaf.shape) for leaf in s.leaves_t]
    so = [(g * Tensor(w)).sum() for g, w in zip(go, ws) if getattr(g, "requires_grad", False)]
    st_ = [(g * torch.tensor(w)).sum() for g, w in zip(gt, ws) if g is not None and g.requires_grad]
    g2o: Any = [None] * len(ws)
    g2t: Any = [None] * len(ws)
    err_o = err_t = None
    if so:
        total = so[0]
        for term in so[1:]:
            total = total + term
        g2o, err_o = _call(autograd.grad, total, s.leaves_o, allow_unused=True)
    if st_:
        g2t, err_t = _call(torch.autograd.grad, sum(st_), s.leaves_t, allow_unused=True)
    if err_o is not None or err_t is not None:  # both refusing (e.g. torch's own rule) agree
        if err_o is None or err_t is None:
            rec.mismatch("grad2_raises", op.name,
                         f"{where}: ours {err_o!r:.200}, torch {err_t!r:.200}")  # fmt: skip
            return vo, False
        return vo, ok
    known2 = _known(op, "grad2", x, sample)
    for i, (a, b, leaf) in enumerate(zip(g2o, g2t, s.leaves_t)):
        d = differs(
            _np(a, leaf.detach().numpy()),
            _np(b, leaf.detach().numpy()),
            _leaf_rtol(rtol, leaf, op) * 100,
            (v, x),
        )
        if d:
            if known2:
                rec.documented[f"{op.name}:grad2"] += 1
            else:
                rec.mismatch("grad2", op.name, f"{where}: input {i}: {d}")
                ok = False
    return vo, ok


def _leaf(side: int, a: np.ndarray, rg: bool, leaves: list) -> Any:
    if side == 0:
        t = Tensor(a.copy(), requires_grad=rg)
    else:
        t = torch.from_numpy(np.array(a, copy=True)).requires_grad_(rg)
    if rg:
        leaves.append(t)
    return t


def _conv(side: int, a: Any, cur: Any, leaves: list, grad: bool) -> Any:
    if isinstance(a, str) and a == SAME:
        return cur
    if isinstance(a, Leaf):
        return _leaf(side, a.data, grad and a.requires_grad and a.data.dtype.kind == "f", leaves)
    return a


def _phase_lost(op: OpInfo, x: Any) -> bool:
    """A periodic op's input so large that one ulp of it is a sizeable part of the tolerance."""
    a = _np(x)
    if not op.periodic or a.dtype.kind != "f":
        return False
    big = END_RTOL[a.dtype] / 100 / float(np.finfo(a.dtype).eps)
    return _finite_max(a) > big


def run_end_to_end(program: list, x0: np.ndarray, rng: np.random.Generator, rec: Recorder) -> None:
    """The whole chain in each library; gradients of every leaf compared loosely."""
    sides = []
    phase_lost = False
    known = ""  # a step's documented end-to-end difference at its input (ours)
    for side in (0, 1):
        leaves: list = []
        cur = _leaf(side, x0, True, leaves)
        for op, sample in program:
            phase_lost |= _phase_lost(op, cur)
            if side == 0 and not known:
                known = _known(op, "end_to_end", _np(cur), sample) and op.name
            args = [_conv(side, a, cur, leaves, True) for a in sample.args]
            kwargs = {k: _conv(side, v, cur, leaves, False) for k, v in sample.kwargs.items()}
            with np.errstate(all="ignore"):
                cur = (op.ours if side == 0 else op.theirs)(cur, *args, **kwargs)
        sides.append((cur, leaves))
    (out_o, leaves_o), (out_t, leaves_t) = sides
    if not out_t.requires_grad or out_t.dtype not in (torch.float32, torch.float64):
        return
    v = rng.standard_normal(tuple(out_t.shape)).astype(_np(out_t).dtype)
    go, err_o = _call(autograd.grad, out_o, leaves_o, Tensor(v.copy()), allow_unused=True)
    gt, err_t = _call(torch.autograd.grad, out_t, leaves_t, torch.tensor(v), allow_unused=True)
    if err_o is not None and err_t is not None:
        return  # both refuse the chain's backward (e.g. a complete QR of a tall matrix)
    if err_o is not None or err_t is not None:
        raise err_o or err_t  # type: ignore[misc]
    rtol = END_RTOL[np.dtype(x0.dtype)]
    names = "+".join(op.name for op, _ in program)
    for i, (a, b, leaf) in enumerate(zip(go, gt, leaves_t)):
        ga, gb = _np(a, leaf.detach().numpy()), _np(b, leaf.detach().numpy())
        d = differs(ga, gb, rtol, (v, x0))
        fin = np.isfinite(ga) & np.isfinite(gb)
        if d and not differs(ga[fin], gb[fin], rtol, (v, x0)):
            # only where a nan/inf gradient met a mask (see the catalogue's docstring)
            rec.documented["end_to_end_nonfinite"] += 1
            return
        if d and known:
            rec.documented[f"end_to_end_known:{known}"] += 1  # the op's Known
            return
        if d and phase_lost:
            rec.documented["end_to_end_periodic"] += 1  # see the catalogue's docstring
            return
        if d and any(op.kinked for op, _ in program[1:]):
            rec.documented["end_to_end_kink"] += 1  # see the catalogue's docstring
            return
        if d:
            rec.mismatch(
                "end_to_end", names, f"x0{x0.shape} {x0.dtype}: leaf {i}: {d}; {program!r:.300}"
            )
            return


RECORDER = Recorder()
STATS: Counter = Counter()
OPS = [op for op in CATALOGUE if not ONLY or op.name in ONLY.split(",")]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not REPORT,
    suppress_health_check=list(HealthCheck),
)
@given(st.data())
def test_random_programs_agree_with_torch(data: Any) -> None:
    rec = RECORDER if REPORT else Recorder()
    dtype = np.dtype(data.draw(st.sampled_from([np.float32, np.float64])))
    regime = data.draw(st.sampled_from(REGIMES))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    d = Drawer(data, rng, dtype, regime)
    n_ops = d.integer(1, 8)
    first = d.choice(OPS)
    shape = first.start_shape if first.start_shape is not None and d.flag() else d.shape()
    x = d.array(shape, first.domain)
    x0 = x
    program: list = []
    all_ok = True
    rec.step_documented = False
    STATS["programs"] += 1
    for step in range(n_ops):
        op = first if step == 0 else d.choice(OPS)
        if x.dtype.kind != "f":
            break
        sample = op.sample(d, x)
        if sample is None:
            continue
        STATS["steps"] += 1
        out, ok = check_step(op, x, sample, rng, rec)
        all_ok &= ok
        if out is None:
            break
        program.append((op, sample))
        x = out
        if x.size > MAX_ENTRIES:
            break
    if rec.step_documented:
        STATS["end_to_end_skipped_documented"] += 1
    elif all_ok and program and x.dtype.kind == "f" and all(o.differentiable for o, _ in program):
        STATS["end_to_end"] += 1
        try:
            run_end_to_end(program, x0, rng, rec)
        except Exception as e:  # noqa: BLE001
            if "view size is not compatible" in str(e):  # torch's strides (see the catalogue)
                rec.documented["end_to_end_view_strides"] += 1
            else:
                rec.mismatch(
                    "end_to_end_raises", "+".join(o.name for o, _ in program), repr(e)[:300]
                )
    if REPORT and STATS["programs"] % 500 == 0:
        _write_report()  # a long run can be stopped at any time
    if not REPORT:
        assert not rec.mismatches, "\n".join(rec.mismatches)


def teardown_module() -> None:
    if REPORT:
        _write_report()


def _write_report() -> None:
    if REPORT:
        with open(REPORT, "w") as f:
            json.dump(
                {
                    "stats": dict(STATS),
                    "mismatches_by_kind": dict(RECORDER.counts),
                    "mismatches_by_op": {k: dict(v) for k, v in RECORDER.by_op.items()},
                    "documented_skips": dict(RECORDER.documented),
                    "examples": dict(RECORDER.examples),
                },
                f,
                indent=1,
            )
