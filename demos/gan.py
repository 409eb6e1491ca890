"""A GAN learning a ring of 8 Gaussians, with the notes' training step (004).

The notes' step, in order: (1) update the discriminator on a real batch (label 1) and on
``fake.detach()`` (label 0), so that this loss does not reach the generator; (2) update the
generator with the discriminator's verdict on the same fake batch, against the *real* label.
Loss: binary cross-entropy (here fused with the discriminator's sigmoid,
``BCEWithLogitsLoss``); both networks use Adam. Both networks are small MLPs.

The notes' snippet also needs, to run: ``optimD.zero_grad()`` / ``optimG.zero_grad()`` before
each backward (else gradients pile up across steps, and the generator step would also leave
gradients in the discriminator), and a closing parenthesis in
``discriminator(fake.detach()), fake_label``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
import optim
from autograd import Tensor, manual_seed, no_grad
from demos.cli import output_dir, run
from demos.plotting import plt, save

MODES, RADIUS, SPREAD, NOISE_DIM = 8, 2.0, 0.05, 2


def ring(n: int, rng: np.random.Generator) -> np.ndarray:
    """n points from 8 Gaussians (sd 0.05) evenly spaced on a circle of radius 2."""
    angles = 2 * np.pi * rng.integers(0, MODES, n) / MODES
    centres = RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return (centres + rng.normal(0, SPREAD, (n, 2))).astype(np.float32)


def mlp(n_in: int, n_out: int, width: int = 64) -> nn.Sequential:
    """n_in -> width -> width -> n_out with leaky ReLU."""
    return nn.Sequential(
        nn.Linear(n_in, width),
        nn.LeakyReLU(0.2),
        nn.Linear(width, width),
        nn.LeakyReLU(0.2),
        nn.Linear(width, n_out),
    )


def train_step(
    generator: nn.Module,
    discriminator: nn.Module,
    opt_g: optim.Optimizer,
    opt_d: optim.Optimizer,
    real: np.ndarray,
    noise: np.ndarray,
    detach: bool = True,
) -> tuple[float, float]:
    """The notes' step (with the zero_grad calls it needs); returns (loss_D, loss_G).

    ``detach=False`` shows why the notes detach: the discriminator's backward then runs
    through the generator too and releases its graph, so the generator's backward fails."""
    loss = nn.BCEWithLogitsLoss()
    real_label = Tensor(np.ones((len(real), 1), dtype=np.float32))
    fake_label = Tensor(np.zeros((len(noise), 1), dtype=np.float32))
    # (1) discriminator: real -> 1, fake -> 0; detach so the generator gets no gradient
    opt_d.zero_grad()
    err_d_real = loss(discriminator(Tensor(real)), real_label)
    err_d_real.backward()
    fake = generator(Tensor(noise))
    err_d_fake = loss(discriminator(fake.detach() if detach else fake), fake_label)
    err_d_fake.backward()
    opt_d.step()
    # (2) generator: make the (updated) discriminator call the same fakes real
    opt_g.zero_grad()
    err_g = loss(discriminator(fake), real_label)
    err_g.backward()
    opt_g.step()
    return err_d_real.item() + err_d_fake.item(), err_g.item()


def mode_stats(samples: np.ndarray) -> tuple[int, float]:
    """Modes hit (at least 1% of samples within 4 sd of a centre), and the fraction of samples
    within 4 sd of some centre ("good" samples)."""
    angles = 2 * np.pi * np.arange(MODES) / MODES
    centres = RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    dist = np.linalg.norm(samples[:, None, :] - centres[None], axis=2)
    near = dist.min(axis=1) < 4 * SPREAD
    nearest = dist.argmin(axis=1)
    counts = np.bincount(nearest[near], minlength=MODES)
    return int(np.sum(counts >= 0.01 * len(samples))), float(near.mean())


