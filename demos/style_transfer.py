"""Neural style transfer (Gatys et al.) with Gram-matrix style and content losses.

The image itself is optimised: starting from the content photo (scikit-learn's bundled
``china.jpg``, a temple, downscaled to 48x48), its pixels move to keep the content features
of one layer (``nn.functional.content_loss``) while matching the Gram matrices of the feature
maps of several layers (``nn.functional.gram_matrix`` / ``style_loss``) to those of the style
image (the other bundled photo, ``flower.jpg``). The optimiser is L-BFGS, as in the paper.

No pretrained VGG weights are available offline, so the features come from a small
convolutional network with FIXED RANDOM weights (3 conv/ReLU stages, average pooling).
Random filters still capture colour and local texture statistics (Ustyuzhaninov et al.,
"Texture synthesis using shallow convolutional networks with random filters", 2016), so
the result takes on the style image's palette and texture; it will not look like the
painterly results of a trained VGG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import load_sample_image

import autograd as torch
import nn
import nn.functional as F
import optim
from demos.blas import on_one_blas_thread
from demos.cli import output_dir, run
from demos.plotting import plt, save


def load_image(name: str, size: int) -> np.ndarray:
    """A bundled sample image, centre-cropped to a square and block-averaged to
    (1, 3, size, size) float32 in [0, 1]."""
    image = load_sample_image(name).astype(np.float32) / 255.0
    h, w, _ = image.shape
    side = (min(h, w) // size) * size
    top, left = (h - side) // 2, (w - side) // 2
    crop = image[top : top + side, left : left + side]
    k = side // size
    small = crop.reshape(size, k, size, k, 3).mean(axis=(1, 3))
    return small.transpose(2, 0, 1)[None].copy()


class RandomFeatures(nn.Module):
    """Three conv(3x3)/ReLU stages with average pooling between; weights fixed, random."""

    def __init__(self) -> None:
        super().__init__()
        self.stages = nn.ModuleList(
            [
                nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU()),
                nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU()),
                nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU()),
            ]
        )
        self.requires_grad_(False)
        self.eval()

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:  # type: ignore[override]
        features = []
        h = (x - 0.5) * 4.0  # centre the pixels, spread them over the filters' range
        for stage in self.stages:
            h = stage(h)
            features.append(h)
        return features


def total_variation(image: torch.Tensor) -> torch.Tensor:
    """Sum of squared differences between neighbouring pixels (a smoothness penalty)."""
    dx = image[..., :, 1:] - image[..., :, :-1]
    dy = image[..., 1:, :] - image[..., :-1, :]
    return (dx * dx).sum() + (dy * dy).sum()


CONTENT_LAYER = 1  # the second stage's maps (32 x 24 x 24)


@on_one_blas_thread
def main(out_dir: str | Path, quick: bool = False) -> dict[str, object]:
    """Optimise the image; print the losses; draw content, style, result and the curves."""
    out_dir = output_dir(out_dir)
    torch.manual_seed(0)
    size = 32 if quick else 48
    content = load_image("china.jpg", size)
    style = load_image("flower.jpg", size)
    net = RandomFeatures()
    print(
        "Features: a 3-stage CNN with FIXED RANDOM weights (no pretrained VGG weights are "
        f"available offline)\n{net}\ncontent image china.jpg, style image flower.jpg, "
        f"{size}x{size} pixels"
    )
    with torch.no_grad():
        content_target = net(torch.tensor(content))[CONTENT_LAYER]
        style_targets = net(torch.tensor(style))

    def losses(pixels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features = net(pixels)
        return (
            F.content_loss(features[CONTENT_LAYER], content_target),
            F.style_loss(features, style_targets),
        )

    # scales: the losses of the content photo itself (style) and of the style photo (content)
    with torch.no_grad():
        style_scale = losses(torch.tensor(content))[1].item()
        content_scale = losses(torch.tensor(style))[0].item()
    style_weight, tv_weight = 2.0, 0.03
    tv_scale = total_variation(torch.tensor(content)).item()
    print(
        f"loss = content_loss / {content_scale:.4g} + {style_weight:g} * style_loss / "
        f"{style_scale:.4g} + {tv_weight:g} * total_variation / {tv_scale:.4g}\n(content and "
        "style divided by their values for the other photo, so 1.0 means 'as far as the other "
        "image';\n the total variation, relative to the content photo's, keeps the random "
        "filters from filling the image with pixel-level noise)"
    )

    # optimise logits of the pixels so the image stays in [0, 1]
    start = np.clip(content, 0.02, 0.98)
    z = nn.Parameter(torch.tensor(np.log(start / (1 - start))))
    optimizer = optim.LBFGS([z], lr=1.0, max_iter=10, history_size=20)
    history: dict[str, list[float]] = {"evaluation": [], "content": [], "style": [], "total": []}

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        pixels = z.sigmoid()
        c, s = losses(pixels)
        total = (
            c / content_scale
            + style_weight * s / style_scale
            + tv_weight * total_variation(pixels) / tv_scale
        )
        total.backward()
        history["evaluation"].append(len(history["evaluation"]))
        history["content"].append(c.item() / content_scale)
        history["style"].append(s.item() / style_scale)
        history["total"].append(total.item())
        return total

    outer = 3 if quick else 12
    print(f"\n{'L-BFGS step':>11} {'evaluations':>11} {'content':>9} {'style':>9} {'total':>9}")
    for step in range(1, outer + 1):
        optimizer.step(closure)
        print(
            f"{step:>11} {len(history['total']):>11} {history['content'][-1]:>9.4f} "
            f"{history['style'][-1]:>9.4f} {history['total'][-1]:>9.4f}"
        )
    result = z.sigmoid().detach().numpy()
    print(
        f"style loss: {history['style'][0]:.3f} -> {history['style'][-1]:.3f} of the content "
        f"photo's; content loss: 0 -> {history['content'][-1]:.3f} of the style photo's"
    )

    fig, axes = plt.subplots(1, 3, figsize=(11, 4))
    for ax, image, title in zip(
        axes,
        (content, style, result),
        ("content: china.jpg", "style: flower.jpg", "result (random-weight features)"),
    ):
        ax.imshow(image[0].transpose(1, 2, 0), interpolation="nearest")
        ax.set_title(title)
        ax.axis("off")
    fig.suptitle(f"Style transfer at {size}x{size} pixels, L-BFGS on the pixels")
    save(fig, out_dir, "style_transfer_images.png")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.semilogy(history["evaluation"], history["total"], label="total")
    ax.semilogy(history["evaluation"], history["content"], label="content loss (scaled)")
    ax.semilogy(
        history["evaluation"],
        np.array(history["style"]) * style_weight,
        label=f"{style_weight:g} x style loss (scaled)",
    )
    ax.set_ylim(bottom=1e-2)  # the start's content loss is ~1e-4 (pixels clipped to logits)
    ax.set_xlabel("loss evaluation (L-BFGS closure call)")
    ax.set_ylabel("loss (log scale)")
    ax.set_title("Style transfer losses")
    ax.legend()
    save(fig, out_dir, "style_transfer_loss.png")
    return {"history": history, "result": result, "content": content, "style": style}


if __name__ == "__main__":
    run(main, "style_transfer", __doc__)
