"""Tensor.register_hook: hooks see each tensor's whole gradient once and may replace it."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor


def test_hook_on_an_intermediate_scales_what_flows_back():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: g * 2)
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.data, 36 * x.data)  # d(9x^2)/dx doubled


def test_leaf_hook_sees_the_summed_gradient_once_and_may_replace_it():
    x = Tensor([1.0, -2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()))
    x.register_hook(lambda g: g.clamp(-1, 1))  # runs after the first, sees its (same) input
    (x * 2 + x * 3).sum().backward()
    assert len(seen) == 1
    np.testing.assert_allclose(seen[0], [5.0, 5.0])
    np.testing.assert_allclose(x.grad.data, [1.0, 1.0])


def test_handle_remove_and_hooks_under_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 0)
    (gx,) = autograd.grad((x * x).sum(), [x])
    np.testing.assert_allclose(gx.data, [0.0, 0.0])
    handle.remove()
    handle.remove()  # twice: nothing happens
    (gx,) = autograd.grad((x * x).sum(), [x])
    np.testing.assert_allclose(gx.data, [2.0, 4.0])


def test_bad_hooks_are_refused_with_clear_errors():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        Tensor([1.0]).register_hook(lambda g: g)
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match=r"shape \(\) for a tensor of shape \(2,\)"):
        (x * 1).sum().backward()
    y = Tensor([1.0], requires_grad=True)
    y.register_hook(lambda g: 3.0)
    with pytest.raises(TypeError, match="None or a Tensor"):
        y.sum().backward()


def test_hooks_match_torch():
    torch = pytest.importorskip("torch")
    data = np.array([0.5, -1.5, 2.0])
    grads = []
    for lib, make in ((autograd, Tensor), (torch, torch.tensor)):
        x = make(data.copy(), requires_grad=True)
        h = x.tanh()
        h.register_hook(lambda g: g * 10)
        x.register_hook(lambda g: g + 1)
        (h * h).sum().backward()
        grads.append(np.asarray(x.grad.detach() if lib is torch else x.grad.data))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_grad_runs_only_its_inputs_leaf_hooks_and_dtype_changes_are_refused():
    x = Tensor([1.0, 2.0], requires_grad=True)
    w = Tensor([3.0, 4.0], requires_grad=True)
    fired = []
    w.register_hook(lambda g: fired.append("w"))
    autograd.grad((x * w).sum(), [x])
    assert fired == []
    (x * w).sum().backward()
    assert fired == ["w"]
    y = Tensor([1.0], requires_grad=True)
    y.register_hook(lambda g: g.to(np.float64))  # y is float32
    with pytest.raises(RuntimeError, match="dtype"):
        (y * 2).sum().backward()
