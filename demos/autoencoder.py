"""A denoising autoencoder on sklearn's 8x8 digits (notes 004, Vincent et al. 2010).

Each training image x is corrupted into x~ (masking noise: a random 30% of its pixels set to
0, drawn anew every time the image is seen); the network encodes x~ to a 24-number code and
decodes it; the loss is the L2 reconstruction error against the *clean* x,
L(x, z) = ||x - z||^2 (averaged: ``MSELoss``). To undo the corruption the code has to capture
how strokes go together, not copy pixels. MLP encoder 64 -> 48 -> 24, decoder 24 -> 48 -> 64
with a sigmoid output (pixels scaled to [0, 1]), Adam.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.datasets import load_digits

import nn
import optim
from autograd import Tensor, manual_seed, no_grad
from demos.cli import output_dir, run
from demos.plotting import plt, save

MASK_FRACTION = 0.3


def corrupt(x: np.ndarray, rng: np.random.Generator, fraction: float = MASK_FRACTION) -> np.ndarray:
    """Masking noise: each pixel set to 0 with probability ``fraction``."""
    return (x * (rng.random(x.shape) >= fraction)).astype(np.float32)


def autoencoder(code: int = 24) -> nn.Sequential:
    """64 -> 48 -> code -> 48 -> 64, ReLU inside, sigmoid output."""
    return nn.Sequential(
        nn.Linear(64, 48),
        nn.ReLU(),
        nn.Linear(48, code),
        nn.ReLU(),
        nn.Linear(code, 48),
        nn.ReLU(),
        nn.Linear(48, 64),
        nn.Sigmoid(),
    )


def reconstruct(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """The model's output for a numpy batch, without a graph."""
    with no_grad():
        return model(Tensor(x)).numpy()


def mse(a: np.ndarray, b: np.ndarray) -> float:
    """Mean squared difference per pixel."""
    return float(np.mean((a - b) ** 2))


def main(out_dir: str | Path, quick: bool = False) -> dict[str, Any]:
    """Train, print reconstruction errors before/after, draw clean/corrupted/reconstructed rows."""
    out_dir = output_dir(out_dir)
    epochs = 6 if quick else 40
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    train, test = x[order[:1500]], x[order[1500:]]
    test_noisy = corrupt(test, np.random.default_rng(1))  # one fixed corruption for testing

    manual_seed(0)
    model = autoencoder()
    optimizer = optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.MSELoss()
    errors = {0: mse(reconstruct(model, test_noisy), test)}
    train_losses = []
    for epoch in range(1, epochs + 1):
        perm = rng.permutation(len(train))
        total = 0.0
        for start in range(0, len(train), 64):
            clean = train[perm[start : start + 64]]
            noisy = corrupt(clean, rng)  # new corruption every time
            loss = loss_fn(model(Tensor(noisy)), Tensor(clean))  # against the clean input
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(clean)
        train_losses.append(total / len(train))
        errors[epoch] = mse(reconstruct(model, test_noisy), test)
    recon = reconstruct(model, test_noisy)
    baseline = mse(test_noisy, test)
    mean_image = mse(np.broadcast_to(train.mean(axis=0), test.shape), test)

    print(
        f"Denoising autoencoder on 8x8 digits: {len(train)} training, {len(test)} test images,"
        f" {MASK_FRACTION:.0%} of pixels masked; {epochs} epochs of Adam (batch 64)"
    )
    rows = [
        ("corrupted input itself (no model)", baseline),
        ("the mean training image for every input", mean_image),
        ("autoencoder at initialisation", errors[0]),
        (f"autoencoder after {epochs} epochs", errors[epochs]),
    ]
    print(f"  {'reconstruction of the corrupted test images':44}  {'MSE vs clean':>12}")
    for name, value in rows:
        print(f"  {name:44}  {value:12.4f}")
    masked = test_noisy != test
    on_masked = (mse(test_noisy[masked], test[masked]), mse(recon[masked], test[masked]))
    print(
        f"  on the masked pixels alone (those not already 0): corrupted {on_masked[0]:.4f},"
        f" reconstructed {on_masked[1]:.4f}"
    )

    show = 10
    fig, axes = plt.subplots(3, show, figsize=(1.3 * show, 4.6))
    for row, (images, name) in enumerate(
        (
            (test, "clean"),
            (test_noisy, f"corrupted\n({MASK_FRACTION:.0%} masked)"),
            (recon, "reconstructed"),
        )
    ):
        for k in range(show):
            ax = axes[row, k]
            ax.imshow(images[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[row, 0].set_ylabel(name, fontsize=10)
    fig.suptitle(
        f"Denoising autoencoder, test digits: MSE vs clean {baseline:.4f} (corrupted)"
        f" -> {errors[epochs]:.4f} (reconstructed)"
    )
    save(fig, out_dir, "autoencoder_digits.png")

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(range(1, epochs + 1), train_losses, marker=".", label="training loss (new masks)")
    ax.plot(list(errors), list(errors.values()), marker=".", label="test: reconstruction vs clean")
    ax.axhline(baseline, color="k", ls=":", label="test: corrupted input vs clean")
    ax.axhline(mean_image, color="grey", ls="--", label="test: mean image vs clean")
    ax.set_xlabel("epoch (0: initialisation)")
    ax.set_ylabel("mean squared error per pixel")
    ax.set_title("L2 reconstruction error against the clean images")
    ax.legend(fontsize=8)
    save(fig, out_dir, "autoencoder_loss.png")
    return dict(
        clean=test, corrupted=test_noisy, reconstructed=recon, errors=errors, baseline=baseline
    )


if __name__ == "__main__":
    run(main, "autoencoder", __doc__)
