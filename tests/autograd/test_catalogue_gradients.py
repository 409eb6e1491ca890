"""Every differentiable op of tests/op_catalogue.py: first and second derivatives against
central finite differences in float64 (torch-free), on inputs drawn from the op's domain."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd.testing import gradcheck, gradgradcheck
from tests.op_catalogue import OPS, OpInfo

DIFFERENTIABLE = [o for o in OPS if o.grad]


def _inputs(o: OpInfo, seed: int) -> list:
    arrays = o.make(np.random.default_rng(seed), np.float64)
    return [autograd.tensor(a, requires_grad=True) for a in arrays]


@pytest.mark.parametrize("o", DIFFERENTIABLE, ids=[o.name for o in DIFFERENTIABLE])
@settings(max_examples=1)
@given(seed=st.integers(0, 2**32 - 1))
def test_first_and_second_derivatives(o: OpInfo, seed: int) -> None:
    xs = _inputs(o, seed)

    def fn(*ts):
        return o.fn(autograd, *ts)

    assert gradcheck(fn, xs)
    if o.gradgrad:
        assert gradgradcheck(fn, xs)


FLOAT32 = [o for o in OPS if "float32" in o.dtypes]


@pytest.mark.parametrize("o", FLOAT32, ids=[o.name for o in FLOAT32])
def test_float32_inputs_give_float32_results(o: OpInfo) -> None:
    xs = [autograd.tensor(a) for a in o.make(np.random.default_rng(0), np.float32)]
    out = o.fn(autograd, *xs)
    assert out.dtype in (np.float32, np.int64, np.bool_), out.dtype
