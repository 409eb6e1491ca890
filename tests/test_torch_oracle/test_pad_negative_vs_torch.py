"""F.pad and the padding layers with negative amounts (cropping) against torch: values and
gradients in every mode; the layers' padding tuples of other lengths as torch."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402


def _accepted(mode: str, n: int, a: int, b: int) -> bool:
    """Amounts torch pads well (for circular: no wrap beyond the cropped part, where torch
    reads memory it never wrote)."""
    if n + a + b < (0 if mode == "circular" else 1):
        return False
    if mode == "reflect":
        return max(a, b) < n
    kept = n - max(-a, 0) - max(-b, 0)
    return mode == "replicate" or max(a, b, 0) <= kept and (kept > 0 or max(a, b) <= 0)


CASES = [
    (mode, (a, b, c, d))
    for mode in ("reflect", "replicate", "circular")
    for a, b, c, d in itertools.product([-2, -1, 0, 1, 3], repeat=4)
    if _accepted(mode, 5, a, b) and _accepted(mode, 4, c, d) and min(a, b, c, d) < 0
][::15]


@pytest.mark.parametrize(("mode", "amounts"), CASES)
def test_negative_amounts_match_torch(mode: str, amounts: tuple) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 5))
    a, b = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yb = F.pad(a, amounts, mode), torch.nn.functional.pad(b, amounts, mode=mode)
    assert ya.shape == tuple(yb.shape)
    np.testing.assert_array_equal(ya.detach().numpy(), yb.detach().numpy())
    g = rng.normal(size=ya.shape)
    ya.backward(autograd.tensor(g))
    yb.backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("name", "padding", "shape"),
    [
        ("CircularPad1d", (-1, 2), (1, 2, 6)),
        ("CircularPad2d", (1, -2, -1, 2), (1, 2, 4, 5)),
        ("CircularPad3d", (1, -2, -1, 2, 0, -1), (1, 2, 3, 4, 5)),
        ("ZeroPad3d", (1, 2), (1, 2, 3, 4, 5)),
        ("ZeroPad2d", (1, 2), (1, 2, 4, 5)),
        ("ZeroPad1d", (1, 2, 3, 4), (1, 2, 6)),
        ("ConstantPad3d", (1, -2), (2, 3, 4, 5)),
        ("ReflectionPad1d", (1, 1, 1, 1), (1, 3, 4)),
        ("ReplicationPad2d", (-1, 2, 1, -1), (1, 3, 4)),
    ],
)
def test_layers_match_torch(name: str, padding: tuple, shape: tuple) -> None:
    x = np.arange(float(np.prod(shape))).reshape(shape)
    args = (padding, 0.5) if name.startswith("Constant") else (padding,)
    ours = getattr(nn, name)(*args)(autograd.tensor(x))
    theirs = getattr(torch.nn, name)(*args)(torch.tensor(x))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_reflection_layer_refuses_torchs_unsupported_combination() -> None:
    with pytest.raises(NotImplementedError):
        torch.nn.ReflectionPad3d((1, 2))(torch.zeros(1, 1, 3, 3, 3))
    with pytest.raises(NotImplementedError, match="Padding size 2 is not supported"):
        nn.ReflectionPad3d((1, 2))(autograd.zeros(1, 1, 3, 3, 3))
