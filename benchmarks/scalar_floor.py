"""The floor of a pure-Python scalar engine on this machine, next to ours and the baseline.

Issue 12 asks the scalar engine for <= 0.10x a closure-per-op engine (micrograd's style,
collector on), <= 1.0x that engine with its collector off, and <= 1.5 us per node on a deep
chain. This script measures how close any engine written in Python can get, so the gap
between those targets and ours can be split into what Python itself costs and what our
constraints (each derivative written once, in ``Function.backward``, serving Value, Tensor
and create_graph; hooks, ``grad()``, ``retain_graph``, the testing toolkit) cost.

Contenders, all on the same workloads and checked against each other before timing:
- baseline: ``benchmarks.scalar_mlp.BaselineValue`` (micrograd's way: a set of children and a
  closure per op, recursive topological sort);
- bare: the least a one-object-per-op engine can do: a slotted node (data, grad, two inputs,
  an op code, a creation number), forward arithmetic inline in the operators, and backward a
  loop over the nodes newest-first with every derivative written inline in that loop (no call
  per node, no tuples);
- bare+rules: bare, with the derivatives moved out of the loop into one function per op that
  returns the input gradients: the shape "each derivative written once" imposes;
- ours: ``autograd.Value``.
Each runs with the collector on (as users run it) and off. The deep chain is x = x * 1.0001 +
0.001 repeated (two nodes per step), built and backpropagated, collector on.

Run: python -m benchmarks.scalar_floor [--repeats N] [--chain N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
from collections.abc import Callable
from functools import partial
from heapq import heappop, heappush
from itertools import count
from typing import Any

from autograd import Value
from benchmarks.data import two_moons
from benchmarks.scalar_mlp import BaselineValue, build_mlp, loss, train_step
from benchmarks.timing import clock, collector, row, times_ms

ADD, ADD_CONST, MUL, MUL_CONST, RELU = range(1, 6)
_seq = count().__next__
_NUMBERS = (float, int)


class BareValue:
    """One slotted object per op; derivatives inline in ``backward``'s loop."""

    __slots__ = ("data", "grad", "_a", "_b", "_op", "_seq")
    _a: Any
    _b: Any

    def __init__(self, data: float) -> None:
        self.data = data
        self.grad = 0.0
        self._op = 0
        self._seq = -1

    def __add__(self, other: Any) -> BareValue:
        out = _new(type(self))
        if type(other) in _NUMBERS:
            out.data = self.data + other
            out._op = ADD_CONST
        else:
            out.data = self.data + other.data
            out._op = ADD
        out.grad = 0.0
        out._a = self
        out._b = other
        out._seq = _seq()
        return out

    def __mul__(self, other: Any) -> BareValue:
        out = _new(type(self))
        if type(other) in _NUMBERS:
            out.data = self.data * other
            out._op = MUL_CONST
        else:
            out.data = self.data * other.data
            out._op = MUL
        out.grad = 0.0
        out._a = self
        out._b = other
        out._seq = _seq()
        return out

    def relu(self) -> BareValue:
        out = _new(type(self))
        out.data = self.data if self.data > 0 else 0.0
        out._op = RELU
        out.grad = 0.0
        out._a = self
        out._b = None
        out._seq = _seq()
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self) -> None:
        """Newest first from a heap of the nodes that received a gradient (as ours does)."""
        self.grad = 1.0
        heap = [(-self._seq, self)]
        pending = {self}
        while heap:
            v = heappop(heap)[1]
            g, op, a, b = v.grad, v._op, v._a, v._b
            if op == MUL:
                a.grad += b.data * g
                b.grad += a.data * g
            elif op == ADD:
                a.grad += g
                b.grad += g
            elif op == MUL_CONST:
                a.grad += b * g
            elif op == ADD_CONST:
                a.grad += g
            elif v.data > 0:  # RELU
                a.grad += g
            if a._op and a not in pending:
                pending.add(a)
                heappush(heap, (-a._seq, a))
            if (op == MUL or op == ADD) and b._op and b not in pending:
                pending.add(b)
                heappush(heap, (-b._seq, b))


def _mul_rule(v: Any, g: float) -> tuple:
    return v._b.data * g, v._a.data * g


def _add_rule(v: Any, g: float) -> tuple:
    return g, g


def _mul_const_rule(v: Any, g: float) -> tuple:
    return v._b * g, None


def _add_const_rule(v: Any, g: float) -> tuple:
    return g, None


def _relu_rule(v: Any, g: float) -> tuple:
    return (g if v.data > 0 else 0.0), None


