"""Every elementwise and arithmetic Tensor op: values against numpy, derivatives (first and
second order) against central differences in float64."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import shapes, tensors

SMALL = shapes(min_dims=0, max_dims=2, max_side=3)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# name: (our op, numpy reference, input range, kinks to avoid)
UNARY = {
    "neg": (lambda x: -x, np.negative, (-5, 5), ()),
    "exp": (lambda x: x.exp(), np.exp, (-5, 5), ()),
    "log": (lambda x: x.log(), np.log, (0.05, 10), ()),
    "sqrt": (lambda x: x.sqrt(), np.sqrt, (0.05, 10), ()),
    "abs": (lambda x: x.abs(), np.abs, (-5, 5), (0.0,)),
    "builtin_abs": (abs, np.abs, (-5, 5), (0.0,)),
    "clip": (lambda x: x.clip(-1.0, 2.0), lambda x: np.clip(x, -1, 2), (-5, 5), (-1.0, 2.0)),
    "clip_min": (lambda x: x.clip(min=0.5), lambda x: np.maximum(x, 0.5), (-5, 5), (0.5,)),
    "clip_max": (lambda x: x.clip(max=0.5), lambda x: np.minimum(x, 0.5), (-5, 5), (0.5,)),
    "clamp": (lambda x: x.clamp(-1.0, 1.0), lambda x: np.clip(x, -1, 1), (-5, 5), (-1.0, 1.0)),
    "tanh": (lambda x: x.tanh(), np.tanh, (-5, 5), ()),
    "sigmoid": (lambda x: x.sigmoid(), sigmoid, (-10, 10), ()),
    "relu": (lambda x: x.relu(), lambda x: np.maximum(x, 0), (-5, 5), (0.0,)),
    "square": (lambda x: x**2, np.square, (-5, 5), ()),
    "cube": (lambda x: x**3, lambda x: x**3, (-3, 3), ()),
    "reciprocal_power": (lambda x: x**-1.5, lambda x: x**-1.5, (0.1, 5), ()),
    "fractional_power": (lambda x: x**0.5, np.sqrt, (0.05, 5), ()),
    "number_to_the_x": (lambda x: 2.5**x, lambda x: 2.5**x, (-3, 3), ()),
    "number_minus_x": (lambda x: 3 - x, lambda x: 3 - x, (-5, 5), ()),
    "number_over_x": (lambda x: 3 / x, lambda x: 3 / x, (0.2, 5), ()),
    "x_over_number": (lambda x: x / 4, lambda x: x / 4, (-5, 5), ()),
    "x_plus_number": (lambda x: x + 1.5, lambda x: x + 1.5, (-5, 5), ()),
    "number_times_x": (lambda x: 1.5 * x, lambda x: 1.5 * x, (-5, 5), ()),
}


def unary_inputs(name):
    _, _, (lo, hi), kinks = UNARY[name]
    return tensors(shape=SMALL, min_value=lo, max_value=hi, avoid=kinks, min_distance=1e-3)


@pytest.mark.parametrize("name", UNARY)
def test_unary_values_match_numpy(name):
    op, reference, _, _ = UNARY[name]

    @given(x=unary_inputs(name))
    def check(x):
        out = op(x)
        assert isinstance(out, Tensor) and out.shape == x.shape
        np.testing.assert_allclose(out.data, reference(x.data), rtol=1e-12, atol=1e-15)

    check()


@pytest.mark.parametrize("name", UNARY)
def test_unary_first_and_second_derivatives(name):
    op = UNARY[name][0]

    @given(x=unary_inputs(name))
    def check(x):
        assert gradcheck(op, [x])
        assert gradgradcheck(op, [x])

    check()


# name: (our op, numpy reference, range of a, range of b)
BINARY = {
    "add": (lambda a, b: a + b, np.add, (-5, 5), (-5, 5)),
    "sub": (lambda a, b: a - b, np.subtract, (-5, 5), (-5, 5)),
    "mul": (lambda a, b: a * b, np.multiply, (-5, 5), (-5, 5)),
    "div": (lambda a, b: a / b, np.divide, (-5, 5), (0.2, 5)),
    "pow": (lambda a, b: a**b, np.power, (0.2, 3), (-2, 2)),
}


@pytest.mark.parametrize("name", BINARY)
def test_binary_values_and_derivatives(name):
    op, reference, (alo, ahi), (blo, bhi) = BINARY[name]

    @given(shape=SMALL, data=st.data())
    def check(shape, data):
        a = data.draw(tensors(shape=shape, min_value=alo, max_value=ahi))
        b = data.draw(tensors(shape=shape, min_value=blo, max_value=bhi))
        np.testing.assert_allclose(op(a, b).data, reference(a.data, b.data), rtol=1e-12)
        assert gradcheck(op, [a, b])
        assert gradgradcheck(op, [a, b])

    check()


@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_with_numpy_arrays_on_either_side(name):
    op, reference, _, _ = BINARY[name]
    a = np.array([0.5, 1.5, 2.0])
    t = Tensor(np.array([1.0, 0.5, 2.5]), requires_grad=True)
    left, right = op(a, t), op(t, a)
    assert isinstance(left, Tensor) and isinstance(right, Tensor)
    np.testing.assert_allclose(left.data, reference(a, t.data))
    np.testing.assert_allclose(right.data, reference(t.data, a))
    assert gradcheck(lambda t: op(a, t) + op(t, a), [t])


def test_negative_base_integer_power_and_its_gradient():
    x = Tensor(np.array([-2.0, -0.5, 3.0]), requires_grad=True)
    (x**3).sum().backward()
    np.testing.assert_allclose(x.grad, 3 * x.data**2)


def test_clip_gradient_passes_inside_and_at_the_bounds_only():
    x = Tensor(np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), requires_grad=True)
    y = x.clip(-1.0, 1.0)
    y.sum().backward()
    np.testing.assert_array_equal(y.data, [-1, -1, 0, 1, 1])
    np.testing.assert_array_equal(x.grad, [0, 1, 1, 1, 0])


def test_clip_with_no_bounds_raises_as_pytorch():
    x = Tensor(np.array([-2.0, 3.0]), requires_grad=True)
    with pytest.raises(ValueError, match="clamp: at least one of min and max"):
        x.clip()


def test_clip_with_min_above_max_gives_max_as_numpy_and_pytorch():
    x = Tensor([0.0, 1.5, 3.0], requires_grad=True)
    y = x.clip(2.0, 1.0)
    y.sum().backward()
    np.testing.assert_array_equal(y.data, np.clip(x.data, 2.0, 1.0))
    np.testing.assert_array_equal(x.grad, [0, 0, 0])


def test_relu_and_abs_have_zero_gradient_at_zero():
    for op in (lambda x: x.relu(), lambda x: x.abs()):
        x = Tensor(np.zeros(3), requires_grad=True)
        op(x).sum().backward()
        np.testing.assert_array_equal(x.grad, np.zeros(3))


def test_large_inputs_stay_finite():
    x = Tensor(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]), requires_grad=True)
    for op in (lambda x: x.sigmoid(), lambda x: x.tanh(), lambda x: x.relu()):
        x.grad = None
        out = op(x)
        out.sum().backward()
        assert np.all(np.isfinite(out.data)) and np.all(np.isfinite(x.grad))
    np.testing.assert_allclose(x.sigmoid().data, [0, sigmoid(-50.0), 0.5, 1, 1], atol=1e-300)


# --- maximum, minimum, where as functions ---


@pytest.mark.parametrize("fn, reference", [(ag.maximum, np.maximum), (ag.minimum, np.minimum)])
def test_maximum_minimum_values_and_derivatives(fn, reference):
    @given(shape=SMALL, data=st.data())
    def check(shape, data):
        a = data.draw(tensors(shape=shape, min_value=-5, max_value=5))
        b = data.draw(tensors(shape=shape, min_value=-5, max_value=5))
        # away from ties, where the derivative jumps
        b.data = np.where(np.abs(a.data - b.data) < 1e-3, a.data + 0.5, b.data)
        np.testing.assert_array_equal(fn(a, b).data, reference(a.data, b.data))
        assert gradcheck(fn, [a, b])
        assert gradgradcheck(fn, [a, b])

    check()


@pytest.mark.parametrize("fn", [ag.maximum, ag.minimum])
def test_maximum_minimum_split_ties_equally(fn):
    a = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    b = Tensor(np.array([1.0, 0.0, 5.0]), requires_grad=True)
    fn(a, b).sum().backward()
    winner_a = [0.5, 1.0, 0.0] if fn is ag.maximum else [0.5, 0.0, 1.0]
    np.testing.assert_array_equal(a.grad, winner_a)
    np.testing.assert_array_equal(b.grad, 1 - np.array(winner_a))


def test_maximum_with_a_number():
    x = Tensor(np.array([-1.0, 2.0]), requires_grad=True)
    ag.maximum(x, 0.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0])
    y = Tensor(np.array([-1.0, 2.0]), requires_grad=True)
    ag.minimum(0.0, y).sum().backward()
    np.testing.assert_array_equal(y.grad, [1.0, 0.0])


@given(shape=SMALL, data=st.data())
def test_where_values_and_derivatives(shape, data):
    a = data.draw(tensors(shape=shape, min_value=-5, max_value=5))
    b = data.draw(tensors(shape=shape, min_value=-5, max_value=5))
    cond = a.data > b.data
    np.testing.assert_array_equal(ag.where(cond, a, b).data, np.where(cond, a.data, b.data))
    assert gradcheck(lambda a, b: ag.where(cond, a * a, b * a), [a, b])
    assert gradgradcheck(lambda a, b: ag.where(cond, a * a, b * a), [a, b])


def test_where_gradient_goes_to_the_chosen_side_only():
    a = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    b = Tensor(np.array([4.0, 5.0, 6.0]), requires_grad=True)
    cond = Tensor(np.array([True, False, True]))
    ag.where(cond, a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [1, 0, 1])
    np.testing.assert_array_equal(b.grad, [0, 1, 0])


def test_where_with_numbers_and_no_tensor_gives_a_tensor():
    out = ag.where(np.array([True, False]), 1.0, 2.0)
    assert isinstance(out, Tensor)
    np.testing.assert_array_equal(out.data, [1.0, 2.0])


# --- the array-like surface of a Tensor ---


def test_attributes_and_conversions():
    data = np.arange(6.0).reshape(2, 3)
    t = Tensor(data, requires_grad=True)
    assert t.shape == (2, 3) and t.ndim == 2 and t.numel() == 6 and t.dtype == np.float64
    assert len(t) == 2 and t.requires_grad and t.grad is None and t.is_leaf
    assert t.tolist() == data.tolist()
    assert t.numpy() is t._data
    assert t._data is not data  # Tensor(ndarray) copies, as torch.tensor does
    assert Tensor([[2.5]]).item() == 2.5
    np.testing.assert_array_equal(np.asarray(t), data)
    assert np.asarray(t) is not t.data  # a copy (API.md), so writing it leaves t alone
    assert np.asarray(t, copy=False) is t._data  # unless numpy asks for no copy
    copied = np.array(t)  # np.array copies, as for any array-like: writing it leaves t alone
    copied[0, 0] = 100.0
    assert t.data[0, 0] == 0.0
    assert np.array(t, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="float64 Tensor to float32 without a copy"):
        np.asarray(t, dtype=np.float32, copy=False)
    with pytest.raises(ValueError, match="6 elements"):
        t.item()
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))


def test_detach_shares_data_and_leaves_the_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x * 2
    d = y.detach()
    assert d._data is y._data and not d.requires_grad and d.is_leaf and d.grad_fn is None
    assert y.grad_fn is not None


def test_iteration_gives_differentiable_rows():
    x = Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    rows = list(x)
    assert len(rows) == 3 and all(r.shape == (2,) for r in rows)
    (rows[0] * 1 + rows[2] * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [[1, 1], [0, 0], [3, 3]])


def test_data_and_grad_are_assignable():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    x.data = np.array([3.0, 4.0])
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [6.0, 8.0])
    x.grad = np.zeros(2)
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [6.0, 8.0])
    x.zero_grad()
    assert x.grad is None


def test_bool_of_a_single_element_and_ambiguity_error():
    assert bool(Tensor([1.0]) > 0)
    with pytest.raises(RuntimeError, match="with more than one value is ambiguous"):
        bool(Tensor([1.0, 2.0]))  # PyTorch's error (numpy's would be a ValueError)
    with pytest.raises(RuntimeError, match="with no values is ambiguous"):
        bool(Tensor(np.zeros(0)))
