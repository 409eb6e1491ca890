"""Matrix products with numpy's rules: 1-D operands, 2-D, batches and broadcast batch dims."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors

CASES = [
    ((3,), (3,)),  # dot product -> 0-d
    ((3,), (3, 2)),  # vector @ matrix
    ((2, 3), (3,)),  # matrix @ vector
    ((2, 3), (3, 4)),
    ((1, 3), (3, 1)),
    ((5, 2, 3), (3, 4)),  # batch @ matrix
    ((2, 3), (5, 3, 4)),  # matrix @ batch
    ((5, 2, 3), (5, 3, 4)),
    ((5, 1, 2, 3), (4, 3, 2)),  # batch dims broadcast both ways
    ((1, 2, 3), (5, 3, 4)),
    ((3,), (5, 3, 2)),  # vector @ batch
    ((5, 2, 3), (3,)),  # batch @ vector
]


def random_tensor(shape, seed):
    return Tensor(np.random.default_rng(seed).normal(size=shape), requires_grad=True)


@pytest.mark.parametrize("shape_a, shape_b", CASES)
def test_values_match_numpy_and_derivatives_match_finite_differences(shape_a, shape_b):
    a, b = random_tensor(shape_a, 0), random_tensor(shape_b, 1)
    out = a @ b
    expected = np.matmul(a.data, b.data)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    out.sum().backward()
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    assert gradcheck(lambda a, b: a @ b, [a, b])
    assert gradgradcheck(lambda a, b: a @ b, [a, b])


def test_known_gradients_of_a_matrix_product():
    a = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
    b = Tensor(np.array([[5.0, 6.0], [7.0, 8.0]]), requires_grad=True)
    (a @ b).sum().backward()
    # d sum(AB)/dA = 1 B^T, d sum(AB)/dB = A^T 1
    np.testing.assert_array_equal(a.grad, np.ones((2, 2)) @ b.data.T)
    np.testing.assert_array_equal(b.grad, a.data.T @ np.ones((2, 2)))


SIGNATURE = hnp.mutually_broadcastable_shapes(
    signature="(m?,n),(n,p?)->(m?,p?)", max_dims=2, max_side=3
)


@given(shapes=SIGNATURE, data=st.data())
def test_generated_operand_shapes(shapes, data):
    shape_a, shape_b = shapes.input_shapes
    a = data.draw(tensors(shape=shape_a, min_value=-3, max_value=3))
    b = data.draw(tensors(shape=shape_b, min_value=-3, max_value=3))
    out = a @ b
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, np.matmul(a.data, b.data), rtol=1e-12, atol=1e-12)
    assert gradcheck(lambda a, b: a @ b, [a, b])


@given(shapes=SIGNATURE, data=st.data())
def test_generated_operand_shapes_second_order(shapes, data):
    shape_a, shape_b = shapes.input_shapes
    a = data.draw(tensors(shape=shape_a, min_value=-3, max_value=3))
    b = data.draw(tensors(shape=shape_b, min_value=-3, max_value=3))
    assert gradgradcheck(lambda a, b: (a @ b) * (a @ b), [a, b])


def test_numpy_arrays_on_either_side():
    w = Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    x = np.ones((4, 3))
    left = x @ w
    right = w.T @ x.T
    assert isinstance(left, Tensor) and isinstance(right, Tensor)
    np.testing.assert_array_equal(left.data, x @ w.data)
    (left.sum() + right.sum()).backward()
    np.testing.assert_array_equal(w.grad, 2 * x.T @ np.ones((4, 2)))


def test_only_the_operand_that_requires_grad_gets_a_gradient():
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.ones((3, 4)))
    (a @ b).sum().backward()
    assert b.grad is None
    np.testing.assert_array_equal(a.grad, np.full((2, 3), 4.0))


@pytest.mark.parametrize(
    "shape_a, shape_b", [((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (2,)), ((5, 2, 3), (4, 3, 2))]
)
def test_mismatched_shapes_raise_naming_both_shapes(shape_a, shape_b):
    with pytest.raises(ValueError, match="matmul") as info:
        Tensor(np.ones(shape_a)) @ Tensor(np.ones(shape_b))
    assert str(shape_a) in str(info.value) and str(shape_b) in str(info.value)


def test_zero_dimensional_operands_are_refused():
    with pytest.raises(ValueError, match="at least 1 dimension"):
        Tensor(2.0) @ Tensor(np.ones(3))


@pytest.mark.parametrize("shape_w", [(4, 3), (3, 3)])
def test_product_with_a_transposed_weight(shape_w):
    # x @ W.T hands matmul a transposed view; W's gradient must still be g^T x in W's layout
    x = random_tensor((5, shape_w[1]), 2)
    w = random_tensor(shape_w, 3)
    g = np.random.default_rng(4).normal(size=(5, shape_w[0]))
    (x @ w.T).backward(g)
    np.testing.assert_allclose(w.grad, g.T @ x.data, rtol=1e-12)
    np.testing.assert_allclose(x.grad, g @ w.data, rtol=1e-12)
    assert w.grad.data.flags.c_contiguous
    assert gradcheck(lambda x, w: x @ w.T, [x, w])
