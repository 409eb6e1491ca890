"""Module hooks against torch.nn's: forward pre-hooks and forward hooks with kwargs,
always_call, and full backward pre-hooks (seeing and replacing grad_output) together with
full backward hooks, on the same network and input."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402

X = np.random.default_rng(0).normal(size=(5, 3))


def _arr(x: Any) -> Any:
    if x is None:
        return None
    return x.data if isinstance(x, autograd.Tensor) else x.detach().numpy()


def _run(lib: Any, setup: Any) -> list:
    """The output, the input's gradient, and what the hooks logged."""
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)
    ).double()
    if lib is torch:
        model, x = theirs, torch.tensor(X, requires_grad=True)
    else:
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
        model.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
        model.double()
        x = autograd.tensor(X, requires_grad=True)
    log: list = []
    setup(model, log)
    y = model(x)
    y.sum().backward()
    return [_arr(y), _arr(x.grad), *log]


def _same(setup: Any) -> None:
    ours, theirs = _run(autograd, setup), _run(torch, setup)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(b, list):
            assert len(a) == len(b)
            for u, v in zip(a, b):
                np.testing.assert_allclose(u, v, rtol=1e-12)
        elif isinstance(b, np.ndarray):
            np.testing.assert_allclose(a, b, rtol=1e-12)
        else:
            assert a == b


def test_forward_pre_hook_and_forward_hook_with_kwargs():
    def setup(m: Any, log: list) -> None:
        m[0].register_forward_pre_hook(
            lambda mod, args, kwargs: ((args[0] * 2,), kwargs), with_kwargs=True
        )
        m[1].register_forward_hook(
            lambda mod, args, kwargs, out: log.append(sorted(kwargs)) or out * 3,
            with_kwargs=True,
        )

    _same(setup)


def test_backward_pre_hook_replaces_grad_output_seen_by_the_full_backward_hooks():
    def setup(m: Any, log: list) -> None:
        m[2].register_full_backward_pre_hook(
            lambda mod, go: log.append([_arr(g) for g in go]) or (go[0] * 10,)
        )
        m[2].register_full_backward_hook(
            lambda mod, gi, go: log.extend([[_arr(g) for g in gi], [_arr(g) for g in go]])
        )
        m[0].register_full_backward_hook(
            lambda mod, gi, go: log.extend([[_arr(g) for g in gi], [_arr(g) for g in go]])
        )

    _same(setup)


@pytest.mark.parametrize("lib", ["torch", "ours"])
def test_always_call_hook_runs_when_forward_raises(lib):
    m = torch.nn if lib == "torch" else nn

    class Boom(m.Module):  # type: ignore[name-defined,misc]
        def forward(self, x: Any) -> Any:
            raise ValueError("boom")

    boom, seen = Boom(), []
    boom.register_forward_hook(lambda mod, a, out: seen.append(("always", out)), always_call=True)
    boom.register_forward_hook(lambda mod, a, out: seen.append(("plain", out)))
    with pytest.raises(ValueError, match="boom"):
        boom(1.0)
    assert seen == [("always", None)]


@pytest.mark.parametrize("lib", ["torch", "ours"])
def test_pre_hook_with_kwargs_must_return_args_and_kwargs(lib):
    m = torch.nn if lib == "torch" else nn
    layer = m.Identity()
    layer.register_forward_pre_hook(lambda mod, args, kwargs: args[0], with_kwargs=True)
    with pytest.raises(RuntimeError, match=r"tuple of \(new_args, new_kwargs\)"):
        layer(1.0)


def test_old_backward_hook_guided_backprop_as_torch():
    """register_backward_hook on ReLU clamping grad_input (guided backprop), and on a layer
    with parameters read for grad_output (Grad-CAM; torch's grad_input there holds the
    gradients of its last op's arguments, for Linear the bias's first)."""

    def setup(m: Any, log: list) -> None:
        m[1].register_backward_hook(
            lambda mod, gi, go: log.append([_arr(g) for g in go]) or (gi[0].clamp(min=0.0),)
        )
        m[0].register_backward_hook(lambda mod, gi, go: log.append([_arr(go[0])]))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's note on hooks over several autograd nodes
        _same(setup)


@pytest.mark.parametrize("needs", [(True, False), (False, True), (False, False)])
def test_full_backward_hook_grad_input_of_inputs_needing_no_gradient_as_torch(needs):
    """Zeros for a tensor input that needs no gradient beside one that does; None (with
    torch's warning) when no input needs one."""
    seen = []
    for m, make in ((torch.nn, torch.tensor), (nn, autograd.tensor)):

        class Two(m.Module):  # type: ignore[name-defined,misc]
            def forward(self, a: Any, b: Any) -> Any:
                return a * 2 + b * self.w

        two = Two()
        two.w = m.Parameter(make(np.array([1.5, -0.5])))
        got: list = []
        two.register_full_backward_hook(
            lambda mod, gi, go, got=got: got.append([_arr(g) for g in gi])
        )
        a = make(np.array([1.0, 2.0]), requires_grad=needs[0])
        b = make(np.array([3.0, 4.0]), requires_grad=needs[1])
        if any(needs):
            two(a, b).sum().backward()
        else:
            with pytest.warns(UserWarning, match="no inputs require gradients"):
                two(a, b).sum().backward()
        seen.append(got[0])
    theirs, ours = seen
    for t, o in zip(theirs, ours):
        assert (t is None) == (o is None)
        if t is not None:
            np.testing.assert_array_equal(o, t)
