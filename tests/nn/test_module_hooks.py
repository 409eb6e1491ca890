"""Module forward hooks (feature extraction) and load_state_dict's printed result."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn


def _net() -> nn.Sequential:
    autograd.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def test_forward_hook_sees_inputs_and_output_and_can_replace_it():
    net = _net()
    seen = {}

    def grab(module, args, out):
        seen["in"], seen["out"] = args[0], out

    handle = net[1].register_forward_hook(grab)
    x = autograd.ones(5, 3)
    y = net(x)
    np.testing.assert_array_equal(seen["out"].data, np.maximum(net[0](x).data, 0))
    np.testing.assert_array_equal(seen["in"].data, net[0](x).data)
    handle.remove()
    seen.clear()
    net(x)
    assert seen == {}
    net[2].register_forward_hook(lambda m, a, out: out * 0)
    assert not net(x).data.any() and y.data.any()


def test_pre_hooks_run_in_order_and_can_replace_the_inputs():
    net = _net()
    calls = []
    net[0].register_forward_pre_hook(lambda m, a: calls.append("second"))
    net[0].register_forward_pre_hook(lambda m, a: calls.append("first"), prepend=True)
    net[0].register_forward_pre_hook(lambda m, a: a[0] * 0)  # one input: no tuple needed
    out = net[0](autograd.ones(2, 3))
    assert calls == ["first", "second"]
    np.testing.assert_allclose(out.data, np.broadcast_to(net[0].bias.data, (2, 4)))


def test_hooks_keep_gradients_flowing():
    net = _net()
    net[1].register_forward_hook(lambda m, a, out: out * 2)
    x = autograd.ones(1, 3, requires_grad=True)
    net(x).sum().backward()
    plain = _net()
    x2 = autograd.ones(1, 3, requires_grad=True)
    plain(x2).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * x2.grad.data, rtol=1e-6)
    with pytest.raises(TypeError, match="callable"):
        net.register_forward_hook(3)


def test_load_state_dict_prints_as_torch():
    net = _net()
    assert repr(net.load_state_dict(net.state_dict())) == "<All keys matched successfully>"
    result = net.load_state_dict({"0.weight": net[0].weight.data}, strict=False)
    assert result.missing_keys == ["0.bias", "2.weight", "2.bias"]
    assert repr(result).startswith("_IncompatibleKeys(missing_keys=['0.bias'")


def test_full_backward_hook_sees_output_and_input_gradients_and_can_replace_them():
    net = _net()
    seen = {}

    def grab(module, grad_input, grad_output):
        seen["in"], seen["out"] = grad_input, grad_output
        return (grad_input[0] * 3,)

    handle = net[2].register_full_backward_hook(grab)
    x = autograd.ones(2, 3, requires_grad=True)
    net(x).sum().backward()
    np.testing.assert_array_equal(seen["out"][0].data, np.ones((2, 2)))  # d sum / d output
    # d sum / d (input of the last Linear) = ones @ W; the hook tripled what flows on
    np.testing.assert_allclose(seen["in"][0].data, np.ones((2, 2)) @ net[2].weight.data)
    tripled = x.grad.data.copy()
    handle.remove()
    x.grad = None
    net(x).sum().backward()
    np.testing.assert_allclose(tripled, 3 * x.grad.data, rtol=1e-6)


def test_full_backward_hook_without_input_gradients_runs_on_the_outputs():
    net = _net()
    seen = []
    net[0].register_full_backward_hook(lambda m, gi, go: seen.append((gi, go)))
    with pytest.warns(UserWarning, match="no inputs require gradients"):  # as torch
        net(autograd.ones(2, 3)).sum().backward()  # the input needs no gradient
    ((grad_input, grad_output),) = seen
    assert grad_input == (None,) and grad_output[0].shape == (2, 4)


def test_hooks_with_kwargs_see_and_change_the_keyword_arguments():
    class Scale(nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    layer, seen = Scale(), []
    layer.register_forward_pre_hook(
        lambda m, args, kwargs: (args, {**kwargs, "scale": kwargs["scale"] * 2}), with_kwargs=True
    )
    handle = layer.register_forward_hook(
        lambda m, args, kwargs, out: seen.append((args, kwargs, out)), with_kwargs=True
    )
    assert layer(3.0, scale=5.0) == 30.0
    assert seen == [((3.0,), {"scale": 10.0}, 30.0)]
    handle.remove()
    assert not layer.__dict__["_forward_hooks_with_kwargs"]


def test_full_backward_pre_hook_scales_the_gradient_flowing_through():
    net = _net()
    x = autograd.ones(5, 3, requires_grad=True)
    net(x).sum().backward()
    plain = x.grad.data.copy()
    seen = []
    net[2].register_full_backward_pre_hook(lambda m, go: seen.append(go[0].shape) or (go[0] * 3,))
    x.grad = None
    net(x).sum().backward()
    assert seen == [(5, 2)]
    np.testing.assert_allclose(x.grad.data, 3 * plain, rtol=1e-6)


def test_old_backward_hook_replaces_the_relu_gradient():
    relu = nn.ReLU()
    relu.register_backward_hook(lambda m, gi, go: (gi[0].clamp(min=0.0),))
    x = autograd.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    (relu(x) * autograd.tensor([5.0, -4.0, 2.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 2.0])


def test_every_module_has_torchs_hook_registries():
    layer = nn.Linear(2, 2)
    for name in ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks"):
        assert len(getattr(layer, name)) == 0
    layer.register_forward_hook(lambda m, a, out: out * 0)
    assert len(layer._forward_hooks) == 1
    layer._forward_hooks.clear()  # how some scripts drop every hook at once
    assert layer(autograd.ones(1, 2)).data.any()
