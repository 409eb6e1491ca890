"""F.affine_grid and F.grid_sample: identity grids reproduce the input, gradients to the input
and the grid by finite differences (first and second order), clear errors."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck


def _identity(n: int, d: int) -> Tensor:
    return Tensor(np.broadcast_to(np.eye(d, d + 1), (n, d, d + 1)).copy())


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
def test_the_identity_grid_reproduces_the_input(d, mode, padding_mode):
    shape = (2, 3, 4, 5) if d == 2 else (2, 3, 2, 4, 5)
    x = Tensor(np.random.default_rng(0).normal(size=shape))
    for align in (False, True):
        grid = F.affine_grid(_identity(2, d), shape, align_corners=align)
        y = F.grid_sample(x, grid, mode, padding_mode, align_corners=align)
        np.testing.assert_allclose(y.data, x.data, atol=1e-12)


def test_a_shift_by_one_pixel_reads_the_neighbour_and_zeros_outside():
    x = Tensor(np.arange(12.0).reshape(1, 1, 3, 4))
    theta = Tensor(np.array([[[1.0, 0.0, 0.5], [0.0, 1.0, 0.0]]]))  # +0.5 = one of 4 pixels
    y = F.grid_sample(x, F.affine_grid(theta, (1, 1, 3, 4), align_corners=False),
                      align_corners=False)  # fmt: skip
    np.testing.assert_allclose(y.data[0, 0, :, :3], x.data[0, 0, :, 1:])
    np.testing.assert_allclose(y.data[0, 0, :, 3], 0.0)
    border = F.grid_sample(x, F.affine_grid(theta, (1, 1, 3, 4), align_corners=False),
                           padding_mode="border", align_corners=False)  # fmt: skip
    np.testing.assert_allclose(border.data[0, 0, :, 3], x.data[0, 0, :, 3])


@settings(max_examples=25, deadline=None)
@given(st.data(), st.sampled_from(["zeros", "border", "reflection"]), st.booleans())
def test_gradients_reach_input_and_grid(data, padding_mode, align):
    def coordinate(n: int) -> float:
        """A normalised coordinate whose pixel coordinate is off every boundary, clipping
        bound and mirror (multiples of 1/2), where the derivative jumps."""
        u = data.draw(st.integers(-1, n)) + data.draw(st.sampled_from([0.0, 0.5]))
        u += data.draw(st.floats(0.06, 0.44))
        return 2 * u / (n - 1) - 1 if align else (2 * u + 1) / n - 1

    x = Tensor(np.random.default_rng(1).normal(size=(1, 2, 3, 4)), requires_grad=True)
    points = [[[coordinate(4), coordinate(3)] for _ in range(3)] for _ in range(2)]
    grid = Tensor(np.array(points)[None], requires_grad=True)

    def f(a: Tensor, g: Tensor) -> Tensor:
        return F.grid_sample(a, g, padding_mode=padding_mode, align_corners=align)

    assert gradcheck(f, [x, grid])
    assert gradgradcheck(f, [x, grid])


def test_nearest_gives_the_grid_a_zero_gradient():
    x = Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    grid = Tensor(np.full((1, 1, 1, 2), 0.1), requires_grad=True)
    F.grid_sample(x, grid, mode="nearest", align_corners=True).sum().backward()
    np.testing.assert_array_equal(grid.grad.data, 0.0)


def test_affine_grid_gradient_by_finite_differences():
    theta = Tensor(np.random.default_rng(2).normal(size=(2, 2, 3)), requires_grad=True)
    assert gradcheck(lambda t: F.affine_grid(t, (2, 1, 3, 4), align_corners=False), [theta])


def test_bad_arguments_are_refused():
    x = Tensor(np.zeros((1, 1, 2, 3)))
    grid = Tensor(np.zeros((1, 2, 3, 2)))
    with pytest.raises(ValueError, match="padding_mode to be 'zeros', 'border', or 'reflection'"):
        F.grid_sample(x, grid, padding_mode="foo", align_corners=False)
    with pytest.raises(ValueError, match="mode to be 'bilinear' or 'nearest'"):
        F.grid_sample(x, grid, mode="area", align_corners=False)
    with pytest.raises(ValueError, match="size 2 in last dimension"):
        F.grid_sample(x, Tensor(np.zeros((1, 2, 3, 1))), align_corners=False)
    with pytest.raises(ValueError, match="same batch size"):
        F.grid_sample(x, Tensor(np.zeros((2, 2, 3, 2))), align_corners=False)
    with pytest.raises(ValueError, match=r"expected theta of shape \[2, 2, 3\]"):
        F.affine_grid(_identity(1, 2), (2, 1, 2, 3), align_corners=False)
    with pytest.warns(UserWarning, match="align_corners"):
        F.grid_sample(x, grid)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("align", [False, True])
def test_identity_base_coordinates_are_linspace_scaled(dtype, align):
    """affine_grid's points for the identity are torch's: linspace(-1, 1, n), times
    (n - 1) / n without aligned corners, rounded in the grid's dtype."""
    for n in (1, 2, 7, 28):
        theta = Tensor(np.array([[[1, 0, 0], [0, 1, 0]]], dtype))
        grid = F.affine_grid(theta, (1, 1, 3, n), align_corners=align)
        if n == 1:
            expected = np.zeros(1, dtype)
        else:
            lin = autograd.linspace(-1, 1, n, dtype=dtype).data
            expected = lin if align else lin * dtype(n - 1) / dtype(n)
        np.testing.assert_array_equal(grid.data[0, 1, :, 0], expected)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 40), st.integers(0, 39))
def test_float64_source_coordinates_round_the_multiply_add_once(n, k):
    """Without aligned corners, a float64 point x reads pixel (x + 1) * n / 2 - 0.5 with the
    multiply-add rounded once (torch's fused kernel; x + 1 is rounded first). On a pixel
    centre that decides which cell the grid's one-sided gradient comes from."""
    k = k % n
    x = float(autograd.linspace(-1, 1, n, dtype=autograd.float64).data[k]) * (n - 1) / n
    coordinate = float(Fraction(x + 1) * Fraction(n, 2) - Fraction(1, 2))
    ramp = Tensor(np.arange(n, dtype=np.float64).reshape(1, 1, 1, n) ** 2)
    grid = Tensor(np.array([[[[x, 0.0]]]]), requires_grad=True)
    F.grid_sample(ramp, grid, padding_mode="border", align_corners=False).backward()
    cell = int(np.floor(coordinate))
    # border padding clips the coordinate to [0, n - 1], where its derivative is 0
    expected = (2 * cell + 1) * n / 2 if 0 < coordinate < n - 1 else 0.0
    assert grid.grad.data[0, 0, 0, 0] == pytest.approx(expected, abs=1e-9)


def test_gradient_to_the_grid_by_finite_differences_in_float64_unaligned():
    """The rounding correction is a constant: the gradient to the grid is unchanged."""
    rng = np.random.default_rng(3)
    x = Tensor(rng.normal(size=(1, 2, 5, 6)))
    g = Tensor(rng.uniform(-0.9, 0.9, size=(1, 3, 4, 2)), requires_grad=True)
    assert gradcheck(
        lambda grid: F.grid_sample(x, grid, padding_mode="zeros", align_corners=False), (g,)
    )
