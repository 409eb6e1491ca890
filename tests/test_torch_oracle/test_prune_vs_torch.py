"""nn.utils.prune against torch.nn.utils.prune: the same pruning steps on layers with the same
weights give the same masks, pruned weights, parameter and buffer names (in order), state_dict
keys, gradients of weight_orig, and the same errors; the random methods prune as many."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch.nn.utils import prune as tprune  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
from nn.utils import prune as oprune  # noqa: E402

RNG = np.random.default_rng(21)


def conv_pair() -> tuple[Any, Any]:
    ours = nn.Conv2d(3, 4, 3).double()
    theirs = torch.nn.Conv2d(3, 4, 3).double()
    with torch.no_grad():
        for p, tp in zip(ours.parameters(), theirs.parameters()):
            p.data[...] = RNG.normal(size=p.shape)
            tp.copy_(torch.tensor(p.data))
    return ours, theirs


def same_state(m: Any, tm: Any) -> None:
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in tm.named_parameters()]
    assert [n for n, _ in m.named_buffers()] == [n for n, _ in tm.named_buffers()]
    assert list(m.state_dict()) == list(tm.state_dict())
    for (n, a), (_, b) in zip(m.state_dict().items(), tm.state_dict().items()):
        np.testing.assert_array_equal(np.asarray(a), b.numpy(), err_msg=n)
    for name in ("weight", "bias"):
        np.testing.assert_array_equal(getattr(m, name).data, getattr(tm, name).detach().numpy())
    assert oprune.is_pruned(m) == tprune.is_pruned(tm)
    hooks = [type(h).__name__ for h in m._forward_pre_hooks.values()]
    assert hooks == [type(h).__name__ for h in tm._forward_pre_hooks.values()]


STEPS: dict[str, list[Callable[[Any, Any], None]]] = {
    "l1": [lambda p, m: p.l1_unstructured(m, "weight", amount=0.3)],
    "l1 count and bias": [
        lambda p, m: p.l1_unstructured(m, "weight", amount=17),
        lambda p, m: p.l1_unstructured(m, "bias", amount=0.5),
    ],
    "ln dims and norms": [
        lambda p, m: p.ln_structured(m, "weight", amount=1, n=2, dim=0),
        lambda p, m: p.ln_structured(m, "weight", amount=0.34, n=float("inf"), dim=1),
        lambda p, m: p.ln_structured(m, "weight", amount=1, n=1, dim=-1),
    ],
    "iterative mixed": [
        lambda p, m: p.l1_unstructured(m, "weight", amount=0.5),
        lambda p, m: p.ln_structured(m, "weight", amount=2, n=3, dim=0),
        lambda p, m: p.l1_unstructured(m, "weight", amount=0.25),
    ],
    "identity then custom": [
        lambda p, m: p.identity(m, "weight"),
        lambda p, m: p.custom_from_mask(m, "bias", mask=_lib(p).tensor([1, 0, 0, 1])),
    ],
    "importance scores": [
        lambda p, m: p.l1_unstructured(
            m, "weight", amount=10, importance_scores=_lib(p).tensor(SCORES)
        ),
        lambda p, m: p.ln_structured(
            m, "weight", amount=1, n=2, dim=0, importance_scores=_lib(p).tensor(SCORES)
        ),
    ],
    "remove": [
        lambda p, m: p.l1_unstructured(m, "weight", amount=0.3),
        lambda p, m: p.ln_structured(m, "weight", amount=1, n=2, dim=0),
        lambda p, m: p.remove(m, "weight"),
        lambda p, m: p.l1_unstructured(m, "bias", amount=1),
    ],
}
SCORES = RNG.normal(size=(4, 3, 3, 3))


def _lib(prune_module: Any) -> Any:
    return torch if prune_module is tprune else autograd


@pytest.mark.parametrize("name", list(STEPS))
def test_the_same_steps_give_the_same_pruned_layer(name: str) -> None:
    m, tm = conv_pair()
    for step in STEPS[name]:
        step(oprune, m)
        step(tprune, tm)
        same_state(m, tm)
    x = RNG.normal(size=(2, 3, 6, 6))
    y, ty = m(autograd.tensor(x)), tm(torch.tensor(x))
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    (y**2).sum().backward()
    (ty**2).sum().backward()
    for (n, p), (_, tp) in zip(m.named_parameters(), tm.named_parameters()):
        np.testing.assert_allclose(p.grad.data, tp.grad.numpy(), rtol=1e-10, err_msg=n)


def test_global_unstructured_across_layers() -> None:
    pairs = [conv_pair() for _ in range(3)]
    scores = {0: RNG.normal(size=(4, 3, 3, 3))}
    ours = [(m, "weight") for m, _ in pairs] + [(pairs[0][0], "bias")]
    theirs = [(tm, "weight") for _, tm in pairs] + [(pairs[0][1], "bias")]
    oprune.global_unstructured(
        ours, oprune.L1Unstructured, {ours[0]: autograd.tensor(scores[0])}, amount=0.4
    )
    tprune.global_unstructured(
        theirs, tprune.L1Unstructured, {theirs[0]: torch.tensor(scores[0])}, amount=0.4
    )
    for m, tm in pairs:
        same_state(m, tm)
    oprune.global_unstructured(ours[:2], oprune.L1Unstructured, amount=30)  # again: the rest
    tprune.global_unstructured(theirs[:2], tprune.L1Unstructured, amount=30)
    for m, tm in pairs:
        same_state(m, tm)


def test_random_methods_prune_as_many() -> None:
    m, tm = conv_pair()
    oprune.random_unstructured(m, "weight", amount=0.3)
    tprune.random_unstructured(tm, "weight", amount=0.3)
    assert (m.weight_mask.data == 0).sum() == int((tm.weight_mask == 0).sum())
    oprune.random_structured(m, "weight", amount=2, dim=0)
    tprune.random_structured(tm, "weight", amount=2, dim=0)
    dead = (m.weight_mask.data == 0).reshape(4, -1).all(axis=1).sum()
    tdead = int((tm.weight_mask == 0).reshape(4, -1).all(dim=1).sum())
    assert dead == tdead == 2


BAD: list[Callable[[Any, Any], None]] = [
    lambda p, m: p.l1_unstructured(m, "weight", amount="a"),
    lambda p, m: p.l1_unstructured(m, "weight", amount=1.5),
    lambda p, m: p.l1_unstructured(m, "weight", amount=1000),
    lambda p, m: p.ln_structured(m, "bias", amount=1, n=2, dim=0),
    lambda p, m: p.ln_structured(m, "weight", amount=1, n=2, dim=4),
    lambda p, m: p.remove(m, "weight"),
    lambda p, m: p.global_unstructured([(m, "weight")], p.LnStructured, amount=1, n=2),
    lambda p, m: p.l1_unstructured(m, "weight", amount=1, importance_scores=_lib(p).ones(3)),
]


@pytest.mark.parametrize("call", BAD)
def test_bad_input_raises_the_same_error_and_leaves_the_layer_alone(call: Any) -> None:
    m, tm = conv_pair()
    with pytest.raises(Exception) as theirs:
        call(tprune, tm)
    with pytest.raises(type(theirs.value)):
        call(oprune, m)
    same_state(m, tm)


@pytest.mark.parametrize("name", ["l1", "l1 count and bias", "ln dims and norms", "remove"])
def test_ties_are_broken_as_torchs_topk_breaks_them(name: str) -> None:
    m, tm = conv_pair()
    with torch.no_grad():
        for p, tp in zip(m.parameters(), tm.parameters()):
            p.data[...] = RNG.integers(-2, 3, size=p.shape)  # magnitudes and norms tie
            tp.copy_(torch.tensor(p.data))
    for step in STEPS[name]:
        step(oprune, m)
        step(tprune, tm)
        same_state(m, tm)
    a, b = conv_pair()
    with torch.no_grad():
        for p, tp in zip(a.parameters(), b.parameters()):
            p.data[...] = 1.0
            tp.fill_(1.0)
    oprune.global_unstructured([(a, "weight"), (a, "bias")], oprune.L1Unstructured, amount=0.5)
    tprune.global_unstructured([(b, "weight"), (b, "bias")], tprune.L1Unstructured, amount=0.5)
    same_state(a, b)
