"""The tiny tensor MLP step of ``tensor_mlp`` in a plain loop, for comparing two checkouts.

Prints the fastest per-step time over ``--rounds`` rounds of ``--steps`` steps (the minimum is
the figure least disturbed by other load). With ``--rounds 0`` it only runs ``--steps`` steps,
for an instruction counter: the difference between two step counts under
``valgrind --tool=callgrind`` is the instructions per step, independent of machine load.

Run: python -m benchmarks.step_loop [--steps N] [--rounds R]
"""

from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy is imported

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks import tensor_mlp  # noqa: E402
from benchmarks.data import mlp_weights, two_moons  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50, help="steps per round")
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds (0: run only)")
    args = parser.parse_args()
    x, y = two_moons(100, seed=0)
    params = tensor_mlp.as_tensors(mlp_weights([2, 16, 16, 1], seed=0, dtype=np.float64))
    inputs = tensor_mlp.Tensor(x)
    target = (2 * y - 1).reshape(-1, 1).astype(np.float64)

    def steps() -> None:
        for _ in range(args.steps):
            tensor_mlp.tensor_step(params, inputs, target, "max_margin")

    if args.rounds == 0:
        steps()
        return
    steps()  # warm-up
    best = float("inf")
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        steps()
        best = min(best, (time.perf_counter() - t0) / args.steps)
    print(f"MLP 2-16-16-1 tensor step, fastest of {args.rounds} rounds: {best * 1e6:.1f} us")


if __name__ == "__main__":
    main()
