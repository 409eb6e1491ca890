"""The 3-d and circular padding layers, the lazy instance norms and ``nn.Buffer`` against
torch: values, gradients (also against finite differences), reprs, shapes and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd.testing import gradcheck

torch = pytest.importorskip("torch")

PADS = [
    ("ZeroPad3d", (1,), (2, 2, 3, 3)),
    ("ZeroPad3d", ((1, 0, 2, 1, 0, 1),), (1, 2, 2, 3, 3)),
    ("ConstantPad3d", ((0, 1, 1, 0, 2, 1), 2.5), (2, 2, 3, 3)),
    ("ReflectionPad3d", (1,), (1, 2, 3, 3, 3)),
    ("ReflectionPad3d", ((2, 1, 0, 1, 1, 2),), (2, 3, 3, 4)),
    ("ReplicationPad3d", ((1, 0, 1, 0, 1, 0),), (1, 2, 2, 3, 3)),
    ("ReplicationPad3d", (2,), (2, 2, 2, 3)),
    ("CircularPad1d", (2,), (2, 3, 4)),
    ("CircularPad1d", ((1, 3),), (3, 4)),
    ("CircularPad2d", ((1, 0, 2, 1),), (1, 2, 3, 4)),
    ("CircularPad3d", (1,), (1, 1, 2, 3, 3)),
]


@pytest.mark.parametrize(("name", "args", "shape"), PADS)
def test_padding_layer_matches_torch(name: str, args: tuple, shape: tuple) -> None:
    x0 = np.random.default_rng(0).normal(size=shape)
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    x, tx = autograd.tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
    out, ref = ours(x), theirs(tx)
    np.testing.assert_array_equal(out.data, ref.detach().numpy())
    up = np.random.default_rng(1).normal(size=tuple(ref.shape))
    (out * autograd.tensor(up)).sum().backward()
    (ref * torch.tensor(up)).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize(("name", "args", "shape"), PADS)
@settings(max_examples=2, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_padding_layer_gradient_matches_finite_differences(
    name: str, args: tuple, shape: tuple, seed: int
) -> None:
    x = autograd.tensor(np.random.default_rng(seed).normal(size=shape), requires_grad=True)
    assert gradcheck(getattr(nn, name)(*args), [x])


@pytest.mark.parametrize(
    ("name", "shape"),
    [("ReflectionPad3d", (2, 3, 3)), ("CircularPad2d", (2, 3)), ("CircularPad3d", (2, 3, 3))],
)
def test_padding_layer_refuses_the_wrong_rank_as_torch(name: str, shape: tuple) -> None:
    with pytest.raises((RuntimeError, ValueError)):
        getattr(torch.nn, name)(1)(torch.zeros(shape))
    with pytest.raises(ValueError, match=name):
        getattr(nn, name)(1)(autograd.zeros(*shape))


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("LazyInstanceNorm1d", (2, 3, 5)),
        ("LazyInstanceNorm2d", (2, 3, 4, 4)),
        ("LazyInstanceNorm3d", (1, 3, 2, 3, 3)),
    ],
)
def test_lazy_instance_norm_becomes_instance_norm_as_torch(name: str, shape: tuple) -> None:
    ours, theirs = getattr(nn, name)(), getattr(torch.nn, name)()
    assert repr(ours) == repr(theirs)
    x0 = np.random.default_rng(2).normal(size=shape)
    out = ours(autograd.tensor(x0, dtype=autograd.float32))
    ref = theirs(torch.tensor(x0, dtype=torch.float32))
    assert type(ours).__name__ == type(theirs).__name__ == name.replace("Lazy", "")
    assert repr(ours) == repr(theirs)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-5, atol=1e-6)
    ours_state = {k: tuple(v.shape) for k, v in ours.state_dict().items()}
    assert ours_state == {k: tuple(v.shape) for k, v in theirs.state_dict().items()}
    np.testing.assert_allclose(
        ours.running_var.data, theirs.running_var.numpy(), rtol=1e-5, atol=1e-6
    )


def test_lazy_instance_norm_reads_the_channels_of_an_unbatched_input() -> None:
    # (torch reads dim 1 even of an unbatched input, then refuses it; ours reads the channels)
    with pytest.raises(ValueError):
        torch.nn.LazyInstanceNorm1d()(torch.zeros(3, 5))
    x0 = np.random.default_rng(4).normal(size=(3, 5))
    lazy = nn.LazyInstanceNorm1d()
    out = lazy(autograd.tensor(x0))
    assert lazy.num_features == 3 and tuple(lazy.weight.shape) == (3,)
    ref = torch.nn.InstanceNorm1d(3, affine=True, track_running_stats=True).double()
    np.testing.assert_allclose(out.data, ref(torch.tensor(x0)).detach().numpy(), rtol=1e-10)


def test_lazy_instance_norm_without_affine_or_stats() -> None:
    m = nn.LazyInstanceNorm2d(affine=False, track_running_stats=False)
    t = torch.nn.LazyInstanceNorm2d(affine=False, track_running_stats=False)
    x0 = np.random.default_rng(3).normal(size=(2, 3, 4, 4))
    m(autograd.tensor(x0))
    t(torch.tensor(x0))
    assert repr(m) == repr(t)
    assert list(m.state_dict()) == list(t.state_dict()) == []
    with pytest.raises(ValueError, match="LazyInstanceNorm2d: expected 3D or 4D input"):
        nn.LazyInstanceNorm2d()(autograd.zeros(2, 3))


def test_buffer_assigned_to_a_module_registers_itself_as_torch() -> None:
    def build(lib):
        class Net(lib.nn.Module if lib is torch else nn.Module):
            def __init__(self):
                super().__init__()
                bufs = lib.nn.Buffer if lib is torch else nn.Buffer
                self.mask = bufs(lib.ones(2, 3))
                self.scratch = bufs(lib.zeros(4), persistent=False)
                self.w = (lib.nn.Parameter if lib is torch else nn.Parameter)(lib.ones(2))

        return Net()

    ours, theirs = build(autograd), build(torch)
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert "scratch" not in ours.state_dict()
    assert type(ours.mask) is autograd.Tensor and isinstance(ours.mask, nn.Buffer)
    assert not isinstance(autograd.ones(1), nn.Buffer)
    ours.mask = autograd.zeros(2, 3)  # plain tensors keep the registered buffer
    assert "mask" in dict(ours.named_buffers())


def test_buffer_detaches_its_data_as_torch() -> None:
    p = autograd.ones(2, requires_grad=True)
    b = nn.Buffer(p * 2)
    assert b.is_leaf and b.requires_grad
    tb = torch.nn.Buffer(torch.ones(2, requires_grad=True) * 2)
    assert tb.is_leaf and tb.requires_grad
    assert tuple(nn.Buffer().shape) == tuple(torch.nn.Buffer().shape) == (0,)
