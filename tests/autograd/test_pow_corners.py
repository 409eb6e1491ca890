"""Corner cases of ** (autograd/ops/arithmetic.py Pow): a number base with a Tensor exponent,
0 ** 0, 0 ** negative, negative bases with integer exponents, nan and inf, the gradient
with respect to base and exponent (PyTorch's conventions, written out here) and second
order through the masks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value
from autograd.testing import gradcheck, gradgradcheck

INF, NAN = math.inf, math.nan


def _g(t: Tensor) -> list:
    return np.asarray(t.grad).tolist()


def _same(got: list, want: list) -> bool:
    return all((math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(got, want))


@pytest.mark.parametrize("base", [0.0, 2.0, -2.0, 0.5])
def test_number_base_tensor_exponent_backward(base: float) -> None:
    e = Tensor(np.array([0.0, 1.0, 2.0, -1.0, 3.0]), requires_grad=True)
    y = base**e
    y.sum().backward()
    want_y = [base**v if not (base == 0 and v < 0) else INF for v in e.data]
    assert _same(y.data.tolist(), want_y)
    # d/de base**e = base**e * log(base); 0 where base == 0 and e >= 0 (PyTorch)
    if base == 0:
        want = [0.0, 0.0, 0.0, -INF, 0.0]
    elif base < 0:
        want = [NAN] * 5
    else:
        want = [base**v * math.log(base) for v in e.data]
    got = _g(e)
    assert all(
        (math.isnan(w) and math.isnan(g)) or g == pytest.approx(w, rel=1e-14)
        for g, w in zip(got, want)
    )


def test_zero_base_array_and_number_exponents() -> None:
    a = Tensor(np.array([0.0, 0.0, 0.0, 0.0]), requires_grad=True)
    b = Tensor(np.array([0.0, 1.0, 2.0, -1.0]), requires_grad=True)
    y = a**b
    assert _same(y.data.tolist(), [1.0, 0.0, 0.0, INF])
    y.sum().backward()
    # d/da b * a**(b-1): 0 at b = 0, 1 at b = 1, 0 at b = 2, -inf at b = -1 (b * 0**-2)
    assert _same(_g(a), [0.0, 1.0, 0.0, -INF])
    # d/db a**b log a: 0 where a == 0 and b >= 0; inf * -inf = -inf at b = -1
    assert _same(_g(b), [0.0, 0.0, 0.0, -INF])


@pytest.mark.parametrize("base", [NAN, INF, -INF, 0.0, -0.0, 3.0])
def test_gradient_wrt_base_is_zero_for_exponent_zero(base: float) -> None:
    # a**0 == 1 for every a (nan and inf included), so d/da is 0 there (PyTorch)
    v = Value(base)
    out = v**0.0
    out.backward()
    assert out.data == 1.0 and v.grad == 0.0
    v2, e2 = Value(base), Value(0.0)
    (v2**e2).backward()
    assert v2.grad == 0.0
    t = Tensor(np.array([base, 2.0]), requires_grad=True)
    (t ** Tensor(np.array([0.0, 0.0]))).sum().backward()
    assert _g(t) == [0.0, 0.0]
    t = Tensor(np.array([base, 2.0]), requires_grad=True)
    (t**0).sum().backward()
    assert _g(t) == [0.0, 0.0]


def test_negative_base_integer_exponent() -> None:
    a = Tensor(np.array([-2.0, -3.0, -0.5]), requires_grad=True)
    b = Tensor(np.array([3.0, 2.0, -1.0]), requires_grad=True)
    y = a**b
    assert y.data.tolist() == [-8.0, 9.0, -2.0]
    y.sum().backward()
    assert _g(a) == [12.0, -6.0, -4.0]  # b * a**(b-1)
    assert all(math.isnan(g) for g in _g(b))  # log of a negative base
    assert gradcheck(lambda x: x**3, [Tensor(np.array([-2.0, -0.7]), requires_grad=True)])


def test_second_order_through_the_exponent_zero_mask() -> None:
    # d2/da2 a**b at b = 0 is 0 (mask), elsewhere b (b-1) a**(b-2). At a = b = 0 the
    # masked-out branch carries 0 * inf = nan, as in PyTorch (same graph of where and pow)
    a = Tensor(np.array([0.0, 2.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([0.0, 0.0, 3.0]))
    (g,) = autograd.grad((a**b).sum(), [a], create_graph=True)
    assert np.asarray(g.data).tolist() == [0.0, 0.0, 12.0]
    (gg,) = autograd.grad(g.sum(), [a])
    got = np.asarray(gg.data if hasattr(gg, "data") else gg).tolist()
    assert math.isnan(got[0]) and got[1:] == [0.0, 12.0]
    assert gradgradcheck(
        lambda x, y: x**y,
        [
            Tensor(np.array([0.7, 1.3, 2.0]), requires_grad=True),
            Tensor(np.array([0.5, -1.5, 2.0]), requires_grad=True),
        ],
    )


def test_number_base_tensor_exponent_second_order() -> None:
    e = Tensor(np.array([0.0, 1.0, 2.5]), requires_grad=True)
    (g,) = autograd.grad((0.0**e).sum(), [e], create_graph=True)
    assert np.asarray(g.data if hasattr(g, "data") else g).tolist() == [0.0, 0.0, 0.0]
    assert gradgradcheck(lambda x: 2.0**x, [Tensor(np.array([0.0, -1.0, 1.5]), requires_grad=True)])


def test_second_derivative_of_power_zero_is_zero_everywhere() -> None:
    # x ** 0 == 1: every derivative is 0, also at x = 0 (PyTorch), not 0 * inf = nan
    x = Tensor(np.array([0.0, 2.0, -1.0]), requires_grad=True)
    (g,) = autograd.grad((x**0.0).sum(), [x], create_graph=True)
    assert np.asarray(g.data if hasattr(g, "data") else g).tolist() == [0.0, 0.0, 0.0]
    if getattr(g, "requires_grad", False):
        (gg,) = autograd.grad(g.sum(), [x], allow_unused=True)
        assert gg is None or np.asarray(gg.data).tolist() == [0.0, 0.0, 0.0]


def test_exponent_gradient_of_a_float32_base_in_a_float64_power_is_float64_exact() -> None:
    """d/db a**b = a**b log(a): log of a float32 base is taken in the result's float64 (it
    was float32, a relative error ~3e-8 in a float64 gradient), first and second order."""
    a32 = np.array([1.7, 2.3, 0.4, 3.1], dtype=np.float32)
    b = np.array([1.5, -0.7, 2.2, 0.3])
    a = Tensor(a32, requires_grad=True)
    e = Tensor(b, requires_grad=True)
    (gb,) = autograd.grad((a**e).sum(), [e], create_graph=True)
    a64 = a32.astype(np.float64)
    assert gb.dtype == np.float64
    np.testing.assert_allclose(gb.data, a64**b * np.log(a64), rtol=1e-15)
    (gbb,) = autograd.grad(gb.sum(), [e])
    np.testing.assert_allclose(gbb.data, a64**b * np.log(a64) ** 2, rtol=1e-15)


def test_base_gradient_at_exponent_zero_is_zero_where_one_over_the_base_overflows() -> None:
    """b == 0 and a so small (a float32 denormal) that a**(b - 1) = 1/a overflows: d/da is 0,
    not 0 * inf = nan (torch's 0), as where a == 0."""
    a = Tensor(np.array([1e-45, 2e-39, 0.5], dtype=np.float32), requires_grad=True)
    b = Tensor(np.array([0.0, 0.0, 1.5], dtype=np.float32), requires_grad=True)
    ga, gb = autograd.grad((a**b).sum(), [a, b])
    assert ga.data[:2].tolist() == [0.0, 0.0]
    np.testing.assert_allclose(ga.data[2], 1.5 * 0.5**0.5, rtol=1e-6)
    assert np.all(np.isfinite(gb.data))
