"""How many steps each optimizer needs on Rosenbrock from (-1.5, 2) to reach loss < 1e-8.

    python -m benchmarks.rosenbrock_steps [--max-steps 50000]

f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). Parameters are one float64
Tensor. For each optimizer a small grid of learning rates is tried and the best is shown
(with the grid, so the choice is visible). A "step" is one ``optimizer.step()``; for LBFGS
(up to 20 iterations per step) the iterations are shown too, and for the closure-based
methods (ConjugateGradient, Newton, BFGS: one iteration per step) the number of
loss/gradient evaluations. Plain gradient descent is stable near the
minimum only for lr < 2 / 1001.6 (the Hessian's largest eigenvalue there), hence its grid.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import optim
from autograd import Tensor

TARGET = 1e-8


def rosenbrock(p: Tensor) -> Tensor:
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] * p[0]) ** 2


@dataclass
class Outcome:
    steps: int | None  # None: not reached within the budget
    loss: float
    iterations: int | None = None
    evaluations: int | None = None


def run(make: Callable[[list[Tensor]], Any], kind: str, max_steps: int) -> Outcome:
    p = Tensor(np.array([-1.5, 2.0]), requires_grad=True)
    opt = make([p])

    def backward_closure() -> Tensor:
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        return loss

    loss = float(rosenbrock(p).item())
    for step in range(1, max_steps + 1):
        if kind == "first_order":
            backward_closure()
            opt.step()
        elif kind == "lbfgs":
            opt.step(backward_closure)
        else:
            opt.step(lambda: rosenbrock(p))
        loss = float(rosenbrock(p).item())
        if not math.isfinite(loss):
            break
        if loss < TARGET:
            state = opt.state[p]
            return Outcome(step, loss, state.get("n_iter"), state.get("func_evals"))
    return Outcome(None, loss)


# name -> (factory taking lr, kind, learning rates tried)
OPTIMIZERS: dict[str, tuple[Callable[[float], Callable], str, list[float]]] = {
    "SGD": (
        lambda lr: lambda ps: optim.SGD(ps, lr=lr),
        "first_order",
        [5e-4, 1e-3, 1.5e-3, 1.9e-3],
    ),
    "SGD momentum=0.9": (
        lambda lr: lambda ps: optim.SGD(ps, lr=lr, momentum=0.9),
        "first_order",
        [3e-4, 1e-3, 2e-3],
    ),
    "SGD nesterov=0.9": (
        lambda lr: lambda ps: optim.SGD(ps, lr=lr, momentum=0.9, nesterov=True),
        "first_order",
        [3e-4, 1e-3, 2e-3],
    ),
    "Adagrad": (lambda lr: lambda ps: optim.Adagrad(ps, lr=lr), "first_order", [0.5, 1.0, 2.0]),
    "RMSprop": (
        lambda lr: lambda ps: optim.RMSprop(ps, lr=lr),
        "first_order",
        [1e-5, 1e-4, 1e-3, 1e-2],
    ),
    "Adadelta": (
        lambda lr: lambda ps: optim.Adadelta(ps, lr=lr),
        "first_order",
        [1.0, 10.0, 50.0],
    ),
    "Adam": (lambda lr: lambda ps: optim.Adam(ps, lr=lr), "first_order", [0.02, 0.05, 0.1, 0.2]),
    "AdamW (weight_decay=1e-2)": (
        lambda lr: lambda ps: optim.AdamW(ps, lr=lr),
        "first_order",
        [0.01, 0.02, 0.05, 0.1],
    ),
    "LBFGS (no line search)": (
        lambda lr: lambda ps: optim.LBFGS(ps, lr=lr),
        "lbfgs",
        [0.1, 0.2, 0.5, 1.0],
    ),
    "LBFGS strong_wolfe": (
        lambda lr: lambda ps: optim.LBFGS(ps, lr=lr, line_search_fn="strong_wolfe"),
        "lbfgs",
        [1.0],
    ),
    "CG FR strong_wolfe": (
        lambda lr: lambda ps: optim.ConjugateGradient(ps, beta="FR"),
        "closure",
        [1.0],
    ),
    "CG PR strong_wolfe": (
        lambda lr: lambda ps: optim.ConjugateGradient(ps, beta="PR"),
        "closure",
        [1.0],
    ),
    "CG FR armijo": (
        lambda lr: lambda ps: optim.ConjugateGradient(ps, beta="FR", line_search="armijo"),
        "closure",
        [1.0],
    ),
    "CG PR armijo": (
        lambda lr: lambda ps: optim.ConjugateGradient(ps, beta="PR", line_search="armijo"),
        "closure",
        [1.0],
    ),
    "Newton": (lambda lr: lambda ps: optim.Newton(ps, lr=lr), "closure", [1.0]),
    "BFGS strong_wolfe": (lambda lr: lambda ps: optim.BFGS(ps, lr=lr), "closure", [1.0]),
    "BFGS (no line search)": (
        lambda lr: lambda ps: optim.BFGS(ps, lr=lr, line_search=None),
        "closure",
        [0.2, 0.5, 1.0],
    ),
}


def _fmt(x: int | None) -> str:
    return "-" if x is None else str(x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-steps", type=int, default=50_000)
    args = parser.parse_args()
    header = (
        f"{'optimizer':26} {'lr':>7} {'steps':>7} {'iters':>6} {'evals':>6} {'time':>6}  lrs tried"
    )
    print(f"Rosenbrock from (-1.5, 2), target loss < {TARGET:g}, budget {args.max_steps} steps")
    print(header)
    print("-" * len(header))
    for name, (factory, kind, lrs) in OPTIMIZERS.items():
        start = time.perf_counter()
        with np.errstate(over="ignore", invalid="ignore"):  # diverging runs are expected
            results = {lr: run(factory(lr), kind, args.max_steps) for lr in lrs}
        seconds = f"{time.perf_counter() - start:5.1f}s"
        steps = {lr: r.steps for lr, r in results.items() if r.steps is not None}
        tried = ", ".join(f"{lr:g}" for lr in lrs)
        if steps:
            lr = min(steps, key=steps.__getitem__)
            best = results[lr]
            print(
                f"{name:26} {lr:>7g} {best.steps:>7} {_fmt(best.iterations):>6} "
                f"{_fmt(best.evaluations):>6} {seconds:>6}  {tried}"
            )
        else:
            lr, best = min(results.items(), key=lambda item: item[1].loss)
            shown = f"{best.loss:.2e}" if math.isfinite(best.loss) else "diverged"
            print(
                f"{name:26} {lr:>7g} {'no':>7} {'':>6} {'':>6} {seconds:>6}  {tried}"
                f"  (not reached; best final loss {shown})"
            )


if __name__ == "__main__":
    main()