RULES = {
    MUL: _mul_rule,
    ADD: _add_rule,
    MUL_CONST: _mul_const_rule,
    ADD_CONST: _add_const_rule,
    RELU: _relu_rule,
}


class BareRulesValue(BareValue):
    """BareValue whose backward calls one rule function per op for the input gradients."""

    __slots__ = ()

    def backward(self) -> None:
        """As BareValue's, the derivatives coming from ``RULES``."""
        self.grad = 1.0
        heap = [(-self._seq, self)]
        pending = {self}
        while heap:
            v = heappop(heap)[1]
            ga, gb = RULES[v._op](v, v.grad)
            a = v._a
            a.grad += ga
            if a._op and a not in pending:
                pending.add(a)
                heappush(heap, (-a._seq, a))
            if gb is not None:
                b = v._b
                b.grad += gb
                if b._op and b not in pending:
                    pending.add(b)
                    heappush(heap, (-b._seq, b))


_new = object.__new__

ENGINES: dict[str, type] = {
    "baseline": BaselineValue,
    "bare": BareValue,
    "bare+rules": BareRulesValue,
    "ours": Value,
}


def check_same_numbers(X: Any, y: Any) -> None:
    """Every engine gives the baseline's loss and gradients for the same weights."""
    ref_layers = build_mlp(BaselineValue)
    ref = loss(BaselineValue, ref_layers, X, y)
    ref.backward()
    ref_grads = [p.grad for rows, bias in ref_layers for r in rows for p in r]
    for name, cls in ENGINES.items():
        layers = build_mlp(cls)
        total = loss(cls, layers, X, y)
        total.backward()
        grads = [p.grad for rows, bias in layers for r in rows for p in r]
        assert abs(total.data - ref.data) <= 1e-12 * abs(ref.data), name
        assert all(abs(a - b) <= 1e-9 * (abs(b) + 1e-12) for a, b in zip(grads, ref_grads)), name


def chain_us_per_node(cls: type, n: int) -> float:
    """Build x = x * 1.0001 + 0.001 ``n`` times (2n nodes) and backpropagate: us per node."""
    gc.collect()
    t0 = clock()
    x0 = cls(1.0)
    x = x0
    for _ in range(n):
        x = x * 1.0001 + 0.001
    x.backward()
    elapsed = clock() - t0
    expected = 1.0001**n
    assert abs(x0.grad - expected) <= 1e-9 * expected, (cls.__name__, x0.grad, expected)
    del x, x0
    return elapsed / (2 * n) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="turns per contender")
    parser.add_argument("--chain", type=int, default=200_000, help="multiply-add steps")
    args = parser.parse_args()

    X, y = two_moons(100)
    check_same_numbers(X, y)
    print("scalar MLP 2-16-16-1 step (benchmarks.scalar_mlp's workload), same loss and gradients")
    print(f"on every engine; median of {args.repeats} turns x 2 steps, contenders taking turns")
    keys = [(name, on) for on in (True, False) for name in ENGINES]
    steps: dict[tuple[str, bool], Callable[[], object]] = {
        k: partial(train_step, ENGINES[k[0]], build_mlp(ENGINES[k[0]]), X, y) for k in keys
    }
    times: dict[tuple[str, bool], list[float]] = {k: [] for k in keys}
    for _ in range(args.repeats):
        for k in keys:
            with collector(k[1]):
                times[k] += times_ms(steps[k], 2, warmup=1)
    ms = {k: statistics.median(v) for k, v in times.items()}
    base_on, base_off = ms["baseline", True], ms["baseline", False]
    print(f"  {'':44s}{'':13s}  /baseline gc on  /baseline gc off")
    for name, on in keys:
        t = ms[name, on]
        label = f"{name} ({'gc on' if on else 'gc off'})"
        print(f"{row(label, t)}   {t / base_on:8.3f}x   {t / base_off:8.3f}x")
    for name in ENGINES:
        share = 1 - ms[name, False] / ms[name, True]
        print(f"  {name}: share of its gc-on step spent by the collector ~{100 * share:.0f}%")

    nodes = 2 * args.chain
    print(f"\nmultiply-add chain, {args.chain:,} steps ({nodes:,} nodes), built + backward,")
    print("collector on, median of 3")
    for name, cls in ENGINES.items():
        if cls is BaselineValue:
            continue  # its recursive sort needs a recursion limit above the chain's depth
        us = statistics.median(chain_us_per_node(cls, args.chain) for _ in range(3))
        print(f"  {name:<12s} {us:6.3f} us/node")


if __name__ == "__main__":
    main()
