"""Scalar engine speed: micrograd's demo workload with our Value against a closure-per-op engine.

Workload: MLP 2-16-16-1 (ReLU hidden, linear output) on 100 two-moons points, SVM max-margin
loss mean(relu(1 - y * score)) + 1e-4 * sum(p * p); one step = forward over all 100 points,
backward, SGD update. The same code runs on both engines (only the Value class differs), and
before timing both must give the same loss and gradients for the same weights.

The baseline is written here the way micrograd writes its engine: each op builds its output
with a set of children and a ``_backward`` closure that captures that output (so every node
sits in a reference cycle), and backward sorts the graph with a recursive depth-first search.

Run: python -m benchmarks.scalar_mlp [--repeats N]
Targets (issue 12): ours with the collector on (as users run it) <= 0.10x the baseline with
the collector on (stretch 0.05x) and <= 1.0x the baseline with its collector off (stretch
0.5x); also printed, both with the collector off. Before timing, both engines train side by
side for a few steps and must give the same loss at every step.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

from autograd import Value
from benchmarks.data import mlp_weights, two_moons
from benchmarks.timing import collector, row, times_ms, verdict

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4
LR = 0.05


class BaselineValue:
    """A scalar node in the closure-per-op style: children in a set, backward as a closure."""

    def __init__(self, data: float, children: tuple = (), op: str = "") -> None:
        self.data = data
        self.grad = 0.0
        self._backward: Callable[[], None] = lambda: None
        self._prev = set(children)
        self._op = op

    def __add__(self, other: Any) -> BaselineValue:
        other = other if isinstance(other, BaselineValue) else BaselineValue(other)
        out = BaselineValue(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Any) -> BaselineValue:
        other = other if isinstance(other, BaselineValue) else BaselineValue(other)
        out = BaselineValue(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def relu(self) -> BaselineValue:
        out = BaselineValue(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward() -> None:
            self.grad += (1.0 if out.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> BaselineValue:
        return self * -1.0

    def __radd__(self, other: Any) -> BaselineValue:
        return self + other

    def __rmul__(self, other: Any) -> BaselineValue:
        return self * other

    def __sub__(self, other: Any) -> BaselineValue:
        return self + (-other)

    def __rsub__(self, other: Any) -> BaselineValue:
        return other + (-self)

    def backward(self) -> None:
        order: list[BaselineValue] = []
        visited: set[BaselineValue] = set()

        def visit(v: BaselineValue) -> None:
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


# --- the workload, written once for any Value class ---
Layer = tuple[list[list[Any]], list[Any]]


def build_mlp(value_cls: type, seed: int = 1) -> list[Layer]:
    """The 2-16-16-1 MLP as lists of ``value_cls`` nodes: (weight rows, biases) per layer."""
    layers = []
    for W, b in mlp_weights(SIZES, seed=seed):
        rows = [[value_cls(float(w)) for w in w_row] for w_row in W]
        layers.append((rows, [value_cls(float(v)) for v in b]))
    return layers


def parameters(layers: list[Layer]) -> list[Any]:
    """All weights and biases, in a fixed order."""
    return [p for rows, bias in layers for row_ in rows for p in row_] + [
        p for _, bias in layers for p in bias
    ]


def forward(layers: list[Layer], x: list[Any]) -> Any:
    """The MLP's score for one input: ReLU on hidden layers, linear output."""
    last = len(layers) - 1
    for k, (rows, bias) in enumerate(layers):
        x = [sum((w * xi for w, xi in zip(w_row, x)), b) for w_row, b in zip(rows, bias)]
        if k != last:
            x = [v.relu() for v in x]
    return x[0]


def loss(value_cls: type, layers: list[Layer], X: Any, y: Any) -> Any:
    """Max-margin loss over all points plus L2 regularisation (micrograd's demo)."""
    inputs = [[value_cls(float(a)) for a in x_row] for x_row in X]
    scores = [forward(layers, x) for x in inputs]
    margins = [(1 + -float(yi) * s).relu() for yi, s in zip(y, scores)]
    data_loss = sum(margins) * (1.0 / len(margins))
    reg_loss = ALPHA * sum(p * p for p in parameters(layers))
    return data_loss + reg_loss


