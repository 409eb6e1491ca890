"""Tensor.storage() and Tensor.untyped_storage(): the shared one-dimensional memory under a
tensor and its views (makemore part 2 and fast.ai's 01_matmul print ``a.storage()`` to show
what ``view`` and ``expand_as`` do), with torch's answers, checked against torch when it is
installed."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd


def storage(t: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return t.storage()


def test_storage_is_deprecated_with_a_warning_as_in_torch() -> None:
    with pytest.warns(UserWarning, match="TypedStorage is deprecated"):
        autograd.ones(2).storage()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        autograd.ones(2).untyped_storage()  # the supported spelling: no warning


def test_lecture_views_share_one_storage() -> None:
    a = autograd.arange(18)
    for v in (a.view(2, 9), a.view(9, 2), a.view(3, 3, 2), a.view(3, 6).T, a[4:10]):
        assert storage(v).tolist() == list(range(18))
        assert v.untyped_storage().data_ptr() == a.untyped_storage().data_ptr()
    c = autograd.tensor([10.0, 20, 30])
    t = c.expand_as(autograd.ones(3, 3))
    s = storage(t)  # 01_matmul: the expanded 3x3 holds only c's three numbers
    assert s.tolist() == [10.0, 20.0, 30.0] and t.stride() == (0, 1)
    assert str(s) == (
        " 10.0\n 20.0\n 30.0\n"
        "[autograd.storage.TypedStorage(dtype=autograd.float32, device=cpu) of size 3]"
    )
    assert s.dtype == autograd.float32 and s.device == autograd.device("cpu")
    assert (s.size(), len(s), s.element_size(), s.nbytes()) == (3, 3, 4, 12)
    assert s.type() == "torch.FloatStorage" and storage(a).type() == "torch.LongStorage"
    assert s.data_ptr() == c.data_ptr() and not s.is_shared() and not s.is_pinned()


def test_writes_through_a_storage_show_in_every_view() -> None:
    t = autograd.tensor([10.0, 20, 30])
    row = t.view(1, 3)
    s = storage(t)
    s[0] = 5
    s[-1] = autograd.tensor(7.0)
    assert t.tolist() == [5.0, 20.0, 7.0] and row.tolist() == [[5.0, 20.0, 7.0]]
    s[0:2] = 1
    assert t.tolist() == [1.0, 1.0, 7.0]
    assert s.fill_(2.5) is s and t.tolist() == [2.5] * 3
    t.add_(1)  # and in-place ops on the tensor show in the storage taken before
    assert s.tolist() == [3.5] * 3
    u = t.untyped_storage()
    u[0] = 0
    assert u.tolist()[:4] == np.array([t.tolist()[0]], np.float32).view(np.uint8).tolist()
    copy = s.clone()
    copy[0] = 100
    assert copy.data_ptr() != s.data_ptr() and t[0].item() != 100


def test_untyped_storage_is_bytes_and_slices_share() -> None:
    u = autograd.tensor([1.0]).untyped_storage()
    assert u.tolist() == [0, 0, 128, 63] and isinstance(u[0], int)
    assert (u.size(), u.nbytes(), u.element_size()) == (4, 4, 1)
    part = u[2:4]
    assert part.tolist() == [128, 63] and part.data_ptr() == u.data_ptr() + 2
    assert str(u).endswith("[autograd.storage.UntypedStorage(device=cpu) of size 4]")
    s = storage(autograd.tensor([1.0, 2.0]))
    assert s.untyped().size() == 8 and s.untyped().data_ptr() == s.data_ptr()
    assert u.untyped() is u


def test_storage_errors_as_torch() -> None:
    s = storage(autograd.tensor([10.0, 20, 30]))
    with pytest.raises(IndexError, match="index 5 out of range for storage of size 3"):
        s[5]
    with pytest.raises(IndexError, match="index -4 out of range for storage of size 3"):
        s[-4]
    with pytest.raises(RuntimeError, match="can't index"):
        s["a"]
    with pytest.raises(RuntimeError, match="slices are only supported in UntypedStorage"):
        s[0:2]
    with pytest.raises(RuntimeError, match="step"):
        autograd.ones(2).untyped_storage()[::2]


def test_small_and_empty_storages() -> None:
    assert str(storage(autograd.tensor(True))) == (
        " True\n[autograd.storage.TypedStorage(dtype=autograd.bool, device=cpu) of size 1]"
    )
    empty = storage(autograd.zeros(0))
    assert empty.size() == 0 and empty.tolist() == []
    assert storage(autograd.tensor(3.0)).tolist() == [3.0]


VIEWS: dict[str, Callable[[Any], Any]] = {
    "itself": lambda t: t,
    "row": lambda t: t[1],
    "slice": lambda t: t[:, 1:, ::2],
    "transpose": lambda t: t.transpose(0, 2),
    "expand": lambda t: t[:, :1].expand(2, 5, 4),
    "view": lambda t: t.view(6, 4)[2:],
    "contiguous": lambda t: t.transpose(0, 1).contiguous(),
    "clone": lambda t: t[0].clone(),
}


def _layout(lib: Any, t: Any) -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (
            t.storage().size(),
            t.untyped_storage().nbytes(),
            t.storage_offset(),
            t.storage().data_ptr() == t.data_ptr() - t.storage_offset() * t.element_size(),
        )


def test_storage_sizes_and_offsets_match_torch() -> None:
    x = autograd.arange(24.0).view(2, 3, 4)
    want = {  # torch's answers (asserted against torch below when it is there)
        "itself": (24, 96, 0, True),
        "row": (24, 96, 12, True),
        "slice": (24, 96, 4, True),
        "transpose": (24, 96, 0, True),
        "expand": (24, 96, 0, True),
        "view": (24, 96, 8, True),
        "contiguous": (24, 96, 0, True),
        "clone": (12, 48, 0, True),
    }
    for name, view in VIEWS.items():
        assert _layout(autograd, view(x)) == want[name], name
    torch = pytest.importorskip("torch")
    tx = torch.arange(24.0).view(2, 3, 4)
    for name, view in VIEWS.items():
        assert _layout(torch, view(tx)) == want[name], name


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    ops=st.lists(st.sampled_from(["T", "slice", "row", "flip_view", "expand"]), max_size=4),
)
def test_storage_offset_and_strides_rebuild_the_tensor(shape: list, ops: list) -> None:
    # the storage model: element idx of a view sits at storage[offset + sum(idx * stride)]
    base = autograd.arange(float(np.prod(shape))).view(*shape)
    t = base
    for op in ops:
        if op == "T" and t.dim() >= 2:
            t = t.transpose(0, -1)
        elif op == "slice" and t.shape[-1] > 1:
            t = t[..., 1::2]
        elif op == "row" and t.dim() >= 2:
            t = t[-1]
        elif op == "expand" and t.shape[0] == 1:
            t = t.expand(3, *t.shape[1:])
        elif op == "flip_view" and t.is_contiguous():
            t = t.view(-1)
    flat = storage(t).tolist()
    assert flat == storage(base).tolist()
    assert t.untyped_storage().data_ptr() == base.untyped_storage().data_ptr()
    values = t.numpy()
    for idx in np.ndindex(*values.shape):
        at = t.storage_offset() + sum(i * s for i, s in zip(idx, t.stride(), strict=True))
        assert flat[at] == values[idx]
