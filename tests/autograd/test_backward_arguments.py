"""backward(gradient=, retain_graph=, create_graph=, inputs=) as PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value


def test_gradient_keyword_and_grad_alias():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 3).backward(gradient=Tensor([1.0, 10.0]))
    np.testing.assert_allclose(x.grad.data, [3.0, 30.0])
    (x * 3).backward(grad=np.array([1.0, 1.0]))
    np.testing.assert_allclose(x.grad.data, [6.0, 33.0])
    with pytest.raises(TypeError, match="not both"):
        (x * 3).backward(gradient=np.ones(2), grad=np.ones(2))


def test_create_graph_leaves_differentiable_grads_for_a_gradient_penalty():
    x = Tensor([1.0, -2.0, 0.5], requires_grad=True)
    (x**3).sum().backward(create_graph=True)
    g = x.grad  # 3 x^2, with its own graph
    assert g.requires_grad and not g.is_leaf
    np.testing.assert_allclose(g.data, 3 * x.data**2)
    x.grad = None
    (g * g).sum().backward()  # d/dx sum(9 x^4) = 36 x^3
    np.testing.assert_allclose(x.grad.data, 36 * x.data**3)


def test_inputs_limits_which_grads_are_written():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    (a * b).sum().backward(inputs=[a])
    np.testing.assert_allclose(a.grad.data, b.data)
    assert b.grad is None
    h = a * 2
    (h * b).sum().backward(inputs=h)  # a non-leaf input gets its .grad too
    np.testing.assert_allclose(h.grad.data, b.data)
    assert b.grad is None


def test_value_backward_create_graph_points_to_grad():
    v = Value(2.0)
    with pytest.raises(NotImplementedError, match="autograd.grad"):
        (v * v).backward(create_graph=True)
    w = Value(3.0)
    (w * w).backward(inputs=[w])
    assert w.grad == 6.0


def test_matches_torch_for_create_graph_and_inputs():
    torch = pytest.importorskip("torch")
    data = np.array([0.3, -1.2, 2.0])
    results = []
    for lib in (autograd, torch):
        x = lib.tensor(data.copy(), requires_grad=True)
        w = lib.tensor(data[::-1].copy(), requires_grad=True)
        (x.tanh() * w).sum().backward(create_graph=True, inputs=[x])
        penalty = (x.grad**2).sum()
        x.grad = None
        penalty.backward(inputs=[x, w])
        results.append(
            [np.asarray(t.grad.detach() if lib is torch else t.grad.data) for t in (x, w)]
        )
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
