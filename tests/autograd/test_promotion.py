"""PyTorch's type promotion without torch: categories bool < integer < floating < complex; a
0-d tensor or a Python number only changes the result dtype when its category is higher than
that of the operands with dimensions (literal expectations from PyTorch's documentation)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

import autograd
from autograd import Tensor


def vec(dtype: Any) -> Tensor:
    return autograd.tensor([3, 2, 1], dtype=dtype)


def zero_d(dtype: Any) -> Tensor:
    return autograd.tensor(2, dtype=dtype)


A = autograd
# (first operand, second operand, result dtype of +)
RULES = [
    (vec(A.int32), zero_d(A.int64), A.int32),  # same category: the dimensioned one decides
    (zero_d(A.int64), vec(A.int32), A.int32),
    (vec(A.float16), zero_d(A.float32), A.float16),
    (vec(A.float32), zero_d(A.float64), A.float32),
    (vec(A.uint8), zero_d(A.int8), A.uint8),
    (vec(A.int8), 1000, A.int8),  # Python ints keep any integer dtype
    (vec(A.uint8), 3, A.uint8),
    (vec(A.int16), 3, A.int16),
    (vec(A.bool), 3, A.int64),  # a higher category: the number's own dtype
    (vec(A.bool), True, A.bool),
    (vec(A.bool), zero_d(A.int16), A.int16),
    (vec(A.int32), zero_d(A.float64), A.float64),  # a 0-d of a higher category keeps its width
    (vec(A.int64), zero_d(A.float16), A.float16),
    (vec(A.int32), 1.5, A.float32),  # a Python float: the default dtype
    (vec(A.float16), 1.5, A.float16),
    (vec(A.int32), 2j, A.complex64),
    (vec(A.float32), zero_d(A.complex128), A.complex64),  # complex, at the vector's precision
    (vec(A.float64), zero_d(A.complex64), A.complex128),
    (vec(A.int32), vec(A.float32), A.float32),  # integers with floats: the float dtype
    (vec(A.int64), vec(A.float16), A.float16),
    (vec(A.int64), vec(A.complex64), A.complex64),
    (vec(A.int8), vec(A.uint8), A.int16),
    (zero_d(A.int32), 1.5, A.float32),  # all 0-d: the 0-d tensors count as dimensioned ones
    (zero_d(A.float16), 1.5, A.float16),
    (zero_d(A.int8), zero_d(A.int64), A.int64),
]


@pytest.mark.parametrize("a, b, expected", RULES)
def test_result_type_follows_torchs_categories(a: Any, b: Any, expected: Any) -> None:
    assert autograd.result_type(a, b) == expected
    assert (a + b).dtype == expected
    assert (b + a).dtype == expected
    assert (a * b).dtype == expected
    assert autograd.where(autograd.tensor([True, False, True]), a, b).dtype == expected


@pytest.mark.parametrize("a, b, expected", RULES)
def test_true_division_gives_the_default_float_for_integer_results(
    a: Any, b: Any, expected: Any
) -> None:
    want = expected if np.dtype(expected).kind in "fc" else autograd.get_default_dtype()
    assert (a / b).dtype == want
    assert autograd.div(a, b).dtype == want


DTYPES = [A.bool, A.uint8, A.int8, A.int16, A.int32, A.int64, A.float16, A.float32, A.float64]
NUMBERS = [True, 3, 1.5]


def operands() -> list[Any]:
    return [vec(d) for d in DTYPES] + [zero_d(d) for d in DTYPES] + NUMBERS


BINARY = {
    "+": lambda a, b: a + b,
    "*": lambda a, b: a * b,
    "%": lambda a, b: a % b,
    "**": lambda a, b: a**b,
    "max": lambda a, b: autograd.maximum(a, b),
}


@pytest.mark.parametrize("op", list(BINARY))
def test_every_op_gives_result_type(op: str) -> None:
    wrong = []
    for a, b in itertools.product(operands(), repeat=2):
        if not isinstance(a, Tensor) and not isinstance(b, Tensor):
            continue
        if op == "max" and not (isinstance(a, Tensor) and isinstance(b, Tensor)):
            continue
        if op == "%" and autograd.result_type(a, b) == A.bool:
            continue  # (torch has no bool remainder)
        f = BINARY[op]
        if f(a, b).dtype != autograd.result_type(a, b):
            wrong.append((a, b, f(a, b).dtype))
    assert not wrong, wrong[:5]


def test_comparisons_compute_in_the_promoted_dtype() -> None:
    # torch compares float32 data with a float64 0-d tensor in float32
    x = autograd.tensor([0.1, 0.2], dtype=A.float32)
    assert (x == autograd.tensor(0.1, dtype=A.float64)).tolist() == [True, False]
    assert (x == 0.1).tolist() == [True, False]
    assert (vec(A.int32) & zero_d(A.int64)).dtype == A.int32


def test_in_place_ops_keep_the_dtype_or_raise() -> None:
    i = vec(A.int32)
    i += zero_d(A.int64)
    i *= vec(A.int64)
    assert i.dtype == A.int32 and i.tolist() == [15, 8, 3]
    u = vec(A.uint8)
    u += vec(A.int16)
    assert u.dtype == A.uint8
    h = vec(A.float16)
    h += vec(A.float64)
    assert h.dtype == A.float16
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output"):
        i += 0.5
    with pytest.raises(RuntimeError, match="result type Long can't be cast to .* type Bool"):
        b = vec(A.bool)
        b += 1
    with pytest.raises(RuntimeError, match="result type ComplexDouble can.t be cast .* Double"):
        d = vec(A.float64)
        d *= 1j


def test_promote_types_and_can_cast() -> None:
    assert autograd.promote_types(A.int64, A.float16) == A.float16
    assert autograd.promote_types(A.uint8, A.int8) == A.int16
    assert autograd.promote_types(A.float64, A.complex64) == A.complex128
    assert autograd.can_cast(A.float64, A.float16)
    assert autograd.can_cast(A.bool, A.uint8)
    assert not autograd.can_cast(A.float32, A.int64)
    assert not autograd.can_cast(A.int8, A.bool)
    assert not autograd.can_cast(A.complex64, A.float64)


def test_a_mixed_dtype_product_sends_each_gradient_in_its_own_dtype() -> None:
    x = autograd.tensor([0.5, -1.5], dtype=A.float32, requires_grad=True)
    w = autograd.tensor(0.25, dtype=A.float64, requires_grad=True)
    y = x * w
    assert y.dtype == A.float32
    y.sum().backward()
    assert x.grad.dtype == A.float32 and x.grad.tolist() == [0.25, 0.25]
    assert w.grad.dtype == A.float64 and w.grad.item() == pytest.approx(-1.0)


def test_out_takes_results_of_its_category_or_lower_as_torch():
    out = autograd.zeros(3, dtype=A.uint8)
    autograd.add(vec(A.uint8), vec(A.int16), out=out)
    assert out.dtype == A.uint8 and out.tolist() == [6, 4, 2]
    with pytest.raises(RuntimeError, match="add: result type Float can't be cast .* Long"):
        autograd.add(vec(A.int64), 0.5, out=autograd.zeros(3, dtype=A.int64))
