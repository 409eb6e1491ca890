"""Broadcasting: over generated shape pairs, each input's gradient has its own shape and
equals the finite-difference gradient."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import broadcastable_tensors, tensors

SIDES = {"max_dims": 3, "max_side": 3}

# name: (op, numpy reference, range of a, range of b)
OPS = {
    "add": (lambda a, b: a + b, np.add, (-5, 5), (-5, 5)),
    "sub": (lambda a, b: a - b, np.subtract, (-5, 5), (-5, 5)),
    "mul": (lambda a, b: a * b, np.multiply, (-5, 5), (-5, 5)),
    "div": (lambda a, b: a / b, np.divide, (-5, 5), (0.2, 5)),
    "pow": (lambda a, b: a**b, np.power, (0.2, 3), (-2, 2)),
    "maximum": (ag.maximum, np.maximum, (-5, 5), (-5, 5)),
    "minimum": (ag.minimum, np.minimum, (-5, 5), (-5, 5)),
}


def pair(name):
    """Two broadcastable tensors, each drawn from its op's range."""
    _, _, (alo, ahi), (blo, bhi) = OPS[name]
    group = hnp.mutually_broadcastable_shapes(num_shapes=2, **SIDES)

    @st.composite
    def draw(data):
        shape_a, shape_b = data(group).input_shapes
        a = data(tensors(shape=shape_a, min_value=alo, max_value=ahi))
        b = data(tensors(shape=shape_b, min_value=blo, max_value=bhi))
        if name in ("maximum", "minimum"):
            # on different quarter-grids, so never within 0.5 of a tie (where the kink is)
            a.data = np.asarray(np.floor(a.data) + 0.25)
            b.data = np.asarray(np.floor(b.data) + 0.75)
        return a, b

    return draw()


@pytest.mark.parametrize("name", OPS)
def test_broadcast_gradients_have_input_shapes_and_match_finite_differences(name):
    op, reference = OPS[name][:2]

    @given(ab=pair(name))
    def check(ab):
        a, b = ab
        out = op(a, b)
        assert out.shape == np.broadcast_shapes(a.shape, b.shape)
        np.testing.assert_allclose(out.data, reference(a.data, b.data), rtol=1e-12)
        (out * out).sum().backward()
        assert a.grad.shape == a.shape and b.grad.shape == b.shape
        assert gradcheck(op, [a, b])

    check()


@pytest.mark.parametrize("name", ["mul", "div", "pow"])
def test_broadcast_second_derivatives(name):
    op = OPS[name][0]

    @given(ab=pair(name))
    def check(ab):
        assert gradgradcheck(op, list(ab))

    check()


@given(abc=broadcastable_tensors(n=3, **SIDES))
def test_where_broadcasts_condition_and_both_branches(abc):
    c, a, b = abc
    cond = c.data > 0
    out = ag.where(cond, a, b)
    shape = np.broadcast_shapes(cond.shape, a.shape, b.shape)
    assert out.shape == shape
    np.testing.assert_array_equal(out.data, np.where(cond, a.data, b.data))
    out.sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    # each element of a receives one unit per output position that picked it
    picked = np.broadcast_to(cond, shape).astype(float)
    lead = tuple(range(len(shape) - a.ndim))
    expected = picked.sum(axis=lead)
    keep = tuple(i for i, s in enumerate(a.shape) if s == 1 and expected.shape[i] != 1)
    np.testing.assert_allclose(a.grad, expected.sum(axis=keep, keepdims=True))
    assert gradcheck(lambda a, b: ag.where(cond, a * a, b), [a, b])


def test_known_broadcast_reduction():
    a = Tensor(np.ones((3, 1)), requires_grad=True)
    b = Tensor(np.arange(4.0), requires_grad=True)
    (a * b).sum().backward()
    np.testing.assert_array_equal(a.grad, np.full((3, 1), 6.0))
    np.testing.assert_array_equal(b.grad, np.full(4, 3.0))


def test_numbers_and_arrays_broadcast_against_a_tensor():
    t = Tensor(np.ones((2, 3)), requires_grad=True)
    out = np.arange(3.0) * t + 2.0 - t / np.ones((4, 1, 1))
    assert isinstance(out, Tensor) and out.shape == (4, 2, 3)
    out.sum().backward()
    assert t.grad.shape == (2, 3)
    np.testing.assert_allclose(t.grad, 4 * (np.arange(3.0) - 1) * np.ones((2, 1)))


def test_a_leaf_of_size_one_keeps_its_shape():
    s = Tensor(np.array(2.0), requires_grad=True)
    k = Tensor(np.array([[3.0]]), requires_grad=True)
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    (s * x + k).sum().backward()
    assert s.grad.shape == () and s.grad == 15.0
    assert k.grad.shape == (1, 1) and k.grad[0, 0] == 6.0
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 2.0))
