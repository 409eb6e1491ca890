"""In-place operations: PyTorch's rules (plain writes, leaf errors, recorded non-leaf changes)
and the version counters that catch overwritten saved data."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
import nn.functional as F
from autograd import Tensor, no_grad


def leaf(values, requires_grad=True):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_no_grad_update_changes_the_parameter_in_place():
    p = leaf([1.0, 2.0])
    (p * p).sum().backward()
    arr = p.data
    with no_grad():
        p -= 0.1 * p.grad
    assert p.data is arr  # the same array, written in place
    np.testing.assert_allclose(p.data, [0.8, 1.6])
    assert p.is_leaf and p.requires_grad


def test_data_update_with_a_tensor_gradient_stays_an_ndarray():
    p = leaf([1.0, 2.0])
    (p * p).sum().backward()
    p.data += -0.5 * p.grad
    assert type(p._data) is np.ndarray
    np.testing.assert_allclose(p.data, [0.0, 0.0])


def test_ndarray_plus_equals_tensor_writes_the_ndarray():
    a = np.ones(3)
    a += Tensor(np.arange(3.0))
    assert type(a) is np.ndarray
    np.testing.assert_allclose(a, [1.0, 2.0, 3.0])
    assert isinstance(np.arange(3.0) + Tensor(np.ones(3)), Tensor)


def test_assigning_a_tensor_to_data_stores_its_array():
    p = leaf([1.0, 2.0])
    p.data = p.data - Tensor(np.array([1.0, 1.0]))
    assert type(p._data) is np.ndarray
    np.testing.assert_allclose(p.data, [0.0, 1.0])


def test_leaf_that_requires_grad_refuses_in_place_outside_no_grad():
    p = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"\+=.*leaf Tensor that requires grad"):
        p += 1
    with pytest.raises(RuntimeError, match="mul_.*leaf"):
        p.mul_(2)
    with pytest.raises(RuntimeError, match="index assignment.*leaf"):
        p[0] = 5.0
    np.testing.assert_allclose(p.data, [1.0, 2.0])  # nothing was written


def test_methods_return_self_and_write_values():
    t = Tensor(np.array([1.0, -2.0, 3.0]))
    assert t.add_(1) is t
    np.testing.assert_allclose(t.data, [2.0, -1.0, 4.0])
    t.sub_(Tensor(np.ones(3)), alpha=2)
    np.testing.assert_allclose(t.data, [0.0, -3.0, 2.0])
    t.mul_(2).div_(4)
    np.testing.assert_allclose(t.data, [0.0, -1.5, 1.0])
    t.clamp_(-1, 0.5)
    np.testing.assert_allclose(t.data, [0.0, -1.0, 0.5])
    t.pow_(2)
    np.testing.assert_allclose(t.data, [0.0, 1.0, 0.25])
    t.fill_(7)
    np.testing.assert_allclose(t.data, [7.0, 7.0, 7.0])
    t.zero_()
    np.testing.assert_allclose(t.data, [0.0, 0.0, 0.0])
    t.copy_(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(t.data, [1.0, 2.0, 3.0])
    t[1] = -4.0
    np.testing.assert_allclose(t.data, [1.0, -4.0, 3.0])
    t[np.array([True, False, True])] *= 10
    np.testing.assert_allclose(t.data, [10.0, -4.0, 30.0])


def test_random_fills_follow_manual_seed_and_keep_the_shape():
    t = Tensor(np.zeros((200, 3)))
    ag.manual_seed(3)
    t.uniform_(-2, 2)
    first = t.data.copy()
    assert t.shape == (200, 3) and first.min() >= -2 and first.max() <= 2
    ag.manual_seed(3)
    t.uniform_(-2, 2)
    np.testing.assert_array_equal(t.data, first)
    t.normal_(5.0, 0.1)
    assert abs(t.data.mean() - 5.0) < 0.05


def test_in_place_cannot_change_shape_or_narrow_dtype():
    t = Tensor(np.zeros(3))
    with pytest.raises(RuntimeError, match=r"\+=.*shape \(2, 3\).*\(3,\)"):
        t += np.ones((2, 3))
    i = Tensor(np.array([1, 2, 3]))
    with pytest.raises(RuntimeError, match="Float can.t be cast to the desired output type Long"):
        i += 0.5
    i += 2
    np.testing.assert_array_equal(i.data, [3, 4, 5])
    assert i.dtype == np.int64


def test_recorded_non_leaf_changes_give_torchs_gradients():
    # d = softmax(z); d[range(n), y] -= 1; d /= n: the course pattern, checked against the
    # closed form (S - onehot) / n chained through a weighted sum
    rng = np.random.default_rng(0)
    z = leaf(rng.normal(size=(4, 3)))
    y = np.array([0, 2, 1, 2])
    w = rng.normal(size=(4, 3))
    d = F.softmax(z, 1)
    d[range(4), y] -= 1
    d /= 4
    (d * Tensor(w)).sum().backward()
    s = np.exp(z.data - z.data.max(1, keepdims=True))
    s /= s.sum(1, keepdims=True)
    # d = (S - Y)/4, so d(sum w*d)/dz = J_softmax^T (w/4) per row
    v = w / 4
    expected = s * (v - (s * v).sum(1, keepdims=True))
    np.testing.assert_allclose(z.grad.data, expected, rtol=1e-10, atol=1e-12)


def test_recorded_change_keeps_the_old_value_for_its_own_gradient():
    x = leaf([1.0, 2.0, 3.0])
    y = leaf([4.0, 5.0, 6.0])
    h = x * 2
    h *= y  # Mul needs the old h for y's gradient: it must not see the new values
    h.sum().backward()
    np.testing.assert_allclose(h.data, [8.0, 20.0, 36.0])
    np.testing.assert_allclose(y.grad.data, [2.0, 4.0, 6.0])
    np.testing.assert_allclose(x.grad.data, [8.0, 10.0, 12.0])


def test_change_after_an_unrelated_use_keeps_the_old_value_for_that_use():
    x = leaf([1.0, 2.0])
    h = x * 2
    s = h.sum()  # not behind the new value: found only when backward reaches it
    h *= 3
    t = h.sum()
    (s + 10 * t).backward()
    np.testing.assert_allclose(x.grad.data, [62.0, 62.0])  # d/dx (2x + 10 * 6x)
    assert s.item() == 6.0 and t.item() == 18.0


def test_uses_between_several_changes_each_see_their_own_value():
    x = leaf([1.0, 2.0])
    h = x * 1.0
    a = (h * 1.0).sum()  # h = x
    h += x
    b = h.sum()  # h = 2x
    h *= x
    c = (h * 1.0).sum()  # h = 2x^2
    h.sub_(x)  # h = 2x^2 - x
    (a + 10 * b + 100 * c + 1000 * h.sum()).backward(retain_graph=True)
    expected = 1 + 20 + 400 * np.array([1.0, 2.0]) + 1000 * (4 * np.array([1.0, 2.0]) - 1)
    np.testing.assert_allclose(x.grad.data, expected)
    x.grad = None
    for root in (a, b, c):  # the earlier roots alone: each through the value it used
        root.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.data, [1 + 2 + 4 * 1.0, 1 + 2 + 4 * 2.0])


def test_an_unrelated_use_that_saved_the_value_still_gets_it():
    x = leaf([1.0, 2.0])
    h = x * 2
    q = (h * h).sum()  # Mul saved h's data; the change gives h a new array
    h.add_(1)
    q.backward()
    np.testing.assert_allclose(x.grad.data, [8.0, 16.0])


def test_get_modify_set_of_an_item_is_exact():
    x = leaf([1.0, 2.0, 3.0])
    h = x * 1.0
    h[1] *= 5  # reads h[1] (a recorded use of h), then writes it back
    h.sum().backward()
    np.testing.assert_allclose(h.data, [1.0, 10.0, 3.0])
    np.testing.assert_allclose(x.grad.data, [1.0, 5.0, 1.0])


def test_setitem_with_a_value_that_requires_grad():
    w = leaf([2.0, 3.0])
    buf = Tensor(np.zeros(4))
    buf[1:3] = w * w
    assert buf.requires_grad and not buf.is_leaf
    (buf * Tensor(np.array([1.0, 10.0, 100.0, 1000.0]))).sum().backward()
    np.testing.assert_allclose(w.grad.data, [2 * 2.0 * 10, 2 * 3.0 * 100])


def test_overwriting_saved_data_under_no_grad_fails_at_backward():
    w = leaf([1.0, 2.0])
    x = Tensor(np.array([3.0, 4.0]))
    y = (w * x).sum()  # Mul saves x's data for w's gradient
    x += 1  # plain write (x does not require grad), version goes up
    with pytest.raises(RuntimeError, match="needed by Mul's backward was modified by an in-place"):
        y.backward()


def test_overwriting_a_saved_output_through_detach_is_caught():
    x = leaf([0.5, 1.0])
    y = x.exp()  # saves its output
    y.detach().zero_()  # detach shares the data and the version counter
    with pytest.raises(RuntimeError, match="Exp's backward was modified"):
        y.sum().backward()


def test_version_counter_counts_writes():
    t = Tensor(np.zeros(2))
    assert t._version == 0
    t += 1
    t.mul_(2)
    t[0] = 3
    assert t._version == 3


def test_gradients_accumulate_into_the_same_grad_tensor():
    p = leaf([1.0, 2.0])
    (p * 3).sum().backward()
    g = p.grad
    (p * 4).sum().backward()
    assert p.grad is g  # accumulated in place, as PyTorch
    np.testing.assert_allclose(g.data, [7.0, 7.0])
    p.grad.zero_()
    np.testing.assert_allclose(p.grad.data, [0.0, 0.0])
    assert not p.grad.requires_grad and p.grad.grad_fn is None


def test_grad_assignment_checks_shape():
    p = leaf([1.0, 2.0])
    p.grad = Tensor(np.array([1.0, 1.0]))
    with pytest.raises(RuntimeError, match=r"assigned grad has shape \(3,\).*\(2,\)"):
        p.grad = Tensor(np.ones(3))
    p.grad = None
    assert p.grad is None


def test_optimizer_style_methods_return_self_and_write_values():
    t = Tensor(np.array([1.0, 2.0, 3.0]))

    assert t.lerp_(Tensor(np.array([3.0, 2.0, 1.0])), 0.5) is t
    np.testing.assert_allclose(t.data, [2.0, 2.0, 2.0])
    assert t.addcmul_(Tensor(np.array([1.0, 2.0, 3.0])), np.array([2.0, 2.0, 2.0]), value=0.5) is t
    np.testing.assert_allclose(t.data, [3.0, 4.0, 5.0])
    assert t.addcdiv_(Tensor(np.array([1.0, 2.0, 3.0])), np.array([2.0, 4.0, 6.0]), value=-2) is t
    np.testing.assert_allclose(t.data, [2.0, 3.0, 4.0])
