"""Every activation in ``nn.functional`` and its derivative, the derivative taken by backward().

For each function f the engine computes y = f(x) on a grid and y.sum().backward(): since
each y_i depends only on x_i, x.grad is f'(x) pointwise. Nothing is differentiated by hand
here. The table gives the properties the notes discuss: output range (saturating or not),
the derivative at 0 (sigmoid's is at most 1/4) and far out on both sides (vanishing or dead).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

import nn.functional as F
from autograd import Tensor
from demos.cli import output_dir, run
from demos.plotting import plt, save

ACTIVATIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "identity (linear)": F.identity,
    "step (binary threshold)": F.step,
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "hardtanh": F.hardtanh,
    "relu": F.relu,
    "leaky_relu (0.1)": lambda x: F.leaky_relu(x, negative_slope=0.1),
    "prelu (a = 0.25)": lambda x: F.prelu(x, Tensor(np.array([0.25]))),
    "elu": F.elu,
    "selu": F.selu,
    "softplus": F.softplus,
    "silu = swish (beta 1)": F.silu,
    "swish (beta 3)": lambda x: F.swish(x, beta=3.0),
    "mish": F.mish,
    "gelu": F.gelu,
    "gelu (tanh approx.)": lambda x: F.gelu(x, approximate="tanh"),
}


def curve(f: Callable[[Tensor], Tensor], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and f'(x) on the grid ``x``, the derivative from the engine's backward pass."""
    t = Tensor(x, requires_grad=True)
    y = f(t)
    y.sum().backward()
    assert t.grad is not None  # t is a leaf that requires grad, and y depends on it
    return y.numpy(), t.grad.numpy()


def main(out_dir: str | Path, quick: bool = False) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Plot every activation with its derivative; print their key properties."""
    out_dir = output_dir(out_dir)
    x = np.linspace(-5.0, 5.0, 201 if quick else 1001)
    curves = {name: curve(f, x) for name, f in ACTIVATIONS.items()}
    header = ("activation", "f(-5)", "f(5)", "f'(-5)", "f'(0)", "f'(5)", "max f'")
    print("{:24} {:>8} {:>8} {:>8} {:>7} {:>7} {:>6}".format(*header))
    mid = len(x) // 2
    for name, (y, dy) in curves.items():
        print(
            f"{name:24} {y[0]:8.3f} {y[-1]:8.3f} {dy[0]:8.4f} {dy[mid]:7.3f} {dy[-1]:7.3f}"
            f" {dy.max():6.3f}"
        )
    print(
        "\nsigmoid' peaks at 0.25 (the notes' vanishing-gradient bound), tanh' at 1; both"
        "\nvanish on the sides (saturation). relu' is 0 for x < 0 (dead units), 1 above;"
        "\nleaky/parametric relu keep a small slope there, elu/selu/softplus/swish/mish/gelu"
        "\nare smooth, and step has zero gradient everywhere, so it cannot be trained by"
        "\ngradient descent."
    )

    swish_x = np.linspace(-5.0, 5.0, 401)
    cols = 4
    rows = -(-len(curves) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.2 * rows))
    for ax, (name, (y, dy)) in zip(axes.flat, curves.items()):
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        if name == "swish (beta 3)":
            for beta, style in ((0.3, ":"), (3.0, "-")):
                ys, dys = curve(partial(F.swish, beta=beta), swish_x)
                ax.plot(swish_x, ys, "C0" + style, label=f"f, beta {beta}")
                ax.plot(swish_x, dys, "C3" + style, label=f"f', beta {beta}")
            name = "swish, beta 0.3 and 3 (-> linear / -> relu)"
        else:
            ax.plot(x, y, "C0", label="f(x)")
            ax.plot(x, dy, "C3--", label="f'(x) (backward)")
        ax.set_title(name)
        ax.set_ylim(-2.2, 3.2)
        ax.legend(fontsize=7, loc="upper left")
    for ax in list(axes.flat)[len(curves) :]:
        ax.axis("off")
    fig.suptitle("Activations and their derivatives, both computed by the engine")
    save(fig, out_dir, "activations.png")
    return curves


if __name__ == "__main__":
    run(main, "activations", __doc__)
