"""F.grid_sample and F.affine_grid against torch: values and gradients to the input and the
grid, every mode, padding mode and align_corners, 4-d and 5-d, grids crossing the borders."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
TF = pytest.importorskip("torch.nn.functional")

import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402


@pytest.mark.parametrize("seed", range(40))
def test_grid_sample_matches_torch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = int(rng.choice([2, 3]))
    n, c = rng.integers(1, 3, size=2)
    sizes = tuple(rng.integers(1, 5, size=d))
    out = tuple(rng.integers(1, 4, size=d))
    x = rng.normal(size=(n, c, *sizes))
    g = rng.uniform(-1.4, 1.4, size=(n, *out, d))
    if seed % 3 == 0:
        g = np.round(g * 4) / 4  # points on pixel centres, edges and clipping bounds
    w = rng.normal(size=(n, c, *out))
    for mode in ("bilinear", "nearest"):
        for padding in ("zeros", "border", "reflection"):
            for align in (False, True):
                tx = torch.tensor(x, requires_grad=True)
                tg = torch.tensor(g, requires_grad=True)
                ty = TF.grid_sample(tx, tg, mode, padding, align_corners=align)
                (ty * torch.tensor(w)).sum().backward()
                ax, ag = Tensor(x, requires_grad=True), Tensor(g, requires_grad=True)
                ay = F.grid_sample(ax, ag, mode, padding, align_corners=align)
                (ay * Tensor(w)).sum().backward()
                what = f"{mode} {padding} align_corners={align}"
                np.testing.assert_allclose(ay.data, ty.detach().numpy(), atol=1e-12, err_msg=what)
                np.testing.assert_allclose(ax.grad.data, tx.grad.numpy(), atol=1e-12, err_msg=what)
                np.testing.assert_allclose(ag.grad.data, tg.grad.numpy(), atol=1e-12, err_msg=what)


@pytest.mark.parametrize("align", [False, True, None])
@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 2, 3, 4), (2, 1, 1, 3)])
def test_affine_grid_matches_torch(size: tuple, align: bool | None) -> None:
    d = len(size) - 2
    theta = np.random.default_rng(len(size)).normal(size=(2, d, d + 1))
    tt = torch.tensor(theta, requires_grad=True)
    at = Tensor(theta, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = TF.affine_grid(tt, size, align_corners=align)
        a = F.affine_grid(at, size, align_corners=align)
    w = np.random.default_rng(7).normal(size=t.shape)
    (t * torch.tensor(w)).sum().backward()
    (a * Tensor(w)).sum().backward()
    np.testing.assert_allclose(a.data, t.detach().numpy(), atol=1e-14)
    np.testing.assert_allclose(at.grad.data, tt.grad.numpy(), atol=1e-12)


def test_float32_stays_float32() -> None:
    x = np.random.default_rng(3).normal(size=(1, 2, 3, 3)).astype(np.float32)
    g = np.random.default_rng(4).uniform(-1, 1, size=(1, 2, 2, 2)).astype(np.float32)
    ours = F.grid_sample(Tensor(x), Tensor(g), align_corners=False)
    theirs = TF.grid_sample(torch.tensor(x), torch.tensor(g), align_corners=False)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("align", [False, True])
@pytest.mark.parametrize("padding", ["zeros", "border", "reflection"])
def test_identity_transform_gradient_matches_torch(dtype: str, align: bool, padding: str) -> None:
    """A spatial transformer starts at the identity (the tutorial's regressor is zeroed and
    its bias set to [1, 0, 0, 0, 1, 0]), where every sample falls on a pixel centre and the
    gradient to theta is one-sided: which side depends on the last bit of the grid and of the
    source coordinate, so those are rounded as torch rounds them."""
    rng = np.random.default_rng(5)
    for n in (5, 7, 10, 13, 28):
        for theta in ([[1.0, 0, 0], [0, 1, 0]], [[0.9, 0.1, 0.05], [-0.2, 1.1, 0.0]]):
            th = np.array([theta], dtype=dtype)
            x = rng.random((1, 2, n, n)).astype(dtype)
            w = rng.normal(size=(1, 2, n, n)).astype(dtype)
            tt = torch.tensor(th, requires_grad=True)
            tgrid = TF.affine_grid(tt, (1, 2, n, n), align_corners=align)
            ty = TF.grid_sample(torch.tensor(x), tgrid, padding_mode=padding, align_corners=align)
            (ty * torch.tensor(w)).sum().backward()
            at = Tensor(th, requires_grad=True)
            agrid = F.affine_grid(at, (1, 2, n, n), align_corners=align)
            ay = F.grid_sample(Tensor(x), agrid, padding_mode=padding, align_corners=align)
            (ay * Tensor(w)).sum().backward()
            what = f"n={n} theta={theta}"
            np.testing.assert_array_equal(agrid.data, tgrid.detach().numpy(), err_msg=what)
            tol = 1e-4 if dtype == "float32" else 1e-10
            np.testing.assert_allclose(
                at.grad.data, tt.grad.numpy(), rtol=tol, atol=tol, err_msg=what
            )
