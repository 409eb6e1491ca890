"""A small convolutional network on scikit-learn's 8x8 digits, tested on images it never saw.

The 1797 bundled digits are split three ways: 60% to train on, 20% for validation (to watch
the learning curves and choose when to stop), and 20% held out as a test set that is looked
at once, at the end. The network is Conv2d(1->8, 3x3) / ReLU / MaxPool2d(2) /
Conv2d(8->16, 3x3) / ReLU / MaxPool2d(2) / Linear(64->10), trained with Adam and
cross-entropy. The learned first-layer filters and the feature maps of one test digit are
drawn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

import autograd as torch
import nn
import nn.functional as F
import optim
from demos.blas import on_one_blas_thread
from demos.cli import output_dir, run
from demos.plotting import plot_history, plt, save
from demos.training import fit, scores_of, summary

Split = tuple[np.ndarray, np.ndarray]


def split(seed: int = 0) -> tuple[Split, Split, Split]:
    """Shuffled 60% / 20% / 20% train / validation / test sets of (N, 1, 8, 8) float32 images."""
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    order = np.random.default_rng(seed).permutation(len(x))
    a, b = int(0.6 * len(x)), int(0.8 * len(x))
    parts = order[:a], order[a:b], order[b:]
    train, val, test = ((x[p], digits.target[p]) for p in parts)
    return train, val, test


class DigitCNN(nn.Module):
    """Two conv/ReLU/max-pool stages (8x8 -> 4x4 -> 2x2) and a linear classifier."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 2 * 2, 10)

    def features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The first conv layer's ReLU maps (N, 8, 8, 8) and the second's (N, 16, 4, 4)."""
        h1 = F.relu(self.conv1(x))
        h2 = F.relu(self.conv2(self.pool(h1)))
        return h1, h2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, h2 = self.features(x)
        return self.fc(self.pool(h2).flatten(1))


@on_one_blas_thread
def main(out_dir: str | Path, quick: bool = False) -> dict[str, float]:
    """Train on train, watch validation, report the test accuracy; draw filters and maps."""
    out_dir = output_dir(out_dir)
    torch.manual_seed(0)
    train, val, test = split()
    model = DigitCNN()
    n_params = sum(p.numel() for p in model.parameters())
    print(
        f"{len(train[0])} train / {len(val[0])} validation / {len(test[0])} test images "
        f"(8x8, 10 classes)\n{model}\n{n_params} parameters"
    )
    history = fit(
        model,
        optim.Adam(model.parameters(), lr=3e-3),
        train,
        val,
        epochs=3 if quick else 15,
        batch_size=32,
        desc="cnn_digits",
        progress=not quick,
    )
    print(summary(history))
    print(f"\n{'epoch':>5} {'train loss':>10} {'val loss':>9} {'train acc':>9} {'val acc':>8}")
    for k in range(len(history["train_loss"])):
        print(
            f"{k:>5} {history['train_loss'][k]:>10.3f} {history['val_loss'][k]:>9.3f} "
            f"{history['train_acc'][k]:>9.1%} {history['val_acc'][k]:>8.1%}"
        )

    predicted = scores_of(model, test[0]).argmax(axis=1)
    accuracy = float(np.mean(predicted == test[1]))
    print(
        f"\nheld-out TEST accuracy {accuracy:.1%} on {len(test[1])} images never used for "
        f"training or validation (chance: 10%)"
    )

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    plot_history(axes, history, title="CNN digits")
    axes[1].axhline(accuracy, color="k", ls=":", label=f"test (once, at the end): {accuracy:.1%}")
    axes[1].legend()
    save(fig, out_dir, "cnn_digits_learning_curves.png")

    filters = model.conv1.weight.detach().numpy()[:, 0]  # (8, 3, 3)
    limit = float(np.abs(filters).max())
    fig, axes = plt.subplots(1, 8, figsize=(12, 2.2))
    for k, ax in enumerate(axes):
        image = ax.imshow(filters[k], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"filter {k}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
    fig.suptitle("Learned 3x3 filters of the first convolution (red +, blue -)")
    path = Path(out_dir) / "cnn_digits_filters.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    print(f"  wrote {path}")

    k = int(np.flatnonzero(predicted == test[1])[0])
    model.eval()
    with torch.no_grad():
        h1, h2 = model.features(torch.tensor(test[0][k : k + 1]))
    h1, h2 = h1.numpy()[0], h2.numpy()[0]
    fig = plt.figure(figsize=(13, 6))
    grid = fig.add_gridspec(3, 9)
    ax = fig.add_subplot(grid[0:2, 0])
    ax.imshow(test[0][k, 0], cmap="gray_r")
    ax.set_title(f"input: a {test[1][k]}", fontsize=9)
    ax.axis("off")
    for c in range(8):
        ax = fig.add_subplot(grid[0, c + 1])
        ax.imshow(h1[c], cmap="viridis")
        ax.set_title(f"conv1 map {c}", fontsize=8)
        ax.axis("off")
    for c in range(16):
        ax = fig.add_subplot(grid[1 + c // 8, 1 + c % 8])
        ax.imshow(h2[c], cmap="viridis")
        ax.set_title(f"conv2 map {c}", fontsize=8)
        ax.axis("off")
    fig.suptitle(
        f"Feature maps (after ReLU) of one test digit: conv1 8x8 (top row), conv2 4x4 "
        f"(bottom rows); predicted {predicted[k]}"
    )
    save(fig, out_dir, "cnn_digits_feature_maps.png")
    return {"test_accuracy": accuracy, "val_accuracy": history["val_acc"][-1]}


if __name__ == "__main__":
    run(main, "cnn_digits", __doc__)
