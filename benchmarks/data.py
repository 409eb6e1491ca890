"""Deterministic datasets for the benchmarks (numpy only, fixed seeds)."""

from __future__ import annotations

import numpy as np


def two_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points on two interleaved half circles with Gaussian noise; labels -1 and +1."""
    rng = np.random.default_rng(seed)
    n_top = n // 2
    n_bottom = n - n_top
    t_top = np.linspace(0.0, np.pi, n_top)
    t_bottom = np.linspace(0.0, np.pi, n_bottom)
    top = np.stack([np.cos(t_top), np.sin(t_top)], axis=1)
    bottom = np.stack([1.0 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)], axis=1)
    X = np.concatenate([top, bottom]) + rng.normal(scale=noise, size=(n, 2))
    y = np.concatenate([-np.ones(n_top), np.ones(n_bottom)])
    order = rng.permutation(n)
    return X[order], y[order]


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