def train_step(value_cls: type, layers: list[Layer], X: Any, y: Any) -> float:
    """One step: forward over all points, backward, SGD update. Returns the loss."""
    total = loss(value_cls, layers, X, y)
    params = parameters(layers)
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= LR * p.grad
    return total.data


def check_same_numbers(X: Any, y: Any) -> float:
    """Assert both engines give the same loss and gradients for the same weights."""
    ours, base = build_mlp(Value), build_mlp(BaselineValue)
    l_ours, l_base = loss(Value, ours, X, y), loss(BaselineValue, base, X, y)
    assert math.isclose(l_ours.data, l_base.data, rel_tol=1e-12), (l_ours.data, l_base.data)
    l_ours.backward()
    l_base.backward()
    for p, q in zip(parameters(ours), parameters(base)):
        assert math.isclose(p.grad, q.grad, rel_tol=1e-9, abs_tol=1e-15), (p.grad, q.grad)
    return l_ours.data


def check_same_losses(X: Any, y: Any, steps: int) -> float:
    """Train both engines from the same weights; the largest relative loss difference."""
    ours, base = build_mlp(Value), build_mlp(BaselineValue)
    worst = 0.0
    for _ in range(steps):
        a, b = train_step(Value, ours, X, y), train_step(BaselineValue, base, X, y)
        worst = max(worst, abs(a - b) / abs(b))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="turns per contender")
    parser.add_argument("--steps-per-turn", type=int, default=2, help="timed steps per turn")
    parser.add_argument("--check-steps", type=int, default=5, help="steps compared for losses")
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)  # the baseline's recursive sort; ours needs no such thing

    X, y = two_moons(100)
    first = check_same_numbers(X, y)
    print(
        f"scalar MLP {'-'.join(map(str, SIZES))}, {len(X)} two-moons points, one step = "
        "forward + backward + SGD"
    )
    print(f"  same loss and gradients on both engines (initial loss {first:.6f})")
    worst = check_same_losses(X, y, args.check_steps)
    assert worst <= 1e-12, worst
    print(
        f"  {args.check_steps} training steps side by side: largest relative loss gap {worst:.1e}"
    )
    print(
        f"  median of {args.repeats} turns x {args.steps_per_turn} steps (each turn after a "
        "warm-up step), contenders taking turns"
    )
    # The four contenders take turns, a few steps each, so that load from elsewhere on a
    # shared machine falls on all of them alike. Within its turn a contender runs as in a
    # training loop: a warm-up step, then timed steps that also pay for collecting what the
    # steps before them left behind.
    keys = [(n, on) for on in (True, False) for n in ("baseline", "ours")]
    classes = {"baseline": BaselineValue, "ours": Value}
    steps = {k: partial(train_step, classes[k[0]], build_mlp(classes[k[0]]), X, y) for k in keys}
    times: dict[tuple[str, bool], list[float]] = {k: [] for k in keys}
    for _ in range(args.repeats):
        for k in keys:
            with collector(k[1]):
                times[k] += times_ms(steps[k], args.steps_per_turn, warmup=1)
    results = {k: statistics.median(v) for k, v in times.items()}
    for name, gc_on in keys:
        label = "gc on " if gc_on else "gc off"
        base = results["baseline", gc_on] if name == "ours" else None
        print(row(f"{name:<9s}({label}) ms/step", results[name, gc_on], base))
    on = results["ours", True] / results["baseline", True]
    off = results["ours", False] / results["baseline", False]
    bare = results["ours", True] / results["baseline", False]
    print(verdict("ours (gc on)/baseline (gc on) ", on, 0.10))
    print(verdict("ours (gc on)/baseline (gc off)", bare, 1.0))
    print(verdict("ours (gc off)/baseline (gc off)", off, 0.5))
    share = 1 - results["baseline", False] / results["baseline", True]
    print(f"  baseline time spent on the collector: ~{100 * share:.0f}%")


if __name__ == "__main__":
    main()
