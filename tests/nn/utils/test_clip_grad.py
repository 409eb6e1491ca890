"""clip_grad_norm_ and clip_grad_value_ on Tensor and Value gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor, Value
from nn.utils import clip_grad_norm_, clip_grad_value_


def _with_grads(*grads: np.ndarray) -> list[Tensor]:
    out = []
    for g in grads:
        t = Tensor(np.zeros_like(g), requires_grad=True)
        t.grad = np.array(g)
        out.append(t)
    return out


def test_norm_is_total_over_all_params_and_scales_to_max_norm() -> None:
    a, b = _with_grads(np.array([3.0, 0.0]), np.array([[4.0]]))
    total = clip_grad_norm_([a, b], max_norm=1.0)
    assert total == pytest.approx(5.0)
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(a.grad, [3 * coef, 0.0])
    np.testing.assert_allclose(b.grad, [[4 * coef]])


def test_no_change_below_max_norm() -> None:
    (a,) = _with_grads(np.array([0.3, 0.4]))
    assert clip_grad_norm_(a, max_norm=1.0) == pytest.approx(0.5)
    np.testing.assert_allclose(a.grad, [0.3, 0.4])


@pytest.mark.parametrize("norm_type,want", [(1, 7.0), (math.inf, 4.0), (3, (27 + 64) ** (1 / 3))])
def test_other_norms(norm_type: float, want: float) -> None:
    a, b = _with_grads(np.array([3.0]), np.array([-4.0]))
    assert clip_grad_norm_([a, b], 100.0, norm_type=norm_type) == pytest.approx(want)


def test_values_skipped_none_and_float32() -> None:
    v = Value(1.0)
    v.grad = 6.0
    (t,) = _with_grads(np.array([8.0], dtype=np.float32))
    empty = Tensor(np.zeros(2), requires_grad=True)
    assert clip_grad_norm_([v, t, empty], 5.0) == pytest.approx(10.0)
    assert v.grad == pytest.approx(3.0, rel=1e-6)
    assert t.grad.dtype == np.float32 and t.grad[0] == pytest.approx(4.0, rel=1e-6)
    assert empty.grad is None


def test_nonfinite() -> None:
    (a,) = _with_grads(np.array([np.inf, 1.0]))
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm_(a, 1.0, error_if_nonfinite=True)
    assert math.isinf(clip_grad_norm_(a, 1.0))
    b, c = _with_grads(np.array([np.nan, 1.0]), np.array([2.0]))
    assert math.isnan(clip_grad_norm_([b, c], 1.0))
    assert np.isnan(b.grad).all() and np.isnan(c.grad).all()  # PyTorch's: nan spreads to all


def test_no_grads_gives_zero() -> None:
    assert clip_grad_norm_([Tensor(np.zeros(2), requires_grad=True)], 1.0) == 0.0


def test_clip_value() -> None:
    (a,) = _with_grads(np.array([-3.0, 0.5, 2.0]))
    grad_array = a.grad
    v = Value(0.0)
    v.grad = -7.0
    clip_grad_value_([a, v], 1.0)
    np.testing.assert_array_equal(a.grad, [-1.0, 0.5, 1.0])
    assert a.grad is grad_array
    assert v.grad == -1.0
    with pytest.raises(ValueError, match="clip_value"):
        clip_grad_value_(a, -1.0)


@pytest.mark.parametrize("dtype, real", [(np.complex64, np.float32), (np.complex128, np.float64)])
def test_complex_gradients_count_by_modulus(dtype, real) -> None:
    (a,) = _with_grads(np.array([3 + 4j, 1j], dtype=dtype))
    (b,) = _with_grads(np.array([2.0], dtype=real))
    total = clip_grad_norm_([a, b], 1.0)
    assert total.dtype == real  # a real norm, as PyTorch's
    assert float(total) == pytest.approx(math.sqrt(25 + 1 + 4), rel=1e-6)
    coef = 1.0 / (math.sqrt(30) + 1e-6)
    np.testing.assert_allclose(a.grad, np.array([3 + 4j, 1j]) * coef, rtol=1e-6)
    assert clip_grad_norm_(a, 10.0, norm_type=1) == pytest.approx((5 + 1) * coef, rel=1e-6)


def test_clip_value_refuses_complex_gradients_before_clipping_any() -> None:
    real, cplx = _with_grads(np.array([5.0]), np.array([2j]))
    with pytest.raises(NotImplementedError, match="complex"):
        clip_grad_value_([real, cplx], 1.0)
    assert real.grad[0] == 5.0  # nothing clipped


def test_complex_norm_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    g = np.array([[0.5 - 2j, 3 + 1j], [0, -1j]], dtype=np.complex64)
    (a,) = _with_grads(g)
    p = torch.nn.Parameter(torch.zeros(2, 2, dtype=torch.complex64))
    p.grad = torch.from_numpy(g.copy())
    for norm_type in (2.0, 1.0, math.inf):
        ours = clip_grad_norm_(a, 1.5, norm_type=norm_type)
        theirs = torch.nn.utils.clip_grad_norm_([p], 1.5, norm_type=norm_type)
        assert ours.dtype == np.float32 and float(ours) == pytest.approx(float(theirs), rel=1e-5)
        np.testing.assert_allclose(a.grad, p.grad.numpy(), rtol=1e-5)
