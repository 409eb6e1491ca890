"""torch's shape ops on hypothesis-drawn shapes and dims: values against numpy, gradients
(adjoints of the moves, with repeats adding) against finite differences."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import shapes, tensors

EXAMPLES = settings(max_examples=10)


@st.composite
def tensor_and_dims(draw, min_dims=1):
    x = draw(
        tensors(shape=shapes(min_dims=min_dims, max_dims=3, max_side=3), min_value=-3, max_value=3)
    )
    d0 = draw(st.integers(-x.ndim, x.ndim - 1))
    d1 = draw(st.integers(-x.ndim, x.ndim - 1))
    return x, d0, d1


def squared(f):
    return lambda t: f(t) ** 2  # a non-linear use, so second derivatives are not all zero


@EXAMPLES
@given(xd=tensor_and_dims())
def test_transpose_movedim_flip_roll(xd):
    x, a, b = xd
    cases = [
        (lambda t: t.transpose(a, b), np.swapaxes(x.data, a, b)),
        (lambda t: t.movedim(a, b), np.moveaxis(x.data, a, b)),
        (lambda t: t.flip(a), np.flip(x.data, a)),
        (lambda t: t.roll(2, a), np.roll(x.data, 2, a)),
        (lambda t: t.roll(-1), np.roll(x.data, -1)),
    ]
    for f, ref in cases:
        np.testing.assert_array_equal(f(x).data, ref)
        assert gradcheck(squared(f), [x])


@EXAMPLES
@given(xd=tensor_and_dims(), data=st.data())
def test_repeat_tile_repeat_interleave(xd, data):
    x, a, _ = xd
    reps = tuple(data.draw(st.lists(st.integers(1, 2), min_size=x.ndim, max_size=x.ndim + 1)))
    np.testing.assert_array_equal(x.repeat(*reps).data, np.tile(x.data, reps))
    np.testing.assert_array_equal(x.tile(reps[:1]).data, np.tile(x.data, reps[:1]))
    k = data.draw(st.integers(0, 3))
    np.testing.assert_array_equal(x.repeat_interleave(k, a).data, np.repeat(x.data, k, a))
    assert gradcheck(squared(lambda t: t.repeat(*reps)), [x])
    assert gradgradcheck(squared(lambda t: t.repeat_interleave(2, a)), [x])


@EXAMPLES
@given(xd=tensor_and_dims(), data=st.data())
def test_narrow_split_chunk_unbind(xd, data):
    x, a, _ = xd
    n = x.shape[a]
    start = data.draw(st.integers(0, n))
    length = data.draw(st.integers(0, n - start))
    np.testing.assert_array_equal(
        x.narrow(a, start, length).data, np.take(x.data, range(start, start + length), a)
    )
    size = data.draw(st.integers(1, 3))
    pieces = x.split(size, a)
    np.testing.assert_array_equal(autograd.cat(pieces, a).data, x.data)
    assert all(p.shape[a] <= size for p in pieces)
    chunks = x.chunk(size, a)
    assert len(chunks) <= size and autograd.cat(chunks, a).shape == x.shape
    assert gradcheck(lambda t: autograd.stack(t.unbind(a), a) ** 2, [x])
    assert gradgradcheck(lambda t: t.split(size, a)[0] ** 2, [x])


@EXAMPLES
@given(xd=tensor_and_dims(min_dims=2), data=st.data())
def test_gather_scatter_index_select_diagonal(xd, data):
    x, a, b = xd
    n = x.shape[a]
    idx_shape = tuple(data.draw(st.integers(1, s)) for s in x.shape)
    index = np.asarray(
        data.draw(
            st.lists(
                st.integers(0, n - 1),
                min_size=int(np.prod(idx_shape)),
                max_size=int(np.prod(idx_shape)),
            )
        )
    ).reshape(idx_shape)
    np.testing.assert_array_equal(
        x.gather(a, index).data,
        np.take_along_axis(
            x.data[
                tuple(
                    slice(0, s) if i != a % x.ndim else slice(None) for i, s in enumerate(idx_shape)
                )
            ],
            index,
            a,
        ),
    )
    assert gradgradcheck(lambda t: t.gather(a, index) ** 2, [x])
    src = autograd.tensor(np.ones(idx_shape), dtype=np.float64, requires_grad=True)
    assert gradcheck(lambda t, s: t.scatter_add(a, index, s) ** 2, [x, src])
    sel = index.reshape(-1)
    np.testing.assert_array_equal(x.index_select(a, sel).data, np.take(x.data, sel, a))
    assert gradcheck(lambda t: t.index_select(a, sel) ** 2, [x])
    if a % x.ndim != b % x.ndim:
        off = data.draw(st.integers(-2, 2))
        np.testing.assert_array_equal(x.diagonal(off, a, b).data, np.diagonal(x.data, off, a, b))
        assert gradcheck(lambda t: t.diagonal(off, a, b) ** 2, [x])


@EXAMPLES
@given(
    m=tensors(shape=shapes(min_dims=2, max_dims=3, max_side=4), min_value=-3, max_value=3),
    k=st.integers(-2, 2),
)
def test_triangles(m, k):
    np.testing.assert_array_equal(m.tril(k).data, np.tril(m.data, k))
    np.testing.assert_array_equal(m.triu(k).data, np.triu(m.data, k))
    assert gradcheck(lambda t: t.triu(k) ** 2 + t.tril(k), [m])


@EXAMPLES
@given(
    a=tensors(shape=(2, 3), min_value=-2, max_value=2),
    b=tensors(shape=(3, 4), min_value=-2, max_value=2),
    c=tensors(shape=(4,), min_value=-2, max_value=2),
)
def test_einsum_against_numpy_and_its_gradients(a, b, c):
    for eq, ops in (
        ("ij,jk->ik", [a, b]),
        ("ij,jk,k->i", [a, b, c]),
        ("ij->j", [a]),
        ("ij,k->ijk", [a, c]),
        ("...j,jk", [a, b]),
    ):
        np.testing.assert_allclose(
            autograd.einsum(eq, *ops).data,
            np.einsum(eq, *[o.data for o in ops]),
            rtol=1e-13,
            atol=1e-13,  # (sums that cancel to near 0: the two may add in different orders)
        )
        assert gradgradcheck(lambda *ts, eq=eq: autograd.einsum(eq, *ts) ** 2, ops)


@EXAMPLES
@given(xd=tensor_and_dims(), data=st.data())
def test_repeat_owns_its_memory_so_in_place_changes_leave_the_input(xd, data):
    """torch's repeat copies (``expand`` is the view): an in-place op on the result, as
    fast_neural_style's ``normalize_batch(style.repeat(...))`` does, writes only the result,
    and its gradient is the in-place op's through the tiling."""
    x, _, _ = xd
    reps = tuple(data.draw(st.lists(st.integers(1, 2), min_size=x.ndim, max_size=x.ndim + 1)))
    before = x.data.copy()
    with autograd.no_grad():
        r = x.repeat(*reps)
        r.div_(255.0)
    np.testing.assert_array_equal(x.data, before)
    np.testing.assert_allclose(r.data, np.tile(before, reps) / 255.0)
    assert gradcheck(squared(lambda t: t.repeat(*reps).mul_(3.0).exp_()), [x])


@EXAMPLES
@given(
    x=tensors(shape=shapes(min_dims=0, max_dims=3, max_side=3), min_value=-3, max_value=3),
    data=st.data(),
)
def test_repeat_second_derivatives_and_grad_fn(x, data):
    """The adjoint of the tiling (the copies added up) is itself differentiable; 0-d inputs
    and zero counts included."""
    reps = tuple(data.draw(st.lists(st.integers(0, 2), min_size=x.ndim, max_size=x.ndim + 2)))
    assert x.repeat(*reps).shape == np.tile(x.data, reps).shape
    assert gradgradcheck(squared(lambda t: t.repeat(*reps)), [x])
    assert type(x.repeat(*reps).grad_fn).__name__ == "RepeatBackward0"  # torch's name
