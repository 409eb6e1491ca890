"""Deep graphs: a multiply-add chain built and backpropagated (time and bytes per node), and
backward alone through chains of 100k and 1M ops, Value and small Tensor.

The multiply-add chain is the issue's figure: x = x * 1.0001 + 0.001 repeated n times on a
Value (2n nodes), built and backpropagated with the collector on, at the default recursion
limit; reported in microseconds and bytes (tracemalloc peak, in a separate untimed run) per
node, for two sizes so that the time per node shows whether the cost is linear. Targets:
<= 1.5 us and <= 300 bytes per node (stretch 1.0 us, 200 bytes).

Each backward-only chain is y = x * c repeated n times; only ``backward()`` is timed, with
the collector on as users run it (the chain is rebuilt for every repeat, since backward
releases it). The figure to watch is time(1M) / time(100k): an engine linear in the
graph size gives 10x;
the target is <= 12x.

Run: python -m benchmarks.deep_graph [--repeats N] [--no-tensor]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, Value
from benchmarks.timing import clock, collector, verdict

SIZES = (100_000, 1_000_000)
FACTOR = 1.0000001


def chain(leaf: Any, n: int) -> Any:
    """``leaf`` multiplied by a constant ``n`` times: a graph n ops deep."""
    y = leaf
    for _ in range(n):
        y = y * FACTOR
    return y


def backward_ms(make_leaf: Callable[[], Any], n: int, repeats: int) -> float:
    """Median milliseconds of backward() through a fresh n-op chain."""
    out = []
    for _ in range(repeats):
        leaf = make_leaf()
        with collector(False):  # building is not timed; keep it quick
            root = chain(leaf, n)
            if isinstance(root, Tensor):
                root = root.sum()
        t0 = clock()
        root.backward()
        out.append((clock() - t0) * 1e3)
        expected = FACTOR**n
        got = float(np.ravel(leaf.grad)[0])
        assert abs(got - expected) <= 1e-3 * expected, (got, expected)
        del root, leaf
        gc.collect()
    return statistics.median(out)


def multiply_add_chain(n: int) -> Value:
    """x = x * 1.0001 + 0.001, n times from a leaf: 2n recorded nodes; returns the leaf."""
    leaf = Value(1.0)
    x = leaf
    for _ in range(n):
        x = x * 1.0001 + 0.001
    x.backward()
    return leaf


def chain_us_per_node(n: int, repeats: int) -> float:
    """Median microseconds per node to build and backpropagate an n-step multiply-add chain."""
    out = []
    for _ in range(repeats):
        gc.collect()
        t0 = clock()
        leaf = multiply_add_chain(n)
        out.append((clock() - t0) * 1e6 / (2 * n))
        assert abs(leaf.grad - 1.0001**n) <= 1e-9 * 1.0001**n, leaf.grad
    return statistics.median(out)


def chain_bytes_per_node(n: int) -> float:
    """Peak bytes allocated (tracemalloc) per node while building and backpropagating."""
    gc.collect()
    tracemalloc.start()
    try:
        multiply_add_chain(n)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (2 * n)


def limit(name: str, value: float, target: float, unit: str) -> str:
    """A line stating a measured figure against its upper limit."""
    ok = "meets" if value <= target else "MISSES"
    return f"  {name}: {value:.3f} {unit} ({ok} target <= {target:g} {unit})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="chains built and timed per size")
    parser.add_argument("--no-tensor", action="store_true", help="skip the Tensor chains")
    parser.add_argument(
        "--steps", type=int, default=1_000_000, help="multiply-add steps in the long chain"
    )
    args = parser.parse_args()

    print(
        f"multiply-add chain x = x * 1.0001 + 0.001 on a Value, built + backward, collector "
        f"on, recursion limit {sys.getrecursionlimit()}, median of {args.repeats}"
    )
    us = {}
    for n in (args.steps // 10, args.steps):
        us[n] = chain_us_per_node(n, args.repeats)
        print(f"  {2 * n:>10,} nodes: {us[n]:6.3f} us/node  ({us[n] * 2 * n / 1e6:6.2f} s)")
    small, big = args.steps // 10, args.steps
    print(limit("us/node (long chain)", us[big], 1.5, "us"))
    print(verdict("us/node long / short chain (linear: 1)", us[big] / us[small], 1.2))
    per = chain_bytes_per_node(args.steps // 10)
    print(f"  tracemalloc peak at {2 * small:,} nodes: {per:.0f} bytes/node")
    print(limit("bytes/node", per, 300, "bytes"))
    if args.steps == 0:
        return

    kinds: list[tuple[str, Callable[[], Any]]] = [("Value", lambda: Value(1.0))]
    if not args.no_tensor:
        kinds.append(
            ("Tensor (4,) float64", lambda: Tensor(np.ones(4), requires_grad=True)),
        )
    print(f"backward() through a chain of n ops, median of {args.repeats}, collector on")
    for name, make_leaf in kinds:
        ms = {n: backward_ms(make_leaf, n, args.repeats) for n in SIZES}
        small, big = SIZES
        per_node = ", ".join(f"{1e3 * ms[n] / n:.2f} us/op at {n:,}" for n in SIZES)
        print(f"  {name:<20s} {small:>9,}: {ms[small]:8.1f} ms  {big:>9,}: {ms[big]:8.1f} ms")
        print(f"  {'':20s} ({per_node})")
        print(verdict(f"{name} time(1M)/time(100k)", ms[big] / ms[small], 12))


if __name__ == "__main__":
    main()
