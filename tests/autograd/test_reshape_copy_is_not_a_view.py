"""reshape/view/flatten of data whose layout needs a copy give a tensor of their own, not a
view: in-place changes to it leave the input (and its version) alone, as in torch. (numpy's
copy has a ``.base`` too, its own new buffer, which used to be taken for a view: Barlow
Twins' ``off_diagonal(c).pow_(2)`` then bumped ``c``'s version and broke the backward of
``torch.diagonal(c).add_(-1).pow_(2)``.)"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors


def off_diagonal(x):
    n, m = x.shape
    assert n == m
    return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


def barlow_loss(c0, lambd=0.3):
    c = c0 * 1
    on_diag = ag.diagonal(c).add_(-1).pow_(2).sum()
    off_diag = off_diagonal(c).pow_(2).sum()
    return on_diag + lambd * off_diag


@given(c=tensors(shape=st.sampled_from([(2, 2), (3, 3), (5, 5)]), min_value=-2, max_value=2))
def test_barlow_twins_loss_gradient(c):
    a = c.data
    mask = ~np.eye(a.shape[0], dtype=bool)
    want = ((np.diag(a) - 1) ** 2).sum() + 0.3 * (a[mask] ** 2).sum()
    np.testing.assert_allclose(barlow_loss(c).item(), want, rtol=1e-12)
    assert gradcheck(barlow_loss, [c])
    assert gradgradcheck(barlow_loss, [c])


@given(
    x=tensors(shape=st.sampled_from([(2, 3), (3, 4), (2, 5)]), min_value=-3, max_value=3),
    how=st.sampled_from(["t_reshape", "t_view", "t_flatten", "slice_reshape"]),
)
def test_in_place_on_a_copy_leaves_the_input_alone(x, how):
    def copied(x):
        y = x * 1
        source = y.t() if how.startswith("t_") else y[:, 1:]
        if how == "t_view":
            return y, source.view(-1)
        if how == "t_flatten":
            return y, source.flatten()
        return y, source.reshape(-1)

    y, z = copied(x)
    before, version = y.data.copy(), y._version
    z.mul_(3)
    np.testing.assert_array_equal(y.data, before)
    assert y._version == version

    def f(x):
        y, z = copied(x)
        z.mul_(3)
        return z * y.sum()

    assert gradcheck(f, [x])


def test_a_reshape_that_can_view_still_is_one():
    x = Tensor(np.arange(6.0), requires_grad=True)
    y = x * 1
    z = y.view(2, 3)
    z.mul_(2)
    np.testing.assert_array_equal(y.data, 2 * np.arange(6.0))
    assert y._version == z._version == 1
    z.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full(6, 2.0))
