"""The papers' criteria against the same formulas written with torch ops (PyTorch has no
such losses): Gatys et al.'s Gram matrix (as in PyTorch's neural-style tutorial), content
and style losses, and LeCun et al.'s energy loss with torch.logsumexp; values and every
gradient entry."""

from __future__ import annotations

import numpy as np
import pytest

import nn.functional as F

from .oracle import compare, torch

rng = np.random.default_rng(0)


def torch_gram(f):
    c = f.shape[-3]
    mat = f.reshape(*f.shape[:-3], c, -1)
    return mat @ mat.transpose(-2, -1)


@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 3, 2, 2)])
@pytest.mark.parametrize("normalize", [False, True])
def test_gram_matrix(shape, normalize):
    size = float(np.prod(shape[-3:]))
    compare(
        lambda f: F.gram_matrix(f, normalize=normalize),
        lambda f: torch_gram(f) / (size if normalize else 1.0),
        [rng.normal(size=shape)],
    )


@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 3, 2, 2)])
def test_content_and_style_losses(shape):
    f, p = rng.normal(size=shape), rng.normal(size=shape)
    n, m = shape[-3], shape[-2] * shape[-1]
    batch = len(shape) == 4

    def per_image(sq):
        return sq.reshape(sq.shape[0], -1).sum(1) if batch else sq.sum()

    def torch_content(x, y):
        return (0.5 * per_image((x - y) ** 2)).mean()

    def torch_style(x, y):
        return (per_image((torch_gram(x) - torch_gram(y)) ** 2) / (4 * n**2 * m**2)).mean()

    compare(F.content_loss, torch_content, [f, p])
    compare(F.style_loss, torch_style, [f, p])


@pytest.mark.parametrize("scale", [1.0, 1e4])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_energy_loss(scale, reduction):
    e = scale * rng.normal(size=(5, 4))
    t = np.array([0, 3, 1, 1, 2])
    j = np.array(0.5 * scale)

    def theirs(e_, j_):
        rubbish = (-j_).reshape(1, 1).expand(e_.shape[0], 1)
        per = e_[torch.arange(5), torch.as_tensor(t)] + torch.logsumexp(
            torch.cat([-e_, rubbish], dim=1), dim=1
        )
        return {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]

    compare(
        lambda e_, j_: F.energy_loss(e_, t, j=j_, reduction=reduction),
        theirs,
        [e, j],
        rtol=1e-10,
        atol=1e-8 * scale,
    )
