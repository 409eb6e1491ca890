"""The output layer per task (notes 002): one small network per row of the notes' table.

| task | output activation | loss |
| regression | none (linear) | MSE |
| binary classification | sigmoid | binary cross-entropy |
| multi-label classification | one sigmoid per label | binary cross-entropy per label |
| multi-class classification | softmax over the classes | categorical cross-entropy |

Each network is the same 2-layer MLP body (tanh, 32 units) with a different head, trained
briefly with Adam on small synthetic data. The sigmoid/softmax are fused into the losses as
PyTorch users do (``BCEWithLogitsLoss``, ``CrossEntropyLoss`` take the logits); the demo checks
that this equals applying the activation and then the plain loss.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
import nn.functional as F
import optim
from autograd import Tensor, manual_seed, no_grad
from demos.cli import output_dir, run
from demos.plotting import plt, save


def body(n_in: int, n_out: int, width: int = 32) -> nn.Sequential:
    """n_in -> width -> width -> n_out with tanh; the last layer gives the logits."""
    return nn.Sequential(
        nn.Linear(n_in, width),
        nn.Tanh(),
        nn.Linear(width, width),
        nn.Tanh(),
        nn.Linear(width, n_out),
    )


def train(model: nn.Module, loss_fn: Any, x: np.ndarray, y: np.ndarray, steps: int) -> list[float]:
    """Full-batch Adam (lr 0.02) on ``loss_fn(model(x), y)``; the loss after every step."""
    opt = optim.Adam(model.parameters(), lr=0.02)
    xt, yt = Tensor(x), Tensor(y)
    losses = []
    for _ in range(steps):
        loss = loss_fn(model(xt), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def logits_of(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """The model's raw outputs for a numpy batch, without a graph."""
    with no_grad():
        return model(Tensor(x)).numpy()


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, in numpy (for reading probabilities off the logits)."""
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, in numpy (for reading probabilities off the logits)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def split(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A random half/half split of n indices (train, test)."""
    order = rng.permutation(n)
    return order[: n // 2], order[n // 2 :]


def main(out_dir: str | Path, quick: bool = False) -> dict[str, Any]:
    """Train the four heads, print the table, draw one panel per task."""
    out_dir = output_dir(out_dir)
    steps = 60 if quick else 400
    n = 200 if quick else 400
    rng = np.random.default_rng(0)
    results: dict[str, Any] = {}
    fig, axes = plt.subplots(1, 4, figsize=(21, 5))

    # regression: y = sin(2x) + noise, linear output, MSE
    manual_seed(0)
    x = rng.uniform(-2, 2, (n, 1)).astype(np.float32)
    y = (np.sin(2 * x) + rng.normal(0, 0.15, x.shape)).astype(np.float32)
    tr, te = split(n, rng)
    model = body(1, 1)
    train(model, nn.MSELoss(), x[tr], y[tr], steps)
    pred = logits_of(model, x[te])
    mse = float(np.mean((pred - y[te]) ** 2))
    r2 = 1 - mse / float(np.var(y[te]))
    results["regression"] = dict(metric=r2, test_mse=mse)
    grid = np.linspace(-2, 2, 200, dtype=np.float32)[:, None]
    ax = axes[0]
    ax.scatter(x[tr, 0], y[tr, 0], s=8, alpha=0.5, label="training data")
    ax.plot(grid, logits_of(model, grid), "r", lw=2, label="network output (linear)")
    ax.plot(grid, np.sin(2 * grid), "k:", label="true sin(2x)")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(f"Regression: linear output + MSE\ntest R^2 = {r2:.3f}")
    ax.legend(fontsize=8)

    # binary: two Gaussian blobs, sigmoid + BCE (fused: BCEWithLogitsLoss)
    manual_seed(0)
    labels = rng.integers(0, 2, n)
    x = (rng.normal(0, 1, (n, 2)) + np.where(labels[:, None] == 1, 1.5, -1.5)).astype(np.float32)
    y = labels.astype(np.float32)[:, None]
    tr, te = split(n, rng)
    model = body(2, 1)
    train(model, nn.BCEWithLogitsLoss(), x[tr], y[tr], steps // 4)
    z = logits_of(model, x[te])
    acc = float(np.mean((sigmoid(z) > 0.5) == (y[te] > 0.5)))
    fused = F.binary_cross_entropy_with_logits(Tensor(z), Tensor(y[te])).item()
    unfused = F.binary_cross_entropy(F.sigmoid(Tensor(z)), Tensor(y[te])).item()
    results["binary"] = dict(
        metric=acc, logits=z, targets=y[te], bce_with_logits=fused, bce=unfused
    )
    _regions(axes[1], lambda p: sigmoid(logits_of(model, p))[:, 0], x, labels, levels=[0.5])
    axes[1].set_title(f"Binary: sigmoid + BCE\ntest accuracy {acc:.1%} (line: p = 0.5)")

    # multi-label: 3 independent labels per point (x > 0, y > 0, inside the unit circle)
    manual_seed(0)
    x = rng.uniform(-2, 2, (n, 2)).astype(np.float32)
    y = np.stack([x[:, 0] > 0, x[:, 1] > 0, (x**2).sum(1) < 1.5], axis=1).astype(np.float32)
    tr, te = split(n, rng)
    model = body(2, 3)
    train(model, nn.BCEWithLogitsLoss(), x[tr], y[tr], steps)
    p = sigmoid(logits_of(model, x[te]))
    per_label = ((p > 0.5) == (y[te] > 0.5)).mean(axis=0)
    exact = float(np.mean(((p > 0.5) == (y[te] > 0.5)).all(axis=1)))
    results["multi-label"] = dict(metric=exact, per_label=per_label, row_sums=p.sum(axis=1))
    ax = axes[2]
    gx, gy = np.meshgrid(np.linspace(-2, 2, 150), np.linspace(-2, 2, 150))
    pts = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)
    pg = sigmoid(logits_of(model, pts))
    names = ["label 1: x > 0", "label 2: y > 0", "label 3: inside circle"]
    colors = ["tab:blue", "tab:orange", "tab:green"]
    ax.scatter(x[:, 0], x[:, 1], c="grey", s=8, alpha=0.5, label="data (2-D points)")
    for k in range(3):
        ax.contour(gx, gy, pg[:, k].reshape(gx.shape), levels=[0.5], colors=colors[k])
        ax.plot([], [], color=colors[k], label=f"{names[k]} (p = 0.5)")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title(
        f"Multi-label: one sigmoid per label + BCE\n"
        f"all 3 labels right on {exact:.1%} of test points"
    )

    # multi-class: 3 blobs, softmax + categorical CE (fused: CrossEntropyLoss)
    manual_seed(0)
    labels = rng.integers(0, 3, n)
    centres = np.array([[0.0, 2.0], [-1.8, -1.0], [1.8, -1.0]])
    x = (centres[labels] + rng.normal(0, 0.9, (n, 2))).astype(np.float32)
    tr, te = split(n, rng)
    model = body(2, 3)
    train(model, nn.CrossEntropyLoss(), x[tr], labels[tr], steps // 4)
    probs = softmax(logits_of(model, x[te]))
    acc = float(np.mean(probs.argmax(axis=1) == labels[te]))
    results["multi-class"] = dict(metric=acc, row_sums=probs.sum(axis=1))
    _regions(axes[3], lambda p: softmax(logits_of(model, p)).argmax(axis=1), x, labels, levels=None)
    axes[3].set_title(f"Multi-class: softmax + cross-entropy\ntest accuracy {acc:.1%}")
    save(fig, out_dir, "output_layers.png")

    print(
        f"Full-batch Adam on {n // 2} points ({steps} steps; binary and multi-class"
        f" {steps // 4}, before they over-fit); metric on the other {n // 2}:"
    )
    rows = [
        (
            "regression",
            "none (linear)",
            "MSELoss",
            f"test R^2 {results['regression']['metric']:.3f}",
        ),
        (
            "binary",
            "sigmoid",
            "BCEWithLogitsLoss",
            f"test accuracy {results['binary']['metric']:.1%}",
        ),
        (
            "multi-label (3 labels)",
            "sigmoid per label",
            "BCEWithLogitsLoss",
            f"exact-match {exact:.1%}; per label " + ", ".join(f"{a:.0%}" for a in per_label),
        ),
        ("multi-class (3 classes)", "softmax", "CrossEntropyLoss", f"test accuracy {acc:.1%}"),
    ]
    header = ("task", "output activation", "loss (takes logits)", "final metric")
    widths = [max(len(r[i]) for r in (*rows, header)) for i in range(4)]
    for r in (header, *rows):
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    print(
        f"\nBCE with logits {results['binary']['bce_with_logits']:.6f} = BCE of sigmoid"
        f" {results['binary']['bce']:.6f} on the binary test set"
        " (the fused form is the stable one)."
    )
    ml_sums = results["multi-label"]["row_sums"]
    print(
        f"Multi-label probabilities are independent: their sums per point range over"
        f" [{ml_sums.min():.2f}, {ml_sums.max():.2f}]; softmax rows sum to 1"
        f" (largest error {np.abs(results['multi-class']['row_sums'] - 1).max():.1e})."
    )
    return results


def _regions(ax: Any, predict: Any, x: np.ndarray, labels: np.ndarray, levels: Any) -> None:
    """Shade the predicted class (or probability) over a grid and scatter the data."""
    (x0, y0), (x1, y1) = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    gx, gy = np.meshgrid(np.linspace(x0, x1, 150), np.linspace(y0, y1, 150))
    pts = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)
    z = np.asarray(predict(pts), dtype=float).reshape(gx.shape)
    if levels is None:
        ax.contourf(gx, gy, z, levels=[-0.5, 0.5, 1.5, 2.5], cmap="Pastel1", alpha=0.9)
    else:
        cs = ax.contourf(gx, gy, z, levels=np.linspace(0, 1, 11), cmap="coolwarm", alpha=0.5)
        ax.contour(gx, gy, z, levels=levels, colors="k")
        ax.figure.colorbar(cs, ax=ax, label="predicted probability of class 1")
    for c in np.unique(labels):
        m = labels == c
        ax.scatter(x[m, 0], x[m, 1], s=10, edgecolors="k", linewidths=0.3, label=f"class {c}")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(fontsize=8, loc="lower left")


if __name__ == "__main__":
    run(main, "output_layers", __doc__)
