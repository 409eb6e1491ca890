"""Batch gradient descent on the notes' J(t1, t2) = t1^2 + t2^2, path drawn on the contours.

The engine's gradient is the notes' (2 t1, 2 t2); the update is t := t - alpha * dJ/dt.
Four learning rates show the regimes: slow, fast, oscillating, diverging
(alpha = 0.5 would land on the minimum in one step).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

import optim
from autograd import Value
from demos.cli import output_dir, run
from demos.descent import descend
from demos.plotting import contour_paths, plt, save

START = (4.0, 3.0)
RATES = (0.1, 0.4, 0.9, 1.02)


def cost(t1: Any, t2: Any) -> Any:
    """The notes' J(t1, t2) = t1^2 + t2^2."""
    return t1**2 + t2**2


def step_labels(points: np.ndarray, near: float = 0.45) -> list[tuple[tuple[float, float], str]]:
    """Step numbers to write by the points: steps closer than ``near`` to an earlier labelled
    point share its label ("0, 2"), so oscillating paths do not print numbers over each other."""
    groups: list[tuple[np.ndarray, list[int]]] = []
    for k, p in enumerate(points):
        for anchor, members in groups:
            if np.hypot(*(p - anchor)) < near:
                members.append(k)
                break
        else:
            groups.append((p, [k]))
    return [
        ((float(anchor[0]), float(anchor[1])), ", ".join(map(str, members)))
        for anchor, members in groups
    ]


def main(out_dir: str | Path, quick: bool = False) -> dict[float, np.ndarray]:
    """Print the first steps, plot every learning rate's path and cost per step."""
    out_dir = output_dir(out_dir)
    steps = 10 if quick else 25
    t1, t2 = Value(START[0], label="t1"), Value(START[1], label="t2")
    cost(t1, t2).backward()
    print(
        f"J = t1^2 + t2^2 at (t1, t2) = {START}: engine gradient ({t1.grad}, {t2.grad}),"
        f" the notes' (2 t1, 2 t2) = ({2 * START[0]}, {2 * START[1]})"
    )

    paths, costs = {}, {}
    for alpha in RATES:
        path, values = descend(cost, START, partial(optim.SGD, lr=alpha), steps)
        paths[alpha], costs[alpha] = path, values
        print(f"\nalpha = {alpha}: each step multiplies t by 1 - 2 alpha = {1 - 2 * alpha:+.2f}")
        for k in range(4):
            print(f"  step {k}: t = ({path[k, 0]: .4f}, {path[k, 1]: .4f})  J = {values[k]:.5f}")
        print(f"  after {len(path) - 1} steps: J = {values[-1]:.3g}")

    fig = plt.figure(figsize=(15, 8))
    grid = fig.add_gridspec(2, len(RATES))
    for k, (alpha, path) in enumerate(paths.items()):
        ax = fig.add_subplot(grid[0, k])
        contour_paths(ax, cost, (-6, 6), (-6, 6), {f"alpha = {alpha}": path}, levels=12)
        for where, steps_here in step_labels(path[:4]):
            # offset across the path (which runs along (4, 3)), so the text does not sit on it
            ax.annotate(steps_here, where, textcoords="offset points", xytext=(-9, 6), fontsize=8)
        ax.plot(0, 0, "k*", markersize=10)
        ax.set_aspect("equal")
        ax.set_xlabel("t1")
        ax.set_ylabel("t2")
        ax.set_title(f"alpha = {alpha}: t *= {1 - 2 * alpha:+.2f} per step", fontsize=10)
    ax_cost = fig.add_subplot(grid[1, :])
    styles = ("-", "-", "--", "-")
    for (alpha, values), style in zip(costs.items(), styles):
        ax_cost.semilogy(
            values + 1e-30,
            style,
            marker=".",
            lw=3 if alpha == RATES[0] else 1.5,
            label=f"alpha = {alpha}",
        )
    ax_cost.set_ylim(1e-12, 1e3)
    ax_cost.set_xlabel("step")
    ax_cost.set_ylabel("J (log scale)")
    ax_cost.set_title("Cost per step (0.1 and 0.9 shrink J alike: |1 - 2 alpha| = 0.8 for both)")
    ax_cost.legend(fontsize=8)
    fig.suptitle(
        "Batch gradient descent on J = t1² + t2²: the gradient (2 t1, 2 t2) points"
        " straight away from the minimum, so every path is a line through it"
    )
    save(fig, out_dir, "gradient_descent.png")
    return paths


if __name__ == "__main__":
    run(main, "gradient_descent", __doc__)
