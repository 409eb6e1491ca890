"""Common mistakes raise, in our library, an exception of the type PyTorch raises for them
(IndexError, RuntimeError), so `except` clauses of ported code behave the same."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn.functional as F  # noqa: E402
from tests.error_type_cases import (  # noqa: E402
    DIM_OUT_OF_RANGE,
    DTYPE_REFUSED,
    GRAD_DTYPE,
    SHAPE_MISMATCH,
)

CASES = {
    **{f"dim_{k}": v for k, v in DIM_OUT_OF_RANGE.items()},
    **SHAPE_MISMATCH,
    **GRAD_DTYPE,
    **DTYPE_REFUSED,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_our_exception_is_an_instance_of_torchs_type(name: str) -> None:
    with pytest.raises(Exception) as theirs:
        CASES[name](torch, torch.nn.functional)
    with pytest.raises(type(theirs.value)):
        CASES[name](autograd, F)
