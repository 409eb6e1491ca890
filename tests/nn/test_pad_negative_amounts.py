"""Negative padding amounts crop in every mode of F.pad, as PyTorch: 'reflect' and
'replicate' pad the whole axis and then crop; 'circular' crops first and wraps what is left.
The padding layers take any tuple F.pad takes (ZeroPad3d((1, 2)) pads the last axis only)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd.testing import gradcheck, gradgradcheck


def _reference_1d(row: np.ndarray, a: int, b: int, mode: str) -> np.ndarray:
    """The definition on one axis, one output entry at a time."""
    n = len(row)
    if mode == "circular":
        kept = row[max(-a, 0) : n - max(-b, 0)]
        return np.array([kept[(i - max(a, 0)) % len(kept)] for i in range(n + a + b)])
    out = []
    for i in range(max(-a, 0), n + max(a, 0) + max(b, 0) - max(-b, 0)):
        j = i - max(a, 0)  # position on the original axis
        if mode == "replicate":
            j = min(max(j, 0), n - 1)
        else:  # reflect: mirror without repeating the edge
            j = -j if j < 0 else (2 * (n - 1) - j if j >= n else j)
        out.append(row[j])
    return np.array(out)


@st.composite
def _axis(draw: st.DrawFn, mode: str) -> tuple:
    """An axis length n and amounts (a, b) that ``mode`` accepts."""
    n = draw(st.integers(2, 6))
    top = n - 1 if mode == "reflect" else n
    a = draw(st.integers(-(n - 1), top))
    b = draw(st.integers(-(n - 1 + min(a, 0)), top))
    if mode == "circular":  # wrapping the cropped part: at most its length
        kept = n - max(-a, 0) - max(-b, 0)
        a, b = min(a, kept), min(b, kept)
    return n, a, b


MODES = st.sampled_from(["reflect", "replicate", "circular"])


@st.composite
def _amounts(draw: st.DrawFn) -> tuple:
    mode = draw(MODES)
    return (mode, *draw(_axis(mode)))


@st.composite
def _two_axes(draw: st.DrawFn) -> tuple:
    mode = draw(MODES)
    return mode, draw(_axis(mode)), draw(_axis(mode))


@settings(max_examples=80, deadline=None)
@given(_amounts(), st.integers(0, 2**31))
def test_one_axis_matches_the_definition(case: tuple, seed: int) -> None:
    mode, n, a, b = case
    x = np.random.default_rng(seed).normal(size=(2, 3, n))
    out = F.pad(autograd.tensor(x), (a, b), mode).numpy()
    for i in range(2):
        for j in range(3):
            np.testing.assert_array_equal(out[i, j], _reference_1d(x[i, j], a, b, mode))


@settings(max_examples=20, deadline=None)
@given(_two_axes(), st.integers(0, 2**31))
def test_two_axes_derivatives_match_finite_differences(case: tuple, seed: int) -> None:
    mode, (n1, a1, b1), (n2, a2, b2) = case
    x = autograd.tensor(np.random.default_rng(seed).normal(size=(1, n2, n1)), requires_grad=True)
    assert gradcheck(lambda t: F.pad(t, (a1, b1, a2, b2), mode), [x])
    assert gradgradcheck(lambda t: F.pad(t, (a1, b1, a2, b2), mode) ** 2, [x])


def test_circular_layers_crop() -> None:
    x = autograd.arange(12.0).reshape(1, 2, 6)
    assert nn.CircularPad1d((-1, 2))(x)[0, 0].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 2.0]
    assert nn.CircularPad1d((2, -1))(x)[0, 0].tolist() == [3.0, 4.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    assert nn.CircularPad1d(-3)(x).shape == (1, 2, 0)


@pytest.mark.parametrize(
    ("mode", "amounts", "match"),
    [
        ("reflect", (-3, -3), r"leaves the padded axes \(2,\)"),
        ("replicate", (0, -6), r"leaves the padded axes \(2,\)"),
        ("circular", (-4, -3), "leaves axis 2"),
        ("circular", (7, 0), "at most the size 6"),
        ("circular", (-6, 1), "crops axis 2 .* to nothing"),
        ("reflect", (-1, 6), "smaller than the size 6"),
    ],
)
def test_amounts_that_leave_nothing_or_wrap_twice_are_refused(mode, amounts, match) -> None:
    with pytest.raises(ValueError, match=match):
        F.pad(autograd.zeros(1, 2, 6), amounts, mode)


def test_constant_layers_take_any_padding_tuple() -> None:
    x = autograd.ones(1, 2, 3, 4, 5)
    assert nn.ZeroPad3d((1, 2))(x).shape == (1, 2, 3, 4, 8)
    assert nn.ConstantPad1d((1, 1, 2, 2), 0.5)(x).shape == (1, 2, 3, 8, 7)
