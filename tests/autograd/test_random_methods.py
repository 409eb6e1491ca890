"""The random fills (``bernoulli_``, ``random_``, ``exponential_``, ``log_normal_``,
``cauchy_``, ``geometric_``) and the method forms of ``bernoulli`` and ``multinomial``: their
distributions (moments from a fixed seed, within generous bounds), supports, dtypes, the
in-place rules, and torch's errors for bad arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

N = 40_000

# name -> (fill, mean, variance, support check)
FILLS = {
    "bernoulli_": (lambda t: t.bernoulli_(0.3), 0.3, 0.21, lambda v: np.isin(v, [0, 1]).all()),
    "random_from_to": (
        lambda t: t.random_(3, 7),
        4.5,
        1.25,
        lambda v: np.isin(v, [3, 4, 5, 6]).all(),
    ),
    "random_to": (lambda t: t.random_(2), 0.5, 0.25, lambda v: np.isin(v, [0, 1]).all()),
    "exponential_": (lambda t: t.exponential_(2.0), 0.5, 0.25, lambda v: (v >= 0).all()),
    "log_normal_": (
        lambda t: t.log_normal_(0.0, 0.5),
        math.exp(0.125),
        (math.exp(0.25) - 1) * math.exp(0.25),
        lambda v: (v > 0).all(),
    ),
    "geometric_": (
        lambda t: t.geometric_(0.25),
        4.0,
        12.0,
        lambda v: ((v >= 1) & (v == np.round(v))).all(),
    ),
}


@pytest.mark.parametrize("name", sorted(FILLS))
def test_fill_has_the_distribution_and_follows_the_in_place_rules(name: str) -> None:
    fill, mean, var, support = FILLS[name]
    autograd.manual_seed(0)
    t = autograd.zeros(N, dtype=autograd.float64)
    arr = t.data
    assert fill(t) is t
    assert t.data is arr and t._version == 1 and t.dtype == np.float64
    v = t.data
    assert support(v)
    se = math.sqrt(var / N)
    assert abs(v.mean() - mean) < 6 * se
    assert abs(v.var() - var) < 0.1 * var


def test_cauchy_fill_has_its_median_and_quartiles() -> None:
    autograd.manual_seed(1)
    v = autograd.empty(N).cauchy_(median=2.0, sigma=3.0).data
    assert v.dtype == np.float32
    assert abs(np.median(v) - 2.0) < 0.15
    inside = np.mean((v > -1.0) & (v < 5.0))  # median -+ sigma holds half of the mass
    assert abs(inside - 0.5) < 0.02


def test_fills_repeat_with_the_seed_and_take_a_generator() -> None:
    a = autograd.zeros(5).exponential_(generator=autograd.Generator().manual_seed(3))
    b = autograd.zeros(5).exponential_(generator=autograd.Generator().manual_seed(3))
    np.testing.assert_array_equal(a.data, b.data)
    with pytest.raises(TypeError, match="geometric_: generator must be"):
        autograd.zeros(2).geometric_(0.5, generator=1)


def test_bernoulli_fill_takes_a_tensor_of_probabilities() -> None:
    t = autograd.zeros(3, N)
    t.bernoulli_(autograd.tensor([[0.0], [1.0], [0.5]]))
    assert (t.data[0] == 0).all() and (t.data[1] == 1).all()
    assert abs(t.data[2].mean() - 0.5) < 0.02


def test_random_fill_without_bounds_covers_the_dtype() -> None:
    autograd.manual_seed(2)
    f = autograd.zeros(1000).random_().data
    assert (f >= 0).all() and (f <= 2**24).all() and f.max() > 2**23
    assert f.dtype == np.float32 and (f == np.round(f)).all()
    u = autograd.zeros(1000, dtype=autograd.uint8).random_().data
    assert u.dtype == np.uint8 and u.max() > 200
    b = autograd.zeros(100, dtype=autograd.bool).random_().data
    assert b.dtype == np.bool_ and b.any() and not b.all()
    i = autograd.zeros(100, dtype=autograd.int64).random_(-5, to=5).data
    assert i.min() == -5 and i.max() == 4


BAD = [
    (lambda t: t.exponential_(0), RuntimeError, "exponential_ expects lambda > 0.0"),
    (lambda t: t.geometric_(1), RuntimeError, r"geometric_ expects p to be in \(0, 1\)"),
    (lambda t: t.log_normal_(1, 0), RuntimeError, "log_normal_ expects std > 0.0"),
    (lambda t: t.cauchy_(0, -1), RuntimeError, "cauchy_ expects sigma > 0.0"),
    (lambda t: t.bernoulli_(1.5), RuntimeError, r"bernoulli_ expects p to be in \[0, 1\]"),
    (lambda t: t.random_(5, 5), RuntimeError, "random_ expects 'from' to be less than 'to'"),
    (lambda t: t.long().exponential_(), RuntimeError, "exponential_.*floating point"),
    (lambda t: t.long().cauchy_(), RuntimeError, "cauchy_.*floating point"),
    (lambda t: t.byte().random_(0, 300), RuntimeError, "random_: to - 1 is out"),
    (lambda t: t.byte().random_(-1, 3), RuntimeError, "random_: from is out"),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_arguments_fail_as_in_torch(i: int) -> None:
    call, error, match = BAD[i]
    with pytest.raises(error, match=match):
        call(autograd.zeros(3))
    torch = pytest.importorskip("torch")
    with pytest.raises((RuntimeError, NotImplementedError)):
        call(torch.zeros(3))


def test_fill_refuses_a_leaf_that_requires_grad_and_keeps_a_non_leaf_in_the_graph() -> None:
    p = autograd.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="bernoulli_: a leaf Tensor that requires grad"):
        p.bernoulli_(0.3)
    with autograd.no_grad():
        assert p.geometric_(0.5) is p
    assert p.requires_grad and (p.data >= 1).all()
    h = p * 2
    h.exponential_()
    assert h.requires_grad  # as torch: still in the graph, the old value gets a zero gradient
    h.sum().backward()
    np.testing.assert_array_equal(p.grad.data, [0.0, 0.0, 0.0])


def test_method_forms_of_bernoulli_and_multinomial() -> None:
    autograd.manual_seed(4)
    probs = autograd.tensor([0.0, 1.0, 0.25], dtype=autograd.float64)
    b = autograd.stack([probs.bernoulli() for _ in range(2000)])
    assert b.dtype == np.float64
    np.testing.assert_allclose(b.data.mean(0), [0.0, 1.0, 0.25], atol=0.04)
    assert set(np.unique(probs.bernoulli(0.5).data)) <= {0.0, 1.0}
    m = autograd.tensor([[0.0, 1.0, 3.0], [1.0, 0.0, 0.0]]).multinomial(N, replacement=True)
    assert m.dtype == np.int64 and tuple(m.shape) == (2, N)
    assert abs((m.data[0] == 2).mean() - 0.75) < 0.01 and (m.data[1] == 0).all()
    assert sorted(autograd.ones(4).multinomial(4).tolist()) == [0, 1, 2, 3]
    with pytest.raises(RuntimeError, match="multinomial"):
        autograd.ones(2).multinomial(3)
