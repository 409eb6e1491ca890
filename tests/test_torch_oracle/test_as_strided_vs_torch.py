"""as_strided against torch: random layouts over contiguous, transposed, expanded and sliced
inputs give the same entries, strides, offsets and gradients (first and second order);
writes through the view and to its tensor; the same errors for bad layouts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

from ..autograd.test_as_strided import LAYOUTS, _geometry, _readable  # noqa: E402


def _run(lib: Any, x0: np.ndarray, layout: str, size: tuple, stride: tuple, offset: Any, g: Any):
    leaf = lib.tensor(x0, requires_grad=True)
    x = LAYOUTS[layout](leaf * 1)
    y = (
        x.as_strided(size, stride, offset)
        if offset is not None
        else lib.as_strided(x, size, stride)
    )
    (gx,) = lib.autograd.grad((y * y).sum() if g is None else y, leaf, g, create_graph=True)
    (ggx,) = lib.autograd.grad((gx * gx).sum(), leaf) if gx.requires_grad else (gx * 0,)
    meta = (tuple(y.shape), tuple(y.stride()), y.storage_offset()) if y.numel() else None
    return y.detach().numpy(), gx.detach().numpy(), ggx.detach().numpy(), meta


@settings(max_examples=80, deadline=None)
@given(_geometry(), st.integers(0, 2**31), st.booleans(), st.booleans())
def test_random_layouts_match_torch(geometry: tuple, seed: int, default: bool, square: bool):
    shape, layout, size, stride, offset = geometry
    rng = np.random.default_rng(seed)
    x0 = rng.normal(size=shape)
    x = LAYOUTS[layout](autograd.tensor(x0))
    if default:
        offset = None
    assume(_readable(x, size, stride, x.storage_offset() if default else offset))
    g = None if square else rng.normal(size=size)
    ours = _run(
        autograd, x0, layout, size, stride, offset, None if g is None else autograd.tensor(g)
    )
    theirs = _run(torch, x0, layout, size, stride, offset, None if g is None else torch.tensor(g))
    assert ours[3] == theirs[3]
    for a, b, what in zip(ours[:3], theirs[:3], ("value", "grad", "grad2")):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=what)


def test_writes_both_ways_match_torch() -> None:
    def program(lib: Any) -> tuple:
        x = lib.tensor(np.arange(8.0), requires_grad=True)
        w = lib.tensor(np.array([2.0, -1.0]), requires_grad=True)
        y = x * 1
        v = y.as_strided((2, 3), (3, 1), 1)
        v[:, 0] = w.exp()  # through the view
        y[5:7] = w * 10  # to the tensor, after the view was taken
        loss = (v * v).sum() + (y * lib.tensor(np.arange(8.0))).sum()
        loss.backward()
        return y.detach().numpy(), v.detach().numpy(), x.grad.numpy(), w.grad.numpy()

    for a, b in zip(program(autograd), program(torch)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "size, stride, offset",
    [((2, 2), (3, 1), 3), ((3,), (-1,), 2), ((3,), (1,), -1), ((2, 2), (1,), 0), ((7,), (1,), 0)],
)
def test_bad_layouts_raise_torchs_error_type(size: tuple, stride: tuple, offset: int) -> None:
    with pytest.raises(RuntimeError):
        torch.arange(6.0).as_strided(size, stride, offset)
    with pytest.raises(RuntimeError, match="as_strided"):
        autograd.arange(6.0).as_strided(size, stride, offset)


def test_complex_entries_first_and_second_derivatives_match_torch() -> None:
    """(the second derivative runs through ScatterAdd and TakeView on complex gradients)"""

    def program(lib: Any) -> list:
        z = lib.tensor(np.arange(6) + 1j * np.arange(6)[::-1] + 0.5, requires_grad=True)
        y = (z * 1).as_strided((2, 3), (1, 2), 0)
        loss = (y * y.conj()).real.sum() + (
            y * y * lib.tensor(np.arange(6.0).reshape(2, 3))
        ).imag.sum()
        (gz,) = lib.autograd.grad(loss, z, create_graph=True)
        (gg,) = lib.autograd.grad((gz.abs() ** 2).sum(), z)
        return [gz.detach().numpy(), gg.numpy()]

    for a, b in zip(program(autograd), program(torch), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
