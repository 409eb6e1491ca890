"""autograd.testing: gradcheck / gradgradcheck accept right derivatives and catch wrong ones;
the strategies generate what they promise; gradient_property makes a working test."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from autograd import Function, Tensor, Value, dual
from autograd.testing import GradcheckError, gradcheck, gradgradcheck
from autograd.testing.strategies import (
    broadcastable_tensors,
    gradient_property,
    shapes,
    tensors,
    values,
)


def t64(*shape: int, seed: int = 0) -> Tensor:
    data = np.random.default_rng(seed).uniform(-2, 2, size=shape)
    return Tensor(data, requires_grad=True)


# --- custom Functions with known faults ---------------------------------------------------


class ProductWrongAt11(Function):
    """x * y whose gradient for y is off by 0.5 at element (1, 1)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gy = np.array(g * x)
        gy[1, 1] += 0.5
        return g * y, gy


class ScaledSquare(Function):
    """x ** 2 with derivative 3x instead of 2x (on floats, for Values)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3.0 * x


class SinOnRawData(Function):
    """sin with a right first derivative written on a raw ndarray kept as a ctx attribute:
    under create_graph it is a constant, so the second derivative comes out 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.x = x
        return np.sin(x)

    @staticmethod
    def backward(ctx, g):
        return g * np.cos(ctx.x)


class SinWithNumpyBackward(Function):
    """sin whose backward calls a numpy ufunc on the saved input: fails on nodes."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * np.cos(x)


class CosWrongSign(Function):
    """cos whose derivative is +sin (wrong sign), written differentiably."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * Sin.apply(x) if isinstance(x, Tensor) else g * np.sin(x)


