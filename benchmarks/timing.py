"""Timing helpers shared by the benchmarks: per-call times, median, collector on or off.

Times are this process's CPU time (``time.process_time``), not wall-clock time: every
benchmark runs on one thread, where the two agree on an idle machine, and CPU time is far
less disturbed by other processes on a shared one.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

clock = time.process_time


@contextmanager
def collector(enabled: bool) -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector switched on or off."""
    was = gc.isenabled()
    gc.collect()
    if enabled:
        gc.enable()
    else:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def times_ms(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """Milliseconds taken by each of ``repeats`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        out.append((clock() - t0) * 1e3)
    return out


def median_ms(fn: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    """Median milliseconds per call of ``fn``."""
    return statistics.median(times_ms(fn, repeats, warmup))


def row(name: str, ms: float, base_ms: float | None = None) -> str:
    """One printed line: a name, its time and, given a baseline time, the ratio to it."""
    ratio = "" if base_ms is None else f"   {ms / base_ms:6.3f}x"
    return f"  {name:<44s}{ms:10.3f} ms{ratio}"


def verdict(name: str, ratio: float, target: float) -> str:
    """A line stating a measured ratio against its target."""
    ok = "meets" if ratio <= target else "MISSES"
    return f"  {name}: {ratio:.3f}x ({ok} target <= {target:g}x)"


def interleaved_median_ms(
    fns: dict[str, Callable[[], object]], repeats: int, warmup: int = 1
) -> dict[str, float]:
    """Median milliseconds per call of each function, calls alternating between them.

    Alternating keeps a ratio fair on a shared machine: a burst of load from elsewhere
    slows every contender in the same round instead of one of them.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = clock()
            fn()
            out[name].append((clock() - t0) * 1e3)
    return {name: statistics.median(ts) for name, ts in out.items()}
