"""A cliff in the loss landscape and gradient clipping (notes 002: landscapes, cliffs).

The landscape: a bowl centred on a cliff, a drop of height 100 over a width of about 0.4
across w1 = 2 (a high plateau on the right, the basin below the cliff on the left, minimum
near (1.28, 0)):

    f(w) = ((w1 - 2)^2 + w2^2) / 2 + 50 tanh(5 (w1 - 2))

Plain gradient descent from (5, 1.5) walks down the bowl until it reaches the cliff edge,
where the gradient is suddenly up to 250, about a hundred times larger than before: one
step throws the parameters far past the basin (the loss jumps up), and training has to
come back from there.
``nn.utils.clip_grad_norm_(params, max_norm)`` rescales the gradient whenever its norm
exceeds ``max_norm`` (the direction is kept), so the step at the cliff is no longer than any
other and descent walks down the cliff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
import optim
from autograd import Tensor
from demos.cli import output_dir, run
from demos.plotting import contour_paths, plt, save

START = (5.0, 1.5)
LR = 0.05
MAX_NORM = 5.0


def cliff(w1: Any, w2: Any) -> Any:
    """The bowl with a cliff at w1 = 2; works on Tensors and numpy grids."""
    tanh = np.tanh if isinstance(w1, np.ndarray) else (lambda t: t.tanh())
    return ((w1 - 2) ** 2 + w2**2) / 2 + 50 * tanh(5 * (w1 - 2))


def descend(steps: int, clip: float | None) -> dict[str, np.ndarray]:
    """Gradient descent (lr 0.05), clipping the gradient norm to ``clip`` if given; the path,
    the loss and the gradient norm before clipping at every step."""
    w = Tensor(np.array(START), requires_grad=True)
    opt = optim.SGD([w], lr=LR)
    path, losses, norms = [np.array(START)], [], []
    for _ in range(steps):
        opt.zero_grad()
        loss = cliff(w[0], w[1])
        loss.backward()
        losses.append(loss.item())
        if clip is None:
            norms.append(float(np.linalg.norm(np.asarray(w.grad))))
        else:
            norms.append(float(nn.utils.clip_grad_norm_([w], max_norm=clip)))
        opt.step()
        path.append(w.data.copy())
    return dict(path=np.array(path), loss=np.array(losses), grad_norm=np.array(norms))


def main(out_dir: str | Path, quick: bool = False) -> dict[str, dict[str, np.ndarray]]:
    """Descend with and without clipping; print and plot the paths and losses."""
    out_dir = output_dir(out_dir)
    steps = 60 if quick else 150
    runs = {
        "no clipping": descend(steps, None),
        f"clip_grad_norm_(max_norm={MAX_NORM:g})": descend(steps, MAX_NORM),
    }
    print(f"Gradient descent (lr {LR}) from {START} on the bowl with a cliff at w1 = 2:")
    header = ("run", "largest gradient norm", "longest step", "farthest from (2, 0)", "final loss")
    print(f"  {header[0]:30}  {header[1]:>21}  {header[2]:>12}  {header[3]:>20}  {header[4]:>10}")
    for name, r in runs.items():
        step_lengths = np.linalg.norm(np.diff(r["path"], axis=0), axis=1)
        r["step_length"] = step_lengths
        farthest = np.linalg.norm(r["path"] - (2.0, 0.0), axis=1).max()
        print(
            f"  {name:30}  {r['grad_norm'].max():>21.1f}  {step_lengths.max():>12.2f}"
            f"  {farthest:>20.2f}  {r['loss'][-1]:>10.3f}"
        )
    print(
        f"  (gradient norms are measured before clipping; with clipping no step is longer"
        f"\n  than lr * max_norm = {LR * MAX_NORM:g})"
    )

    fig, axes = plt.subplots(1, 2, figsize=(14, 5.5))
    contour_paths(
        axes[0],
        cliff,
        (-12, 6),
        (-5, 5),
        {name: r["path"] for name, r in runs.items()},
        levels=40,
        marker=".",
    )
    axes[0].axvline(2, color="tab:red", ls=":", lw=1, label="the cliff (w1 = 2)")
    axes[0].plot(*START, "ko", label="start")
    axes[0].set_xlabel("w1")
    axes[0].set_ylabel("w2")
    axes[0].set_title("Paths (contours of the loss; x: final point)")
    axes[0].legend(fontsize=8, loc="lower left")
    for name, r in runs.items():
        axes[1].plot(r["loss"], marker=".", ms=3, label=name)
    axes[1].set_xlabel("step")
    axes[1].set_ylabel("loss f(w)")
    axes[1].set_title("Loss per step: the unclipped step at the cliff throws it uphill")
    axes[1].legend(fontsize=8)
    save(fig, out_dir, "clipping.png")
    return runs


if __name__ == "__main__":
    run(main, "clipping", __doc__)
