"""``autograd.polar(abs, angle)``: values, dtypes, broadcasting, errors naming the op, and
gradients against central finite differences in float64, including where ``abs`` is 0 or
negative (PyTorch leaves those undefined; ours are the derivatives). The comparison with
PyTorch is in the op catalogue (``polar``, ``polar_broadcast``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd as ag
from autograd.errors import DtypeError, ShapeError

from .reroute_programs import central_differences

FLOATS = st.floats(-3, 3, allow_nan=False, width=64)


def test_values_dtypes_and_broadcasting():
    r = ag.tensor([[1.0], [2.0]])
    t = ag.tensor([0.0, np.pi / 2, 1.0])
    z = ag.polar(r, t)
    assert z.dtype == ag.complex64 and tuple(z.shape) == (2, 3)
    expected = np.array([[1.0], [2.0]]) * np.exp(1j * np.array([0.0, np.pi / 2, 1.0]))
    np.testing.assert_allclose(z.numpy(), expected, rtol=1e-6, atol=1e-7)
    assert ag.polar(ag.tensor(2.0, dtype=ag.float64), ag.tensor(1.0, dtype=ag.float64)).dtype == (
        ag.complex128
    )


@pytest.mark.parametrize(
    ("r", "t", "error", "match"),
    [
        (ag.ones(2), ag.ones(2, dtype=ag.float64), DtypeError, "polar: .*same dtype"),
        (ag.ones(2, dtype=ag.long), ag.ones(2, dtype=ag.long), DtypeError, "polar: .*float"),
        (ag.ones(2), ag.ones(3), ShapeError, r"polar: shapes \(2,\) and \(3,\)"),
    ],
)
def test_bad_inputs_name_the_op(r, t, error, match):
    with pytest.raises(error, match=match):
        ag.polar(r, t)


@settings(max_examples=30, deadline=None)
@given(
    r=arrays(np.float64, (2, 3), elements=FLOATS),
    t=arrays(np.float64, (3,), elements=FLOATS),
    w=arrays(np.float64, (2, 3, 2), elements=FLOATS),
)
def test_gradients_are_the_finite_differences(r, t, w):
    """Any abs (0 and negative ones included) and a broadcast angle."""

    def loss(rr: np.ndarray, tt: np.ndarray) -> float:
        z = rr * np.exp(1j * tt)
        return float((np.stack([z.real, z.imag], -1) * w).sum())

    rt, tt = ag.tensor(r, requires_grad=True), ag.tensor(t, requires_grad=True)
    (ag.view_as_real(ag.polar(rt, tt)) * ag.tensor(w)).sum().backward()
    np.testing.assert_allclose(rt.grad.numpy(), central_differences(lambda v: loss(v, t), r),
                               rtol=1e-6, atol=1e-8)  # fmt: skip
    np.testing.assert_allclose(tt.grad.numpy(), central_differences(lambda v: loss(r, v), t),
                               rtol=1e-6, atol=1e-8)  # fmt: skip


def test_second_derivative_through_the_complex_result():
    """d/dangle of d|z|^2... through .real and .imag: |polar(r, t)|^2 = r^2, so the gradient
    of its angle-gradient vanishes and its abs-gradient is 2r."""
    r = ag.tensor([0.5, -1.5], dtype=ag.float64, requires_grad=True)
    t = ag.tensor([0.3, 2.0], dtype=ag.float64, requires_grad=True)
    z = ag.polar(r, t)
    norm2 = (z.real**2 + z.imag**2).sum()
    gr, gt = ag.autograd.grad(norm2, (r, t), create_graph=True)
    np.testing.assert_allclose(gr.detach().numpy(), 2 * r.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(gt.detach().numpy(), 0, atol=1e-12)
    (g2,) = ag.autograd.grad(gr.sum(), r)
    np.testing.assert_allclose(g2.numpy(), [2.0, 2.0], rtol=1e-12)
