"""nn.utils.checkpoint (torch.utils.checkpoint): gradients equal to the plain call's and to
finite differences, the activations really dropped and recomputed, random draws replayed,
and torch's rules for use_reentrant."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd.engine import reverse_topological
from autograd.testing import gradcheck, gradgradcheck
from nn.utils.checkpoint import checkpoint, checkpoint_sequential


def model() -> nn.Module:
    autograd.manual_seed(0)
    return nn.Sequential(
        nn.Linear(4, 6), nn.Tanh(), nn.Dropout(0.3), nn.Linear(6, 6), nn.GELU(), nn.Linear(6, 2)
    ).double()


def grads_of(m: nn.Module, x: autograd.Tensor, run) -> list[np.ndarray]:  # noqa: ANN001
    m.zero_grad()
    x.grad = None
    autograd.manual_seed(5)
    (run(x) ** 2).sum().backward()
    return [p.grad.data.copy() for p in m.parameters()] + [x.grad.data.copy()]


@pytest.mark.parametrize("reentrant", [True, False])
def test_gradients_equal_the_plain_calls_with_dropout_replayed(reentrant: bool) -> None:
    m = model()
    x = autograd.randn(5, 4, dtype=autograd.float64, requires_grad=True)
    plain = grads_of(m, x, m)
    ck = grads_of(m, x, lambda v: checkpoint(m, v, use_reentrant=reentrant))
    seq = grads_of(m, x, lambda v: checkpoint_sequential(m, 3, v, use_reentrant=reentrant))
    for a, b, c in zip(plain, ck, seq):
        np.testing.assert_allclose(b, a, rtol=1e-12)
        np.testing.assert_allclose(c, a, rtol=1e-12)


def test_activations_are_dropped_and_the_generator_left_where_the_call_left_it() -> None:
    m = model()
    x = autograd.randn(5, 4, dtype=autograd.float64, requires_grad=True)
    autograd.manual_seed(3)
    y = checkpoint(m, x, use_reentrant=False)
    after_forward = autograd.get_rng_state()
    # the graph holds one node: the call; the layers' activations are not kept
    assert len(reverse_topological([y])) == 1
    assert {id(p) for p in y.grad_fn._ctx.parents} == {id(x)} | {id(p) for p in m.parameters()}
    y.sum().backward()
    assert np.array_equal(autograd.get_rng_state().data, after_forward.data)
    # an input computed earlier in the graph (checkpoint_sequential's later segments)
    h = x * 2
    y2 = checkpoint_sequential(m, 3, h, use_reentrant=False)
    kinds = [type(n.grad_fn).__name__ for n in reverse_topological([y2])]
    assert kinds.count("CheckpointBackward0") == 2 and kinds[-1] == "MulBackward0"
    assert len(kinds) == 2 + 2 + 1  # two checkpoints, the last segment (Linear, GELU), h


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_first_and_second_derivatives_match_finite_differences(seed: int) -> None:
    rng = np.random.default_rng(seed)
    w = autograd.tensor(rng.normal(size=(3, 3)), requires_grad=True)
    x = autograd.tensor(rng.normal(size=(2, 3)), requires_grad=True)

    def block(v: autograd.Tensor) -> autograd.Tensor:
        return (v @ w).tanh() * v.sin()

    def f(v: autograd.Tensor, wt: autograd.Tensor) -> autograd.Tensor:
        return checkpoint(lambda u: (u @ wt).tanh() * u.sin(), v, use_reentrant=False)

    assert gradcheck(f, [x, w])
    assert gradgradcheck(f, [x, w])
    assert gradcheck(lambda v: checkpoint(block, v, use_reentrant=True), [x])


def test_several_outputs_recompute_once_and_non_tensors_pass_through() -> None:
    calls = []
    w = autograd.tensor([1.5, -2.0], requires_grad=True)

    def f(a: autograd.Tensor, scale: float) -> tuple:
        calls.append(1)
        h = (a * w).exp()
        return h * scale, {"s": h.sum(), "note": "x"}, a.detach()

    a = autograd.tensor([0.3, 0.7], dtype=autograd.float32, requires_grad=True)
    o1, o2, o3 = checkpoint(f, a, 2.0, use_reentrant=False)
    assert o2["note"] == "x" and not o3.requires_grad and o1.dtype == np.float32
    (o1.sum() + o2["s"]).backward()
    assert len(calls) == 2  # the call, and one recomputation for both outputs
    e = np.exp(a.data * w.data)
    np.testing.assert_allclose(w.grad.data, 3 * e * a.data, rtol=1e-6)
    np.testing.assert_allclose(a.grad.data, 3 * e * w.data, rtol=1e-6)


def test_closure_over_an_earlier_activation_is_run_plainly_with_the_same_gradients() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3  # an activation from earlier in the graph, used by closure
    y = checkpoint(lambda v: (v * h).sum(), x, use_reentrant=False)
    y.backward()
    np.testing.assert_allclose(x.grad.data, 6 * x.data)


def test_use_reentrant_rules_as_torch() -> None:
    m = nn.Linear(2, 2)
    x = autograd.ones(1, 2)
    with pytest.warns(UserWarning, match="use_reentrant parameter should be passed explicitly"):
        checkpoint(m, x.requires_grad_())
    with pytest.raises(ValueError, match="Unexpected keyword arguments: k"):
        checkpoint(lambda v, k: v, x, k=1, use_reentrant=True)
    assert checkpoint(lambda v, k: v * k, x, k=2, use_reentrant=False).requires_grad
    with pytest.raises(ValueError, match="context_fn"):
        checkpoint(m, x, use_reentrant=True, debug=True)
    plain = autograd.ones(1, 2)
    with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
        y = checkpoint(m, plain, use_reentrant=True)
    assert not y.requires_grad  # torch's pitfall: the parameters get no gradient
    y2 = checkpoint(m, plain, use_reentrant=False)
    y2.sum().backward()
    np.testing.assert_allclose(m.bias.grad.data, [1.0, 1.0])
    with autograd.no_grad():
        assert not checkpoint(m, x, use_reentrant=False).requires_grad
    with pytest.raises(ValueError, match="Unexpected keyword arguments: foo"):
        checkpoint_sequential(nn.Sequential(m), 1, x, use_reentrant=False, foo=1)
