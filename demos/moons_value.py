"""micrograd's demo with ``Value``: an MLP 2-16-16-1 learns two moons, one scalar at a time.

Max-margin (hinge) loss plus L2 regularisation, full-batch SGD with the learning rate
decaying linearly from 1.0 to 0.1 (``optim.lr_scheduler.LambdaLR``), as micrograd trains it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from tqdm import tqdm

import optim
from autograd import Value, manual_seed, no_grad
from demos.cli import output_dir, run
from demos.moons_data import two_moons
from demos.plotting import plot_decision_boundary, plot_loss_and_accuracy, plt, save
from nn.mlp import MLP


def loss_and_accuracy(
    model: MLP, x: np.ndarray, y: np.ndarray, alpha: float = 1e-4
) -> tuple[Value, float]:
    """Mean hinge loss max(0, 1 - y score) + alpha * sum of squared weights; accuracy."""
    scores = [model(list(row)) for row in x.tolist()]
    hinge = [(1 - yi * s).relu() for yi, s in zip(y.tolist(), scores)]
    data_loss = sum(hinge, Value(0.0)) * (1.0 / len(hinge))
    reg_loss = alpha * sum((p * p for p in model.parameters()), Value(0.0))
    accuracy = float(np.mean([(yi > 0) == (s.data > 0) for yi, s in zip(y, scores)]))
    return data_loss + reg_loss, accuracy


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the block runs, then back as it was (what
    ``backward()`` does for its own pass).

    Each step builds ~65,000 Values, and the collector, triggered by those allocations, walks
    the growing graph and every object the imports left again and again: about 40% of a step
    here. It looks for reference cycles, and these graphs have none (a Value refers only to
    its inputs), so reference counting alone frees each step's graph as soon as it is dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def train(model: MLP, x: np.ndarray, y: np.ndarray, steps: int) -> tuple[list, list]:
    """Full-batch SGD, the learning rate from 1.0 down to 0.1; the loss and accuracy per step."""
    optimizer = optim.SGD(model.parameters(), lr=1.0)
    schedule = optim.lr_scheduler.LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / steps)
    losses, accuracies = [], []
    for _ in (bar := tqdm(range(steps), desc="moons (Value)", unit="step")):
        loss, accuracy = loss_and_accuracy(model, x, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.data)
        accuracies.append(accuracy)
        bar.set_postfix(loss=f"{loss.data:.3f}", acc=f"{accuracy:.0%}")
    return losses, accuracies


def main(out_dir: str | Path, quick: bool = False) -> dict[str, float]:
    """Train, print the loss and accuracy, draw the decision boundary."""
    out_dir = output_dir(out_dir)
    manual_seed(1337)
    n, steps = (30, 5) if quick else (100, 100)
    x, y = two_moons(n, noise=0.1, seed=1)  # labels -1 / +1, as the hinge loss wants
    model = MLP(2, [16, 16, 1])
    print(f"{model}\n{len(list(model.parameters()))} parameters, each a Value")
    with collector_paused():
        losses, accuracies = train(model, x, y, steps)
    print(f"final loss {losses[-1]:.4f}, training accuracy {accuracies[-1]:.0%}")

    @no_grad()  # scoring the plot's grid needs no graph
    def score(points: np.ndarray) -> np.ndarray:
        return np.array([model(list(p)).data for p in points.tolist()])

    fig, (ax_b, ax_l) = plt.subplots(1, 2, figsize=(12, 5))
    plot_decision_boundary(
        ax_b,
        score,
        x,
        y,
        resolution=16 if quick else 60,
        class_names=("label -1", "label +1"),
    )
    ax_b.set_title(f"Value MLP 2-16-16-1: decision boundary ({accuracies[-1]:.0%} on training)")
    plot_loss_and_accuracy(ax_l, losses, accuracies, loss_label="hinge loss + L2")
    ax_l.set_title("Training loss and accuracy per step (full batch)")
    save(fig, out_dir, "moons_value.png")
    return {"loss": losses[-1], "accuracy": accuracies[-1]}


if __name__ == "__main__":
    run(main, "moons_value", __doc__)
