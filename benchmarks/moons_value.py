"""The learner's figure: ``python -m demos.moons_value`` at its default settings, timed.

Runs the demo (100 full-batch steps of micrograd's MLP 2-16-16-1 on 100 two-moons points with
Value, then its plots) in a fresh interpreter, output into a temporary folder, and reports
its CPU time (user + system, of that process alone: less disturbed by other processes than
wall-clock time on a shared machine) and its wall-clock time. Target: <= 30 s.

Run: python -m benchmarks.moons_value [--repeats N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_S = 30.0


def run_demo() -> tuple[float, float]:
    """(CPU seconds, wall-clock seconds) of one run of the demo at its default settings."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        demo = subprocess.run(
            [sys.executable, "-m", "demos.moons_value", "--out", out],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    if demo.returncode:
        last = (demo.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise SystemExit(
            f"python -m demos.moons_value failed: {last}\n(the demos need the 'demos' extra: "
            'pip install -e ".[demos]")'
        )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="runs of the demo")
    args = parser.parse_args()
    runs = [run_demo() for _ in range(args.repeats)]
    cpu = statistics.median(r[0] for r in runs)
    wall = statistics.median(r[1] for r in runs)
    print(f"python -m demos.moons_value (default settings), median of {args.repeats} run(s)")
    print(f"  CPU time {cpu:6.1f} s   wall-clock {wall:6.1f} s")
    ok = "meets" if cpu <= TARGET_S else "MISSES"
    print(f"  CPU time: {cpu:.1f} s ({ok} target <= {TARGET_S:g} s)")


if __name__ == "__main__":
    main()
