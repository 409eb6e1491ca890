"""Questions about a tensor and its memory (is_signed, get_device, stride, storage_offset,
nbytes ...), the complex views of a real tensor, resize_, retains_grad and the post-accumulate
gradient hooks, with torch's answers (checked against torch when it is installed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd


def test_dtype_and_device_questions() -> None:
    f = autograd.zeros(2, 3)
    assert not f.is_complex() and f.cfloat().is_complex()
    assert f.is_signed() and f.long().is_signed() and f.cdouble().is_signed()
    assert not f.byte().is_signed() and not f.bool().is_signed()
    assert f.is_cpu and f.get_device() == -1
    assert f.is_same_size(autograd.ones(2, 3)) and not f.is_same_size(autograd.ones(3, 2))
    assert f.is_same_size(np.ones((2, 3)))
    assert autograd.tensor([2]).is_nonzero() and not autograd.tensor(0.0).is_nonzero()
    with pytest.raises(RuntimeError, match="is_nonzero: .* more than one value"):
        f.is_nonzero()
    with pytest.raises(RuntimeError, match="is_nonzero: .* no values"):
        autograd.zeros(0).is_nonzero()


def test_memory_layout_matches_torch() -> None:
    x = autograd.zeros(2, 3, 4)
    cases = {
        "contiguous": lambda t: t,
        "transposed": lambda t: t.transpose(0, 2),
        "row": lambda t: t[1],
        "slice": lambda t: t[:, 1:, ::2],
        "expanded": lambda t: t[:, :1].expand(2, 5, 4),
    }
    expected = {  # torch's answers (asserted against torch below when it is there)
        "contiguous": ((12, 4, 1), 0),
        "transposed": ((1, 4, 12), 0),
        "row": ((4, 1), 12),
        "slice": ((12, 4, 2), 4),
        "expanded": ((12, 0, 1), 0),
    }
    for name, view in cases.items():
        v = view(x)
        assert (v.stride(), v.storage_offset()) == expected[name], name
        assert v.stride(-1) == expected[name][0][-1]
    assert x.nbytes == 96 and x.itemsize == 4 and x.double().nbytes == 192
    assert x[1].data_ptr() == x.data_ptr() + 12 * 4
    assert autograd.tensor(1.0).stride() == ()
    with pytest.raises(ValueError, match="stride"):  # (torch: IndexError; ours, as every dim check)
        x.stride(3)
    torch = pytest.importorskip("torch")
    tx = torch.zeros(2, 3, 4)
    for name, view in cases.items():
        tv = view(tx)
        assert (tv.stride(), tv.storage_offset()) == expected[name], name
    assert tx.nbytes == 96 and tx.itemsize == 4


def test_no_op_device_and_complex_methods_on_real_tensors() -> None:
    x = autograd.randn(3, requires_grad=True)
    for same in (
        x.real,
        x.conj(),
        x.resolve_conj(),
        x.resolve_neg(),
        x.share_memory_(),
        x.pin_memory(),
    ):
        assert same is x
    assert not (x.is_conj() or x.is_neg() or x.is_pinned() or x.is_shared())
    with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex"):
        _ = x.imag
    c = autograd.tensor(np.array([1 + 2j, 3 - 1j]))
    np.testing.assert_array_equal(c.real.data, [1, 3])
    np.testing.assert_array_equal(c.imag.data, [2, -1])
    np.testing.assert_array_equal(c.conj().data, [1 - 2j, 3 + 1j])


def test_resize_keeps_leading_elements_as_torch() -> None:
    z = autograd.arange(6.0)
    arr = z.data
    assert z.resize_(2, 2) is z
    np.testing.assert_array_equal(z.data, [[0, 1], [2, 3]])
    assert z._data.base is arr or z._data.base is arr.base  # a view of the same memory
    assert z._version == 1
    z.resize_((7,))
    np.testing.assert_array_equal(z.data[:4], [0, 1, 2, 3])
    assert tuple(z.shape) == (7,)
    z.resize_as_(autograd.zeros(3, 2))
    assert tuple(z.shape) == (3, 2)
    with pytest.raises(RuntimeError, match="resize_: cannot resize variables that require grad"):
        autograd.zeros(3, requires_grad=True).resize_(2)
    with (
        autograd.no_grad(),
        pytest.raises(RuntimeError, match="resize_: cannot resize variables that require grad"),
    ):
        autograd.zeros(3, requires_grad=True).resize_(2)
    with pytest.raises(RuntimeError, match="resize_: sizes must be non-negative"):
        z.resize_(-1)


def test_retains_grad_is_true_for_a_non_leaf_after_retain_grad() -> None:
    p = autograd.ones(3, requires_grad=True)
    h = p * 2
    assert not p.retains_grad and not h.retains_grad
    h.retain_grad()
    p.retain_grad()
    assert h.retains_grad and not p.retains_grad
    h.sum().backward()
    np.testing.assert_array_equal(h.grad.data, 1)


def test_post_accumulate_grad_hook_sees_the_accumulated_grad() -> None:
    p = autograd.ones(3, requires_grad=True)
    seen = []
    handle = p.register_post_accumulate_grad_hook(lambda t: seen.append((t, t.grad.tolist())))
    (p * 2).sum().backward()
    (p * 2).sum().backward()
    assert [s[0] is p for s in seen] == [True, True]
    assert [s[1] for s in seen] == [[2.0] * 3, [4.0] * 3]
    autograd.grad((p * 2).sum(), p)  # .grad is not written: no call
    handle.remove()
    (p * 2).sum().backward()
    assert len(seen) == 2


def test_post_accumulate_hook_can_step_the_parameter() -> None:
    p = autograd.ones(2, requires_grad=True)

    def step(t):
        t.sub_(0.5 * t.grad)
        t.grad = None

    p.register_post_accumulate_grad_hook(step)
    (p * p).sum().backward()
    np.testing.assert_allclose(p.data, [0.0, 0.0])
    assert p.grad is None


def test_post_accumulate_hook_errors_as_torch() -> None:
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        autograd.zeros(3).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="cannot be registered on non-leaf tensors"):
        (autograd.zeros(3, requires_grad=True) * 2).register_post_accumulate_grad_hook(print)
    with pytest.raises(TypeError, match="expected a callable"):
        autograd.zeros(3, requires_grad=True).register_post_accumulate_grad_hook(3)


def test_apply_and_map_run_python_functions_in_place() -> None:
    z = autograd.ones(3)
    arr = z.data
    assert z.apply_(lambda v: v * 3) is z
    assert z.data is arr and z._version == 1
    np.testing.assert_array_equal(z.data, [3, 3, 3])
    z.map_(autograd.tensor([1.0, 2.0, 3.0]), lambda a, b: a + b)
    np.testing.assert_array_equal(z.data, [4, 5, 6])
    with pytest.raises(RuntimeError, match="apply_.*requires grad"):
        autograd.ones(2, requires_grad=True).apply_(lambda v: v)
    torch = pytest.importorskip("torch")
    t = torch.ones(3)
    t.apply_(lambda v: v * 3).map_(torch.tensor([1.0, 2.0, 3.0]), lambda a, b: a + b)
    np.testing.assert_array_equal(z.data, t.numpy())


def test_broadcast_shapes_and_is_inference() -> None:
    assert autograd.broadcast_shapes((2, 1), (3,)) == (2, 3)
    assert isinstance(autograd.broadcast_shapes(4, (1,)), autograd.Size)
    with pytest.raises(RuntimeError, match="broadcast_shapes"):
        autograd.broadcast_shapes((2,), (3,))
    assert not autograd.ones(1).is_inference()


@given(shape=st.lists(st.integers(0, 3), min_size=1, max_size=4))
def test_a_tensor_without_elements_reports_contiguous_strides_of_sizes_at_least_one(shape):
    t = autograd.zeros(*shape)
    sizes = [max(n, 1) for n in shape]
    want = tuple(int(np.prod(sizes[i + 1 :])) for i in range(len(shape)))
    if t.numel() == 0:
        assert t.stride() == want
        assert t.stride(-1) == 1
