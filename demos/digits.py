"""A real dataset: an MLP classifies scikit-learn's bundled 8x8 handwritten digits.

1797 images ship inside scikit-learn (``load_digits``, no download), split 60% / 20% / 20%
into training, validation and test images. Pixels are scaled to [0, 1]; a 64-64-10 ReLU
network is trained with cross-entropy and Adam on mini-batches, watching the validation set
(learning curves); the test set is used once, at the end, for the accuracy, the confusion
matrix and the misclassified digits.
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

Split = tuple[np.ndarray, np.ndarray]


def split(seed: int = 0) -> tuple[Split, Split, Split]:
    """A shuffled 60% / 20% / 20% train / validation / test split of the digits, pixels
    scaled to [0, 1], float32."""
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    order = np.random.default_rng(seed).permutation(len(x))
    cut_val, cut_test = int(0.6 * len(x)), int(0.8 * len(x))
    parts = order[:cut_val], order[cut_val:cut_test], order[cut_test:]
    train, val, test = ((x[p], digits.target[p]) for p in parts)
    return train, val, test


def main(out_dir: str | Path, quick: bool = False) -> dict[str, float]:
    """Train, report accuracy, plot learning curves, confusion matrix and mistakes."""
    out_dir = output_dir(out_dir)
    manual_seed(0)
    train, val, test = split()
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    print(
        f"8x8 images: {len(train[0])} training, {len(val[0])} validation and {len(test[0])}"
        f" test (the test images are used only at the end)\n{model}"
    )
    history = fit(
        model,
        optim.Adam(model.parameters(), lr=1e-3),
        train,
        val,
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

    wrong = np.flatnonzero(predicted != test[1])
    shown = wrong[:12]
    rows = max(1, -(-len(shown) // 6))  # at most 6 a row, the rows filled evenly
    cols = max(1, -(-len(shown) // rows))
    fig, axes = plt.subplots(
        rows, cols, figsize=(1.7 * cols + 0.6, 1.9 * rows + 0.7), squeeze=False
    )
    for ax in axes.flat:
        ax.axis("off")
    for ax, k in zip(axes.flat, shown):
        ax.imshow(test[0][k].reshape(8, 8), cmap="gray_r")
        ax.set_title(f"true {test[1][k]}, said {predicted[k]}", fontsize=9)
    if not len(shown):
        axes[0, 0].text(0.5, 0.5, "no mistakes", ha="center", va="center")
    shown_note = f", the first {len(shown)} shown" if len(wrong) > len(shown) else ""
    fig.suptitle(
        f"Misclassified test digits: {len(wrong)} of {len(test[1])}{shown_note}", fontsize=10
    )
    save(fig, out_dir, "digits_mistakes.png")
    return {"accuracy": accuracy}


if __name__ == "__main__":
    run(main, "digits", __doc__)
