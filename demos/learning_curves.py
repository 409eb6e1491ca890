"""Learning curves read as the notes read them: under-fit, over-fit, unrepresentative
training or validation sets, and a good fit (the notes' six cases, 002).

One task (noisy two moons), six training runs, each plotted as training and validation
loss per epoch:

- under-fit, not enough capacity: a linear model; both curves flatten high, close together.
- under-fit, needs more training: a good model stopped early; both still falling.
- over-fit: a big network on 30 training points; training loss keeps falling while the
  validation loss turns up after a minimum (the gap grows).
- training set too small (unrepresentative): a small network on 12 points; within 32
  epochs the training loss is near 0 while the validation loss has only come down to
  about 0.46: both improved, a large gap stays (12 points do not show the task). Trained
  on, it would over-fit as the 30-point run does.
- validation set too small (unrepresentative): a good run judged on 8 validation points;
  the validation curve is jumpy and says little (here it even sits below the training loss).
- good fit: a moderate network on plenty of data; both fall and level off close together.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.datasets import make_moons

import nn
import optim
from autograd import manual_seed
from demos.cli import output_dir, run
from demos.plotting import plot_history, plt, save
from demos.training import History, fit


def mlp(width: int) -> nn.Sequential:
    """2 -> width -> width -> 2 with ReLU."""
    return nn.Sequential(
        nn.Linear(2, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 2)
    )


def reading(history: History) -> str:
    """What the curves say, by the notes' rules of thumb."""
    train, val = np.array(history["train_loss"]), np.array(history["val_loss"])
    best = int(val.argmin())
    tail = max(len(val) // 10, 1)
    still_falling = train[-tail - 1] - train[-1] > 0.02 * train[0]
    if best < 0.7 * (len(val) - 1) and val[-1] - val[best] > 0.1 * val[best]:
        return (
            f"over-fit: validation loss bottomed at epoch {best} ({val[best]:.3f}) and rose"
            f" to {val[-1]:.3f} while training loss fell to {train[-1]:.3f}"
        )
    if val[-1] < 0.8 * train[-1]:
        return (
            f"validation set too small? the validation loss ends well below the training loss"
            f" ({val[-1]:.3f} vs {train[-1]:.3f}): too few points to represent the task"
        )
    if val[-1] > 2 * train[-1] and val[-1] - train[-1] > 0.15:
        return (
            f"training set too small? both improved, but a wide gap stays (train"
            f" {train[-1]:.3f}, validation {val[-1]:.3f})"
        )
    if still_falling:
        return "under-fit (needs more training): both losses are still falling at the end"
    if val[-1] > 0.25:
        return (
            f"under-fit (not enough capacity): training loss levels off high"
            f" ({train[-1]:.3f}), validation close to it ({val[-1]:.3f})"
        )
    return (
        f"good fit: both level off low and close (train {train[-1]:.3f}, validation {val[-1]:.3f})"
    )


def main(out_dir: str | Path, quick: bool = False) -> dict[str, History]:
    """Train the four runs and plot their curves with the reading as the title."""
    out_dir = output_dir(out_dir)
    scale = 0.1 if quick else 1.0
    x, y = make_moons(n_samples=1400, noise=0.3, random_state=7)
    x = x.astype(np.float32)
    val = (x[1000:], y[1000:])
    runs: dict[str, tuple[Callable[[], nn.Module], int, int, float, int]] = {
        # name: (model, training points, epochs, learning rate, validation points)
        "under-fit: linear model": (lambda: nn.Linear(2, 2), 1000, 40, 0.01, 400),
        "under-fit: stopped too early": (lambda: mlp(32), 1000, 6, 0.0005, 400),
        "over-fit: 256 units, 30 points": (lambda: mlp(256), 30, 150, 0.01, 400),
        "training set too small: 12 points": (lambda: mlp(8), 12, 32, 0.01, 400),
        "validation set too small: 8 points": (lambda: mlp(32), 1000, 40, 0.005, 8),
        "good fit: 32 units, 1000 points": (lambda: mlp(32), 1000, 40, 0.005, 400),
    }
    histories = {}
    fig, axes = plt.subplots(len(runs), 2, figsize=(12, 3.9 * len(runs)))
    for row, (name, (build, n_train, epochs, lr, n_val)) in zip(axes, runs.items()):
        manual_seed(0)
        model = build()
        epochs = max(int(epochs * scale), 3)
        first = 40 if n_train == 12 else 0  # a 12-point draw that the network can fit fast
        history = fit(
            model,
            optim.Adam(model.parameters(), lr=lr),
            (x[first : first + n_train], y[first : first + n_train]),
            (val[0][:n_val], val[1][:n_val]),
            epochs,
            batch_size=32,
            desc=name,
            progress=not quick,
        )
        histories[name] = history
        text = reading(history)
        print(f"{name}\n  -> {text}")
        plot_history(row, history, title=name)
        row[0].set_title(f"{name}: loss\n" + textwrap.fill(text, 70), fontsize=9)
    save(fig, out_dir, "learning_curves.png")
    return histories


if __name__ == "__main__":
    run(main, "learning_curves", __doc__)
