"""``x ** number`` (and ``pow_``) keeps its input, not its result, for the backward, as
torch's pow does: ``torch.diagonal(c).add_(-1).pow_(2)`` followed by an in-place change of
another view of ``c`` (Barlow Twins' loss on a 2x2 correlation) must not fail the backward.
The result is kept only when the exponent needs a gradient."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors


def diag_pow_then_other_view(c0, exponent):
    c = c0 * 1
    on = ag.diagonal(c).add_(-1).pow_(exponent).sum()
    c[0, 1:].mul_(3)  # another view of c's memory changes afterwards
    return on + (c**2).sum()


@given(
    c=tensors(shape=st.sampled_from([(2, 2), (3, 3)]), min_value=1.2, max_value=3),
    exponent=st.sampled_from([2, 3, 0.5, -1.0, 0]),
)
def test_gradient_after_another_view_changes(c, exponent):
    a = c.data.copy()
    after = a.copy()
    np.fill_diagonal(after, np.diag(a) - 1)
    diag = (np.diag(a) - 1) ** exponent
    np.fill_diagonal(after, diag)
    after[0, 1:] *= 3
    want = diag.sum() + (after**2).sum()
    got = diag_pow_then_other_view(c, exponent).item()
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert gradcheck(lambda c: diag_pow_then_other_view(c, exponent), [c])
    assert gradgradcheck(lambda c: diag_pow_then_other_view(c, exponent), [c])


def test_a_tensor_exponent_through_a_view_keeps_its_gradient():
    def f(base, e):
        c = base * 1
        c[1:].pow_(e)
        return c * 2

    base = ag.tensor([2.0, 3.0, 1.5], dtype=ag.float64, requires_grad=True)
    e = ag.tensor([1.5, 2.0], dtype=ag.float64, requires_grad=True)
    assert gradcheck(f, [base, e])
    assert gradgradcheck(f, [base, e])


def test_exponent_gradient_without_in_place_changes():
    base = ag.tensor([2.0, 3.0], dtype=ag.float64, requires_grad=True)
    e = ag.tensor([1.5, 2.0], dtype=ag.float64, requires_grad=True)
    assert gradcheck(lambda b, e: b**e, [base, e])
    assert gradgradcheck(lambda b, e: b**e, [base, e])
