"""The random generator that creation helpers, initialisers and dropout draw from."""

from __future__ import annotations

import numpy as np


class _State:
    rng: np.random.Generator = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Make every later random draw of the library repeatable."""
    _State.rng = np.random.default_rng(seed)


def default_generator() -> np.random.Generator:
    """The library's shared numpy Generator."""
    return _State.rng
