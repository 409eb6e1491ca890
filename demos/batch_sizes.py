"""Batch vs mini-batch vs stochastic gradient descent fitting a noisy line y = w x + b.

Same learning rate, same number of epochs, data reshuffled every epoch (``DataLoader``).
The full batch takes one smooth step per epoch; mini-batches take many slightly noisy
steps; single samples take the most and noisiest ones, which a decaying learning rate
(the notes' schedule epsilon_k) calms down near the minimum.

As in the notes' interactive example (002): the cost is the L2 loss (1/2)(y - y_hat)^2
averaged over the batch, and the batch sizes are m0 = 1, 24 and m (all the data). The 1/2
halves every gradient, so lr 0.2 here takes the same steps as lr 0.1 on the plain MSE.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import optim
from autograd import Tensor, no_grad
from demos.cli import output_dir, run
from demos.plotting import contour_paths, plt, save
from nn.utils.data import DataLoader

TRUE_W, TRUE_B = 2.0, -1.0
START = (-1.5, 2.5)
LR = 0.2


def noisy_line(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n points with x uniform in [0, 2] and y = 2 x - 1 + Gaussian noise (sd 0.5)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 2.0, n)
    return x, TRUE_W * x + TRUE_B + rng.normal(0.0, 0.5, n)


def cost(w: Any, b: Any, x: np.ndarray, y: np.ndarray) -> Any:
    """The notes' L2 cost, mean of (1/2)(y - y_hat)^2, of the line (w, b); w and b may be
    Tensors or numpy grids."""
    if isinstance(w, np.ndarray):
        return 0.5 * ((w[..., None] * x + b[..., None] - y) ** 2).mean(axis=-1)
    return 0.5 * ((w * x + b - y) ** 2).mean()


def fit(
    x: np.ndarray, y: np.ndarray, batch_size: int | None, epochs: int, decay: bool = False
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Run SGD on the L2 cost; return the (w, b) path, the full-data cost after every update,
    and the index of the first update of every epoch."""
    w = Tensor(np.array(START[0]), requires_grad=True)
    b = Tensor(np.array(START[1]), requires_grad=True)
    optimizer = optim.SGD([w, b], lr=LR)
    loader = DataLoader(x, y, batch_size=batch_size, shuffle=True, seed=0)
    schedule = optim.lr_scheduler.LambdaLR(
        optimizer, lambda k: 1.0 / (1.0 + k / 20) if decay else 1.0
    )
    path, costs, epoch_starts = [START], [float(cost(*START, x, y))], []
    for _ in range(epochs):
        epoch_starts.append(len(path) - 1)
        for xb, yb in loader:
            optimizer.zero_grad()
            cost(w, b, xb, yb).backward()
            optimizer.step()
            schedule.step()
            path.append((w.item(), b.item()))
            with no_grad():
                costs.append(cost(w, b, x, y).item())
    return np.array(path), np.array(costs), epoch_starts


def main(out_dir: str | Path, quick: bool = False) -> dict[str, np.ndarray]:
    """Fit the line four ways; plot the paths on the cost landscape and the cost curves."""
    out_dir = output_dir(out_dir)
    n, epochs = (64, 3) if quick else (256, 15)
    x, y = noisy_line(n)
    best_w, best_b = np.polyfit(x, y, 1)
    print(
        f"{n} points around y = {TRUE_W:g} x {'-' if TRUE_B < 0 else '+'} {abs(TRUE_B):g};"
        f" least squares gives w = {best_w:.3f}, b = {best_b:.3f},"
        f"\ncost {cost(best_w, best_b, x, y):.4f} (the cost: mean of (1/2)(y - y_hat)^2)"
    )
    runs: dict[str, dict[str, Any]] = {
        f"batch (all {n})": dict(batch_size=None),
        "mini-batch (24)": dict(batch_size=24),
        "stochastic (1)": dict(batch_size=1),
        "stochastic (1), lr decaying": dict(batch_size=1, decay=True),
    }
    results = {}
    print(f"\nSGD, lr {LR}, {epochs} epochs, reshuffled every epoch:")
    for name, options in runs.items():
        path, costs, starts = fit(x, y, epochs=epochs, **options)
        results[name] = (path, costs, starts)
        print(
            f"  {name:28} {len(path) - 1:5} updates, final cost {costs[-1]:.4f},"
            f" (w, b) = ({path[-1, 0]:.3f}, {path[-1, 1]:.3f})"
        )

    fig, axes = plt.subplots(1, 3, figsize=(18, 5.5))
    contour_paths(
        axes[0],
        lambda w, b: cost(w, b, x, y),
        (-2, 3.5),
        (-2.5, 3.5),
        {name: r[0] for name, r in results.items()},
        levels=25,
        log_levels=True,
        marker="",
    )
    axes[0].plot(best_w, best_b, "k*", markersize=14)
    axes[0].set_xlabel("w")
    axes[0].set_ylabel("b")
    axes[0].set_title("Paths on the cost landscape (star: least squares)")
    axes[0].legend(fontsize=8)
    for name, (_, costs, starts) in results.items():
        per_epoch = np.append(costs[starts], costs[-1])
        axes[1].semilogy(np.arange(len(per_epoch)), per_epoch, marker=".", label=name)
        axes[2].loglog(np.arange(1, len(costs) + 1), costs, lw=0.8, label=name)
    for ax, unit in ((axes[1], "epoch"), (axes[2], "update (log scale)")):
        ax.axhline(cost(best_w, best_b, x, y), color="k", ls=":", lw=1, label="least squares")
        ax.set_xlabel(unit)
        ax.set_ylabel("cost on all data (log scale)")
        ax.legend(fontsize=8)
    axes[1].set_title("Cost per epoch: more updates per epoch, faster progress")
    axes[2].set_title("Cost per update: the smaller the batch, the noisier")
    save(fig, out_dir, "batch_sizes.png")
    return {name: r[0] for name, r in results.items()}


if __name__ == "__main__":
    run(main, "batch_sizes", __doc__)
