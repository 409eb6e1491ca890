"""Run every benchmark, each in a fresh interpreter, one after the other.

Run: python -m benchmarks.run_all [name ...]
(names: scalar_mlp scalar_floor deep_graph tensor_mlp tensor_floor moons_value memory
layers_vs_torch)
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = (
    "scalar_mlp",
    "scalar_floor",
    "deep_graph",
    "tensor_mlp",
    "tensor_floor",
    "moons_value",
    "memory",
    "layers_vs_torch",
)


def main() -> int:
    names = sys.argv[1:] or list(BENCHMARKS)
    failed = []
    for name in names:
        print(f"=== python -m benchmarks.{name}", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{name}"])
        print(f"=== {name}: {time.perf_counter() - t0:.0f} s, exit {code}\n", flush=True)
        if code:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
