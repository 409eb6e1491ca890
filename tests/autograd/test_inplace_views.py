"""In-place changes through views write through to the base with PyTorch's history
(CopySlices): values, gradients (against central differences, first and second order),
version counters and the errors PyTorch raises."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd as ag
import nn.functional as F
from autograd import Tensor, no_grad
from autograd.ops.view_write import CopySlices, TakeView
from autograd.testing import gradcheck, gradgradcheck
from tests.autograd.view_programs import OPS, VIEWS, change_a_view, weighted


def leaf(values, requires_grad=True):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_a_change_through_a_slice_reaches_the_base_and_its_gradient():
    x = leaf([1.0, 2.0, 3.0, 4.0])
    y = x * 1
    v = y[1:3]
    v.add_(1)
    np.testing.assert_array_equal(y.data, [1.0, 3.0, 4.0, 4.0])
    assert y.grad_fn.fn is CopySlices and v.grad_fn.fn is TakeView
    (y * y).sum().backward()
    np.testing.assert_array_equal(x.grad.data, 2 * y.data)


def test_view_kinds_write_through():
    y = leaf(np.arange(4.0)) * 1
    y.view(2, 2).tril_()
    np.testing.assert_array_equal(y.data, [0.0, 0.0, 2.0, 3.0])
    m = leaf(np.arange(6.0).reshape(2, 3)) * 1
    m.t().zero_()
    assert not m.data.any()
    d = leaf(np.arange(9.0).reshape(3, 3)) * 1
    d.diagonal().fill_(-1)
    np.testing.assert_array_equal(np.diag(d.data), [-1.0, -1.0, -1.0])
    e = leaf(np.arange(4.0)) * 1
    e[2] *= 10  # a 0-d view
    e[ag.tensor(3)].add_(1)  # a 0-d index tensor takes a view too, as torch's
    np.testing.assert_array_equal(e.data, [0.0, 1.0, 20.0, 4.0])


def test_two_views_of_one_base_as_torch():
    x = leaf([1.0, 2.0, 3.0, 4.0])
    y = x * 1
    a, b = y[0], y[1]
    a.mul_(2)
    b.mul_(3)
    np.testing.assert_array_equal(y.data, [2.0, 6.0, 3.0, 4.0])
    np.testing.assert_array_equal([a.item(), b.item()], [2.0, 6.0])
    (y.sum() + 10 * a + 100 * b).backward()
    np.testing.assert_array_equal(x.grad.data, [2 + 20, 3 + 300, 1.0, 1.0])


def test_a_view_sees_a_change_of_its_base_and_follows_its_history():
    x = leaf([1.0, 2.0, 3.0, 4.0])
    y = x * 1
    v = y.view(2, 2)
    y.mul_(x)
    np.testing.assert_array_equal(v.data, [[1.0, 4.0], [9.0, 16.0]])
    v.sum().backward()
    np.testing.assert_array_equal(x.grad.data, 2 * x.data)


def test_a_buffer_outside_the_graph_takes_the_history_of_what_is_copied_in():
    w = leaf([2.0, 3.0])
    buf = ag.zeros(4, dtype=np.float64)
    other = buf[2:4]
    buf[0:2].copy_(w * w)
    assert buf.requires_grad and buf.grad_fn.fn is CopySlices
    assert other.requires_grad  # retaken from the new base, as torch's
    (buf * Tensor(np.array([1.0, 10.0, 100.0, 1000.0]))).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [4.0, 60.0])


def test_outside_the_graph_views_write_through_and_record_nothing():
    buf = ag.zeros(4, dtype=np.float64)
    v = buf[1:3]
    v += 1
    buf.view(2, 2)[1].mul_(5)
    np.testing.assert_array_equal(buf.data, [0.0, 1.0, 5.0, 0.0])
    assert not buf.requires_grad and not v.requires_grad


def test_a_view_of_a_leaf_that_requires_grad_is_refused_outside_no_grad():
    x = leaf([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="add_: a view of a leaf Tensor that requires grad"):
        x[1:3].add_(1)
    np.testing.assert_array_equal(x.data, [1.0, 2.0, 3.0])
    with no_grad():
        x[1:3].add_(1)  # an optimizer-style write
    np.testing.assert_array_equal(x.data, [1.0, 3.0, 4.0])


def test_an_expanded_view_refuses_writes():
    y = leaf([1.0, 2.0]) * 1
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        y.expand(3, 2).add_(1)
    with pytest.raises(RuntimeError, match="more than one element"):
        ag.zeros(2).expand(3, 2).fill_(1)


def test_a_view_taken_under_no_grad_is_refused_when_changed_with_grad():
    y = leaf([1.0, 2.0]) * 1
    with no_grad():
        v = y[0:1]
    with pytest.raises(RuntimeError, match="created in no_grad mode"):
        v.add_(1)


@pytest.mark.parametrize(
    "pieces",
    [
        lambda y: y.split(1),
        lambda y: y.chunk(2),
        lambda y: y.unbind(0),
        lambda y: tuple(iter(y)),
    ],
)
def test_views_from_multiple_view_functions_are_refused_as_torch(pieces):
    y = leaf(np.arange(4.0).reshape(2, 2)) * 1
    with pytest.raises(RuntimeError, match="returns multiple views"):
        pieces(y)[0].mul_(2)
    with pytest.raises(RuntimeError, match="returns multiple views"):
        pieces(y)[0][0:1].mul_(2)  # a view of one, too
    np.testing.assert_array_equal(y.data, [[0.0, 1.0], [2.0, 3.0]])
    buf = ag.zeros((2, 2), dtype=np.float64)
    with no_grad():
        pieces(buf)[0].add_(1)
    pieces(buf)[1].add_(2)  # nothing to record: a plain write
    np.testing.assert_array_equal(buf.data, [[1.0, 1.0], [2.0, 2.0]])
    y.tensor_split(2)[0].mul_(2)  # slices, as torch's tensor_split
    np.testing.assert_array_equal(y.data, [[0.0, 2.0], [2.0, 3.0]])


def test_saved_data_of_the_base_or_a_view_is_checked_at_backward():
    x = leaf([0.5, 1.0, 1.5])
    y = x.exp()  # saves its output
    y[0].mul_(2)
    with pytest.raises(RuntimeError, match="Exp's backward was modified by an in-place"):
        y.sum().backward()
    z = x * 1
    a, b = z[0], z[1]
    p = b * b  # saves b
    a.mul_(2)  # another view: the shared version counter goes up
    with pytest.raises(RuntimeError, match="Mul's backward was modified"):
        p.backward()
    q = x * 1
    r = q[1:3]
    r.mul_(r)  # Mul saves the view, then the change overwrites it, as in torch
    with pytest.raises(RuntimeError, match="Mul's backward was modified"):
        q.sum().backward()


def test_versions_are_shared_between_a_base_and_its_views_not_copies():
    t = ag.zeros(4)
    v = t[1:3]
    c = t[[0, 1]]  # integer-array indexing: a copy
    v.add_(1)
    t.mul_(2)
    assert t._version == v._version == 2
    assert c._version == 0
    np.testing.assert_array_equal(c.data, [0.0, 0.0])


def test_detach_shares_data_but_is_not_a_view():
    x = leaf([1.0, 2.0])
    y = x * 3
    d = y.detach()
    d.add_(1)
    np.testing.assert_array_equal(y.data, [4.0, 7.0])
    assert getattr(y.grad_fn, "fn", None) is not CopySlices and y._version == 1
    y.sum().backward()  # Mul(x, 3) saved nothing of y
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_a_view_used_before_its_change_keeps_the_old_value_for_that_use():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 1
    w = y[1]
    s = w.exp()  # saves its output, not w: the change below may overwrite w
    y[1].mul_(2)  # another view of w's region
    np.testing.assert_array_equal(w.data, 4.0)
    (s + y.sum() + 10 * w).backward()
    # s through w's old value (x1), y and w through the new one (2 * x1)
    np.testing.assert_allclose(x.grad.data, [1.0, np.exp(2.0) + 2.0 + 20.0, 1.0])


def test_a_disjoint_view_used_before_the_change_keeps_its_gradient():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 1
    a = y[0]
    s = a.exp()  # a's region is untouched by the change below
    y[1:3].mul_(2)
    (s + y.sum()).backward()
    np.testing.assert_allclose(x.grad.data, [1.0 + np.exp(1.0), 2.0, 2.0])


def test_reshape_of_a_non_contiguous_tensor_is_a_copy_as_torch():
    y = leaf(np.arange(6.0).reshape(2, 3)) * 1
    flat = y.t().reshape(6)  # needs a copy: not a view
    flat.zero_()
    np.testing.assert_array_equal(y.data, np.arange(6.0).reshape(2, 3))


def test_copies_and_pickles_of_a_view_are_plain_tensors():
    base = ag.zeros(4)
    v = base[1:3]
    for c in (copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        c.add_(1)
        np.testing.assert_array_equal(c.data, [1.0, 1.0])
    assert not base.data.any()
    pickle.loads(pickle.dumps(base)).add_(1)


def test_course_masked_softmax_pattern():
    # D2L's sequence_mask on a reshape view of the scores, then the view reshaped back
    x = leaf(np.linspace(-1, 1, 12).reshape(2, 2, 3))
    scores = x * 2
    flat = scores.reshape(-1, 3)
    mask = np.arange(3)[None, :] < np.array([1, 2, 3, 2])[:, None]
    flat[~mask] = -1e6
    out = F.softmax(flat.reshape(2, 2, 3), dim=-1)
    assert (scores.data.reshape(-1, 3)[~mask] == -1e6).all()  # written through
    (out * Tensor(np.arange(12.0).reshape(2, 2, 3))).sum().backward()
    assert np.isfinite(x.grad.data).all() and (x.grad.data.reshape(-1, 3)[~mask] == 0).all()


# --- gradients against central differences (float64), first and second order ---

_GRADCHECK_OPS = sorted(set(OPS) - {"clamp_", "masked_fill_"})  # kinks: not smooth


@settings(max_examples=40, deadline=None)
@given(
    x0=arrays(np.float64, (3, 4), elements=st.floats(-1.5, 1.5)),
    w_seed=st.integers(0, 2**16),
    view=st.sampled_from(sorted(VIEWS)),
    op=st.sampled_from(_GRADCHECK_OPS),
    base_grad=st.booleans(),
)
def test_gradients_through_copy_slices_match_finite_differences(x0, w_seed, view, op, base_grad):
    shape = tuple(VIEWS[view](Tensor(x0)).shape)
    w0 = np.random.default_rng(w_seed).uniform(0.5, 2.0, size=shape)
    # (a buffer outside the graph takes x's values under no_grad: x is a constant then)
    x = Tensor(x0, requires_grad=base_grad)
    w = Tensor(w0, requires_grad=True)

    def program(x, w):
        return weighted(ag, change_a_view(ag, x, w, view, op, base_grad))

    assert gradcheck(program, [x, w])
    assert gradgradcheck(program, [x, w])


def test_a_wrong_copy_slices_gradient_would_be_caught(monkeypatch):
    # the check above can fail: CopySlices passing the whole gradient to the old base
    x = leaf(np.linspace(-1, 1, 12).reshape(3, 4))
    w = leaf(np.full(4, 1.5))

    def program(x, w):
        return weighted(ag, change_a_view(ag, x, w, "int", "mul_tensor", True))

    def wrong(ctx, g):
        return g, None, g.reshape(-1)[ctx.positions]

    monkeypatch.setattr(CopySlices, "backward", staticmethod(wrong))
    assert not gradcheck(program, [x, w], raise_exception=False)


def test_copy_of_a_tensor_in_the_graph_takes_a_new_node_not_its_history():
    # h.copy_(w) once gave h w's very op (the engine then lost one of them)
    z = leaf([1.0, 2.0])
    x = leaf([3.0, 4.0])
    w = z * 2
    h = x * 1
    h.copy_(w)
    assert h.grad_fn is not None and h._ctx is not w._ctx
    (h.sum() + w.sum() * 10).backward()
    np.testing.assert_array_equal(z.grad.data, [22.0, 22.0])
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])  # overwritten: zero, as torch


def test_a_view_changed_in_shape_in_place_stays_a_view():
    y = leaf(np.arange(4.0)) * 1
    v = y[1:3]
    v.unsqueeze_(0)
    v.mul_(10)
    np.testing.assert_array_equal(y.data, [0.0, 10.0, 20.0, 3.0])
    assert v.shape == (1, 2) and y.grad_fn.fn is CopySlices


def test_a_change_beside_a_view_of_a_base_that_changed_shape_in_place_is_refused():
    y = ag.zeros((2, 3))
    v = y[0]
    y.t_()
    with pytest.raises(RuntimeError, match="changed shape in place"):
        v.copy_(leaf([1.0, 2.0, 3.0]))


def test_unsafe_split_pieces_are_plain_views():
    y = leaf(np.arange(4.0)) * 1
    y.unsafe_split(2)[1].mul_(2)
    np.testing.assert_array_equal(y.data, [0.0, 1.0, 4.0, 6.0])
    assert y.grad_fn.fn is CopySlices


def test_fill_and_copy_keep_a_tensor_in_the_graph_with_a_zero_gradient():
    x = leaf([1.0, 2.0, 3.0])
    h = x * 2
    h.fill_(5.0)
    assert h.requires_grad and h.grad_fn is not None  # as torch's FillBackward
    w = leaf([4.0])
    g = x * 1
    g.copy_(w * w)  # broadcast
    (h.sum() + g.sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(w.grad.data, [24.0])


def test_a_change_through_unfold_windows_reaches_the_base():
    x = ag.tensor(np.arange(6.0), requires_grad=True)
    y = x * 1
    y.unfold(0, 2, 2).mul_(2)  # windows that do not overlap: every entry doubled once
    np.testing.assert_array_equal(y.data, 2 * np.arange(6.0))
    (y * y).sum().backward()
    np.testing.assert_array_equal(x.grad.data, 8 * np.arange(6.0))
