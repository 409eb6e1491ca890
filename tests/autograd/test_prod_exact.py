"""prod and cumprod: first and second derivatives exact (against rational arithmetic) at any
magnitudes and with zeros, finite differences in float64, and PyTorch where it is accurate.

The derivatives of a product are sums of products of the other entries; a rule dividing by
the input (g * out / x) is exact to first order but its own derivative cancels two huge terms
when entries differ widely in size (1e-30 next to 1e3: an error 1e16 times the true second
derivative, PyTorch's too). The reference here multiplies the floats exactly as fractions.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product as cartesian

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

EXAMPLES = settings(max_examples=40, deadline=None)


def _prod(values) -> Fraction:
    p = Fraction(1)
    for a in values:
        p *= a
    return p


def exact_derivatives(
    op: str, x: np.ndarray, axis: int | None, v: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Exact first derivative <v, d op(x)> and second <w, d<v, d op(x)>> of ``op`` ('prod' or
    'cumprod') along ``axis`` (None: prod of all), rounded once to float64; and the same for
    |x|, |v|, |w| (the size of the terms, a scale for the rounding error of a sum)."""
    xs = x.reshape(1, -1) if axis is None else np.moveaxis(x, axis, -1)
    ws = w.reshape(1, -1) if axis is None else np.moveaxis(w, axis, -1)
    if op == "prod":
        vs = np.reshape(v, xs.shape[:-1] + (1,))
    else:
        vs = np.moveaxis(v, axis, -1)
    results = []
    for absolute in (False, True):
        f = (lambda a: Fraction(abs(float(a)))) if absolute else (lambda a: Fraction(float(a)))
        g1 = np.zeros(xs.shape)
        g2 = np.zeros(xs.shape)
        for lead in cartesian(*(range(s) for s in xs.shape[:-1])):
            row = [f(a) for a in xs[lead]]
            wr = [f(a) for a in ws[lead]]
            n = len(row)
            # outputs j: the products of the entries in sets[j], weighted by v
            sets = [range(n)] if op == "prod" else [range(j + 1) for j in range(n)]
            vr = [f(a) for a in np.atleast_1d(vs[lead])]
            d1 = [Fraction(0)] * n
            d2 = [Fraction(0)] * n
            for members, vj in zip(sets, vr):
                for i in members:
                    d1[i] += vj * _prod(row[k] for k in members if k != i)
                    for m in members:
                        if m != i:
                            d2[i] += wr[m] * vj * _prod(row[k] for k in members if k not in (i, m))
            g1[lead] = [float(a) for a in d1]
            g2[lead] = [float(a) for a in d2]
        if axis is None:
            results += [g1.reshape(x.shape), g2.reshape(x.shape)]
        else:
            results += [np.moveaxis(g1, -1, axis), np.moveaxis(g2, -1, axis)]
    return results[0], results[1], results[2], results[3]


def ours(
    op: str, x: np.ndarray, axis: int | None, v: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Our first derivative <v, d op(x)> and second <w, d(first)>."""
    t = Tensor(x.copy(), requires_grad=True)
    y = getattr(t, op)() if axis is None else getattr(t, op)(axis)
    (g,) = autograd.grad(y, t, grad_outputs=Tensor(np.asarray(v, dtype=x.dtype)), create_graph=True)
    if not g.requires_grad:  # a constant first derivative (a product of one entry)
        return np.asarray(g.data), np.zeros_like(x)
    (h,) = autograd.grad((g * Tensor(w)).sum(), t, allow_unused=True)
    return np.asarray(g.data), np.zeros_like(x) if h is None else np.asarray(h.data)


def assert_exact(got: np.ndarray, want: np.ndarray, scale: np.ndarray, what: str) -> None:
    # each entry is a sum of products: its rounding error is relative to the sum of the
    # terms' sizes (scale), a few ulps per factor
    err = np.abs(got - want)
    tol = 1e-13 * scale + 1e-300
    bad = ~(err <= tol)
    assert not bad.any(), (
        f"{what}: worst at {np.argwhere(bad)[0]}: got {got[bad][0]!r}, exact {want[bad][0]!r}"
    )


MAGNITUDES = (1e-30, 1e-8, 0.5, 1.0, 2.0, 90.0, 1e3, 1e8)


@st.composite
def products_case(draw, max_side: int = 5):
    """(op, x, axis, v, w): a float64 tensor whose entries mix tiny and huge magnitudes with
    random signs and 0, 1 or 2 zeros per tensor, axes of size 0 to ``max_side``; products stay
    within float64's range."""
    op = draw(st.sampled_from(["prod", "cumprod"]))
    ndim = draw(st.integers(1, 2))
    shape = tuple(draw(st.lists(st.integers(0, max_side), min_size=ndim, max_size=ndim)))
    size = int(np.prod(shape))
    mags = draw(st.lists(st.sampled_from(MAGNITUDES), min_size=size, max_size=size))
    jitter = draw(st.lists(st.floats(0.5, 2.0), min_size=size, max_size=size))
    signs = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=size, max_size=size))
    x = np.array([m * j * s for m, j, s in zip(mags, jitter, signs)]).reshape(shape)
    zeros = draw(st.integers(0, min(2, size)))
    if zeros:
        at = draw(st.lists(st.integers(0, size - 1), min_size=zeros, max_size=zeros, unique=True))
        x.reshape(-1)[at] = 0.0
    axis = (
        draw(st.sampled_from([None, *range(ndim)]))
        if op == "prod"
        else draw(st.integers(0, ndim - 1))
    )
    if op == "prod":
        out_shape = () if axis is None else tuple(s for i, s in enumerate(shape) if i != axis)
    else:
        out_shape = shape
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    v = rng.uniform(0.5, 1.5, out_shape) * rng.choice([-1.0, 1.0], out_shape)
    w = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    return op, x, axis, v, w


