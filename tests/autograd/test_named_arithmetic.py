"""torch's named forms of the operators (add/sub/mul/div with alpha, rounding_mode, out=) and
the new_* constructors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as torch
from autograd import Tensor


def _pair() -> tuple[Tensor, Tensor]:
    rng = np.random.default_rng(0)
    return (
        Tensor(rng.normal(size=(2, 3)), requires_grad=True),
        Tensor(rng.normal(size=3) + 3, requires_grad=True),
    )


def test_add_and_sub_scale_other_by_alpha_and_differentiate():
    x, y = _pair()
    np.testing.assert_allclose(torch.add(x, y, alpha=2).data, x.data + 2 * y.data)
    np.testing.assert_allclose(x.sub(y, alpha=0.5).data, x.data - 0.5 * y.data)
    torch.sub(x, y, alpha=3).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.ones((2, 3)))
    np.testing.assert_allclose(y.grad.data, np.full(3, -6.0))  # -3 per row, two rows


def test_mul_and_div_match_the_operators():
    x, y = _pair()
    np.testing.assert_allclose(torch.mul(x, y).data, (x * y).data)
    np.testing.assert_allclose(x.multiply(2.0).data, x.data * 2)
    np.testing.assert_allclose(torch.div(x, y).data, x.data / y.data)
    np.testing.assert_allclose(x.true_divide(y).data, x.data / y.data)
    torch.divide(x, y).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.broadcast_to(1 / y.data, (2, 3)))


def test_div_rounding_modes_keep_integer_dtype():
    a = torch.tensor([7, -7, 6])
    trunc = torch.div(a, 2, rounding_mode="trunc")
    floor = a.div(2, rounding_mode="floor")
    assert trunc.tolist() == [3, -3, 3] and trunc.dtype == np.int64
    assert floor.tolist() == [3, -4, 3] and floor.dtype == np.int64
    assert torch.div(a, 2).tolist() == [3.5, -3.5, 3.0]
    assert torch.div(torch.tensor([-2.5]), 1.0, rounding_mode="trunc").tolist() == [-2.0]
    with pytest.raises(ValueError, match="rounding_mode"):
        torch.div(a, 2, rounding_mode="round")


def test_out_writes_into_the_given_tensor():
    x, y = torch.ones(2, 3), torch.full((2, 3), 2.0)
    result = torch.empty(2, 3)
    assert torch.add(x, y, out=result) is result
    assert result.tolist() == [[3.0] * 3] * 2
    small = torch.zeros(1)
    torch.matmul(torch.ones(2, 2), torch.ones(2, 2), out=small)  # resized, as torch
    assert small.shape == (2, 2) and small.tolist() == [[2.0, 2.0], [2.0, 2.0]]
    with pytest.raises(RuntimeError, match="out="):
        torch.mul(Tensor([1.0], requires_grad=True), 2.0, out=torch.empty(1))
    with pytest.raises(RuntimeError, match="cast"):
        torch.add(x, y, out=torch.zeros(2, 3, dtype=torch.int64))


def test_new_constructors_take_self_dtype_unless_given():
    x = torch.zeros(2, dtype=torch.float64)
    assert x.new_ones(5, 3).shape == (5, 3) and x.new_ones(5, 3).dtype == np.float64
    assert (
        x.new_zeros((2, 4)).dtype == np.float64 and x.new_zeros((2, 4)).tolist() == [[0.0] * 4] * 2
    )
    assert x.new_ones(2, dtype=torch.int32).dtype == np.int32
    assert x.new_full((2,), 3.5).tolist() == [3.5, 3.5]
    assert x.new_empty(3).shape == (3,)
    t = x.new_tensor([1, 2], requires_grad=True)
    assert t.dtype == np.float64 and t.requires_grad and t.is_leaf


def test_keyword_forms_of_flip_and_reduction_dtypes():
    x = Tensor(np.arange(4.0).reshape(2, 2), requires_grad=True)
    assert torch.flip(x, dims=[0]).tolist() == [[2.0, 3.0], [0.0, 1.0]]
    assert x.flip(dims=(0, 1)).tolist() == x.flip(0, 1).tolist() == [[3.0, 2.0], [1.0, 0.0]]
    with pytest.raises(TypeError, match="not both"):
        x.flip(0, dims=[1])
    m = torch.mean(torch.tensor([1, 2]), dtype=torch.float32)
    assert m.item() == 1.5 and m.dtype == np.float32
    s = x.sum(dtype=torch.float32)
    assert s.dtype == np.float32
    s.backward()  # the cast is part of the graph
    np.testing.assert_array_equal(x.grad.data, np.ones((2, 2)))


def test_softmax_dtype_casts_the_input_differentiably():
    import nn.functional as F

    x = Tensor(np.array([[1.0, 2.0]], np.float32), requires_grad=True)
    y = F.softmax(x, dim=1, dtype=torch.float64)
    assert y.dtype == np.float64 and x.softmax(1, dtype=torch.float64).dtype == np.float64
    y[0, 0].backward()
    p = np.exp([1.0, 2.0]) / np.exp([1.0, 2.0]).sum()
    np.testing.assert_allclose(x.grad.data[0], [p[0] * (1 - p[0]), -p[0] * p[1]], rtol=1e-6)
    assert x.grad.dtype == np.float32


def test_alpha_follows_torchs_type_rules():
    with pytest.raises(TypeError, match="integer tensors"):
        torch.add(torch.tensor([1]), torch.tensor([2]), alpha=0.5)
    with pytest.raises(TypeError, match="boolean alpha"):
        torch.ones(2).sub(torch.ones(2), alpha=True)
    assert torch.add(torch.tensor([1]), torch.tensor([2]), alpha=3).tolist() == [7]
