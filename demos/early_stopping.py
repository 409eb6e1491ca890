"""Early stopping on an over-fitting run (notes 000): stop when the validation loss has not
improved for ``patience`` epochs, and go back to the weights of the best epoch.

The over-fitting run of ``demos.learning_curves`` (a 2-256-256-2 network on 30 noisy
two-moons points): the training loss keeps falling while the validation loss turns up.
``nn.utils.EarlyStopping(patience=15)`` watches the validation loss after every epoch,
snapshots the model's ``state_dict`` whenever it improves, and on the 15th epoch in a row
without improvement says stop and loads the best snapshot back (``restore_best=True``).
The same run continued without stopping shows what was avoided.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.datasets import make_moons

import nn
import optim
from autograd import Tensor, manual_seed
from demos.cli import output_dir, run
from demos.learning_curves import mlp
from demos.plotting import plt, save
from demos.training import evaluate

PATIENCE = 15


def train(
    epochs: int, stopper: nn.utils.EarlyStopping | None, data: Any
) -> tuple[nn.Module, dict[str, list[float]]]:
    """Train the over-fitting model (seed 0), one full batch per epoch; with a stopper,
    break when it says so (it has then restored the best state)."""
    (x_train, y_train), val = data
    manual_seed(0)
    model = mlp(256)
    opt = optim.Adam(model.parameters(), lr=0.002)
    loss_fn = nn.CrossEntropyLoss()
    history: dict[str, list[float]] = {"train": [], "val": [], "val_acc": []}
    for _ in range(epochs):
        model.train()
        loss = loss_fn(model(Tensor(x_train)), y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
        history["train"].append(evaluate(model, loss_fn, x_train, y_train)[0])
        val_loss, val_acc = evaluate(model, loss_fn, *val)
        history["val"].append(val_loss)
        history["val_acc"].append(val_acc)
        if stopper is not None and stopper.step(val_loss, model):
            break
    return model, history


def main(out_dir: str | Path, quick: bool = False) -> dict[str, Any]:
    """Train with early stopping and, to compare, without; print and plot the curves."""
    out_dir = output_dir(out_dir)
    epochs = 60 if quick else 150
    x, y = make_moons(n_samples=1400, noise=0.3, random_state=7)
    x = x.astype(np.float32)
    data = ((x[:30], y[:30]), (x[1000:], y[1000:]))
    stopper = nn.utils.EarlyStopping(patience=PATIENCE)
    model, stopped_history = train(epochs, stopper, data)
    if stopper.stopped_epoch is None:
        print(f"No stop within {epochs} epochs; restoring the best epoch anyway.")
        stopper.restore(model)
    restored = evaluate(model, nn.CrossEntropyLoss(), *data[1])
    _, history = train(epochs, None, data)  # the same run, not stopped

    best, stop = stopper.best_epoch, stopper.stopped_epoch
    val = np.array(history["val"])
    print("2-256-256-2 network, 30 training points, Adam lr 0.002, one full batch per epoch:")
    print(f"  {'':38}  {'epoch':>5}  {'val loss':>8}  {'val accuracy':>12}")
    print(
        f"  {'best validation loss':38}  {best:>5}  {val[best - 1]:>8.4f}"
        f"  {history['val_acc'][best - 1]:>12.1%}"
    )
    if stop is not None:
        print(
            f"  {'EarlyStopping says stop (patience ' + str(PATIENCE) + ')':38}  {stop:>5}"
            f"  {val[stop - 1]:>8.4f}  {history['val_acc'][stop - 1]:>12.1%}"
        )
    print(
        f"  {'after restore_best (the model kept)':38}  {best:>5}  {restored[0]:>8.4f}"
        f"  {restored[1]:>12.1%}"
    )
    print(
        f"  {'had training gone on to the end':38}  {epochs:>5}  {val[-1]:>8.4f}"
        f"  {history['val_acc'][-1]:>12.1%}"
    )

    print(
        "  The validation loss grows as the network becomes confidently wrong on the points it"
        "\n  misclassifies, even while the accuracy moves little: which metric early stopping"
        "\n  watches (mode='min' on a loss, mode='max' on an accuracy) decides where it stops."
    )

    fig, ax = plt.subplots(figsize=(8.5, 4.8))
    t = np.arange(1, epochs + 1)
    ax.plot(t, history["train"], label="training loss")
    ax.plot(t, val, label="validation loss")
    ax.axvline(best, color="tab:green", ls="--", label=f"best epoch {best} (restored)")
    if stop is not None:
        ax.axvline(stop, color="tab:red", ls=":", label=f"stop signalled, epoch {stop}")
        ax.axvspan(stop, epochs, color="grey", alpha=0.15, label="epochs early stopping saves")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy (log scale)")
    ax.set_title(f"EarlyStopping(patience={PATIENCE}) on an over-fitting run")
    ax.legend(fontsize=8)
    save(fig, out_dir, "early_stopping.png")
    return dict(
        history=history,
        stopped_history=stopped_history,
        best_epoch=best,
        stopped_epoch=stop,
        restored=restored,
    )


if __name__ == "__main__":
    run(main, "early_stopping", __doc__)
