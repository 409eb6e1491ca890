"""The reference engines the benchmarks time against compute what ours computes, so their
timings compare like with like."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import tensor_floor
from benchmarks.data import mlp_weights, two_moons
from benchmarks.scalar_floor import ENGINES, chain_us_per_node, check_same_numbers


def test_floor_engines_give_the_same_loss_and_gradients_as_ours():
    X, y = two_moons(20)
    check_same_numbers(X, y)  # asserts every engine against the closure-per-op baseline


@pytest.mark.parametrize("name", ["bare", "bare+rules", "ours"])
def test_floor_engines_backpropagate_a_long_chain(name):
    chain_us_per_node(ENGINES[name], 5_000)  # asserts the leaf's gradient, 1.0001 ** n


@pytest.mark.parametrize("kind", [tensor_floor.BareTensor, tensor_floor.RulesTensor])
def test_tensor_floor_engines_give_the_numpy_floors_loss_and_gradients(kind):
    X, labels = two_moons(30)
    weights = mlp_weights(tensor_floor.SIZES, seed=2, dtype=np.float64)
    # asserts the loss and every gradient against the hand-written numpy backward
    tensor_floor.check_same_numbers(kind, weights, X.astype(np.float64), labels[:, None] * 1.0)
