"""The flagship demo: an MLP learns two moons with the Tensor engine.

``nn.Sequential`` of ``nn.Linear`` and ``nn.ReLU``, ``nn.CrossEntropyLoss``, ``optim.Adam``
and mini-batches from ``DataLoader``, with a progress bar. Writes the decision boundary, the
learning curves (train/validation loss and accuracy), and the drawn graph of a small
``Value`` network, with its explorer page (value_network_explorer.html: step through the
forward and backward pass), into the output folder (default ``demo_output/flagship``).
"""

from __future__ import annotations

from pathlib import Path

# Only the light command-line helper at import time: `python -m demos --help` answers at once;
# numpy, scikit-learn, matplotlib and the engine load when a demo runs.
from demos.cli import output_dir, run


def value_network_graph(out_dir: Path) -> Path:
    """A 2-3-1 Value MLP's hinge loss on one point, after backward: every weight's gradient."""
    from autograd import Value
    from demos.graph_drawing import draw_graph, explore_graph
    from nn.mlp import MLP

    model = MLP(2, [3, 1])
    x, label = [Value(0.5, label="x1"), Value(-0.3, label="x2")], 1.0
    loss = (1 - label * model(x)).relu()
    loss.label = "loss"
    # top to bottom: the graph is deep (11 ops from an input to the loss) and narrow
    explore_graph(loss, out_dir, "value_network_explorer", module=model, rankdir="TB")
    loss.backward()
    return draw_graph(loss, out_dir, "value_network_graph", module=model, rankdir="TB")


def main(out_dir: str | Path, quick: bool = False) -> dict[str, float]:
    """Train on two moons, plot the boundary and learning curves, draw a Value graph."""
    import numpy as np
    from sklearn.datasets import make_moons

    import nn
    import optim
    from autograd import manual_seed
    from demos.plotting import plot_decision_boundary, plot_history, plt, save
    from demos.training import fit, scores_of, summary

    out_dir = output_dir(out_dir)
    manual_seed(0)
    n_train, n_val, epochs = (200, 100, 5) if quick else (800, 400, 60)
    x, y = make_moons(n_samples=n_train + n_val, noise=0.2, random_state=0)
    x = x.astype(np.float32)
    train, val = (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])
    model = nn.Sequential(
        nn.Linear(2, 32),
        nn.ReLU(),
        nn.Linear(32, 32),
        nn.ReLU(),
        nn.Linear(32, 2),
    )
    print(f"two moons: {n_train} training and {n_val} validation points (noise 0.2)")
    print(model)
    optimizer = optim.Adam(model.parameters(), lr=2e-3)
    history = fit(model, optimizer, train, val, epochs=epochs, batch_size=32, desc="moons")
    print(summary(history))

    fig, ax = plt.subplots(figsize=(7, 6))
    plot_decision_boundary(
        ax,
        lambda p: np.diff(scores_of(model, p.astype(np.float32)), axis=1)[:, 0],
        *val,
        resolution=60 if quick else 300,
        class_names=("moon 0", "moon 1"),
        legend_loc="lower right",
    )
    ax.set_title(f"Decision boundary, validation points ({history['val_acc'][-1]:.1%} correct)")
    save(fig, out_dir, "decision_boundary.png")

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    plot_history(axes, history)
    save(fig, out_dir, "learning_curves.png")

    value_network_graph(out_dir)
    return {"val_acc": history["val_acc"][-1], "train_acc": history["train_acc"][-1]}


if __name__ == "__main__":
    run(main, "flagship", __doc__)
