"""BFGS vs L-BFGS vs gradient descent on a small problem (notes 001's optimizer list).

The problem: L2-regularised logistic regression on sklearn's breast-cancer data (569
patients, 30 standardised features; 31 parameters; loss = mean BCE + 0.0005 ||w||^2, a
smooth convex loss with one minimum; weak regularisation, so a badly conditioned one).
Every method starts from zero and is driven by the
engine's gradients:

- gradient descent (``optim.SGD`` on the full batch; the largest stable rate found by hand);
- BFGS (``optim.BFGS``: a dense 31 x 31 inverse-Hessian estimate, strong-Wolfe line search);
- L-BFGS (``optim.LBFGS``: the same idea keeping only the last 10 moves, strong-Wolfe;
  up to 20 iterations per ``step`` call, and, for comparison, 1 per call).

Quasi-Newton methods learn the curvature from successive gradients and take steps scaled to
it; gradient descent's single rate has to suit the steepest direction and crawls along the
flat ones. The cost per iteration differs (line searches evaluate the loss more than once),
so the table also counts loss-and-gradient evaluations.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.datasets import load_breast_cancer

import nn.functional as F
import optim
from autograd import Tensor
from demos.cli import output_dir, run
from demos.plotting import plt, save

L2 = 0.0005


def data() -> tuple[np.ndarray, np.ndarray]:
    """Standardised features with a column of ones (for the bias), and 0/1 labels."""
    x, y = load_breast_cancer(return_X_y=True)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    return np.hstack([x, np.ones((len(x), 1))]), y.astype(np.float64)


def loss_of(w: Tensor, x: Tensor, y: Tensor) -> Tensor:
    """Mean binary cross-entropy of the logits x @ w, plus 0.0005 ||w||^2."""
    return F.binary_cross_entropy_with_logits(x @ w, y) + L2 * (w**2).sum()


def reference(x: np.ndarray, y: np.ndarray) -> float:
    """The minimum found by scipy's L-BFGS-B on a numpy loss and gradient (no engine)."""
    from scipy.optimize import minimize

    def f(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        loss = np.mean(np.logaddexp(0, z) - y * z) + L2 * w @ w
        return loss, x.T @ (1 / (1 + np.exp(-z)) - y) / len(y) + 2 * L2 * w

    res = minimize(
        f,
        np.zeros(x.shape[1]),
        jac=True,
        method="L-BFGS-B",
        options=dict(gtol=1e-12, ftol=1e-15, maxiter=10000),
    )
    return float(res.fun)


def minimise(method: str, steps: int, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Call ``step`` ``steps`` times; after each, the loss, the iterations and the
    loss-and-gradient evaluations so far."""
    w = Tensor(np.zeros(x.shape[1]), requires_grad=True)
    xt, yt = Tensor(x), Tensor(y)
    evals = 0

    def closure_backward() -> Tensor:
        nonlocal evals
        evals += 1
        opt.zero_grad()
        loss = loss_of(w, xt, yt)
        loss.backward()
        return loss

    def closure_value() -> Tensor:  # BFGS differentiates the closure itself
        nonlocal evals
        evals += 1
        return loss_of(w, xt, yt)

    if method == "gradient descent":
        opt: optim.Optimizer = optim.SGD([w], lr=1.0)
    elif method == "BFGS":
        opt = optim.BFGS([w])
    elif method == "L-BFGS":
        opt = optim.LBFGS([w], max_iter=20, history_size=10, line_search_fn="strong_wolfe")
    else:  # one iteration per step call
        opt = optim.LBFGS([w], max_iter=1, history_size=10, line_search_fn="strong_wolfe")
    losses, counts, iterations = [], [], []
    start = time.perf_counter()
    for k in range(steps):
        if method == "gradient descent":
            closure_backward()
            opt.step()
        elif method == "BFGS":
            opt.step(closure_value)
        else:
            opt.step(closure_backward)
        losses.append(loss_of(w, xt, yt).item())  # measurement only, not counted
        counts.append(evals)
        state = opt.state[w]
        iterations.append(state["n_iter"] if "n_iter" in state else k + 1)
    elapsed = time.perf_counter() - start
    return dict(
        loss=np.array(losses),
        evals=np.array(counts),
        iters=np.array(iterations),
        w=w.data.copy(),
        seconds=elapsed,
    )


def main(out_dir: str | Path, quick: bool = False) -> dict[str, Any]:
    """Run the three methods, print how fast each reaches the minimum, plot the gaps."""
    out_dir = output_dir(out_dir)
    x, y = data()
    steps = {
        "gradient descent": 2000,
        "BFGS": 100,
        "L-BFGS": 8,
        "L-BFGS, max_iter=1": 100,
    }
    if quick:
        steps = {k: max(v // 4, 2) for k, v in steps.items()}
    runs = {name: minimise(name, n, x, y) for name, n in steps.items()}
    best = reference(x, y)
    print(
        f"Logistic regression on breast cancer ({len(x)} x {x.shape[1]}), mean BCE + {L2}"
        f" ||w||^2;\nminimum {best:.10f} (scipy's L-BFGS-B on a numpy loss, as the reference)"
    )
    header = (
        "method",
        "iterations",
        "evaluations",
        "final loss - minimum",
        "iters to 1e-6",
        "time",
    )
    print(
        f"  {header[0]:18} {header[1]:>10} {header[2]:>11} {header[3]:>20}"
        f" {header[4]:>13} {header[5]:>7}"
    )
    for name, r in runs.items():
        gap = r["loss"] - best
        hit = np.nonzero(gap < 1e-6)[0]
        r["iters_to_tol"] = int(r["iters"][hit[0]]) if len(hit) else None
        to_tol = f"{r['iters_to_tol']}" if len(hit) else "not yet"
        print(
            f"  {name:18} {r['iters'][-1]:>10} {r['evals'][-1]:>11} {gap[-1]:>20.2e}"
            f" {to_tol:>13} {r['seconds']:>6.2f}s"
        )

    print(
        "  L-BFGS called with max_iter=1 (one iteration per step call) stalls on this problem;"
        "\n  torch 2.x's LBFGS does the same. Called as intended (max_iter=20 iterations per"
        "\n  step) it converges; the iteration counts include every inner iteration."
    )

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    for name, r in runs.items():
        gap = np.maximum(r["loss"] - best, 1e-16)  # rounding can dip below the reference
        label = name + (" (a point per step call)" if name == "L-BFGS" else "")
        axes[0].semilogy(r["iters"], gap, marker=".", ms=3, label=label)
        axes[1].semilogy(r["evals"], gap, marker=".", ms=3, label=label)
    axes[0].set_xlabel("iteration")
    axes[0].set_xscale("log")
    axes[1].set_xlabel("loss-and-gradient evaluations")
    axes[1].set_xscale("log")
    for ax in axes:
        ax.set_ylabel("loss - minimum (log scale)")
        ax.axhline(1e-6, color="grey", ls=":", label="1e-6")
        ax.legend(fontsize=8)
    axes[0].set_title("Per iteration")
    axes[1].set_title("Per evaluation (line searches cost extra)")
    save(fig, out_dir, "quasi_newton.png")
    return runs


if __name__ == "__main__":
    run(main, "quasi_newton", __doc__)
