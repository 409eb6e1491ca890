"""The variance of the mini-batch gradient falls like 1/B (notes 002: "larger mini-batches
result to smaller variance, inversely proportional to the mini-batch size").

Fixed parameters (w, b) = (-1.5, 2.5) of a line fitted to 1024 noisy points with the notes'
cost, the L2 loss (1/2)(y - y_hat)^2 averaged over the batch. For each batch size B, many
mini-batches are drawn (without replacement, as a shuffled epoch does), the engine computes
each one's gradient, and the spread of those gradients around the full-batch gradient is
measured: total variance = E||g_B - g||^2. Sampling theory says Var_1 / B times
(N - B) / (N - 1) (the last factor: a batch of all N points has no variance at all).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from autograd import Tensor
from demos.batch_sizes import noisy_line
from demos.cli import output_dir, run
from demos.plotting import plt, save

W0, B0 = -1.5, 2.5


def gradient(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The engine's gradient of mean((1/2)(w x + b - y)^2) with respect to (w, b) at (W0, B0)."""
    w = Tensor(np.array(W0), requires_grad=True)
    b = Tensor(np.array(B0), requires_grad=True)
    (0.5 * (w * Tensor(x) + b - Tensor(y)) ** 2).mean().backward()
    return np.array([float(np.asarray(w.grad)), float(np.asarray(b.grad))])


def main(out_dir: str | Path, quick: bool = False) -> dict[str, np.ndarray]:
    """Measure the gradient variance for several batch sizes; print and plot it against 1/B."""
    out_dir = output_dir(out_dir)
    n, draws = 1024, (60 if quick else 300)
    sizes = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256] if not quick else [1, 4, 16, 64])
    x, y = noisy_line(n, seed=0)
    full = gradient(x, y)
    per_sample = np.array([gradient(x[i : i + 1], y[i : i + 1]) for i in range(n)])
    var_1 = float(np.mean(np.sum((per_sample - full) ** 2, axis=1)))  # population variance
    rng = np.random.default_rng(0)
    measured = []
    for size in sizes:
        grads = np.array([gradient(*_draw(x, y, size, rng)) for _ in range(draws)])
        measured.append(float(np.mean(np.sum((grads - full) ** 2, axis=1))))
    measured_arr = np.array(measured)
    theory = var_1 / sizes * (n - sizes) / (n - 1)

    print(
        f"Gradient of the L2 cost at (w, b) = ({W0}, {B0}) over {n} points: full batch"
        f" ({full[0]:.3f}, {full[1]:.3f})."
    )
    print(f"E||g_B - g||^2 over {draws} mini-batches per size:")
    print(f"  {'batch size B':>12}  {'measured':>10}  {'Var_1/B (N-B)/(N-1)':>20}  {'ratio':>6}")
    for size, m, t in zip(sizes, measured_arr, theory):
        print(f"  {size:>12}  {m:>10.4f}  {t:>20.4f}  {m / t:>6.2f}")
    slope = np.polyfit(np.log(sizes), np.log(measured_arr), 1)[0]
    print(f"  slope of log variance against log B: {slope:.2f} (1/B would be -1)")

    fig, ax = plt.subplots(figsize=(7.5, 5))
    ax.loglog(sizes, measured_arr, "o", label=f"measured ({draws} mini-batches each)")
    grid = np.unique(np.geomspace(1, sizes.max(), 100).astype(int))
    ax.loglog(grid, var_1 / grid, "k:", label="Var_1 / B")
    ax.loglog(
        grid, var_1 / grid * (n - grid) / (n - 1), "k-", lw=0.8, label="Var_1 / B (N-B)/(N-1)"
    )
    ax.set_xlabel("mini-batch size B (log scale)")
    ax.set_ylabel("E ||g_B - g||^2 (log scale)")
    ax.set_title(f"Mini-batch gradient variance falls like 1/B (slope {slope:.2f})")
    ax.legend()
    save(fig, out_dir, "gradient_variance.png")
    return dict(
        sizes=sizes, measured=measured_arr, var_1=np.array(var_1), full=full, slope=np.array(slope)
    )


def _draw(
    x: np.ndarray, y: np.ndarray, size: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    idx = rng.choice(len(x), size=size, replace=False)
    return x[idx], y[idx]


if __name__ == "__main__":
    run(main, "gradient_variance", __doc__)
