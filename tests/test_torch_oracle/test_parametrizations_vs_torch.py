"""nn.utils.parametrizations.weight_norm / spectral_norm and parametrize against torch's:
class names, state_dict names, reprs, outputs and gradients of the originals."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402
from nn.utils import parametrizations, parametrize  # noqa: E402

from .oracle import layer_pair  # noqa: E402

LAYERS = [
    ("Linear", (4, 3), (2, 4)),
    ("Conv2d", (2, 3, 3), (1, 2, 5, 5)),
    ("ConvTranspose2d", (2, 3, 3), (1, 2, 4, 4)),
]


def _step(ours: nn.Module, theirs: torch.nn.Module, x: np.ndarray, originals: list[str]) -> None:
    a, t = ours(autograd.tensor(x)), theirs(torch.tensor(x))
    (a * a).sum().backward()
    (t * t).sum().backward()
    np.testing.assert_allclose(a.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)
    for name in originals:
        ga = getattr(ours.parametrizations.weight, name).grad.data
        gt = getattr(theirs.parametrizations.weight, name).grad.numpy()
        np.testing.assert_allclose(ga, gt, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dim", [0, 1, None])
@pytest.mark.parametrize("name, args, shape", LAYERS)
def test_weight_norm_matches_torch(name: str, args: tuple, shape: tuple, dim: int | None) -> None:
    ours, theirs = layer_pair(name, *args)
    ours = parametrizations.weight_norm(ours, dim=dim)
    theirs = torch.nn.utils.parametrizations.weight_norm(theirs, dim=dim)
    assert type(ours).__name__ == type(theirs).__name__
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    _step(ours, theirs, np.random.default_rng(0).normal(size=shape), ["original0", "original1"])
    parametrize.remove_parametrizations(ours, "weight")
    torch.nn.utils.parametrize.remove_parametrizations(theirs, "weight")
    assert list(ours.state_dict()) == list(theirs.state_dict())
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("name, args, shape", LAYERS)
def test_spectral_norm_matches_torch(name: str, args: tuple, shape: tuple) -> None:
    ours, theirs = layer_pair(name, *args)
    ours = parametrizations.spectral_norm(ours)
    theirs = torch.nn.utils.parametrizations.spectral_norm(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():
        for buffer in ("_u", "_v"):
            theirs_buffer = getattr(theirs.parametrizations.weight[0], buffer)
            theirs_buffer.copy_(torch.tensor(getattr(ours.parametrizations.weight[0], buffer).data))
    x = np.random.default_rng(1).normal(size=shape)
    for mode in ("train", "train", "eval"):
        getattr(ours, mode)()
        getattr(theirs, mode)()
        _step(ours, theirs, x, ["original"])
