"""Errors speak the user's terms: a shape mismatch names the op and both shapes; mixing node
kinds and other misuse say what went wrong."""

import re

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, Value


def shapes_named(message, *shapes):
    """True when every shape appears in the message, written as Python writes tuples."""
    return all(str(s) in message for s in shapes)


@pytest.mark.parametrize(
    "op, name",
    [
        (lambda a, b: a + b, "Add"),
        (lambda a, b: a - b, "Sub"),
        (lambda a, b: a * b, "Mul"),
        (lambda a, b: a / b, "Div"),
        (lambda a, b: a**b, "Pow"),
        (ag.maximum, "Maximum"),
        (ag.minimum, "Minimum"),
        (lambda a, b: ag.where(np.ones((2, 3), dtype=bool), a, b), "Where"),
    ],
)
def test_broadcasting_mismatch_names_the_op_and_both_shapes(op, name):
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4,)))
    with pytest.raises(ValueError) as info:
        op(a, b)
    message = str(info.value)
    assert re.search(name, message, re.IGNORECASE), message
    assert shapes_named(message, (2, 3), (4,)), message


def test_matmul_mismatch_names_the_op_and_both_shapes():
    with pytest.raises(ValueError, match="matmul") as info:
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))
    assert shapes_named(str(info.value), (2, 3), (4, 5))


def test_reshape_names_the_shapes_and_sizes():
    with pytest.raises(ValueError, match="reshape") as info:
        Tensor(np.ones((2, 3))).reshape(4, 2)
    assert shapes_named(str(info.value), (2, 3), (4, 2)) and "6 elements" in str(info.value)


def test_concatenate_names_the_axis_and_all_shapes():
    with pytest.raises(ValueError, match="concatenate along axis 0") as info:
        ag.concatenate([Tensor(np.ones((2, 3))), Tensor(np.ones((2, 4)))])
    assert shapes_named(str(info.value), (2, 3), (2, 4))


def test_broadcast_to_names_both_shapes():
    with pytest.raises(ValueError, match="broadcast_to") as info:
        Tensor(np.ones((2, 3))).broadcast_to((3, 3))
    assert shapes_named(str(info.value), (2, 3), (3, 3))


@pytest.mark.parametrize(
    "op",
    [
        lambda v, t: v + t,
        lambda v, t: t * v,
        lambda v, t: ag.maximum(v, t),
        lambda v, t: v**t,
    ],
)
def test_mixing_value_and_tensor_is_refused(op):
    with pytest.raises(TypeError, match="cannot mix (Value and Tensor|Tensor and Value)"):
        op(Value(1.0), Tensor(np.ones(2)))


def test_backward_messages():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor(np.ones(1)).backward()
    with pytest.raises(RuntimeError, match=r"\(2,\)"):
        (Tensor(np.ones(2), requires_grad=True) * 2).backward()