class Sin(Function):
    """sin whose backward uses CosWrongSign: first derivative right, second wrong."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (CosWrongSign.apply(x) if isinstance(x, Tensor) else np.cos(x))


# --- gradcheck --------------------------------------------------------------------------


@given(tensors(shape=(3, 2), min_value=-3, max_value=3), tensors(shape=(2, 4)))
def test_gradcheck_accepts_correct_tensor_ops(x, w):
    assert gradcheck(lambda x, w: (x @ w).tanh() * 2.0 + x.sum(), [x, w]) is True


@given(values(min_value=-3, max_value=3), values(min_value=0.5, max_value=3))
def test_gradcheck_accepts_correct_value_ops(a, b):
    assert gradcheck(lambda a, b: (a * b).sigmoid() + a**2 / b + b.log(), (a, b))


def test_gradcheck_accepts_a_single_node_and_tuple_outputs():
    x = t64(2, 3)
    assert gradcheck(lambda x: x.exp(), x)
    assert gradcheck(lambda x: (x * 2.0, x.sum(axis=0)), x)


def test_gradcheck_names_input_index_element_and_values():
    x, y = t64(2, 3, seed=1), t64(2, 3, seed=2)
    with pytest.raises(GradcheckError) as info:
        gradcheck(ProductWrongAt11.apply, [x, y])
    msg = str(info.value)
    assert "input 1" in msg and "input 0" not in msg.replace("d(input 1", "")
    assert "element (1, 1)" in msg
    # The worst entry: row 0 of the Jacobian, d out[0, 0] / d y[1, 1]: numeric 0, analytic 0.5.
    assert "0.5 analytic" in msg and "0.0 numeric" in msg
    assert isinstance(info.value, AssertionError)


def test_gradcheck_reports_the_value_input_that_is_wrong():
    a, b = Value(1.5), Value(-0.5)
    with pytest.raises(GradcheckError, match=r"input 1 \(Value\)") as info:
        gradcheck(lambda a, b: a * 2.0 + ScaledSquare.apply(b), [a, b])
    analytic, numeric = map(
        float, re.search(r"is (\S+) analytic, (\S+) numeric", str(info.value)).groups()
    )
    assert analytic == pytest.approx(3 * -0.5) and numeric == pytest.approx(2 * -0.5, rel=1e-6)


def test_gradcheck_passes_constants_through_and_skips_inputs_without_grad():
    x, c = t64(3), Tensor(np.arange(3.0))
    assert gradcheck(lambda x, k, c: x * k + c * x, [x, 3.0, c])
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(lambda c: c * 2.0, [c])


def test_gradcheck_refuses_float32_and_says_why():
    x32 = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    with pytest.raises(TypeError, match=r"input 0 has dtype float32, not float64"):
        gradcheck(lambda x: x * 2.0, x32)
    with pytest.raises(TypeError, match=r"output 0 has dtype float32"):
        gradcheck(lambda x: Tensor(x.data.astype(np.float32)), t64(3))


def test_gradcheck_rejects_non_node_outputs_and_inputs():
    with pytest.raises(TypeError, match="fn must return a Value or a Tensor"):
        gradcheck(lambda x: x.data, t64(3))
    with pytest.raises(TypeError, match="inputs must be"):
        gradcheck(lambda x: x, 3.0)


def test_gradcheck_restores_input_data_exactly_even_on_failure():
    x, y = t64(2, 3, seed=3), t64(2, 3, seed=4)
    before = (x.data.copy(), y.data.copy())
    arrays = (x.data, y.data)
    with pytest.raises(GradcheckError):
        gradcheck(ProductWrongAt11.apply, [x, y])
    assert x.data is arrays[0] and y.data is arrays[1]
    np.testing.assert_array_equal(x.data, before[0])
    np.testing.assert_array_equal(y.data, before[1])
    v = Value(0.1)
    gradcheck(lambda v: v.tanh(), v)
    assert v.data == 0.1


def test_gradcheck_works_on_read_only_data_and_leaves_it_alone():
    data = np.linspace(-1, 1, 4)
    data.flags.writeable = False
    x = Tensor(data, requires_grad=True)
    x.data = data
    assert gradcheck(lambda x: x.sigmoid(), x)
    assert x._data is data


def test_gradcheck_fails_across_a_kink_which_is_what_strategies_avoid():
    with pytest.raises(GradcheckError):
        gradcheck(lambda v: v.abs(), Value(1e-7))


# --- gradgradcheck ----------------------------------------------------------------------


@given(tensors(shape=(2, 3), min_value=-3, max_value=3), tensors(shape=(3,)))
def test_gradgradcheck_accepts_smooth_ops(x, y):
    assert gradgradcheck(lambda x, y: (x * y).tanh() + x.sigmoid() * y, [x, y])


def test_gradgradcheck_accepts_value_ops():
    assert gradgradcheck(lambda a, b: (a * b).exp() / b + a.tanh(), [Value(0.3), Value(1.7)])


def test_gradgradcheck_catches_a_backward_written_on_raw_data():
    x = t64(3)
    assert gradcheck(SinOnRawData.apply, x)
    with pytest.raises(GradcheckError, match=r"second derivative mismatch for input 0") as info:
        gradgradcheck(SinOnRawData.apply, x)
    assert "0.0 analytic" in str(info.value)


def test_gradgradcheck_reports_a_backward_that_cannot_run_on_nodes():
    x = t64(3)
    assert gradcheck(SinWithNumpyBackward.apply, x)
    with pytest.raises(GradcheckError, match="not differentiable.*create_graph=True"):
        gradgradcheck(SinWithNumpyBackward.apply, x)


def test_gradgradcheck_catches_a_wrong_second_derivative_and_names_the_input():
    x, y = t64(4, seed=5), t64(4, seed=6)
    assert gradcheck(lambda x, y: Sin.apply(x) * y, [x, y])
    with pytest.raises(GradcheckError, match=r"input 0 \(Tensor of shape \(4,\)\)") as info:
        gradgradcheck(lambda x, y: Sin.apply(x) * y.exp(), [x, y])
    # The worst entry is on the diagonal of d(grad_x)/dx: -sin(x) w y' (right) vs +sin(x) w y'.
    analytic, numeric = map(
        float, re.search(r"is (\S+) analytic, (\S+) numeric", str(info.value)).groups()
    )
    assert analytic == pytest.approx(-numeric, rel=1e-4)


def test_gradgradcheck_checks_every_output_element():
    # Only output element 2 has a wrong second derivative; the weighting must not hide it.
    x = t64(3, seed=7)
    mask = np.array([0.0, 0.0, 1.0])
    with pytest.raises(GradcheckError, match=r"element \(2,\)"):
        gradgradcheck(lambda x: x * x + SinOnRawData.apply(x) * mask, x)


# --- strategies -------------------------------------------------------------------------


@given(shapes(min_dims=1, max_dims=3, min_side=2, max_side=5))
def test_shapes_respect_bounds(shape):
    assert 1 <= len(shape) <= 3 and all(2 <= s <= 5 for s in shape)


@given(tensors(shape=(2, 3), min_value=-1.5, max_value=2.5))
def test_tensors_have_shape_dtype_bounds_and_require_grad(x):
    assert isinstance(x, Tensor) and x.is_leaf
    assert x.shape == (2, 3) and x.dtype == np.float64 and x.requires_grad
    assert np.all((x.data >= -1.5) & (x.data <= 2.5)) and np.all(np.isfinite(x.data))


@given(tensors(dtype=np.float32, requires_grad=False, max_dims=2, max_side=3))
def test_tensors_keep_float32_and_shape_options(x):
    assert x.dtype == np.float32 and not x.requires_grad
    assert x.ndim <= 2 and all(s <= 3 for s in x.shape)


@given(tensors(shape=4, dtype=np.int64, min_value=-3, max_value=3, requires_grad=False))
def test_tensors_of_integers(x):
    assert x.dtype == np.int64 and x.shape == (4,) and np.all(np.abs(x.data) <= 3)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@given(data=st.data())
def test_tensors_stay_away_from_kinks(dtype, data):
    x = data.draw(tensors(shape=(6,), dtype=dtype, avoid=(0.0, 1.0), min_distance=0.05))
    d = np.minimum(np.abs(x.data.astype(np.float64)), np.abs(x.data.astype(np.float64) - 1))
    assert np.all(d >= 0.05)


def test_kink_avoidance_still_reaches_near_the_kink():
    # Values pushed off a kink land just past the band, so the neighbourhood is exercised.
    near = find(values(avoid=(0.0,), min_distance=0.01), lambda v: abs(v.data) < 0.011)
    assert 0.01 <= abs(near.data) < 0.011


@given(values(min_value=-2, max_value=3, avoid=(0.5,), min_distance=0.1))
def test_values_bounds_and_kinks(v):
    assert isinstance(v, Value) and -2 <= v.data <= 3 and abs(v.data - 0.5) >= 0.1


@given(broadcastable_tensors(n=3, min_value=-1, max_value=1))
def test_broadcastable_tensors_broadcast_together(ts):
    assert len(ts) == 3 and all(isinstance(t, Tensor) and t.dtype == np.float64 for t in ts)
    np.broadcast_shapes(*(t.shape for t in ts))
    assert all(np.all(np.abs(t.data) <= 1) for t in ts)


def test_broadcastable_tensors_exercise_real_broadcasting():
    # any such pair will do: no shrinking to a minimal one (that took seconds)
    pair = find(
        broadcastable_tensors(n=2),
        lambda ts: ts[0].shape != ts[1].shape,
        settings=settings(phases=[Phase.generate], database=None),
    )
    assert np.broadcast_shapes(pair[0].shape, pair[1].shape) is not None


def test_strategy_arguments_are_validated():
    with pytest.raises(ValueError, match="min_value"):
        values(min_value=3, max_value=1)
    with pytest.raises(TypeError, match="only float dtypes can require grad"):
        tensors(dtype=np.int64)
    with pytest.raises(TypeError, match="unexpected arguments"):
        tensors(max_rank=2)


# --- gradient_property ------------------------------------------------------------------

test_gradient_property_as_a_module_level_test = gradient_property(
    lambda a, b: (a * b).tanh() + a.sigmoid(),
    broadcastable_tensors(n=2, min_value=-3, max_value=3),
    max_examples=10,
)


def test_gradient_property_passes_a_correct_function():
    gradient_property(lambda x: dual.sigmoid(x) * x, tensors(shape=(3,)), max_examples=5)()


def test_gradient_property_with_kinks_and_first_order_only():
    gradient_property(lambda v: v.relu() * v, values(avoid=(0.0,)), order=1, max_examples=5)()


def test_gradient_property_catches_a_wrong_first_derivative():
    test = gradient_property(
        ScaledSquare.apply, values(min_value=0.5, max_value=2), order=1, max_examples=5
    )
    assert test.__name__ == "test_gradients_of_ScaledSquare"
    with pytest.raises(GradcheckError, match="gradient mismatch"):
        test()


def test_gradient_property_catches_a_wrong_second_derivative():
    first_order = gradient_property(
        SinOnRawData.apply, tensors(shape=(2,)), order=1, max_examples=5
    )
    first_order()
    with pytest.raises(GradcheckError, match="second derivative mismatch"):
        gradient_property(SinOnRawData.apply, tensors(shape=(2,)), max_examples=5)()


def test_gradient_property_arguments_are_validated():
    with pytest.raises(ValueError, match="order must be 1 or 2"):
        gradient_property(lambda x: x, tensors(), order=3)
    with pytest.raises(TypeError, match="at least one input strategy"):
        gradient_property(lambda x: x)
