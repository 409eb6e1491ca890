"""Edge inputs the op fuzzer found for cov, corrcoef, angle, put and .H, against torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402


@pytest.mark.parametrize("rows", [[[1.0, 2.0, 4.0, 7.0]], [1.0, 2.0, 4.0, 7.0]])
@pytest.mark.parametrize("correction", [0, 1])
def test_cov_and_corrcoef_of_one_variable_are_0d(rows, correction):
    x = np.array(rows)
    ours = autograd.cov(autograd.tensor(x), correction=correction)
    theirs = torch.cov(torch.tensor(x), correction=correction)
    assert ours.shape == theirs.shape == ()
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert autograd.corrcoef(autograd.tensor(x)).shape == torch.corrcoef(torch.tensor(x)).shape


def test_angle_of_infinities_and_signed_zeros():
    x = np.array([-np.inf, np.inf, -0.0, 0.0, -2.0, np.nan], dtype=np.float32)
    ours, theirs = autograd.angle(autograd.tensor(x)), torch.angle(torch.tensor(x))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_put_refuses_a_source_of_another_dtype():
    source = np.array([5.0])
    with pytest.raises(RuntimeError, match="same dtype"):
        torch.tensor([1.0, 2.0]).put_(torch.tensor([0]), torch.tensor(source))
    with pytest.raises(RuntimeError, match="same dtype"):
        autograd.tensor([1.0, 2.0]).put_(autograd.tensor([0]), autograd.tensor(source))


def test_conjugate_transpose_of_a_0d_tensor_is_itself():
    ours = autograd.tensor(3.0, requires_grad=True)
    theirs = torch.tensor(3.0, requires_grad=True)
    assert ours.H.item() == theirs.H.item() == 3.0
    ours.H.backward()
    theirs.H.backward()
    assert ours.grad.item() == theirs.grad.item() == 1.0
    with pytest.raises(RuntimeError, match="2-D"):
        _ = autograd.tensor([1.0, 2.0]).H
