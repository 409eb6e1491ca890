"""The exception types of common mistakes are PyTorch's (IndexError for a dim or index out of
range, RuntimeError for shapes that do not fit) and still ValueError where this library
raised that before, so ported code and existing code both catch them; the messages name the
op."""

from __future__ import annotations

import pytest

import autograd
import nn.functional as F
from autograd.errors import DimError, DtypeError, ShapeError
from tests.error_type_cases import DIM_OUT_OF_RANGE, DTYPE_REFUSED, GRAD_DTYPE, SHAPE_MISMATCH


@pytest.mark.parametrize("name", sorted(DIM_OUT_OF_RANGE))
def test_a_dim_or_index_out_of_range_is_an_index_error(name: str) -> None:
    with pytest.raises(IndexError) as err:
        DIM_OUT_OF_RANGE[name](autograd, F)
    if isinstance(err.value, DimError):
        assert isinstance(err.value, ValueError)
        assert "out of range" in str(err.value) or "out of bounds" in str(err.value)


@pytest.mark.parametrize("name", sorted(SHAPE_MISMATCH))
def test_shapes_that_do_not_fit_are_a_runtime_error_and_a_value_error(name: str) -> None:
    with pytest.raises(RuntimeError) as err:
        SHAPE_MISMATCH[name](autograd, F)
    assert isinstance(err.value, ShapeError) and isinstance(err.value, ValueError)


@pytest.mark.parametrize("name", sorted(GRAD_DTYPE))
def test_gradients_of_integer_tensors_are_a_runtime_error_and_a_type_error(name: str) -> None:
    with pytest.raises(RuntimeError, match="only floating-point Tensors can require grad"):
        GRAD_DTYPE[name](autograd, F)
    with pytest.raises(DtypeError):
        GRAD_DTYPE[name](autograd, F)


@pytest.mark.parametrize("name", sorted(DTYPE_REFUSED))
def test_a_dtype_the_op_does_not_take_is_a_runtime_error_and_the_python_type(name: str) -> None:
    with pytest.raises(RuntimeError) as err:
        DTYPE_REFUSED[name](autograd, F)
    assert isinstance(err.value, (TypeError, ValueError))  # what this library raised before


def test_the_messages_name_the_op_and_the_shapes() -> None:
    with pytest.raises(ShapeError, match=r"matmul: shapes \(2, 3\) and \(4, 5\)"):
        autograd.ones(2, 3) @ autograd.ones(4, 5)
    with pytest.raises(DimError, match=r"sum: dim 5 .* \[-2, 1\]"):
        autograd.ones(2, 3).sum(5)
    with pytest.raises(ShapeError, match=r"Add: shapes \(2, 3\) and \(4, 5\)"):
        autograd.ones(2, 3) + autograd.ones(4, 5)
