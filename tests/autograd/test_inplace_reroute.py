"""Ops recorded before an in-place change of a tensor (or of a view of it, or its base) keep
the old value, the ones found at once and those rerouted when a graph walk reaches them
(``function.reroute``): random programs of uses and changes, and hand-written cases for
hooks, ``retain_grad``, ``autograd.grad``, second derivatives, checkpoint and ``detach_``,
checked against central finite differences (float64)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd
from autograd.testing import gradcheck, gradgradcheck
from nn.utils.checkpoint import checkpoint
from tests.autograd.reroute_programs import (
    OPS,
    USES,
    VIEWS,
    central_differences,
    has_quiet_change,
    loss_of,
    program_loss,
    run,
)

STEP = st.one_of(
    st.tuples(st.just("view"), st.sampled_from(sorted(VIEWS))),
    st.tuples(st.just("use"), st.integers(0, 5), st.sampled_from(sorted(USES))),
    st.tuples(st.just("change"), st.integers(0, 5), st.sampled_from(sorted(OPS)), st.just(False)),
    st.tuples(st.just("hook"), st.integers(0, 5)),
)
X0 = arrays(np.float64, (3, 4), elements=st.floats(-1, 1))


def _backward_runs(x0: np.ndarray, steps: list) -> bool:
    """Does backward run (ours refuses, as torch, where a change overwrote saved data)?"""
    x = autograd.tensor(x0, requires_grad=True)
    try:
        program_loss(autograd, x, steps).backward()
    except RuntimeError as e:
        assert "modified by an in-place operation" in str(e), e
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(x0=X0, steps=st.lists(STEP, min_size=1, max_size=6))
def test_every_value_of_a_random_program_has_the_finite_difference_jacobian(x0, steps):
    # every target's final value and every use is an output: gradcheck's backward from each
    # of their elements (retain_graph) goes through the rerouted ops again and again
    assume(_backward_runs(x0, steps))

    def values(x):
        targets, uses, _ = run(autograd, x, steps)
        return tuple(t for t in (*targets, *uses) if t.requires_grad)

    assert gradcheck(values, [autograd.tensor(x0, requires_grad=True)])


@settings(max_examples=25, deadline=None)
@given(x0=X0, steps=st.lists(STEP, min_size=1, max_size=5))
def test_second_derivatives_through_rerouted_ops_match_finite_differences(x0, steps):
    assume(_backward_runs(x0, steps))
    assert gradgradcheck(
        lambda x: program_loss(autograd, x, steps), [autograd.tensor(x0, requires_grad=True)]
    )


def _close_to_differences(grad, value, x) -> None:
    numeric = central_differences(value, x.data.copy())
    np.testing.assert_allclose(grad.data, numeric, rtol=1e-6, atol=1e-7)


def _x() -> autograd.Tensor:
    return autograd.tensor([0.5, -1.2, 2.0], dtype=autograd.float64, requires_grad=True)


def test_a_hook_registered_before_a_change_sees_the_old_values_gradient():
    # s = sum(exp(h0)) + sum(5 * 3 * h0): the hook on h before `h *= 3` sees d/dh0, one
    # registered after sees d/dh (= 5); handles still remove the first
    x = _x()
    h = x * 2
    seen: dict[str, list] = {"before": [], "after": [], "removed": []}
    h.register_hook(lambda g: seen["before"].append(g.data.copy()))
    handle = h.register_hook(lambda g: seen["removed"].append(g))
    s = h.exp().sum()
    h *= 3
    h.register_hook(lambda g: seen["after"].append(g.data.copy()))
    handle.remove()
    (s + (h * 5).sum()).backward()

    def of_old(h0):
        return np.exp(h0).sum() + (h0 * 3 * 5).sum()

    np.testing.assert_allclose(
        seen["before"], [central_differences(of_old, 2 * x.data)], rtol=1e-6, atol=1e-7
    )
    np.testing.assert_allclose(seen["after"], [np.full(3, 5.0)])
    assert seen["removed"] == []


def test_a_refused_change_leaves_the_hooks_where_they_were():
    x = _x()
    h = x * 2
    seen: list = []
    h.register_hook(lambda g: seen.append(g.data.copy()))
    with pytest.raises(RuntimeError, match="multiple"):
        h.split(1)[0].mul_(x[:1])
    with pytest.raises(RuntimeError, match="shape"):
        h.add_(autograd.ones(2, dtype=autograd.float64))
    (h * 3).sum().backward()
    np.testing.assert_allclose(seen, [np.full(3, 3.0)])


def test_a_hook_returning_a_gradient_changes_what_the_old_uses_pass_on():
    x = _x()
    h = x * 2
    h.register_hook(lambda g: g * 10)
    s = h.exp().sum()
    h *= 3
    (s + (h * 5).sum()).backward()
    np.testing.assert_allclose(x.grad.data, 10 * 2 * (np.exp(2 * x.data) + 15))


def test_retain_grad_keeps_the_new_values_gradient():
    x = _x()
    h = x * 2
    h.retain_grad()
    s = h.exp().sum()
    h *= 3
    (s + (h * 5).sum()).backward()
    np.testing.assert_allclose(h.grad.data, np.full(3, 5.0))


def test_grad_with_respect_to_old_uses_the_changed_tensor_and_the_leaf():
    x = _x()
    h = x * 2
    u = h.exp()
    s = (u * 2).sum()
    h *= 3
    loss = s + (h * u).sum()
    gu, gh, gx = autograd.autograd.grad(loss, [u, h, x], retain_graph=True)
    np.testing.assert_allclose(gu.data, 2 + 6 * x.data)
    np.testing.assert_allclose(gh.data, u.data)

    def value(x0):
        return np.sum(2 * np.exp(2 * x0)) + np.sum(6 * x0 * np.exp(2 * x0))

    _close_to_differences(gx, value, x)
    with pytest.raises(RuntimeError, match="not used"):  # the new h is not behind s
        autograd.autograd.grad(s, [h], retain_graph=True)
    assert autograd.autograd.grad(s, [h], allow_unused=True) == (None,)


def test_grad_fn_next_functions_after_a_change_lead_to_the_old_op():
    x = _x()
    h = x * 2
    s = h.exp() + h
    h *= 3
    exp_fn, mul_fn = (f for f, _ in s.grad_fn.next_functions)
    assert exp_fn.name() == "ExpBackward0" and mul_fn.name() == "MulBackward0"
    assert mul_fn is not h.grad_fn and exp_fn.next_functions[0][0] is mul_fn
    assert h.grad_fn.next_functions[0][0] is mul_fn  # the change's op also reads the old h


@pytest.mark.parametrize("reentrant", [True, False])
def test_a_checkpointed_calls_input_changed_after_the_call_keeps_its_value(reentrant):
    # the recomputation in backward reads the argument's value at the call, not the new one
    def f(x):
        h = x * 2
        y = checkpoint(lambda a: a.exp() * a, h, use_reentrant=reentrant)
        h *= 3
        return (y * 2).sum() + h.sum()

    x = _x()
    f(x).backward()

    def value(x0):
        return float(f(autograd.tensor(x0)).item())

    _close_to_differences(x.grad, value, x)


@pytest.mark.parametrize("reentrant", [True, False])
def test_a_checkpointed_calls_input_overwritten_in_memory_refuses_backward(reentrant):
    x = _x()
    h = x * 2
    y = checkpoint(lambda a: a.exp(), h, use_reentrant=reentrant)
    h[1:] *= 3  # through a view: written into h's memory, which the recomputation reads
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        (y.sum() + h.sum()).backward()


def test_detach_in_place_refuses_a_view_as_torch():
    h = _x() * 2
    with pytest.raises(RuntimeError, match="Can't detach views in-place"):
        h[1:].detach_()
    with pytest.raises(RuntimeError, match="Can't detach views in-place"):
        autograd.zeros(3)[1:].detach_()


def test_detach_in_place_after_a_change_keeps_the_old_uses():
    x = _x()
    h = x * 2
    s = h.exp().sum()
    h *= 3
    h.detach_()
    t = (h * x).sum()  # the detached h is a constant
    (s + t).backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.exp(2 * x.data) + 6 * x.data)


def test_changes_under_no_grad_between_recorded_ones_are_plain_writes():
    # h = 2x; s uses it; h += x (recorded); h *= 3 under no_grad (not seen by gradients);
    # t = sum(h * x) then has d/dx = h's value + x * d(3x)/dx
    x = _x()
    h = x * 2
    s = h.exp().sum()
    h += x
    with autograd.no_grad():
        h *= 3
    t = (h * x).sum()
    (s + t).backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.exp(2 * x.data) + 9 * x.data + 3 * x.data)


def test_anomaly_mode_runs_through_rerouted_ops():
    x = _x()
    with pytest.warns(UserWarning), autograd.autograd.detect_anomaly():
        h = x * 2
        s = h.exp().sum()
        h *= 3
        (s + h.sum()).backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.exp(2 * x.data) + 6)


def test_a_program_with_a_change_under_no_grad_is_run_by_the_helpers():
    # (the random programs above change nothing under no_grad; the oracle test does)
    steps = [("use", 0, "exp"), ("change", 0, "mul_number", True), ("use", 0, "sum")]
    assert has_quiet_change(steps) and not has_quiet_change(steps[:1])
    x = autograd.tensor(np.ones((3, 4)), requires_grad=True)
    targets, uses, logs = run(autograd, x, steps)
    assert loss_of(autograd, targets, uses).requires_grad and logs == []
