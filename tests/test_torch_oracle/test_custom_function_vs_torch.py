"""A custom Function whose backward returns a gradient for an input that was not a tensor:
the same error as torch (type and message); None there, or a gradient for a tensor that
does not require grad, is accepted by both."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402


def _op(lib, extra):
    class Scale(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, flag, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None, extra(g)

    return Scale


@pytest.mark.parametrize("lib", [autograd, torch], ids=["ours", "torch"])
def test_gradient_for_a_number_input(lib) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError) as err:
        _op(lib, lambda g: g.sum()).apply(x, True, 2.0).sum().backward()
    assert str(err.value) == (
        "function ScaleBackward returned a gradient different than None at position 3, but "
        "the corresponding forward input was not a Variable"
    )
    _op(lib, lambda g: None).apply(x, True, 2.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])
