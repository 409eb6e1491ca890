"""The notes' softmax([20, 134, 854]): the naive formula gives nan, the shifted one works.

softmax only depends on differences between its inputs, so subtracting the largest input
first changes nothing mathematically and keeps every exp() at or below e^0 = 1. The engine's
``nn.functional.softmax`` (and ``log_softmax``, ``cross_entropy``) are built that way; a
softmax composed naively from the engine's own exp and sum fails exactly like numpy does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nn.functional as F
from autograd import Tensor
from demos.cli import output_dir, run
from demos.plotting import plt, save

LOGITS = [20, 134, 854]


def naive_softmax(x: np.ndarray) -> np.ndarray:
    """The notes' first version: exp(x) / sum(exp(x))."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(x) / np.sum(np.exp(x))


def stable_softmax(x: np.ndarray) -> np.ndarray:
    """The notes' second version, without their in-place ``x -= max(x)``."""
    shifted = x - np.max(x)
    return np.exp(shifted) / np.sum(np.exp(shifted))


def main(out_dir: str | Path, quick: bool = False) -> dict[str, np.ndarray]:
    """Compare the four ways on the notes' input and over growing logits; plot it."""
    out_dir = output_dir(out_dir)
    z = np.array(LOGITS, dtype=np.float64)
    results = {"naive (numpy)": naive_softmax(z), "stable (numpy)": stable_softmax(z)}

    t = Tensor(z, requires_grad=True)
    with np.errstate(over="ignore", invalid="ignore"):
        composed = t.exp() / t.exp().sum()
    results["naive, composed from the engine's exp and sum"] = composed.numpy()
    engine = F.softmax(t, dim=0)
    results["engine: nn.functional.softmax (float64)"] = engine.numpy()
    results["engine: nn.functional.softmax (float32)"] = F.softmax(
        Tensor(z.astype(np.float32)), dim=0
    ).numpy()

    print(f"softmax({LOGITS}):")
    print(f"  {'computed by':48} {'probabilities of z = ' + ', '.join(map(str, LOGITS))}")
    for name, p in results.items():
        print(f"  {name:48} {np.array2string(p, precision=7)}")
    print(
        "  the notes print [0. 0. nan] and [0.0000000e+000 2.0322308e-313 1.0000000e+000]:"
        "\n  e^(134 - 854) = e^-720 is a subnormal float64; float32 rounds it to 0."
    )

    loss = F.cross_entropy(t.reshape(1, 3), np.array([1]))
    loss.backward()
    assert t.grad is not None
    print(
        f"\ncross_entropy(logits, class 1) = {loss.item():.1f} = 854 - 134 (finite, through"
        f" log-softmax);\n  its gradient S - y = {np.array2string(t.grad.numpy(), precision=4)}"
    )
    print(
        "\nThe notes' stable_softmax also does x -= np.max(x): called on a float array it"
        "\nshifts the caller's array in place; the version here leaves its input alone."
    )

    largest = np.linspace(0.0, 120.0 if quick else 1000.0, 400)
    fig, (ax_bar, ax_sweep) = plt.subplots(1, 2, figsize=(13, 5))
    names = list(results)
    for k, name in enumerate(names):
        p = results[name]
        offset = np.arange(3) + (k - 2) * 0.16
        ax_bar.bar(offset, np.where(p > 0, p, np.nan), width=0.16, label=name, color=f"C{k}")
        for x, v in zip(offset, p):
            if not v > 0:
                ax_bar.text(
                    x,
                    1e-318,
                    "nan" if np.isnan(v) else "0",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    color=f"C{k}",
                )
    ax_bar.set_yscale("log")
    ax_bar.set_ylim(1e-320, 10.0)  # room above probability 1 for nothing: bars end at p <= 1
    ax_bar.set_yticks([10.0**e for e in range(-300, 1, 50)])
    ax_bar.minorticks_off()
    ax_bar.set_xticks(range(3), [f"z = {v}" for v in LOGITS])
    ax_bar.set_ylabel("probability (log scale)")
    ax_bar.set_title(f"softmax({LOGITS})")
    ax_bar.legend(fontsize=7, loc="upper left")

    base = np.array([-3.0, -1.0, 0.0])  # the same differences, moved up to a larger maximum
    for dtype, style in ((np.float64, "-"), (np.float32, "--")):
        naive = [naive_softmax((base + m).astype(dtype))[2] for m in largest]
        stable = [F.softmax(Tensor((base + m).astype(dtype)), dim=0).numpy()[2] for m in largest]
        name = np.dtype(dtype).name
        ax_sweep.plot(largest, stable, "C3" + style, lw=3, alpha=0.5, label=f"engine, {name}")
        ax_sweep.plot(
            largest,
            np.nan_to_num(naive, nan=-0.05),
            "C0" + style,
            label=f"naive, {name} (nan drawn at -0.05)",
        )
    for limit, name in (
        (np.log(np.finfo(np.float32).max), "float32"),
        (np.log(np.finfo(np.float64).max), "float64"),
    ):
        if limit < largest[-1]:
            ax_sweep.axvline(limit, color="0.5", ls=":")
            ax_sweep.text(limit, 0.3, f" exp overflows\n {name}: {limit:.1f}", fontsize=8)
    ax_sweep.set_xlabel("largest logit (inputs m - 3, m - 1, m)")
    ax_sweep.set_ylabel("probability of the largest")
    ax_sweep.set_ylim(-0.1, 1.0)
    ax_sweep.set_title("Same differences, growing logits: naive softmax breaks at exp overflow")
    ax_sweep.legend(fontsize=8, loc="lower left")
    save(fig, out_dir, "softmax_stability.png")
    return results


if __name__ == "__main__":
    run(main, "softmax_stability", __doc__)
