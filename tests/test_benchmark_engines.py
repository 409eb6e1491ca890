"""The reference engines the scalar benchmarks time against compute what ours computes, so
their timings compare like with like."""

from __future__ import annotations

import pytest

from benchmarks.data import two_moons
from benchmarks.scalar_floor import ENGINES, chain_us_per_node, check_same_numbers


def test_floor_engines_give_the_same_loss_and_gradients_as_ours():
    X, y = two_moons(20)
    check_same_numbers(X, y)  # asserts every engine against the closure-per-op baseline


@pytest.mark.parametrize("name", ["bare", "bare+rules", "ours"])
def test_floor_engines_backpropagate_a_long_chain(name):
    chain_us_per_node(ENGINES[name], 5_000)  # asserts the leaf's gradient, 1.0001 ** n
