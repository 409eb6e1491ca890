"""torch.add/sub/mul/div (alpha, rounding_mode) and new_* against torch: values, dtypes and
gradients."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

CASES = [
    ("add", {"alpha": 2.5}),
    ("sub", {"alpha": -0.5}),
    ("mul", {}),
    ("div", {}),
    ("div", {"rounding_mode": "trunc"}),
    ("div", {"rounding_mode": "floor"}),
]


@pytest.mark.parametrize(("name", "kw"), CASES, ids=str)
def test_float_values_and_gradients(name, kw):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 4)) * 3, rng.normal(size=4) + 2.5
    ours = [autograd.tensor(v, requires_grad=True) for v in (a, b)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (a, b)]
    out = getattr(autograd, name)(*ours, **kw)
    ref = getattr(torch, name)(*theirs, **kw)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12)
    out.sum().backward()
    ref.sum().backward()
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.data, t.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
def test_integer_division_dtypes(mode):
    a, b = np.array([7, -7, 9, -9]), np.array([2, 2, -4, -4])
    out = autograd.div(autograd.tensor(a), autograd.tensor(b), rounding_mode=mode)
    ref = torch.div(torch.tensor(a), torch.tensor(b), rounding_mode=mode)
    assert str(out.dtype) == str(ref.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(out.data, ref.numpy())


def test_new_constructors():
    ours, theirs = autograd.zeros(2, dtype=autograd.float64), torch.zeros(2, dtype=torch.float64)
    for make in (
        lambda t: t.new_ones(2, 3),
        lambda t: t.new_zeros((3,)),
        lambda t: t.new_full((2, 2), 1.5),
        lambda t: t.new_tensor([1, 2]),
    ):
        o, r = make(ours), make(theirs)
        assert o.shape == tuple(r.shape) and str(o.dtype) == str(r.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(o.data, r.numpy())
