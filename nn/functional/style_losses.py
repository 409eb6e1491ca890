"""Gatys, Ecker and Bethge's style-transfer criteria (Image Style Transfer Using
Convolutional Neural Networks, 2016): the Gram matrix of a layer's feature maps, the content
loss, the style loss and their weighted total.

Feature layouts: ``(C, H, W)`` for one image's feature maps, ``(N, C, H, W)`` for a batch,
or ``(C, M)`` for the paper's matrix F^l itself (N_l = C filters, each map flattened to
M_l = H * W positions). The losses are the paper's per-image quantities; ``reduction``
combines them over a batch ('mean' and 'sum' agree for one image).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import ShapeError

from ._losses_common import as_input, as_target, check_reduction
from .distribution_losses import _mean_over


def _features(op: str, name: str, x: Any, like: Tensor | None = None) -> Tensor:
    """``x`` as a floating Tensor in one of the feature layouts."""
    t = as_input(x) if like is None else as_target(x, like)
    if t.ndim not in (2, 3, 4):
        raise ValueError(
            f"{op}: {name} must be feature maps of shape (C, H, W) or (N, C, H, W), or a "
            f"(C, M) feature matrix; got shape {tuple(t.shape)}"
        )
    return t


def _as_matrix(f: Tensor) -> Tensor:
    """F^l: (C, M) for one image, (N, C, M) for a batch."""
    if f.ndim == 2:
        return f
    n, m = _sizes(f)
    if f.ndim == 3:
        return f.reshape(n, m)
    return f.reshape(f.shape[0], n, m)


def _sizes(f: Tensor) -> tuple[int, int]:
    """(N_l, M_l): the number of filters and the size of each feature map."""
    if f.ndim == 2:
        return f.shape[0], f.shape[1]
    channels = f.shape[0] if f.ndim == 3 else f.shape[1]
    spatial = f.shape[-2] * f.shape[-1]
    return channels, spatial


def gram_matrix(features: Any, normalize: bool = False) -> Tensor:
    """The Gram matrix G^l_ij = sum_k F^l_ik F^l_jk of a layer's feature maps.

    ``features``: ``(C, H, W)`` -> ``(C, C)``; ``(N, C, H, W)`` -> ``(N, C, C)`` (one Gram
    matrix per image); ``(C, M)`` -> ``(C, C)``. Unnormalised, as in the paper, unless
    ``normalize=True``, which divides by N_l * M_l = C * H * W (the number of entries of one
    image's feature maps, as PyTorch's neural-style tutorial does for a batch of one), so
    that feature maps of different sizes give comparable matrices.
    """
    f = _features("gram_matrix", "features", features)
    mat = _as_matrix(f)
    g = mat @ mat.swapaxes(-2, -1)
    if normalize:
        n, m = _sizes(f)
        g = g / float(n * m)
    return g


def _per_image(squared: Tensor, batched: bool) -> Tensor:
    """Sum a tensor of squared differences over each image (all axes, or all but the first)."""
    if not batched:
        return squared.sum()
    per = int(np.prod(squared.shape[1:]))
    return squared.reshape(squared.shape[0], per).sum(axis=1)


def _batch_reduce(per_image: Tensor, reduction: str) -> Tensor:
    """'mean' | 'sum' | 'none' over a batch's images; the mean of no images is nan."""
    return _mean_over(per_image, float(per_image._data.size), reduction)


def content_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """L_content = 1/2 sum_ij (F^l_ij - P^l_ij)^2 per image.

    ``input`` holds the generated image's features F^l, ``target`` the content image's
    features P^l, both of one shape (a feature layout of the module docstring). The result
    is the paper's number for unbatched features; for a batch ``(N, C, H, W)`` each image
    gets its own loss and ``reduction`` ('mean' | 'sum' | 'none') combines them. Its
    gradient with respect to F^l is F^l - P^l.
    """
    op = "content_loss"
    check_reduction(reduction, op)
    f = _features(op, "input", input)
    p = _features(op, "target", target, like=f)
    if f.shape != p.shape:
        raise ShapeError(
            f"{op}: target has shape {tuple(p.shape)} but input has shape {tuple(f.shape)}; "
            f"the content "
            "image's features must have the generated image's shape"
        )
    d = f - p
    return _batch_reduce(0.5 * _per_image(d * d, f.ndim == 4), reduction)


