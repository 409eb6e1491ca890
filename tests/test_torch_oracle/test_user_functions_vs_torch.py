"""Custom Functions as PyTorch's documentation prints them (tests/autograd/
torch_style_functions.py), the same source on both libraries: values, gradients, which
outputs have history, and the once_differentiable refusal, against torch."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
from tests.autograd.torch_style_functions import build  # noqa: E402

OURS, THEIRS = build(autograd), build(torch)
rng = np.random.default_rng(7)
X = rng.normal(size=(3, 4)) * 1.5
W = rng.normal(size=(5, 4))
B = rng.normal(size=5)

CASES = {
    "MyReLU": (X,),
    "ClampedSquare": (X,),
    "LinearFunction": (X, W, B),
    "LinearFunction_nobias": (X, W),
    "LinearWithSetup": (X, W, B),
    "Exp": (X,),
    "ExpOfModule": (X,),
    "Softmax": (X,),
}


def _run(lib, fns, name, arrays):
    fn = getattr(fns, name.split("_")[0])
    leaves = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = fn.apply(*leaves)
    (out * lib.tensor(np.arange(out.numel(), dtype=np.float64).reshape(out.shape))).sum().backward()
    return out.detach().numpy(), [leaf.grad.numpy() for leaf in leaves]


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_torch(name):
    value, grads = _run(autograd, OURS, name, CASES[name])
    expected, expected_grads = _run(torch, THEIRS, name, CASES[name])
    np.testing.assert_allclose(value, expected, rtol=1e-12, atol=1e-14)
    for g, e in zip(grads, expected_grads):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-14)


def _two_outputs(lib, fns):
    x = lib.tensor(X[0], requires_grad=True)
    y = lib.tensor(X[1], requires_grad=True)
    a, b = fns.ProductAndExp.apply(x, y)
    (g,) = lib.autograd.grad((a * b).sum() + (b * b).sum(), x, create_graph=True)
    (g * lib.tensor(X[2])).sum().backward()
    values, indices = fns.Sort.apply(x)
    return [t.detach().numpy() for t in (a, b, g, x.grad, y.grad, values, indices)], (
        values.requires_grad,
        indices.requires_grad,
        values.grad_fn.name(),
    )


def test_several_outputs_match_torch_to_second_order():
    ours, our_flags = _two_outputs(autograd, OURS)
    theirs, their_flags = _two_outputs(torch, THEIRS)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o, t, rtol=1e-12, atol=1e-14)
    assert our_flags == their_flags


def test_mul_constant_matches_torch():
    for lib, fns in ((autograd, OURS), (torch, THEIRS)):
        x = lib.tensor(X, requires_grad=True)
        fns.MulConstant.apply(x, 2.5).sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), np.full(X.shape, 2.5))


def test_once_differentiable_and_non_differentiable_outputs_as_torch():
    messages, flags = [], []
    for lib, fns in ((autograd, OURS), (torch, THEIRS)):
        x = lib.tensor(X[0], requires_grad=True)
        (g,) = lib.autograd.grad(fns.OnceCube.apply(x).sum(), x, create_graph=True)
        np.testing.assert_allclose(g.detach().numpy(), 3 * X[0] ** 2, rtol=1e-12)
        v = lib.ones(4, dtype=lib.float64, requires_grad=True)  # a gradient with history
        (h,) = lib.autograd.grad(fns.OnceCube.apply(x), x, grad_outputs=v, create_graph=True)
        with pytest.raises(RuntimeError) as err:
            h.sum().backward()
        messages.append(str(err.value))
        out = fns.Argmax.apply(lib.tensor(X, requires_grad=True))
        flags.append((g.requires_grad, h.requires_grad, out.requires_grad, out.grad_fn is None))
    assert "marked with @once_differentiable" in messages[0]
    assert "marked with @once_differentiable" in messages[1]
    assert flags[0] == flags[1]


@pytest.mark.parametrize("use", [(0,), (1,), (0, 1)])
def test_set_materialize_grads_false_as_torch(use):
    """Which gradients backward receives as None, and the gradients, first and second
    order, when only some outputs of a Function with unmaterialised gradients are used."""
    results = []
    for lib, fns in ((autograd, OURS), (torch, THEIRS)):
        x = lib.tensor(X[0], requires_grad=True)
        pair = fns.ScaledPair.apply(x)
        out = sum((pair[k] ** 2 * (k + 1.5)).sum() for k in use)
        (g,) = lib.autograd.grad(out, [x], create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), [x])
        results.append((g.detach().numpy(), gg.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def _split(lib, materialize, log):
    """Three outputs (two differentiable, one marked not) whose backward logs what it gets."""

    class Split(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(materialize)
            signs = (x > 0).long()
            ctx.mark_non_differentiable(signs)
            return x * 2, x.exp(), signs

        @staticmethod
        def backward(ctx, g1, g2, g_signs):
            log.append(
                tuple(
                    None if g is None else (g.tolist(), str(g.dtype).split(".")[-1])
                    for g in (g1, g2, g_signs)
                )
            )
            return (0 if g1 is None else 2 * g1) + (0 if g2 is None else g2)

    return Split


@pytest.mark.parametrize("materialize", [True, False])
def test_gradients_handed_to_backward_for_unused_and_non_differentiable_outputs_as_torch(
    materialize,
):
    seen: dict = {}
    for lib in (autograd, torch):
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        a, b, _ = _split(lib, materialize, seen.setdefault(lib.__name__, [])).apply(x)
        a.sum().backward(retain_graph=True)
        b.sum().backward(retain_graph=True)
        (a * 0).sum().backward(retain_graph=True)
        (a + b).sum().backward()
    assert seen["autograd"] == seen["torch"]
