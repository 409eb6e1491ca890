"""Growing the batch size during training (notes 002: choosing the mini-batch size).

Small batches make fast early progress (many updates per epoch) but their noisy gradients
keep the parameters jittering around the minimum; large batches are calm but take few
updates. Growing the batch as training goes on gets both: it lowers the gradient noise the
way a decaying learning rate does (Smith et al., 2018, "Don't decay the learning rate,
increase the batch size"), with fewer and larger updates at the end.

The task: fit y = w x + b to 1024 noisy points with the notes' cost (1/2)(y - y_hat)^2
averaged over the batch, plain SGD at lr 0.5, 24 epochs, reshuffled every epoch. Three
schedules: batch 4 throughout, batch 256 throughout, and 4 doubled every 4 epochs
(4, 8, ..., 128). The DataLoader's ``batch_size`` is set between epochs
(``loader.batch_size = n``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

import optim
from autograd import Tensor, no_grad
from demos.batch_sizes import noisy_line
from demos.cli import output_dir, run
from demos.plotting import plt, save
from nn.utils.data import DataLoader

LR = 0.5


def cost(w: Tensor, b: Tensor, x: np.ndarray, y: np.ndarray) -> Tensor:
    """The notes' L2 cost: mean of (1/2)(w x + b - y)^2."""
    return (0.5 * (w * Tensor(x) + b - Tensor(y)) ** 2).mean()


def train(
    x: np.ndarray, y: np.ndarray, epochs: int, schedule: Callable[[int], int]
) -> dict[str, np.ndarray]:
    """SGD with batch size ``schedule(epoch)``; the full-data cost after every update."""
    w = Tensor(np.array(-1.5), requires_grad=True)
    b = Tensor(np.array(2.5), requires_grad=True)
    opt = optim.SGD([w, b], lr=LR)
    loader = DataLoader(x, y, batch_size=schedule(0), shuffle=True, seed=0)
    costs, sizes, epoch_ends = [], [], []
    for epoch in range(epochs):
        loader.batch_size = schedule(epoch)  # takes effect at the next pass over the data
        for xb, yb in loader:
            opt.zero_grad()
            cost(w, b, xb, yb).backward()
            opt.step()
            with no_grad():
                costs.append(cost(w, b, x, y).item())
            sizes.append(len(xb))
        epoch_ends.append(len(costs))
    return dict(cost=np.array(costs), batch=np.array(sizes), epoch_ends=np.array(epoch_ends))


def main(out_dir: str | Path, quick: bool = False) -> dict[str, dict[str, np.ndarray]]:
    """Train with the three schedules; print the table and plot the costs."""
    out_dir = output_dir(out_dir)
    n, epochs = (256, 8) if quick else (1024, 24)
    every = epochs // 6
    x, y = noisy_line(n, seed=0)
    best_w, best_b = np.polyfit(x, y, 1)
    floor = float(np.mean(0.5 * (best_w * x + best_b - y) ** 2))
    schedules: dict[str, Callable[[int], int]] = {
        "batch 4": lambda e: 4,
        "batch 256": lambda e: 256,
        f"growing: 4, doubled every {every} epochs": lambda e: 4 * 2 ** (e // every),
    }
    runs = {name: train(x, y, epochs, s) for name, s in schedules.items()}
    print(
        f"{n} points, SGD lr {LR}, {epochs} epochs; least-squares cost {floor:.5f}."
        "\nExcess cost over least squares (the mean over the last epoch's updates, and the"
        " largest):"
    )
    header = ("schedule", "updates", "final batch", "mean excess", "max excess")
    print(f"  {header[0]:36}  {header[1]:>7}  {header[2]:>11}  {header[3]:>11}  {header[4]:>10}")
    for name, r in runs.items():
        last = r["cost"][r["epoch_ends"][-2] :] - floor
        r["last_epoch_excess"] = last
        print(
            f"  {name:36}  {len(r['cost']):>7}  {r['batch'][-1]:>11}"
            f"  {last.mean():>11.2e}  {last.max():>10.2e}"
        )
    print(
        "  A small batch gets close fast, then jitters around the minimum (its noise does not"
        "\n  shrink); a large batch is calm but takes few updates per epoch; the growing batch"
        "\n  starts like the small one and ends like the large one."
    )

    fig, axes = plt.subplots(1, 2, figsize=(13.5, 4.8))
    t = np.arange(1, epochs + 1)
    for k, (name, r) in enumerate(runs.items()):
        color = f"C{k}"
        excess = np.maximum(r["cost"] - floor, 1e-9)
        pieces = np.split(excess, r["epoch_ends"][:-1])
        axes[0].semilogy(
            t, [p.mean() for p in pieces], "o-", ms=3, color=color, label=f"{name}: mean"
        )
        axes[0].semilogy(t, [p.max() for p in pieces], ":", color=color, label=f"{name}: largest")
        per_epoch = [r["batch"][e - 1] for e in r["epoch_ends"]]
        axes[1].step(
            t, per_epoch, where="mid", color=color, label=f"{name} ({len(r['cost'])} updates)"
        )
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("cost - least-squares cost, over the epoch's updates")
    axes[0].set_title("Excess cost per epoch: mean (solid) and largest (dotted)")
    axes[0].legend(fontsize=7)
    axes[1].set_yscale("log", base=2)
    axes[1].set_xlabel("epoch")
    axes[1].set_ylabel("batch size (log scale)")
    axes[1].set_title("The schedules (loader.batch_size set between epochs)")
    axes[1].legend(fontsize=8)
    save(fig, out_dir, "growing_batch.png")
    return runs


if __name__ == "__main__":
    run(main, "growing_batch", __doc__)
