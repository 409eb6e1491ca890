"""Softmax and temperature: scaling the scores up turns softmax into argmax (notes 002, 003).

softmax(c z)_i = exp(c z_i) / sum_j exp(c z_j). With c -> infinity (temperature T = 1/c
-> 0) all the mass goes to the largest score: softmax becomes a (soft, differentiable)
version of a one-hot argmax, hence the name. With c -> 0 it tends to the uniform
distribution. The scores are the notes' example [2.0, 1.0, 0.1] (003).

The notes print softmax([2.0, 1.0, 0.1]) as [0.65, 0.24, 0.11]; it is [0.659, 0.242, 0.099],
which rounds to [0.66, 0.24, 0.10] (0.11 is not a rounding of 0.0986).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nn.functional as F
from autograd import Tensor
from demos.cli import output_dir, run
from demos.plotting import plt, save

SCORES = [2.0, 1.0, 0.1]
NOTES = [0.65, 0.24, 0.11]


def softmax(z: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """The engine's softmax of ``scale * z`` (float64)."""
    return F.softmax(Tensor(np.asarray(z, dtype=np.float64) * scale), dim=-1).numpy()


def main(out_dir: str | Path, quick: bool = False) -> dict[str, np.ndarray]:
    """Print softmax of the notes' scores at several scales; plot bars and the trend."""
    out_dir = output_dir(out_dir)
    z = np.array(SCORES)
    p = softmax(z)
    print(f"softmax({SCORES}) = [{', '.join(f'{v:.3f}' for v in p)}]")
    print(
        f"  the notes (003) print [{', '.join(f'{v:.2f}' for v in NOTES)}]: wrong; to two places"
        f" it is [{', '.join(f'{v:.2f}' for v in p)}] (the third entry is {p[2]:.4f})."
    )
    scales = [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0]
    table = np.array([softmax(z, c) for c in scales])
    print("\nsoftmax(c * z) for z = [2.0, 1.0, 0.1] (temperature T = 1/c):")
    print(f"  {'c':>5}  {'T':>6}  {'p1':>9}  {'p2':>9}  {'p3':>9}")
    for c, row in zip(scales, table):
        t_text = "inf" if c == 0 else f"{1 / c:.3g}"
        print(f"  {c:>5g}  {t_text:>6}  {row[0]:>9.4g}  {row[1]:>9.4g}  {row[2]:>9.4g}")
    print("  argmax as one-hot: [1, 0, 0]; c = 0 gives the uniform [1/3, 1/3, 1/3].")

    steps = 80 if quick else 400
    fine = np.geomspace(0.01, 100, steps)
    curves = np.array([softmax(z, c) for c in fine])
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    shown = [0.5, 1.0, 2.0, 10.0]
    width = 0.8 / len(shown)
    for k, c in enumerate(shown):
        axes[0].bar(np.arange(3) + (k - 1.5) * width, softmax(z, c), width, label=f"c = {c:g}")
    axes[0].plot(
        np.arange(3) - 0.5 * width, NOTES, "kx", ms=10, mew=2, label="the notes' values (c = 1)"
    )
    axes[0].set_xticks(range(3), [f"z{i + 1} = {v}" for i, v in enumerate(SCORES)])
    axes[0].set_ylabel("probability")
    axes[0].set_title("softmax(c z): larger c, closer to one-hot")
    axes[0].legend(fontsize=8)
    for i in range(3):
        axes[1].semilogx(fine, curves[:, i], label=f"p{i + 1} (z{i + 1} = {SCORES[i]})")
    axes[1].axhline(1 / 3, color="grey", ls=":", label="uniform 1/3")
    axes[1].set_xlabel("scale c = 1 / temperature (log scale)")
    axes[1].set_ylabel("probability")
    axes[1].set_title("From uniform (hot) to argmax (cold)")
    axes[1].legend(fontsize=8)
    save(fig, out_dir, "softmax_temperature.png")
    return dict(p=p, scales=np.array(scales), table=table)


if __name__ == "__main__":
    run(main, "softmax_temperature", __doc__)
