"""Against torch: strides of tensors without elements, bernoulli of probabilities that
require grad, vander's dtype for integer input, torch.embedding's padding_idx, and the zero
gradients of rounded division and copysign's sign source."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402


@pytest.mark.parametrize("shape", [(), (0,), (0, 3), (2, 0, 3), (2, 0, 0), (3, 1, 0), (1, 0)])
def test_strides_of_empty_and_0d_tensors(shape: tuple) -> None:
    assert autograd.zeros(shape).stride() == torch.zeros(shape).stride()


def test_bernoulli_of_probabilities_that_require_grad() -> None:
    for lib in (autograd, torch):
        p = lib.full((3,), 0.5, requires_grad=True)
        draws = (lib.bernoulli(p), p.bernoulli(), p.bernoulli(0.3), lib.bernoulli(p * 1))
        assert [d.requires_grad for d in draws] == [True] * 4, lib.__name__
        draws[0].backward(lib.full((3,), float("nan")))
        assert p.grad.tolist() == [0.0, 0.0, 0.0], lib.__name__


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64", "bool", "float16"])
def test_vander_dtype(dtype: str) -> None:
    x = np.array([1, 0, 1]).astype(dtype)
    ours, theirs = autograd.vander(autograd.tensor(x)), torch.vander(torch.tensor(x))
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("padding_idx", [-2, -1, 0, 2, 4, -5])
def test_torch_embedding_padding_idx(padding_idx: int) -> None:
    w = np.arange(12.0).reshape(4, 3)
    idx = [0, 2, 3, 2]
    a, b = autograd.tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)
    oa = autograd.embedding(a, autograd.tensor(idx), padding_idx=padding_idx)
    ob = torch.embedding(b, torch.tensor(idx), padding_idx=padding_idx)
    np.testing.assert_array_equal(oa.detach().numpy(), ob.detach().numpy())
    oa.sum().backward()
    ob.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


@pytest.mark.parametrize("op", ["trunc", "floor", "copysign"])
def test_zero_gradients_with_nan_upstream(op: str) -> None:
    grads = []
    for lib in (autograd, torch):
        a = lib.tensor([1.5, -2.0], requires_grad=True)
        b = lib.tensor([0.7, -1.3], requires_grad=True)
        out = lib.copysign(a, b) if op == "copysign" else lib.div(a, b, rounding_mode=op)
        out.backward(lib.tensor([float("nan"), float("inf")]))
        grads.append((a.grad.numpy(), b.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_array_equal(ours, theirs)
