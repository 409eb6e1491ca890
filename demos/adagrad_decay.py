"""Adagrad's vanishing learning rate vs RMSprop (notes 001 and 003).

Adagrad divides the step by the root of the *sum* of all past squared gradients,
w <- w - lr / sqrt(G_t) * g_t with G_t = g_1^2 + ... + g_t^2, so its effective learning rate
lr / sqrt(G_t) only shrinks: with gradients of steady size it falls like 1/sqrt(t), and the
total distance travelled grows only like sqrt(t). RMSprop keeps a decaying *average*
E[g^2]_t = alpha E[g^2]_{t-1} + (1 - alpha) g_t^2 instead, so its effective rate settles at
lr / |g| and stays there.

The task: walk down a long gentle slope f(w) = sqrt(1 + (w - 100)^2) (gradient close to -1 all
the way from w = 0 to near the minimum at 100). The effective rates are read from the
optimizers' own state (``sum`` and ``square_avg``) after each step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import optim
from autograd import Tensor
from demos.cli import output_dir, run
from demos.plotting import plt, save

TARGET = 100.0


def slope(w: Any) -> Any:
    """sqrt(1 + (w - 100)^2): gradient about -1 far left of 100, minimum 1 at w = 100."""
    return (1 + (w - TARGET) ** 2) ** 0.5


def descend(name: str, steps: int) -> dict[str, np.ndarray]:
    """Run Adagrad (lr 1) or RMSprop (lr 0.2) from w = 0; record w, the gradient and the
    effective learning rate lr / (sqrt(accumulator) + eps) after every step."""
    w = Tensor(np.array([0.0]), requires_grad=True)
    if name == "Adagrad":
        opt: optim.Optimizer = optim.Adagrad([w], lr=1.0)
        key = "sum"
    else:
        opt = optim.RMSprop([w], lr=0.2, alpha=0.99)
        key = "square_avg"
    group = opt.param_groups[0]
    ws, grads, rates = [], [], []
    for _ in range(steps):
        opt.zero_grad()
        slope(w).sum().backward()
        grads.append(float(np.asarray(w.grad)[0]))
        opt.step()
        acc = float(opt.state[w][key][0])
        rates.append(group["lr"] / (np.sqrt(acc) + group["eps"]))
        ws.append(float(w.data[0]))
    return dict(w=np.array(ws), grad=np.array(grads), rate=np.array(rates))


def main(out_dir: str | Path, quick: bool = False) -> dict[str, dict[str, np.ndarray]]:
    """Run both, print the effective rate and w at a few steps, plot both against steps."""
    out_dir = output_dir(out_dir)
    steps = 200 if quick else 1000
    runs = {name: descend(name, steps) for name in ("Adagrad", "RMSprop")}
    checkpoints = [s for s in (1, 10, 100, 300, 1000) if s <= steps]
    print(f"Walking down f(w) = sqrt(1 + (w - {TARGET:g})^2) from w = 0 (gradient about -1):")
    print(
        f"  {'step':>5}  {'Adagrad lr/sqrt(G)':>18}  {'Adagrad w':>9}"
        f"  {'RMSprop lr/sqrt(E[g^2])':>23}  {'RMSprop w':>9}"
    )
    for s in checkpoints:
        a, r = runs["Adagrad"], runs["RMSprop"]
        print(
            f"  {s:>5}  {a['rate'][s - 1]:>18.4f}  {a['w'][s - 1]:>9.3f}"
            f"  {r['rate'][s - 1]:>23.4f}  {r['w'][s - 1]:>9.3f}"
        )
    print(
        "  Adagrad's rate is 1/sqrt(t) while the gradient stays near -1 (1, 0.316, 0.1, ...);"
        "\n  RMSprop's starts large (the average starts at 0) and settles near lr / |g| = 0.2"
        "\n  (and grows again once |g| shrinks at the minimum, where steps are small anyway)."
    )

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    t = np.arange(1, steps + 1)
    for name, r in runs.items():
        axes[0].loglog(t, r["rate"], label=f"{name} (measured)")
        axes[1].plot(t, r["w"], label=name)
    axes[0].loglog(t, 1 / np.sqrt(t), "k:", label="1 / sqrt(t)")
    axes[0].set_xlabel("step t")
    axes[0].set_ylabel("effective learning rate (log scale)")
    axes[0].set_title("Adagrad's effective rate only shrinks; RMSprop's settles")
    axes[0].legend()
    axes[1].axhline(TARGET, color="k", ls=":", label=f"minimum (w = {TARGET:g})")
    axes[1].set_xlabel("step t")
    axes[1].set_ylabel("w")
    axes[1].set_title("Distance travelled: Adagrad crawls (~2 sqrt(t))")
    axes[1].legend()
    save(fig, out_dir, "adagrad_decay.png")
    return runs


if __name__ == "__main__":
    run(main, "adagrad_decay", __doc__)
