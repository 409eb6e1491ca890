"""Reductions: sum mean amax amin var std over axes (int, tuple, negative, None) with keepdims,
the PyTorch aliases dim/keepdim/correction, and tied extremes sharing the gradient.

var/std are unbiased by default (PyTorch's correction=1), so numpy's references take ddof=1."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import shapes, tensors

REDUCTIONS = {
    "sum": np.sum,
    "mean": np.mean,
    "amax": np.max,
    "amin": np.min,
    "var": lambda a, **k: np.var(a, ddof=1, **k),
    "std": lambda a, **k: np.std(a, ddof=1, **k),
}


@st.composite
def tensor_and_axis(draw, min_side=1):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=min_side, max_side=3))
    x = draw(tensors(shape=shape, min_value=-3, max_value=3))
    ndim = len(shape)
    kind = draw(st.sampled_from(["none", "int", "negative", "tuple"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(0, ndim - 1))
    elif kind == "negative":
        axis = draw(st.integers(-ndim, -1))
    else:
        axis = tuple(
            draw(
                st.lists(st.integers(-ndim, ndim - 1), max_size=ndim, unique_by=lambda a: a % ndim)
            )
        )
    return x, axis


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # one entry: unbiased var is nan/inf
@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("keepdims", [False, True])
def test_values_match_numpy(name, keepdims):
    reference = REDUCTIONS[name]

    @given(xa=tensor_and_axis())
    def check(xa):
        x, axis = xa
        out = getattr(x, name)(axis=axis, keepdims=keepdims)
        if axis == ():
            axis = None  # PyTorch's dim=() reduces every dim
        with np.errstate(all="ignore"):
            expected = reference(x.data, axis=axis, keepdims=keepdims)
        assert out.shape == np.shape(expected)
        np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)

    check()


@pytest.mark.parametrize("name", ["sum", "mean", "var"])
def test_smooth_reductions_first_and_second_derivatives(name):
    @given(xa=tensor_and_axis(), keepdims=st.booleans())
    def check(xa, keepdims):
        x, axis = xa

        # the population variance: a single entry has an unbiased variance of nan
        extra = {"correction": 0} if name == "var" else {}

        def fn(x):
            return getattr(x, name)(axis=axis, keepdims=keepdims, **extra)

        assert gradcheck(fn, [x])
        assert gradgradcheck(fn, [x])

    check()


def test_std_first_and_second_derivatives():
    # std has a kink where all entries are equal: draw spread-out, distinct entries
    @given(xa=tensor_and_axis(min_side=2), keepdims=st.booleans())
    def check(xa, keepdims):
        x, axis = xa
        if axis == ():
            axis = None  # std over no axis is 0 everywhere: the kink itself
        x.data = x.data + 7.0 * np.arange(x.data.size).reshape(x.shape)  # entries >= 1 apart

        def fn(x):
            return x.std(axis=axis, keepdims=keepdims)

        assert gradcheck(fn, [x])
        assert gradgradcheck(fn, [x])

    check()


@pytest.mark.parametrize("name", ["amax", "amin"])
def test_max_min_derivatives_without_ties(name):
    @given(xa=tensor_and_axis(), keepdims=st.booleans())
    def check(xa, keepdims):
        x, axis = xa
        # distinct entries at least 0.5 apart, so no tie is within the finite-difference step
        x.data = np.random.default_rng(0).permutation(x.data.size).reshape(x.shape) * 0.5 + 0.25

        def fn(x):
            return getattr(x, name)(axis=axis, keepdims=keepdims) ** 2

        assert gradcheck(fn, [x])
        assert gradgradcheck(fn, [x])

    check()


@pytest.mark.parametrize("name", ["max", "min"])
def test_ties_split_the_gradient_equally(name):
    # amax/amin and the full max()/min() split among ties (PyTorch's); max(dim) does not
    x = Tensor(np.array([[3.0, 1.0, 3.0], [1.0, 1.0, 1.0], [2.0, 3.0, 1.0]]), requires_grad=True)
    getattr(x, "a" + name)(axis=1).sum().backward()
    if name == "max":
        expected = [[0.5, 0, 0.5], [1 / 3, 1 / 3, 1 / 3], [0, 1, 0]]
    else:
        expected = [[0, 1, 0], [1 / 3, 1 / 3, 1 / 3], [0, 0, 1]]
    np.testing.assert_allclose(x.grad, expected)
    x.grad = None
    getattr(x, name)().backward()
    ties = x.data == getattr(x.data, name)()
    np.testing.assert_allclose(x.grad, ties / ties.sum())


def test_max_with_a_single_maximum_takes_all_the_gradient():
    x = Tensor(np.array([1.0, 5.0, 2.0]), requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])


def test_known_mean_and_var_gradients():
    x = Tensor(np.array([1.0, 2.0, 3.0, 6.0]), requires_grad=True)
    x.mean().backward()
    np.testing.assert_array_equal(x.grad, np.full(4, 0.25))
    x.grad = None
    x.var().backward()
    # d var / dx_i = 2 (x_i - mean) / (n - 1)
    np.testing.assert_allclose(x.grad, 2 * (x.data - 3.0) / 3)  # unbiased: n - 1


@pytest.mark.parametrize("name", REDUCTIONS)
def test_dim_and_keepdim_aliases(name):
    x = Tensor(np.arange(24.0).reshape(2, 3, 4) ** 1.5)
    method = getattr(x, name)
    for axis in (1, -1, (0, 2)):
        expected = method(axis=axis, keepdims=True).data
        np.testing.assert_array_equal(method(dim=axis, keepdim=True).data, expected)
        np.testing.assert_array_equal(method(axis, keepdim=True).data, expected)
        np.testing.assert_array_equal(method(dim=axis).data, method(axis=axis).data)
    with pytest.raises(TypeError, match="axis.*dim"):
        method(axis=0, dim=0)


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_ddof_and_its_correction_alias(name, ddof):
    data = np.array([[1.0, 4.0, 2.0, 8.0], [0.5, 0.5, 3.0, -1.0], [2.0, -3.0, 0.0, 1.0]])
    x = Tensor(data, requires_grad=True)
    reference = getattr(np, name)
    for axis in (None, 0, 1, -1):
        by_ddof = getattr(x, name)(axis=axis, ddof=ddof)
        by_correction = getattr(x, name)(axis=axis, correction=ddof)
        expected = reference(x.data, axis=axis, ddof=ddof)
        np.testing.assert_allclose(by_ddof.data, expected, rtol=1e-12)
        np.testing.assert_allclose(by_correction.data, expected, rtol=1e-12)
    assert gradcheck(lambda x: getattr(x, name)(axis=1, ddof=ddof), [x])
    with pytest.raises(TypeError, match="ddof.*correction"):
        getattr(x, name)(ddof=1, correction=1)


@pytest.mark.filterwarnings("ignore:Degrees of freedom:RuntimeWarning")
def test_var_with_ddof_at_least_n_follows_numpy():
    with np.errstate(all="ignore"):
        x = Tensor(np.array([[1.0, 2.0]]))
        np.testing.assert_array_equal(x.var(axis=1, ddof=2).data, np.var(x.data, axis=1, ddof=2))
        np.testing.assert_array_equal(x.var(axis=0, ddof=1).data, [np.nan, np.nan])


def test_sum_of_everything_gives_a_0d_tensor():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    s = x.sum()
    assert s.shape == () and s.item() == 6.0
    assert x.sum(keepdims=True).shape == (1, 1)
    assert x.sum(axis=()).shape == ()  # PyTorch's: dim=() reduces every dim


@pytest.mark.parametrize("name", REDUCTIONS)
def test_bad_axes_raise_naming_the_op(name):
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=f"{name}.*out of range"):
        getattr(x, name)(axis=2)
    with pytest.raises(ValueError, match=f"{name}.*out of range"):
        getattr(x, name)(axis=-3)
    with pytest.raises(ValueError, match=f"{name}.*repeated"):
        getattr(x, name)(axis=(1, -1))
    for bad in (1.5, (0, 1.0), "1"):  # int(1.0) would silently reduce an axis
        with pytest.raises(TypeError, match=f"{name}: axis must be an int"):
            getattr(x, name)(axis=bad)


@pytest.mark.parametrize("name", ["max", "min"])
def test_extremes_of_an_empty_tensor_raise(name):
    with pytest.raises(ValueError, match="empty"):
        getattr(Tensor(np.ones((0, 3))), name)()
