"""Backward time of deep graphs: a chain of 100k and of 1M ops, Value and small Tensor.

Each chain is y = x * c repeated n times; only ``backward()`` is timed, with the collector on
as users run it (the chain is rebuilt for every repeat, since backward releases it). The
figure to watch is time(1M) / time(100k): an engine linear in the graph's size gives 10x;
the target is <= 12x.

Run: python -m benchmarks.deep_graph [--repeats N] [--no-tensor]
"""

from __future__ import annotations

import argparse
import gc
import statistics
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="chains built and timed per size")
    parser.add_argument("--no-tensor", action="store_true", help="skip the Tensor chains")
    args = parser.parse_args()

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
