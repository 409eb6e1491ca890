"""Dropout with L2 weight terms (notes 004, Gal and Ghahramani 2016) and weight decay.

The notes' objective for a dropout network:

    L_dropout = (1/N) sum_i E(y_i, y_hat_i) + lambda sum_layers (||W_i||^2 + ||b_i||^2)

Two lessons:

1. The explicit penalty and the optimizer's ``weight_decay`` are the same thing for SGD:
   SGD(weight_decay=wd) adds wd * w to every gradient, which is the gradient of
   (wd / 2) * ||w||^2. So ``lambda`` in the loss is ``weight_decay = 2 lambda`` (biases
   included, as in the notes' formula, when all parameters are given to the optimizer).
   Checked numerically: a few steps each way from the same start give the same weights.
2. The effect on over-fitting: a 1-64-64-1 network fitted to 20 noisy points of sin(3x),
   without regularisation, with dropout, with the L2 term, and with both (the notes' loss).
   Both shrink the gap between the training and the test error; L2 also shrinks the weights.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
import optim
from autograd import Tensor, manual_seed, no_grad
from demos.cli import output_dir, run
from demos.plotting import plt, save


def net(p_drop: float) -> nn.Sequential:
    """1 -> 64 -> 64 -> 1 with tanh, dropout ``p_drop`` after each hidden layer."""
    return nn.Sequential(
        nn.Linear(1, 64),
        nn.Tanh(),
        nn.Dropout(p_drop),
        nn.Linear(64, 64),
        nn.Tanh(),
        nn.Dropout(p_drop),
        nn.Linear(64, 1),
    )


def l2_term(model: nn.Module) -> Any:
    """sum of ||W||^2 + ||b||^2 over every parameter (the notes' penalty without lambda)."""
    return sum((p**2).sum() for p in model.parameters())


def weight_decay_equivalence(wd: float = 0.1, steps: int = 5, lam: float | None = None) -> float:
    """Largest difference between SGD(weight_decay=wd) and SGD on loss + lam ||w||^2
    (``lam`` = wd / 2 unless given)."""
    lam = wd / 2 if lam is None else lam
    rng = np.random.default_rng(0)
    x, y = Tensor(rng.normal(size=(16, 1))), Tensor(rng.normal(size=(16, 1)))
    manual_seed(0)
    a = net(0.0).double()
    b = net(0.0).double()
    b.load_state_dict(a.state_dict())
    opt_a = optim.SGD(a.parameters(), lr=0.1, weight_decay=wd)
    opt_b = optim.SGD(b.parameters(), lr=0.1)
    for _ in range(steps):
        opt_a.zero_grad()
        nn.functional.mse_loss(a(x), y).backward()
        opt_a.step()
        opt_b.zero_grad()
        (nn.functional.mse_loss(b(x), y) + lam * l2_term(b)).backward()
        opt_b.step()
    return max(
        float(np.abs(pa.data - pb.data).max()) for pa, pb in zip(a.parameters(), b.parameters())
    )


def fit(p_drop: float, lam: float, x: np.ndarray, y: np.ndarray, steps: int) -> nn.Module:
    """Adam (lr 0.01, full batch) on MSE + lam * l2_term, dropout ``p_drop`` while training."""
    manual_seed(0)
    model = net(p_drop)
    opt = optim.Adam(model.parameters(), lr=0.01)
    xt, yt = Tensor(x), Tensor(y)
    model.train()
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(xt), yt)
        if lam:
            loss = loss + lam * l2_term(model)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return model


def predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """The model's output for a numpy batch, without a graph."""
    with no_grad():
        return model(Tensor(x)).numpy()


def main(out_dir: str | Path, quick: bool = False) -> dict[str, Any]:
    """Check the equivalence, fit the four variants, print and plot them."""
    out_dir = output_dir(out_dir)
    gap = weight_decay_equivalence()
    wrong = weight_decay_equivalence(lam=0.1)
    print(
        "SGD(weight_decay=0.1) vs SGD on loss + lambda * sum ||w||^2, 5 steps from the same"
        f" start (float64):\n  lambda = 0.1 / 2: largest difference in any weight {gap:.1e}"
        f" (the same update)\n  lambda = 0.1 (forgetting the 1/2): {wrong:.1e}"
    )
    steps = 150 if quick else 1500
    rng = np.random.default_rng(3)
    x = np.sort(rng.uniform(-1.5, 1.5, (20, 1)), axis=0).astype(np.float32)
    y = (np.sin(3 * x) + rng.normal(0, 0.3, x.shape)).astype(np.float32)
    x_test = np.linspace(-1.5, 1.5, 300, dtype=np.float32)[:, None]
    y_test = np.sin(3 * x_test)
    lam = 1e-3
    variants = {
        "no regularisation": (0.0, 0.0),
        "dropout p = 0.2": (0.2, 0.0),
        f"L2, lambda = {lam:g}": (0.0, lam),
        "dropout + L2 (the notes' loss)": (0.2, lam),
    }
    results: dict[str, Any] = {"equivalence_gap": gap, "without_half": wrong}
    print(f"\n20 noisy training points of sin(3x), 1-64-64-1 tanh network, {steps} Adam steps:")
    header = ("variant", "train MSE", "test MSE (vs sin)", "sum ||w||^2")
    print(f"  {header[0]:32}  {header[1]:>9}  {header[2]:>17}  {header[3]:>11}")
    fig, axes = plt.subplots(1, len(variants), figsize=(5 * len(variants), 4.3), sharey=True)
    for ax, (name, (p_drop, l2)) in zip(axes, variants.items()):
        model = fit(p_drop, l2, x, y, steps)
        train_mse = float(np.mean((predict(model, x) - y) ** 2))
        curve = predict(model, x_test)
        test_mse = float(np.mean((curve - y_test) ** 2))
        norm = float(sum((p.data.astype(np.float64) ** 2).sum() for p in model.parameters()))
        results[name] = dict(train=train_mse, test=test_mse, norm=norm)
        print(f"  {name:32}  {train_mse:>9.4f}  {test_mse:>17.4f}  {norm:>11.1f}")
        ax.scatter(x, y, s=15, c="k", label="training points")
        ax.plot(x_test, y_test, "k:", label="sin(3x)")
        ax.plot(x_test, curve, "tab:red", label="network (eval mode)")
        ax.set_title(f"{name}\ntrain {train_mse:.3f}, test {test_mse:.3f}, sum w^2 {norm:.0f}")
        ax.set_xlabel("x")
        ax.set_ylim(-2.6, 2)
    axes[0].set_ylabel("y")
    axes[0].legend(fontsize=8, loc="lower left")
    save(fig, out_dir, "dropout_l2.png")
    print("  (dropout is active while training and off for every number and curve shown)")
    return results


if __name__ == "__main__":
    run(main, "dropout_l2", __doc__)
