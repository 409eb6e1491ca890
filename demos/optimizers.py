"""The optimizer zoo racing on Rosenbrock's ravine and on a saddle: paths and loss per step.

SGD, momentum, Nesterov, Adagrad, RMSprop, Adadelta, Adam, AdamW, L-BFGS, conjugate gradients
and Newton's method, all from ``optim``, each step driven by the engine's gradients (Newton:
its exact Hessian via second derivatives). One step is one iteration of the method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

import optim
from demos.cli import output_dir, run
from demos.descent import descend
from demos.plotting import contour_paths, plt, save

Factory = Callable[[list[Any]], optim.Optimizer]


def rosenbrock(x: Any, y: Any) -> Any:
    """A long curved ravine, minimum 0 at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def saddle(x: Any, y: Any) -> Any:
    """x^2 + y^4/4 - y^2/2: a saddle at (0, 0), minima -1/4 at (0, +-1)."""
    return x**2 + y**4 / 4 - y**2 / 2


@dataclass
class Problem:
    """A landscape, where to start, its minimum value, its plot window and first-order rates."""

    name: str
    f: Callable[[Any, Any], Any]
    start: tuple[float, float]
    f_min: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    rates: dict[str, float]
    steps: int
    minima: tuple[tuple[float, float], ...]


PROBLEMS = (
    Problem(
        "Rosenbrock's ravine",
        rosenbrock,
        (-1.5, 2.0),
        0.0,
        (-2, 2),
        (-1, 3),
        dict(
            SGD=1.5e-3,
            momentum=1e-3,
            Nesterov=1e-3,
            Adagrad=0.5,
            RMSprop=3e-3,
            Adadelta=1.0,
            Adam=0.1,
            AdamW=0.1,
        ),
        steps=1000,
        minima=((1.0, 1.0),),
    ),
    Problem(
        "a saddle",
        saddle,
        (-1.8, 0.01),
        -0.25,
        (-2, 2),
        (-1.5, 1.5),
        dict(
            SGD=0.05,
            momentum=0.01,
            Nesterov=0.01,
            Adagrad=0.3,
            RMSprop=0.01,
            Adadelta=1.0,
            Adam=0.05,
            AdamW=0.05,
        ),
        steps=300,
        minima=((0.0, 1.0), (0.0, -1.0)),
    ),
)


def zoo(rates: dict[str, float]) -> dict[str, Factory]:
    """Every optimizer, the first-order ones at the given learning rates."""
    return {
        "SGD": lambda p: optim.SGD(p, lr=rates["SGD"]),
        "momentum": lambda p: optim.SGD(p, lr=rates["momentum"], momentum=0.9),
        "Nesterov": lambda p: optim.SGD(p, lr=rates["Nesterov"], momentum=0.9, nesterov=True),
        "Adagrad": lambda p: optim.Adagrad(p, lr=rates["Adagrad"]),
        "RMSprop": lambda p: optim.RMSprop(p, lr=rates["RMSprop"]),
        "Adadelta": lambda p: optim.Adadelta(p, lr=rates["Adadelta"]),
        "Adam": lambda p: optim.Adam(p, lr=rates["Adam"]),
        "AdamW": lambda p: optim.AdamW(p, lr=rates["AdamW"]),
        # max_eval: the default (max_iter * 5 // 4 = 1) leaves the line search no evaluations
        "LBFGS": lambda p: optim.LBFGS(p, max_iter=1, max_eval=25, line_search_fn="strong_wolfe"),
        "CG": lambda p: optim.ConjugateGradient(p, beta="PR"),
        "Newton": lambda p: optim.Newton(p),
    }


def race(problem: Problem, steps: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each optimizer's path and loss per step on ``problem``."""
    return {
        name: descend(problem.f, problem.start, make, steps)
        for name, make in zoo(problem.rates).items()
    }


def _report(problem: Problem, results: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    print(f"\n{problem.name}: start {problem.start}, minimum value {problem.f_min}")
    print(f"  {'optimizer':10} {'lr':>8} {'steps to f - min < 1e-3':>24}  {'end point':>18}")
    for name, (path, values) in results.items():
        gap = values - problem.f_min
        reached = np.flatnonzero(gap < 1e-3)
        when = str(reached[0]) if reached.size else f"not in {len(values) - 1}"
        lr = problem.rates.get(name, "")
        print(f"  {name:10} {lr!s:>8} {when:>24}  ({path[-1, 0]: .3f}, {path[-1, 1]: .3f})")


def main(out_dir: str | Path, quick: bool = False) -> dict[str, dict[str, Any]]:
    """Race the zoo on both landscapes; plot paths on contours and loss per step."""
    out_dir = output_dir(out_dir)
    tab20 = matplotlib.color_sequences["tab20"]
    colors = tab20[::2] + tab20[1::2]
    fig, axes = plt.subplots(2, 2, figsize=(15, 12))
    everything = {}
    for problem, (ax_path, ax_loss) in zip(PROBLEMS, axes):
        results = race(problem, 30 if quick else problem.steps)
        everything[problem.name] = results
        _report(problem, results)
        contour_paths(
            ax_path,
            problem.f,
            problem.xlim,
            problem.ylim,
            {name: path for name, (path, _) in results.items()},
            levels=40,
            log_levels=problem.f_min == 0.0,
            marker="",
            colors=colors,
        )
        ax_path.plot(*problem.start, "ko")
        for point in problem.minima:
            ax_path.plot(*point, "k*", markersize=14, zorder=5)
        ax_path.set_title(f"{problem.name}: paths from {problem.start}")
        ax_path.legend(fontsize=8, ncol=2, loc="lower right")
        for (name, (_, values)), color in zip(results.items(), colors):
            ax_loss.semilogy(values - problem.f_min + 1e-16, color=color, label=name)
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("f - min (log scale)")
        ax_loss.set_title(f"{problem.name}: loss per step")
        ax_loss.legend(fontsize=8, ncol=2)
    save(fig, out_dir, "optimizers.png")
    print(
        "\nReading it: in the ravine plain SGD crawls along the valley floor (its lr is capped"
        "\nby the steep walls), momentum and Adam build up speed along it. L-BFGS and"
        "\nconjugate gradients learn the curvature from successive gradients and finish in"
        "\ntens of steps, Newton's exact Hessian in a handful. On the saddle every gradient"
        "\nmethod slides off towards a minimum, but Newton's method jumps to the saddle point"
        "\nitself (and stays): it looks for a zero gradient, and the saddle has one."
    )
    return everything


if __name__ == "__main__":
    run(main, "optimizers", __doc__)
