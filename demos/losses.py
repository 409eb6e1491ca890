"""Every loss in ``nn.functional`` drawn against the quantity it judges, with its gradient.

Regression losses against the error (prediction - target); classification losses against
the margin y * z (label in {-1, +1} times the raw score) and against the predicted
probability; ranking and metric losses against score differences and distances. Each
curve is the loss with ``reduction='none'`` over a grid, its gradient from backward().
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

import nn.functional as F
from autograd import Tensor, stack
from demos.cli import output_dir, run
from demos.plotting import plt, save

Curve = Callable[[Tensor], Tensor]

REGRESSION: dict[str, Curve] = {
    "L1 (MAE)": lambda e: F.l1_loss(e, np.zeros(e.shape), reduction="none"),
    "L2 (MSE)": lambda e: F.mse_loss(e, np.zeros(e.shape), reduction="none"),
    "Huber (delta 1)": lambda e: F.huber_loss(e, np.zeros(e.shape), reduction="none"),
    "smooth L1 (beta 0.5)": lambda e: F.smooth_l1_loss(
        e, np.zeros(e.shape), reduction="none", beta=0.5
    ),
    "log-cosh": lambda e: F.log_cosh_loss(e, np.zeros(e.shape), reduction="none"),
}


def _two_class_ce(m: Tensor) -> Tensor:
    logits = m.reshape(-1, 1) * np.array([[0.0, 1.0]])  # scores (0, m): class 1 has margin m
    return F.cross_entropy(logits, np.ones(m.shape[0], dtype=np.int64), reduction="none")


MARGIN: dict[str, Curve] = {
    "logistic = BCE with logits": lambda m: F.binary_cross_entropy_with_logits(
        m, np.ones(m.shape), reduction="none"
    ),
    "cross-entropy, 2 classes": _two_class_ce,
    "hinge (margin 1)": lambda m: F.hinge_loss(m, np.ones(m.shape), reduction="none"),
}

PROBABILITY: dict[str, Curve] = {
    "BCE, target 1: -log p": lambda p: F.binary_cross_entropy(
        p, np.ones(p.shape), reduction="none"
    ),
    "BCE, target 0: -log(1 - p)": lambda p: F.binary_cross_entropy(
        p, np.zeros(p.shape), reduction="none"
    ),
    "KL(target || [p, 1 - p]), target [0.7, 0.3]": lambda p: _kl(p),
}


def _kl(p: Tensor) -> Tensor:
    """KL divergence from the distribution [0.7, 0.3] to the prediction [p, 1 - p]."""
    log_q = stack([p, 1 - p], axis=1).log()
    target = np.tile([0.7, 0.3], (p.shape[0], 1))
    return F.kl_div(log_q, target, reduction="none").sum(axis=1)


def _points(d: Tensor) -> Tensor:
    """Embeddings (d, 0): at distance d from the origin."""
    return d.reshape(-1, 1) * np.array([[1.0, 0.0]])


def _origin(d: Tensor) -> np.ndarray:
    return np.zeros((d.shape[0], 2))


RANKING: dict[str, Curve] = {
    "margin ranking (target 1, margin 0.5) vs s1 - s2": lambda s: F.margin_ranking_loss(
        s, np.zeros(s.shape), np.ones(s.shape), margin=0.5, reduction="none"
    ),
    "contrastive, similar pair vs d": lambda d: F.contrastive_loss(
        _points(d), _origin(d), np.ones(d.shape), reduction="none"
    ),
    "contrastive, dissimilar pair vs d": lambda d: F.contrastive_loss(
        _points(d), _origin(d), np.zeros(d.shape), reduction="none"
    ),
    "triplet (margin 1), d(a, n) = 2, vs d(a, p)": lambda d: F.triplet_margin_loss(
        _origin(d), _points(d), np.tile([0.0, 2.0], (d.shape[0], 1)), reduction="none"
    ),
}


def curve(loss: Curve, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The loss at every grid point and its derivative there (from backward)."""
    t = Tensor(x, requires_grad=True)
    value = loss(t)
    value.sum().backward()
    assert t.grad is not None  # t is a leaf that requires grad, and the loss depends on it
    return value.numpy(), t.grad.numpy()


def main(out_dir: str | Path, quick: bool = False) -> dict[str, np.ndarray]:
    """Plot the four families, loss (solid) and gradient (dashed); print a few readings."""
    out_dir = output_dir(out_dir)
    n = 121 if quick else 601
    panels = (
        (
            "Regression: loss vs error",
            "error = prediction - target",
            REGRESSION,
            np.linspace(-3, 3, n),
        ),
        (
            "Classification: loss vs margin y * z",
            "margin y * z (z: raw score)",
            MARGIN,
            np.linspace(-3, 3, n),
        ),
        (
            "Classification: loss vs predicted probability",
            "p",
            PROBABILITY,
            np.linspace(0.005, 0.995, n),
        ),
        (
            "Ranking and metric learning",
            "score difference / distance",
            RANKING,
            np.linspace(0.0, 2.5, n),
        ),
    )
    fig, axes = plt.subplots(2, 2, figsize=(14, 10))
    results: dict[str, np.ndarray] = {}
    for ax, (title, xlabel, family, x) in zip(axes.flat, panels):
        ax.axhline(0, color="0.85", lw=0.8)
        for k, (name, loss) in enumerate(family.items()):
            y, dy = curve(loss, x)
            results[name] = y
            ax.plot(x, y, f"C{k}", label=name)
            ax.plot(x, dy, f"C{k}--", lw=0.9)
        if family is MARGIN:
            ax.plot(x, (x < 0).astype(float), "k:", lw=1, label="0-1 loss (not differentiable)")
        ax.set_title(f"{title} (dashed: gradient)")
        ax.set_xlabel(xlabel)
        ax.set_ylim(-2.2, 4.5)
        ax.legend(fontsize=8)
    save(fig, out_dir, "losses.png")

    e = np.array([0.1, 1.0, 3.0])
    print("Regression losses at errors 0.1, 1, 3 (gradients after the slash):")
    for name, loss in REGRESSION.items():
        y, dy = curve(loss, e)
        print(f"  {name:22}" + "".join(f" {a:7.4f} / {b:6.3f}" for a, b in zip(y, dy)))
    print(
        "  L1's gradient is +-1 whatever the error (robust to outliers); MSE's grows with"
        "\n  the error; Huber, smooth L1 and log-cosh are quadratic near 0 and linear beyond."
    )
    print(
        "Classification: the logistic loss never reaches 0 (it keeps pushing the margin),"
        "\n  hinge is exactly 0 once the margin exceeds 1; two-class cross-entropy with"
        "\n  scores (0, z) is the same curve as the logistic loss."
    )
    gap = np.max(
        np.abs(results["cross-entropy, 2 classes"] - results["logistic = BCE with logits"])
    )
    print(f"  (largest difference between the two on the grid: {gap:.1e})")
    try:
        np.max(0, 1 - np.array([0.5, 2.0]))  # the notes' (001) hinge code, as printed
        notes_hinge = "ran (unexpected)"
    except (TypeError, ValueError) as error:
        notes_hinge = f"raises {type(error).__name__}: {error}"
    print(
        "Note on the notes (001): their hinge code np.max(0, 1 - yHat * y) "
        f"{notes_hinge}.\n  np.max takes one array (the second argument is the axis);"
        " the elementwise maximum is\n  np.maximum(0, 1 - yHat * y), which is what"
        " F.hinge_loss computes."
    )
    return results


if __name__ == "__main__":
    run(main, "losses", __doc__)