@EXAMPLES
@given(case=products_case())
def test_first_and_second_derivatives_are_exact_at_any_magnitude(case):
    op, x, axis, v, w = case
    d1, d2, s1, s2 = exact_derivatives(op, x, axis, v, w)
    g1, g2 = ours(op, x, axis, v, w)
    assert_exact(g1, d1, s1, f"{op} axis={axis} first derivative")
    assert_exact(g2, d2, s2, f"{op} axis={axis} second derivative")


@pytest.mark.parametrize("op", ["prod", "cumprod"])
def test_second_derivative_of_a_tiny_entry_next_to_large_ones(op):
    # the case the division rule gets wrong by ~1e16 (its two cancelling terms are ~1e31)
    x = np.array([3.0, 1e-30, 50.0, -2.0])
    v = np.array(1.0) if op == "prod" else np.ones(4)
    w = np.array([1.0, -1.0, 0.5, 2.0])
    d1, d2, s1, s2 = exact_derivatives(op, x, 0, v, w)
    g1, g2 = ours(op, x, 0, v, w)
    assert_exact(g1, d1, s1, "first derivative")
    assert_exact(g2, d2, s2, "second derivative")


@st.composite
def moderate_case(draw):
    """A float64 tensor of moderate entries (|x| in [0.5, 1.5]) with 0, 1 or 2 zeros, and an
    axis; sides 0 to 4."""
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=1, max_size=3)))
    size = int(np.prod(shape))
    vals = draw(st.lists(st.floats(0.5, 1.5), min_size=size, max_size=size))
    signs = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=size, max_size=size))
    x = (np.array(vals) * np.array(signs)).reshape(shape)
    zeros = draw(st.integers(0, min(2, size)))
    if zeros:
        at = draw(st.lists(st.integers(0, size - 1), min_size=zeros, max_size=zeros, unique=True))
        x.reshape(-1)[at] = 0.0
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    return Tensor(x, requires_grad=True), axis


@settings(max_examples=25, deadline=None)
@given(case=moderate_case(), keepdim=st.booleans())
def test_gradcheck_and_gradgradcheck_with_zeros(case, keepdim):
    x, axis = case
    for fn in (
        lambda t: t.prod(),
        lambda t: t.prod(axis, keepdim),
        lambda t: t.cumprod(axis),
    ):
        assert gradcheck(fn, [x])
        assert gradgradcheck(fn, [x])


def test_the_product_of_the_others_at_zeros():
    # one zero: only its own gradient is nonzero; two zeros: every gradient is 0
    x = Tensor(np.array([2.0, 0.0, 3.0, -1.0]), requires_grad=True)
    x.prod().backward()
    np.testing.assert_array_equal(np.asarray(x.grad.data), [0.0, -6.0, 0.0, 0.0])
    y = Tensor(np.array([[2.0, 0.0, 0.0], [0.0, 5.0, 4.0]]), requires_grad=True)
    y.prod(1).sum().backward()
    np.testing.assert_array_equal(np.asarray(y.grad.data), [[0.0, 0.0, 0.0], [20.0, 0.0, 0.0]])


def test_prod_and_cumprod_keep_the_dtype_and_integers():
    x = Tensor(np.array([[1.5, -2.0], [0.0, 4.0]], dtype=np.float32), requires_grad=True)
    assert x.prod(1).dtype == np.float32
    x.cumprod(0).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(x.grad.data), [[1.0, 5.0], [1.5, -2.0]])
    i = autograd.tensor(np.array([[2, 3], [4, 5]], dtype=np.int32))
    assert i.prod(0).dtype == np.int64
    np.testing.assert_array_equal(np.asarray(i.prod(0).data), [8, 15])


@settings(max_examples=25, deadline=None)
@given(case=moderate_case(), keepdim=st.booleans())
def test_against_torch(case, keepdim):
    # torch is exact to first order with zeros and accurate to second order at moderate
    # magnitudes; at extreme ones its second derivative is not (see the module docstring)
    torch = pytest.importorskip("torch")
    x, axis = case
    rng = np.random.default_rng(0)
    for name, fn in (
        ("prod", lambda L, t: L.prod(t)),
        ("prod dim", lambda L, t: L.prod(t, axis, keepdim)),
        ("cumprod", lambda L, t: L.cumprod(t, axis)),
    ):
        a = Tensor(x.data.copy(), requires_grad=True)
        b = torch.tensor(x.data.copy(), requires_grad=True)
        ya, yb = fn(autograd, a), fn(torch, b)
        np.testing.assert_allclose(np.asarray(ya.data), yb.detach().numpy(), rtol=1e-13)
        v = rng.standard_normal(yb.shape)
        (ga,) = autograd.grad(ya, a, grad_outputs=Tensor(v), create_graph=True)
        (gb,) = torch.autograd.grad(yb, b, grad_outputs=torch.tensor(v), create_graph=True)
        np.testing.assert_allclose(
            np.asarray(ga.data), gb.detach().numpy(), rtol=1e-12, atol=1e-14, err_msg=name
        )
        w = rng.standard_normal(x.shape)
        ha = hb = None  # a constant first derivative has a zero second
        if ga.requires_grad:
            (ha,) = autograd.grad((ga * Tensor(w)).sum(), a, allow_unused=True)
        if gb.requires_grad:
            (hb,) = torch.autograd.grad((gb * torch.tensor(w)).sum(), b, allow_unused=True)
        ha = np.zeros(x.shape) if ha is None else np.asarray(ha.data)
        hb = np.zeros(x.shape) if hb is None else hb.numpy()
        np.testing.assert_allclose(ha, hb, rtol=1e-10, atol=1e-12, err_msg=name)
