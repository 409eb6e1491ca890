"""Bad data given to a node or returned by a custom Function: a clear error naming the
culprit, never a silently wrong node (a string taken as a number, an int64 Tensor that
requires grad)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Function, Tensor, Value


@pytest.mark.parametrize("bad", ["3", "nan", b"3", bytearray(b"3"), None, [1.0], 1 + 2j, {}])
def test_value_refuses_non_numbers(bad) -> None:
    with pytest.raises(TypeError, match=r"Value\(data\)"):
        Value(bad)


@pytest.mark.parametrize(
    ("good", "want"),
    [
        (3, 3.0),
        (2.5, 2.5),
        (True, 1.0),
        (np.float32(2.0), 2.0),
        (np.int64(3), 3.0),
        (np.array(4.0), 4.0),
    ],
)
def test_value_accepts_numbers(good, want) -> None:
    v = Value(good)
    assert type(v.data) is float and v.data == want


def _function_returning(result):
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            return result(x)

        @staticmethod
        def backward(ctx, g):
            return g

    return Bad


@pytest.mark.parametrize(
    "result",
    [
        lambda x: [1, 2],
        lambda x: (1.0, 2.0),
        lambda x: None,
        lambda x: "1.0",
        lambda x: Tensor(np.asarray(x), requires_grad=True),  # a node with its own history
    ],
)
def test_function_forward_must_return_number_or_array(result) -> None:
    fn = _function_returning(result)
    with pytest.raises(TypeError, match="Bad.forward returned"):
        fn.apply(Tensor(np.ones(2), requires_grad=True))
    with pytest.raises(TypeError, match="Bad.forward returned"):
        fn.apply(Value(1.0))


def test_function_integer_result_does_not_require_grad() -> None:
    out = _function_returning(lambda x: np.argsort(x)).apply(
        Tensor(np.array([2.0, 1.0]), requires_grad=True)
    )
    assert out.dtype == np.int64 and not out.requires_grad and out.grad_fn is None


def test_function_float_results_still_recorded() -> None:
    x = Tensor(np.array([2.0, 1.0]), requires_grad=True)
    out = _function_returning(lambda a: a * 2).apply(x)
    assert out.requires_grad
    out.sum().backward()
    assert np.asarray(x.grad).tolist() == [1.0, 1.0]
    v = Value(2.0)
    o = _function_returning(lambda a: np.float64(a) * 2).apply(v)
    o.backward()
    assert v.grad == 1.0 and type(o.data) is float