def main(out_dir: str | Path, quick: bool = False) -> dict[str, Any]:
    """Train the GAN, print losses and mode coverage, draw samples at several steps."""
    out_dir = output_dir(out_dir)
    steps, batch = (150, 64) if quick else (1500, 128)
    snapshots = sorted({0, steps // 20, steps // 8, steps // 4, steps // 2, steps})
    rng = np.random.default_rng(0)
    manual_seed(0)
    generator, discriminator = mlp(NOISE_DIM, 2), mlp(2, 1)
    opt_g = optim.Adam(generator.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt_d = optim.Adam(discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999))
    fixed_noise = rng.normal(size=(1000, NOISE_DIM)).astype(np.float32)

    def sample() -> np.ndarray:
        with no_grad():
            return generator(Tensor(fixed_noise)).numpy()

    samples = {0: sample()}
    history = []
    for step in range(1, steps + 1):
        real = ring(batch, rng)
        noise = rng.normal(size=(batch, NOISE_DIM)).astype(np.float32)
        history.append(train_step(generator, discriminator, opt_g, opt_d, real, noise))
        if step in snapshots:
            samples[step] = sample()

    print(f"GAN on a ring of {MODES} Gaussians: {steps} steps, batch {batch}, Adam lr 1e-3")
    print(
        f"  {'step':>6}  {'loss D':>7}  {'loss G':>7}  {'modes hit':>9}  {'samples on a mode':>17}"
    )
    stats = {}
    for step in snapshots:
        hit, good = mode_stats(samples[step])
        stats[step] = (hit, good)
        d, g = history[step - 1] if step > 0 else (float("nan"), float("nan"))
        d_text, g_text = ("-", "-") if step == 0 else (f"{d:.3f}", f"{g:.3f}")
        print(f"  {step:>6}  {d_text:>7}  {g_text:>7}  {hit:>6} / {MODES}  {good:>17.1%}")
    print(
        f"  (step 0 is at initialisation; losses are those of that step's batch. At the\n"
        f"  balance point D outputs 1/2 everywhere: loss D = 2 ln 2 = {2 * np.log(2):.3f},"
        f" loss G = ln 2 = {np.log(2):.3f})"
    )

    try:
        train_step(generator, discriminator, opt_g, opt_d, real, noise, detach=False)
        print("\nWithout fake.detach() the step ran (unexpected).")
    except RuntimeError as error:
        print(
            f"\nThe same step without fake.detach() fails at the generator's backward:\n  {error}"
        )

    real = ring(1000, np.random.default_rng(1))
    cols = len(snapshots)
    fig, axes = plt.subplots(1, cols, figsize=(3.4 * cols, 4.4), sharex=True, sharey=True)
    for ax, step in zip(axes, snapshots):
        ax.scatter(real[:, 0], real[:, 1], s=3, c="lightgrey", label="real")
        ax.scatter(samples[step][:, 0], samples[step][:, 1], s=3, c="tab:red", label="generated")
        hit, good = stats[step]
        ax.set_title(
            f"step {step}"
            + (" (initialisation)" if step == 0 else "")
            + f"\n{hit}/{MODES} modes hit"
        )
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
        ax.set_aspect("equal")
        ax.set_xlabel("x1")
    axes[0].set_ylabel("x2")
    axes[0].legend(fontsize=7, loc="lower left", markerscale=3)
    fig.suptitle(
        "Generated samples (red; the same 1000 noise vectors in every panel) over training"
    )
    save(fig, out_dir, "gan_samples.png")

    fig, ax = plt.subplots(figsize=(7, 4))
    d_loss, g_loss = np.array(history).T
    ax.plot(d_loss, lw=0.6, label="discriminator (real + fake)")
    ax.plot(g_loss, lw=0.6, label="generator")
    ax.axhline(2 * np.log(2), color="tab:blue", ls=":", label="2 ln 2 (D guessing)")
    ax.axhline(np.log(2), color="tab:orange", ls=":", label="ln 2")
    ax.set_xlabel("step")
    ax.set_ylabel("BCE loss")
    ax.set_title("GAN losses per step")
    ax.legend(fontsize=8)
    save(fig, out_dir, "gan_losses.png")
    return dict(samples=samples, stats=stats, history=history)


if __name__ == "__main__":
    run(main, "gan", __doc__)
