"""Matplotlib set up for files only (the Agg backend, no display) and the plots demos share."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402
from numpy.typing import ArrayLike  # noqa: E402

__all__ = [
    "plt",
    "save",
    "contour_paths",
    "plot_history",
    "plot_decision_boundary",
    "plot_loss_and_accuracy",
]


def save(fig: Any, out_dir: Path, filename: str) -> Path:
    """Write ``fig`` to ``out_dir/filename``, close it, print and return the path."""
    path = Path(out_dir) / filename
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"  wrote {path}")
    return path


def contour_paths(
    ax: Any,
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    paths: Mapping[str, ArrayLike],
    levels: Any = 30,
    log_levels: bool = False,
    marker: str = ".",
    colors: Sequence[Any] | None = None,
) -> None:
    """Contours of ``f(x, y)`` (vectorised over grids) with one line per named path."""
    xs = np.linspace(*xlim, 300)
    ys = np.linspace(*ylim, 300)
    gx, gy = np.meshgrid(xs, ys)
    z = f(gx, gy)
    if log_levels:
        levels = np.logspace(np.log10(max(z.min(), 1e-3)), np.log10(z.max()), levels)
        ax.contour(
            gx, gy, z, levels=levels, cmap="Greys", linewidths=0.6, norm=matplotlib.colors.LogNorm()
        )
    else:
        ax.contour(gx, gy, z, levels=levels, cmap="Greys", linewidths=0.6)
    if colors is None:
        colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (name, path) in enumerate(paths.items()):
        p = np.asarray(path, dtype=float)
        color = colors[k % len(colors)]
        ax.plot(p[:, 0], p[:, 1], marker=marker, markersize=3, lw=1.2, color=color, label=name)
        ax.plot(p[-1, 0], p[-1, 1], "x", color=color, markersize=8)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)


def plot_history(
    axes: Sequence[Any], history: Mapping[str, Sequence[float]], title: str = ""
) -> None:
    """Loss (left axis) and accuracy (right axis) per epoch for train and validation."""
    ax_loss, ax_acc = axes
    epochs = np.arange(len(history["train_loss"]))
    ax_loss.plot(epochs, history["train_loss"], label="train")
    ax_loss.plot(epochs, history["val_loss"], label="validation")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss")
    ax_loss.set_title(f"{title} loss".strip())
    ax_loss.legend()
    if "train_acc" in history:
        ax_acc.plot(epochs, history["train_acc"], label="train")
        ax_acc.plot(epochs, history["val_acc"], label="validation")
        ax_acc.set_xlabel("epoch")
        ax_acc.set_ylabel("accuracy")
        ax_acc.set_ylim(0, 1.02)
        ax_acc.set_title(f"{title} accuracy".strip())
        ax_acc.legend()


REGION_COLOURS = ("#a6c8ec", "#f5b7a4")  # predicted class 0 / class 1 (pale)
POINT_COLOURS = ("#1f5fa8", "#c0392b")  # data of class 0 / class 1 (strong)


def plot_decision_boundary(
    ax: Any,
    score: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    resolution: int = 200,
    margin: float = 0.5,
    class_names: Sequence[str] | None = None,
    axis_labels: tuple[str, str] = ("x1", "x2"),
    legend_loc: str = "best",
) -> None:
    """Shade where ``score(points) > 0`` (the second class) over a grid, scatter the data by
    class, label the axes and add a legend naming the classes, regions and boundary.

    ``y`` holds two label values (e.g. 0/1 or -1/+1); the smaller is the first class.
    ``class_names`` (default "class <label>") name them in that order.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    (x0, y0), (x1, y1) = x.min(axis=0) - margin, x.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    z = np.asarray(score(grid), dtype=float).reshape(gx.shape)
    ax.contourf(gx, gy, z > 0, levels=[-0.5, 0.5, 1.5], colors=list(REGION_COLOURS), alpha=0.8)
    ax.contour(gx, gy, z, levels=[0.0], colors="k", linewidths=1)
    labels = np.unique(y)
    names = list(class_names) if class_names is not None else [f"class {v}" for v in labels]
    handles = []
    for k, (value, name) in enumerate(zip(labels, names)):
        points = x[y == value]
        handles.append(
            ax.scatter(
                points[:, 0],
                points[:, 1],
                color=POINT_COLOURS[k % 2],
                edgecolors="k",
                s=18,
                label=f"{name}: data",
            )
        )
    for k, name in enumerate(names[:2]):
        handles.append(Patch(facecolor=REGION_COLOURS[k], alpha=0.8, label=f"predicted {name}"))
    handles.append(Line2D([], [], color="k", lw=1, label="decision boundary"))
    ax.legend(handles=handles, loc=legend_loc, fontsize=8, framealpha=0.9)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])


def plot_loss_and_accuracy(
    ax: Any,
    loss: Sequence[float],
    accuracy: Sequence[float],
    xlabel: str = "step",
    loss_label: str = "loss",
) -> Any:
    """Loss on the left axis and accuracy on a right axis (0 to 100%), each labelled in its
    line's colour; returns the accuracy axis."""
    from matplotlib.ticker import MaxNLocator

    ax.plot(loss, color="C0", label=loss_label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(loss_label, color="C0")
    ax.tick_params(axis="y", colors="C0")
    ax_acc = ax.twinx()
    ax_acc.plot(np.asarray(accuracy) * 100, color="C1", label="accuracy")
    ax_acc.set_ylim(0, 102)
    ax_acc.set_ylabel("accuracy (%)", color="C1")
    ax_acc.tick_params(axis="y", colors="C1")
    lines = ax.get_lines() + ax_acc.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="center right", fontsize=8)
    return ax_acc
