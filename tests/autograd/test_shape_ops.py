"""Shape ops: reshape, transpose (PyTorch's: swaps two dims), permute, swapaxes, squeeze,
unsqueeze, flatten, expand/broadcast_to, concatenate, stack, T — values against numpy, derivatives
against finite differences."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import shapes, tensors

X = np.arange(24.0).reshape(2, 3, 4) / 5 - 2

# name: (our op, numpy reference) on a (2, 3, 4) input
OPS = {
    "reshape_varargs": (lambda x: x.reshape(4, 6), lambda a: a.reshape(4, 6)),
    "reshape_tuple": (lambda x: x.reshape((6, -1)), lambda a: a.reshape(6, -1)),
    "reshape_list": (lambda x: x.reshape([24]), lambda a: a.reshape(24)),
    "view": (lambda x: x.view(2, 12), lambda a: a.reshape(2, 12)),
    "transpose_swaps": (lambda x: x.transpose(0, 2), lambda a: a.swapaxes(0, 2)),
    "transpose_negative": (lambda x: x.transpose(-1, 1), lambda a: a.swapaxes(-1, 1)),
    "permute_tuple": (lambda x: x.permute((2, 0, 1)), lambda a: a.transpose(2, 0, 1)),
    "permute_negative": (lambda x: x.permute(-1, 0, 1), lambda a: a.transpose(2, 0, 1)),
    "T": (lambda x: x.T, lambda a: a.T),
    "permute": (lambda x: x.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1)),
    "swapaxes": (lambda x: x.swapaxes(0, 2), lambda a: a.swapaxes(0, 2)),
    "swapaxes_negative": (lambda x: x.swapaxes(-1, 1), lambda a: a.swapaxes(-1, 1)),
    "unsqueeze_front": (lambda x: x.unsqueeze(0), lambda a: a[None]),
    "unsqueeze_end": (lambda x: x.unsqueeze(3), lambda a: a[..., None]),
    "unsqueeze_negative": (lambda x: x.unsqueeze(-1), lambda a: a[..., None]),
    "unsqueeze_negative_middle": (lambda x: x.unsqueeze(-2), lambda a: a[:, :, None]),
    "flatten": (lambda x: x.flatten(), lambda a: a.reshape(-1)),
    "flatten_from_1": (lambda x: x.flatten(1), lambda a: a.reshape(2, 12)),
    "flatten_0_to_1": (lambda x: x.flatten(0, 1), lambda a: a.reshape(6, 4)),
    "flatten_negative": (lambda x: x.flatten(-2, -1), lambda a: a.reshape(2, 12)),
    "expand": (lambda x: x[:, :1].expand(2, 5, 4), lambda a: np.broadcast_to(a[:, :1], (2, 5, 4))),
    "expand_keep": (lambda x: x.expand(3, -1, -1, -1), lambda a: np.broadcast_to(a, (3, 2, 3, 4))),
    "broadcast_to": (
        lambda x: x.broadcast_to((2, 2, 3, 4)),
        lambda a: np.broadcast_to(a, (2, 2, 3, 4)),
    ),
    "broadcast_to_varargs": (
        lambda x: x[:1].broadcast_to(3, 3, 4),
        lambda a: np.broadcast_to(a[:1], (3, 3, 4)),
    ),
    "concatenate": (
        lambda x: ag.concatenate([x, x[:, :1] * 2], axis=1),
        lambda a: np.concatenate([a, a[:, :1] * 2], axis=1),
    ),
    "concatenate_negative_axis": (
        lambda x: ag.concatenate([x[..., :1], x], axis=-1),
        lambda a: np.concatenate([a[..., :1], a], axis=-1),
    ),
    "cat_dim": (lambda x: ag.cat([x, x], dim=0), lambda a: np.concatenate([a, a], axis=0)),
    "stack": (lambda x: ag.stack([x[0], x[1] * 3]), lambda a: np.stack([a[0], a[1] * 3])),
    "stack_last": (lambda x: ag.stack([x, x], axis=-1), lambda a: np.stack([a, a], axis=-1)),
    "stack_dim": (lambda x: ag.stack([x[0], x[1]], dim=1), lambda a: np.stack([a[0], a[1]], 1)),
}


@pytest.mark.parametrize("name", OPS)
def test_values_match_numpy(name):
    op, reference = OPS[name]
    np.testing.assert_array_equal(op(Tensor(X)).data, reference(X))


@pytest.mark.parametrize("name", OPS)
def test_gradient_is_the_adjoint_of_the_move(name):
    op, reference = OPS[name]
    x = Tensor(X, requires_grad=True)
    w = np.random.default_rng(0).normal(size=reference(X).shape)
    (op(x) * w).sum().backward()
    assert x.grad.shape == X.shape
    # the move is linear: <op(x), w> = <x, grad>, and each entry is one output's weight sum
    np.testing.assert_allclose((reference(X) * w).sum(), (X * x.grad).sum(), rtol=1e-12)
    assert gradcheck(lambda x: op(x) * op(x), [Tensor(X.copy(), requires_grad=True)])
    assert gradgradcheck(lambda x: op(x) * op(x), [Tensor(X.copy(), requires_grad=True)])


@given(
    x=tensors(shape=shapes(min_dims=0, max_dims=4, max_side=3), min_value=-3, max_value=3),
    data=st.data(),
)
def test_generated_transposes(x, data):
    perm = tuple(data.draw(st.permutations(range(x.ndim))))
    np.testing.assert_array_equal(x.permute(*perm).data, x.data.transpose(perm))
    np.testing.assert_array_equal(x.T.data, x.data.transpose())
    assert gradcheck(lambda x: x.permute(*perm) ** 2, [x])
    if x.ndim:
        a, b = data.draw(st.integers(-x.ndim, x.ndim - 1)), data.draw(st.integers(0, x.ndim - 1))
        np.testing.assert_array_equal(x.transpose(a, b).data, x.data.swapaxes(a, b))


@given(
    x=tensors(shape=shapes(min_dims=0, max_dims=3, max_side=3), min_value=-3, max_value=3),
    data=st.data(),
)
def test_generated_reshapes(x, data):
    dims = data.draw(st.lists(st.sampled_from([1, 2, 3, 4]), max_size=4))
    rest = x.numel() // max(int(np.prod(dims)), 1)
    if int(np.prod(dims)) * rest != x.numel():
        dims = []
        rest = x.numel()
    shape = (*dims, rest)
    np.testing.assert_array_equal(x.reshape(shape).data, x.data.reshape(shape))
    assert gradgradcheck(lambda x: x.reshape(shape) ** 2, [x])


def test_squeeze_all_and_chosen_axes():
    x = Tensor(np.ones((1, 3, 1, 2)), requires_grad=True)
    assert x.squeeze().shape == (3, 2)
    assert x.squeeze(0).shape == (3, 1, 2)
    assert x.squeeze(-2).shape == (1, 3, 2)
    assert x.squeeze((0, 2)).shape == (3, 2)
    assert x.squeeze(dim=2).shape == (1, 3, 2)
    x.squeeze().sum().backward()
    assert x.grad.shape == (1, 3, 1, 2)
    assert x.squeeze(1).shape == (1, 3, 1, 2)  # a longer axis stays (PyTorch's squeeze)
    assert x.squeeze((1, 2)).shape == (1, 3, 2)
    with pytest.raises(ValueError, match="squeeze.*out of range"):
        x.squeeze(4)


def test_unsqueeze_range_is_checked():
    x = Tensor(np.ones((2, 3)))
    assert x.unsqueeze(2).shape == (2, 3, 1) and x.unsqueeze(-3).shape == (1, 2, 3)
    assert x.unsqueeze(dim=1).shape == (2, 1, 3)
    for bad in (3, -4):
        with pytest.raises(ValueError, match="unsqueeze"):
            x.unsqueeze(bad)


def test_zero_dimensional_tensors():
    x = Tensor(np.array(2.0), requires_grad=True)
    assert x.T.shape == () and x.transpose(0, -1).shape == () and x.t().shape == ()
    assert x.flatten().shape == (1,) and x.unsqueeze(0).shape == (1,)
    assert x.reshape(1, 1).squeeze().shape == ()
    (x.flatten() * 3).sum().backward()
    assert x.grad.shape == () and x.grad == 3.0


def test_expand_refuses_minus_one_for_a_new_leading_axis():
    with pytest.raises(ValueError, match="expand.*-1.*leading"):
        Tensor(np.ones((3, 4))).expand(-1, 3, 4)


def test_expand_gradient_sums_over_the_repeats():
    x = Tensor(np.array([[1.0], [2.0]]), requires_grad=True)
    x.expand(3, 2, 4).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 1), 12.0))


def test_concatenate_mixes_tensors_and_arrays_and_splits_the_gradient():
    a = Tensor(np.ones((2, 2)), requires_grad=True)
    b = Tensor(np.ones((2, 1)))
    out = ag.concatenate([a, b, np.zeros((2, 3))], axis=1)
    assert out.shape == (2, 6) and out.requires_grad
    (out * np.arange(6.0)).sum().backward()
    np.testing.assert_array_equal(a.grad, [[0.0, 1.0], [0.0, 1.0]])
    assert b.grad is None


def test_stack_and_concatenate_refuse_bad_input():
    with pytest.raises(ValueError, match="stack.*same shape"):
        ag.stack([Tensor(np.ones(2)), Tensor(np.ones(3))])
    with pytest.raises(ValueError, match="concatenate.*non-empty"):
        ag.concatenate([])
    with pytest.raises(ValueError, match="concatenate"):
        ag.concatenate(Tensor(np.ones(3)))


@pytest.mark.parametrize(
    "op",
    [
        lambda x: x.permute(0, 0, 1),
        lambda x: x.transpose(0, 3),
        lambda x: x.permute(0, 1, 3),
        lambda x: x.swapaxes(0, 3),
        lambda x: x.permute(2, 1),
    ],
)
def test_bad_axes_for_transposes_raise(op):
    with pytest.raises(ValueError, match="transpose|permute"):
        op(Tensor(X))


def test_flatten_refuses_dims_out_of_range_or_out_of_order():
    x = Tensor(np.ones((2, 3, 4)))
    assert x.flatten(1, 1).shape == (2, 3, 4) and x.flatten(-3, 0).shape == (2, 3, 4)
    with pytest.raises(ValueError, match="flatten.*out of range"):
        x.flatten(3)
    with pytest.raises(ValueError, match="flatten.*out of range"):
        x.flatten(0, -4)
    with pytest.raises(ValueError, match="flatten.*start_dim 2 comes after end_dim 1"):
        x.flatten(2, 1)
