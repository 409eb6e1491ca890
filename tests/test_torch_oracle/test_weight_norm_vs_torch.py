"""nn.utils.weight_norm / spectral_norm against torch's: state_dict names, outputs and
gradients over steps (spectral norm's power iteration started from the same u and v)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402

from .oracle import layer_pair  # noqa: E402

LAYERS = [
    ("Linear", (4, 3), (2, 4)),
    ("Conv2d", (2, 3, 3), (1, 2, 5, 5)),
    ("ConvTranspose2d", (2, 3, 3), (1, 2, 4, 4)),
]


def _run(ours: nn.Module, theirs: torch.nn.Module, shape: tuple, grads: list[str]) -> None:
    x = np.random.default_rng(0).normal(size=shape)
    for mode in ("train", "train", "eval"):
        getattr(ours, mode)()
        getattr(theirs, mode)()
        a, t = ours(autograd.tensor(x)), theirs(torch.tensor(x))
        (a * a).sum().backward()
        (t * t).sum().backward()
        np.testing.assert_allclose(a.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)
        for g in grads:
            np.testing.assert_allclose(
                getattr(ours, g).grad.data, getattr(theirs, g).grad.numpy(), rtol=1e-9, atol=1e-12
            )


@pytest.mark.parametrize("dim", [0, 1, None])
@pytest.mark.parametrize("name, args, shape", LAYERS)
def test_weight_norm_matches_torch(name: str, args: tuple, shape: tuple, dim: int | None) -> None:
    ours, theirs = layer_pair(name, *args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        theirs = torch.nn.utils.weight_norm(theirs, dim=dim)
    ours = nn.utils.weight_norm(ours, dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _run(ours, theirs, shape, ["weight_g", "weight_v"])
    nn.utils.remove_weight_norm(ours)
    torch.nn.utils.remove_weight_norm(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("iterations", [1, 3])
@pytest.mark.parametrize("name, args, shape", LAYERS)
def test_spectral_norm_matches_torch(name: str, args: tuple, shape: tuple, iterations: int) -> None:
    ours, theirs = layer_pair(name, *args)
    ours = nn.utils.spectral_norm(ours, n_power_iterations=iterations)
    theirs = torch.nn.utils.spectral_norm(theirs, n_power_iterations=iterations)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():
        theirs.weight_u.copy_(torch.tensor(ours.weight_u.data))
        theirs.weight_v.copy_(torch.tensor(ours.weight_v.data))
    _run(ours, theirs, shape, ["weight_orig"])
    np.testing.assert_allclose(ours.weight_u.data, theirs.weight_u.numpy(), rtol=1e-10)
    nn.utils.remove_spectral_norm(ours)
    torch.nn.utils.remove_spectral_norm(theirs)
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-10)
