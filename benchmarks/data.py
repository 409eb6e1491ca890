"""Deterministic datasets for the benchmarks (numpy only, fixed seeds): the demo's two moons,
and MLP weights."""

from __future__ import annotations

import numpy as np

from demos.moons_data import two_moons

__all__ = ["mlp_weights", "two_moons"]


def mlp_weights(sizes: list[int], seed: int = 1, dtype: type = np.float64) -> list[tuple]:
    """(W of shape (out, in), b of shape (out,)) per layer, uniform in +-1/sqrt(in)."""
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        W: np.ndarray = rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(dtype)
        b: np.ndarray = rng.uniform(-bound, bound, size=fan_out).astype(dtype)
        layers.append((W, b))
    return layers
