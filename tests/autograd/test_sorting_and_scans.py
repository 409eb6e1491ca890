"""Reductions that pick or accumulate along dims: max/min with dim, amax/amin over several
dims, sort, topk, cumsum, cumprod, prod, logsumexp, norm — values against numpy and first and
second derivatives against finite differences, on hypothesis-drawn shapes and dims."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import shapes

EXAMPLES = settings(max_examples=12)


@st.composite
def distinct_tensor_and_dim(draw, min_dims=1, max_dims=3):
    """A float64 tensor with distinct entries >= 0.3 apart (no ties within a finite-difference
    step), and one of its dims."""
    shape = draw(shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=3))
    n = int(np.prod(shape))
    perm = np.array(draw(st.permutations(range(n))), dtype=np.float64)
    x = Tensor((perm * 0.3 - 0.1 * n).reshape(shape), requires_grad=True)
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return x, dim


def check_both(fn, x):
    assert gradcheck(fn, [x])
    assert gradgradcheck(fn, [x])


@EXAMPLES
@given(xd=distinct_tensor_and_dim(), keepdim=st.booleans(), largest=st.booleans())
def test_max_min_along_a_dim(xd, keepdim, largest):
    x, dim = xd
    name = "max" if largest else "min"
    values, indices = getattr(x, name)(dim, keepdim)
    pick = np.argmax if largest else np.argmin
    np.testing.assert_array_equal(indices.data, pick(x.data, axis=dim, keepdims=keepdim))
    np.testing.assert_array_equal(
        values.data, getattr(np, name)(x.data, axis=dim, keepdims=keepdim)
    )
    check_both(lambda x: getattr(x, name)(dim, keepdim).values ** 2, x)


@EXAMPLES
@given(xd=distinct_tensor_and_dim(), data=st.data(), keepdim=st.booleans())
def test_amax_amin_over_several_dims(xd, data, keepdim):
    x, _ = xd
    dims = tuple(data.draw(st.sets(st.integers(0, x.ndim - 1), min_size=1)))
    np.testing.assert_array_equal(x.amax(dims, keepdim).data, x.data.max(dims, keepdims=keepdim))
    check_both(lambda x: x.amin(dims, keepdim) ** 2, x)


@EXAMPLES
@given(xd=distinct_tensor_and_dim(), descending=st.booleans())
def test_sort_and_argsort(xd, descending):
    x, dim = xd
    values, indices = x.sort(dim, descending)
    ref = np.sort(x.data, axis=dim)
    if descending:
        ref = np.flip(ref, dim)
    np.testing.assert_array_equal(values.data, ref)
    np.testing.assert_array_equal(np.take_along_axis(x.data, indices.data, dim), ref)
    np.testing.assert_array_equal(x.argsort(dim, descending).data, indices.data)
    check_both(lambda x: x.sort(dim, descending).values ** 2, x)


@EXAMPLES
@given(xd=distinct_tensor_and_dim(), data=st.data(), largest=st.booleans())
def test_topk(xd, data, largest):
    x, dim = xd
    k = data.draw(st.integers(0, x.shape[dim]))
    values, _ = x.topk(k, dim, largest)
    full = x.sort(dim, descending=largest).values.data
    np.testing.assert_array_equal(values.data, np.take(full, np.arange(k), axis=dim))
    check_both(lambda x: x.topk(k, dim, largest).values ** 2, x)


@EXAMPLES
@given(xd=distinct_tensor_and_dim(), zero=st.booleans())
def test_cumsum_cumprod_prod(xd, zero):
    x, dim = xd
    x.data = np.abs(x.data) * 0.2 + 0.5  # products of moderate numbers
    if zero:
        x.data.reshape(-1)[0] = 0.0  # a zero in the products
    np.testing.assert_allclose(x.cumsum(dim).data, np.cumsum(x.data, axis=dim), rtol=1e-14)
    np.testing.assert_allclose(x.cumprod(dim).data, np.cumprod(x.data, axis=dim), rtol=1e-14)
    np.testing.assert_allclose(x.prod(dim).data, np.prod(x.data, axis=dim), rtol=1e-14)
    check_both(lambda x: x.cumsum(dim) ** 2, x)
    check_both(lambda x: x.cumprod(dim), x)
    check_both(lambda x: x.prod(dim), x)


@EXAMPLES
@given(xd=distinct_tensor_and_dim(), data=st.data(), keepdim=st.booleans())
def test_logsumexp_and_norms(xd, data, keepdim):
    x, _ = xd
    dims = tuple(data.draw(st.sets(st.integers(0, x.ndim - 1), min_size=1)))
    ref = np.log(np.exp(x.data).sum(axis=dims, keepdims=keepdim))
    np.testing.assert_allclose(x.logsumexp(dims, keepdim).data, ref, rtol=1e-13, atol=1e-15)
    check_both(lambda x: x.logsumexp(dims, keepdim), x)
    p = data.draw(st.sampled_from([1, 2, 3, "fro"]))
    q = 2 if p == "fro" else p
    ref = (np.abs(x.data) ** q).sum(axis=dims, keepdims=keepdim) ** (1 / q)
    np.testing.assert_allclose(x.norm(p, dims, keepdim).data, ref, rtol=1e-13, atol=1e-15)
    x.data = x.data + 0.05  # away from 0, where |x| has its kink
    check_both(lambda x: x.norm(p, dims, keepdim), x)


@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.integers(-4, 4), min_size=1, max_size=12),
    st.lists(st.integers(-4, 4), min_size=1, max_size=5),
    st.booleans(),
)
def test_isin_membership(elements, tests, invert):
    import autograd

    got = autograd.isin(Tensor(np.array(elements)), Tensor(np.array(tests)), invert=invert)
    want = [(e in tests) != invert for e in elements]
    assert got.dtype == np.bool_ and got.tolist() == want


def test_isin_numbers_and_errors():
    import pytest

    import autograd

    x = Tensor(np.array([[1, 2], [3, 1]]))
    assert autograd.isin(x, 1).tolist() == [[True, False], [False, True]]
    assert autograd.isin(3, x).tolist() is True
    with pytest.raises(TypeError, match="isin: elements and test_elements cannot both"):
        autograd.isin(1, 2)
