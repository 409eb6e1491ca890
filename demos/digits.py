"""A real dataset: an MLP classifies scikit-learn's bundled 8x8 handwritten digits.

1797 images ship inside scikit-learn (``load_digits``, no download). Pixels are scaled to
[0, 1]; a 64-64-10 ReLU network is trained with cross-entropy and Adam on mini-batches;
the held-out accuracy, a confusion matrix and some misclassified digits are drawn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

import nn
import optim
from autograd import manual_seed
from demos.cli import output_dir, run
from demos.plotting import plot_history, plt, save
from demos.training import fit, scores_of, summary


def split(seed: int = 0) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """A shuffled 75% / 25% split of the digits, pixels scaled to [0, 1], float32."""
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    order = np.random.default_rng(seed).permutation(len(x))
    cut = int(0.75 * len(x))
    train, test = order[:cut], order[cut:]
    return (x[train], digits.target[train]), (x[test], digits.target[test])


def main(out_dir: str | Path, quick: bool = False) -> dict[str, float]:
    """Train, report accuracy, plot learning curves, confusion matrix and mistakes."""
    out_dir = output_dir(out_dir)
    manual_seed(0)
    train, test = split()
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    print(f"{len(train[0])} training and {len(test[0])} test images of 8x8 pixels\n{model}")
    history = fit(
        model,
        optim.Adam(model.parameters(), lr=1e-3),
        train,
        test,
        epochs=3 if quick else 40,
        batch_size=32,
        desc="digits",
        progress=not quick,
    )
    print(summary(history))

    predicted = scores_of(model, test[0]).argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (test[1], predicted), 1)
    accuracy = float(np.trace(confusion) / confusion.sum())
    print(
        f"test accuracy {accuracy:.1%}; per digit: "
        + " ".join(f"{d}:{confusion[d, d] / confusion[d].sum():.0%}" for d in range(10))
    )

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    plot_history(axes, history)
    save(fig, out_dir, "digits_learning_curves.png")

    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    image = ax.imshow(confusion, cmap="Blues")
    for i in range(10):
        for j in range(10):
            if confusion[i, j]:
                ax.text(
                    j,
                    i,
                    confusion[i, j],
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if confusion[i, j] > confusion.max() / 2 else "black",
                )
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(f"Confusion matrix on {len(test[1])} test images ({accuracy:.1%} correct)")
    fig.colorbar(image, ax=ax)
    save(fig, out_dir, "digits_confusion.png")

    wrong = np.flatnonzero(predicted != test[1])[:12]
    fig, axes = plt.subplots(2, 6, figsize=(10, 4))
    for ax in axes.flat:
        ax.axis("off")
    for ax, k in zip(axes.flat, wrong):
        ax.imshow(test[0][k].reshape(8, 8), cmap="gray_r")
        ax.set_title(f"true {test[1][k]}, said {predicted[k]}", fontsize=9)
    fig.suptitle(f"Misclassified test digits ({len(np.flatnonzero(predicted != test[1]))} in all)")
    save(fig, out_dir, "digits_mistakes.png")
    return {"accuracy": accuracy}


if __name__ == "__main__":
    run(main, "digits", __doc__)