def _layer_style_loss(op: str, input: Any, target: Any) -> Tensor:
    """E_l per image (a scalar, or shape (N,) for a batch)."""
    f = _features(op, "input", input)
    a = _features(op, "target", target, like=f)
    n_f, m_f = _sizes(f)
    n_a, m_a = _sizes(a)
    if n_f != n_a:
        raise ValueError(
            f"{op}: input has {n_f} channels (shape {tuple(f.shape)}) but target has {n_a} (shape "
            f"{tuple(a.shape)}); the style image's features must come from the same layer"
        )
    if f.ndim != 4 and a.ndim == 4:
        raise ValueError(
            f"{op}: target is a batch (shape {tuple(a.shape)}) but input is one image (shape "
            f"{tuple(f.shape)}); give the input a batch axis too"
        )
    if f.ndim == 4 and a.ndim == 4 and a.shape[0] not in (1, f.shape[0]):
        raise ValueError(
            f"{op}: target holds {a.shape[0]} images but input holds {f.shape[0]}; give one "
            "style image per input image, or a single one for the whole batch"
        )
    # Each Gram matrix divided by its own N_l M_l: with equal sizes this is the paper's
    # 1 / (4 N_l^2 M_l^2) sum (G - A)^2, and a style image of another size still compares.
    g = gram_matrix(f, normalize=True)
    gram_a = gram_matrix(a, normalize=True)
    d = g - gram_a
    return 0.25 * _per_image(d * d, f.ndim == 4)


def style_loss(
    input: Any,
    target: Any,
    weights: Sequence[float] | None = None,
    reduction: str = "mean",
) -> Tensor:
    """L_style = sum_l w_l E_l, with E_l = 1/(4 N_l^2 M_l^2) sum_ij (G^l_ij - A^l_ij)^2.

    ``input`` is the generated image's features at one layer, or a list with one entry per
    layer; ``target`` the style image's features at the same layers (same kind: a Tensor or
    a list of the same length). G^l and A^l are their Gram matrices, N_l the number of
    filters (channels), M_l = H * W. ``weights`` (one per layer) default to 1/L each, the
    paper's choice; for a single layer the result is E_l itself.

    The style image's feature maps may be of another spatial size than the input's: each
    Gram matrix is divided by its own N_l * M_l, which for equal sizes is exactly the
    paper's normalisation. For a batch ``(N, C, H, W)`` the target may hold one style image
    per input image or a single one (``(1, C, H, W)`` or ``(C, H, W)``) for all;
    ``reduction`` ('mean' | 'sum' | 'none') combines the per-image losses.
    """
    op = "style_loss"
    check_reduction(reduction, op)
    layered = isinstance(input, (list, tuple))
    inputs = list(input) if layered else [input]
    if layered != isinstance(target, (list, tuple)):
        raise TypeError(
            f"{op}: input and target must both be single feature Tensors or both lists "
            f"(one entry per layer); got {type(input).__name__} and {type(target).__name__}"
        )
    targets = list(target) if layered else [target]
    if len(inputs) != len(targets):
        raise ValueError(
            f"{op}: input has {len(inputs)} layers but target has {len(targets)}; give the "
            "style image's features at the same layers"
        )
    if not inputs:
        raise ValueError(f"{op}: input is an empty list of layers")
    if weights is None:
        ws = [1.0 / len(inputs)] * len(inputs)
    else:
        ws = [float(w) for w in weights]
        if len(ws) != len(inputs):
            raise ValueError(
                f"{op}: weights has {len(ws)} entries but there are {len(inputs)} layers"
            )
    terms = [_layer_style_loss(op, f, a) for f, a in zip(inputs, targets, strict=True)]
    shapes = {t.shape for t in terms}
    if len(shapes) > 1:
        raise ValueError(
            f"{op}: the layers disagree on the batch (per-layer loss shapes {sorted(shapes)}); "
            "every layer's input must hold the same images"
        )
    total = ws[0] * terms[0]
    for w, term in zip(ws[1:], terms[1:], strict=True):
        total = total + w * term
    return _batch_reduce(total, reduction)


def style_transfer_loss(
    content_input: Any,
    content_target: Any,
    style_input: Any,
    style_target: Any,
    alpha: float = 1.0,
    beta: float = 1000.0,
    style_weights: Sequence[float] | None = None,
    reduction: str = "mean",
) -> Tensor:
    """L_total = alpha * L_content + beta * L_style (Gatys et al.).

    ``content_*`` are the features at the content layer (``content_loss``), ``style_*``
    the features at the style layer(s) (``style_loss``, with ``style_weights`` as its
    ``weights``). The defaults give the paper's ratio alpha / beta = 1e-3.
    """
    content = content_loss(content_input, content_target, reduction=reduction)
    style = style_loss(style_input, style_target, weights=style_weights, reduction=reduction)
    return alpha * content + beta * style
