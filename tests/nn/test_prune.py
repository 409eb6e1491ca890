"""nn.utils.prune (torch.nn.utils.prune): the reparametrisation (weight_orig, weight_mask, the
pre-hook), each method's mask against numpy, iterative pruning, global pruning, remove, the
gradient through a pruned layer against finite differences, and the errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd
import nn
from nn.utils import prune

DISTINCT = arrays(
    np.float64, (4, 3), elements=st.floats(-3, 3, allow_subnormal=False), unique=True
).filter(lambda a: len(np.unique(np.abs(a))) == a.size)


def linear(w: np.ndarray) -> nn.Linear:
    m = nn.Linear(w.shape[1], w.shape[0]).double()
    m.weight.data[...] = w
    return m


@settings(max_examples=25, deadline=None)
@given(w=DISTINCT, amount=st.one_of(st.integers(0, 12), st.floats(0, 1)))
def test_l1_unstructured_prunes_the_smallest_magnitudes(w: np.ndarray, amount: float) -> None:
    m = prune.l1_unstructured(linear(w), "weight", amount=amount)
    k = amount if isinstance(amount, int) else round(amount * 12)
    expected = np.ones(12)
    expected[np.argsort(np.abs(w).reshape(-1))[:k]] = 0
    np.testing.assert_array_equal(m.weight_mask.data.reshape(-1), expected)
    np.testing.assert_array_equal(m.weight.data, w * expected.reshape(4, 3))
    assert m.weight_mask.dtype == np.float64


@settings(max_examples=25, deadline=None)
@given(
    w=DISTINCT,
    n=st.sampled_from([1, 2, 3, float("inf"), float("-inf"), "fro"]),
    dim=st.sampled_from([0, 1, -1]),
    amount=st.integers(0, 3),
)
def test_ln_structured_prunes_the_channels_of_smallest_norm(
    w: np.ndarray, n: object, dim: int, amount: int
) -> None:
    m = prune.ln_structured(linear(w), "weight", amount=amount, n=n, dim=dim)
    axis = 1 - (dim % 2)  # the other axis
    p = 2 if n == "fro" else n
    if p == float("inf"):
        norms = np.abs(w).max(axis=axis)
    elif p == float("-inf"):
        norms = np.abs(w).min(axis=axis)
    else:
        norms = (np.abs(w) ** p).sum(axis=axis) ** (1 / p)
    keep = np.zeros(w.shape[dim], bool)
    if len(np.unique(norms)) == len(norms):
        keep[np.argsort(-norms)[: w.shape[dim] - amount]] = True
        expected = np.expand_dims(keep, axis).astype(float) * np.ones_like(w)
        np.testing.assert_array_equal(m.weight_mask.data, expected)
    zeros = (m.weight_mask.data == 0).all(axis=axis).sum()
    assert zeros == amount


def test_reparametrisation_as_torch_and_the_hook_recomputes_the_weight() -> None:
    m = nn.Linear(3, 2)
    orig = m.weight
    prune.l1_unstructured(m, "weight", amount=2)
    assert [n for n, _ in m.named_parameters()] == ["bias", "weight_orig"]
    assert [n for n, _ in m.named_buffers()] == ["weight_mask"]
    assert m.weight_orig is orig and "weight" not in m._parameters
    hooks = list(m._forward_pre_hooks.values())
    assert len(hooks) == 1 and isinstance(hooks[0], prune.L1Unstructured)
    assert hooks[0]._tensor_name == "weight"
    with autograd.no_grad():
        m.weight_orig.data[...] = 1.0  # training changes the original...
    m(autograd.ones(1, 3))  # ...and the next call prunes it again
    np.testing.assert_array_equal(m.weight.data, m.weight_mask.data)
    assert list(m.state_dict()) == ["bias", "weight_orig", "weight_mask"]
    assert prune.is_pruned(nn.Sequential(m)) and not prune.is_pruned(nn.Linear(2, 2))


@settings(max_examples=10, deadline=None)
@given(w=DISTINCT, seed=st.integers(0, 2**16))
def test_gradient_reaches_weight_orig_only_where_kept(w: np.ndarray, seed: int) -> None:
    x = np.random.default_rng(seed).normal(size=(5, 3))
    m = prune.l1_unstructured(linear(w), "weight", amount=5)

    def loss() -> autograd.Tensor:
        return (m(autograd.tensor(x)).tanh() ** 2).sum()

    loss().backward()
    numeric = np.zeros_like(w)
    for idx in np.ndindex(*w.shape):
        saved = m.weight_orig.data[idx]
        m.weight_orig.data[idx] = saved + 1e-6
        up = loss().item()
        m.weight_orig.data[idx] = saved - 1e-6
        down = loss().item()
        m.weight_orig.data[idx] = saved
        numeric[idx] = (up - down) / 2e-6
    np.testing.assert_allclose(m.weight_orig.grad.data, numeric, rtol=1e-5, atol=1e-7)
    assert (m.weight_orig.grad.data[m.weight_mask.data == 0] == 0).all()


def test_iterative_pruning_acts_on_what_is_left() -> None:
    w = np.arange(1.0, 13.0).reshape(4, 3)
    m = prune.l1_unstructured(linear(w), "weight", amount=3)  # 1, 2, 3
    prune.l1_unstructured(m, "weight", amount=2)  # then 4, 5 (not the zeros again)
    assert (m.weight_mask.data.reshape(-1) == 0).sum() == 5
    np.testing.assert_array_equal(m.weight_mask.data.reshape(-1)[:6], [0, 0, 0, 0, 0, 1])
    # rows 1 (0, 0, 6), 2 and 3 are left: row 1 has the smallest L1 norm of what is left
    prune.ln_structured(m, "weight", amount=1, n=1, dim=0)
    container = next(iter(m._forward_pre_hooks.values()))
    assert isinstance(container, prune.PruningContainer) and len(container) == 3
    assert [type(h).__name__ for h in container] == [
        "L1Unstructured",
        "L1Unstructured",
        "LnStructured",
    ]
    np.testing.assert_array_equal(m.weight_mask.data[:2], 0)
    np.testing.assert_array_equal(m.weight_mask.data[2:], 1)
    prune.remove(m, "weight")
    assert not prune.is_pruned(m) and isinstance(m.weight, nn.Parameter)
    np.testing.assert_array_equal(m.weight.data[2:], w[2:])
    np.testing.assert_array_equal(m.weight.data[:2], 0)
    assert [n for n, _ in m.named_parameters()] == ["bias", "weight"]


def test_global_custom_identity_and_random_methods() -> None:
    a, b = linear(np.array([[1.0, -9.0], [3.0, 4.0]])), linear(np.array([[-2.0, 8.0]]))
    prune.global_unstructured([(a, "weight"), (b, "weight")], prune.L1Unstructured, amount=3)
    np.testing.assert_array_equal(a.weight_mask.data, [[0, 1], [0, 1]])
    np.testing.assert_array_equal(b.weight_mask.data, [[0, 1]])
    m = prune.custom_from_mask(nn.Linear(5, 3), name="bias", mask=autograd.tensor([0, 1, 0]))
    np.testing.assert_array_equal(m.bias_mask.data, [0.0, 1.0, 0.0])
    assert m.bias_mask.dtype == np.float32
    i = prune.identity(nn.Linear(2, 2), "weight")
    np.testing.assert_array_equal(i.weight_mask.data, 1)
    r = prune.random_unstructured(nn.Linear(10, 10), "weight", amount=0.25)
    assert (r.weight_mask.data == 0).sum() == 25
    s = prune.random_structured(nn.Linear(4, 6), "weight", amount=2, dim=0)
    assert (s.weight_mask.data == 0).all(axis=1).sum() == 2
    assert ((s.weight_mask.data == 0).any(axis=1) == (s.weight_mask.data == 0).all(axis=1)).all()


def test_errors_as_torch() -> None:
    with pytest.raises(TypeError, match="Invalid type for amount"):
        prune.l1_unstructured(nn.Linear(2, 2), "weight", amount="a")
    with pytest.raises(ValueError, match="should either be a float in the range"):
        prune.l1_unstructured(nn.Linear(2, 2), "weight", amount=1.5)
    with pytest.raises(ValueError, match="should either be a float in the range"):
        prune.l1_unstructured(nn.Linear(2, 2), "weight", amount=-1)
    m = nn.Linear(2, 2)
    with pytest.raises(ValueError, match="amount=5 should be smaller than the number"):
        prune.l1_unstructured(m, "weight", amount=5)
    assert [n for n, _ in m.named_parameters()] == ["bias", "weight"]  # put back (as torch)
    assert not prune.is_pruned(m)
    with pytest.raises(ValueError, match="Structured pruning can only be applied to multidim"):
        prune.ln_structured(nn.Linear(2, 2), "bias", amount=1, n=2, dim=0)
    with pytest.raises(IndexError, match="Invalid index 2 for tensor of size"):
        prune.ln_structured(nn.Linear(2, 2), "weight", amount=1, n=2, dim=2)
    with pytest.raises(ValueError, match="has to be pruned before pruning can be removed"):
        prune.remove(nn.Linear(2, 2), "weight")
    with pytest.raises(AssertionError, match="importance_scores should have the same shape"):
        prune.l1_unstructured(
            nn.Linear(2, 2), "weight", amount=1, importance_scores=autograd.ones(3)
        )
    with pytest.raises(TypeError, match='Only "unstructured" PRUNING_TYPE supported'):
        prune.global_unstructured([(nn.Linear(2, 2), "weight")], prune.LnStructured, amount=1, n=2)
    with pytest.raises(TypeError, match="importance_scores must be of type dict"):
        prune.global_unstructured(
            [(nn.Linear(2, 2), "weight")], prune.L1Unstructured, importance_scores=[1], amount=1
        )
    with pytest.raises(TypeError, match="is not a BasePruningMethod subclass"):
        prune.PruningContainer().add_pruning_method(3)


class EveryOther(prune.BasePruningMethod):
    """The pruning tutorial's own method: every other entry."""

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t: autograd.Tensor, default_mask: autograd.Tensor) -> autograd.Tensor:
        mask = default_mask.clone()
        mask.view(-1)[::2] = 0
        return mask


def test_a_method_of_ones_own_as_in_the_tutorial() -> None:
    m = nn.Linear(3, 10)
    EveryOther.apply(m, "bias")
    np.testing.assert_array_equal(m.bias_mask.data, [0, 1] * 5)
    m(autograd.ones(2, 3)).sum().backward()
    np.testing.assert_array_equal(m.bias_orig.grad.data, [0, 2] * 5)
    pruned = EveryOther().prune(autograd.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(pruned.data, [0, 2, 0])
