"""Random number generation: the library's default generator, ``Generator`` objects and the
seeding functions (``manual_seed``, ``seed``, ``initial_seed``, ``get_rng_state``...).

Every random draw of the library (creation functions, sampling, ``nn.init``, dropout, data
shuffling) comes from a ``generator=`` argument when one is given, else from the default
generator, so ``autograd.manual_seed(s)`` makes a whole run repeatable.

A ``Generator`` is a ``numpy.random.Generator`` (PCG64) with PyTorch's seeding interface, so
numpy's methods (``.random()``, ``.permutation(n)``...) work on it and a plain numpy Generator
is accepted wherever a ``generator=`` is. The streams are not PyTorch's: the same seed gives
different numbers than ``torch.manual_seed`` does.
"""

from __future__ import annotations

import contextlib
import json
import numbers
from collections.abc import Iterator
from typing import Any

import numpy as np

from .devices import CPU, check_device
from .devices import device as _device

# PyTorch's seed for a freshly made Generator: a new Generator gives the same stream every run.
DEFAULT_SEED = 67280421310721
_U64 = 0xFFFF_FFFF_FFFF_FFFF


def _seed_value(seed: Any, op: str) -> int:
    """``seed`` as PyTorch takes it: an integer in [-2**63, 2**64 - 1], negatives taken as
    their 64-bit two's complement (-1 is 2**64 - 1)."""
    if isinstance(seed, float) and seed.is_integer():
        seed = int(seed)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{op}: seed must be an integer, got {type(seed).__name__} {seed!r}")
    seed = int(seed)
    if not -(2**63) <= seed <= _U64:
        raise ValueError(
            f"{op}: seed must be within the inclusive range [-0x8000_0000_0000_0000, "
            f"0xffff_ffff_ffff_ffff], got {seed}"
        )
    return seed & _U64


def _fresh_seed() -> int:
    """A non-deterministic 64-bit seed from the operating system's entropy."""
    return int(np.random.SeedSequence().entropy) & _U64  # type: ignore[arg-type]


class Generator(np.random.Generator):
    """An independent stream of random numbers, as ``torch.Generator``.

    ``Generator()`` starts from PyTorch's fixed default seed; ``g.manual_seed(s)`` reseeds it
    and returns it, so ``autograd.randn(3, generator=Generator().manual_seed(0))`` is
    repeatable and draws nothing from the default generator.
    """

    def __init__(self, device: Any = "cpu") -> None:
        check_device(device, "Generator")
        super().__init__(np.random.PCG64(DEFAULT_SEED))
        self._initial_seed = DEFAULT_SEED

    @property
    def device(self) -> _device:
        """Where the generator lives: always the CPU."""
        return CPU

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream from ``seed``; returns the generator."""
        seed = _seed_value(seed, "Generator.manual_seed")
        self.bit_generator.state = np.random.PCG64(seed).state
        self._initial_seed = seed
        return self

    def seed(self) -> int:
        """Reseed from the operating system's entropy; returns the new seed."""
        s = _fresh_seed()
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        """The seed the stream last started from."""
        return self._initial_seed

    def get_state(self) -> Any:
        """The stream's position as a uint8 Tensor (for ``set_state``)."""
        from .tensor import Tensor

        state = {"bit_generator": self.bit_generator.state, "initial_seed": self._initial_seed}
        raw = json.dumps(state, sort_keys=True).encode()
        return Tensor(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state: Any) -> Generator:
        """Return to a position saved by ``get_state()``; returns the generator."""
        arr = np.asarray(getattr(new_state, "data", new_state))
        try:
            if arr.dtype != np.uint8 or arr.ndim != 1:
                raise ValueError(f"expected a 1-d uint8 tensor, got {arr.dtype} of {arr.shape}")
            state = json.loads(arr.tobytes().decode())
            bits = state["bit_generator"]
            if bits.get("bit_generator") != "PCG64":
                raise ValueError("not a PCG64 state")
            probe = np.random.PCG64()
            probe.state = bits  # validates the numbers before this generator changes
            seed = _seed_value(state["initial_seed"], "set_state")
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as e:
            raise RuntimeError(
                f"Generator.set_state: not a state made by get_state() ({e})"
            ) from None
        self.bit_generator.state = bits
        self._initial_seed = seed
        return self

    def __reduce__(self) -> tuple:
        return (_rebuild, (self.bit_generator.state, self._initial_seed))

    def __repr__(self) -> str:
        return f"<autograd.Generator initial_seed={self._initial_seed}>"


def _rebuild(state: dict, initial_seed: int) -> Generator:
    g = Generator()
    g.bit_generator.state = state
    g._initial_seed = initial_seed
    return g


_DEFAULT = Generator()
_DEFAULT.seed()


def default_generator() -> Generator:
    """The library's shared generator (the same object for the whole run; ``manual_seed``
    reseeds it in place, so a reference kept earlier sees the new seed)."""
    return _DEFAULT


def resolve_generator(generator: Any, op: str) -> np.random.Generator:
    """The generator a random function named ``op`` draws from: ``generator`` (an
    ``autograd.Generator`` or any ``numpy.random.Generator``) or else the default one."""
    if generator is None:
        return _DEFAULT
    if not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"{op}: generator must be an autograd.Generator (or a numpy.random.Generator), got "
            f"{type(generator).__module__}.{type(generator).__name__}"
        )
    return generator


def manual_seed(seed: int) -> Generator:
    """Seed the default generator: every later draw of the library repeats from here.
    Returns the default generator (as PyTorch)."""
    return _DEFAULT.manual_seed(seed)


def seed() -> int:
    """Reseed the default generator non-deterministically; returns the seed."""
    return _DEFAULT.seed()


def initial_seed() -> int:
    """The seed the default generator last started from."""
    return _DEFAULT.initial_seed()


def get_rng_state() -> Any:
    """The default generator's position as a uint8 Tensor."""
    return _DEFAULT.get_state()


def set_rng_state(new_state: Any) -> None:
    """Return the default generator to a position from ``get_rng_state()``."""
    _DEFAULT.set_state(new_state)


class _Deterministic:
    mode = False
    warn_only = False


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Accepted for PyTorch's seeding recipes: every computation of this library is already
    deterministic on the CPU (the same inputs and seed give the same bits), so the flag is
    only recorded (``are_deterministic_algorithms_enabled``)."""
    _Deterministic.mode = bool(mode)
    _Deterministic.warn_only = bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """The flag last set by ``use_deterministic_algorithms`` (False at start, as PyTorch)."""
    return _Deterministic.mode


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The ``warn_only`` flag last set by ``use_deterministic_algorithms``."""
    return _Deterministic.warn_only


@contextlib.contextmanager
def fork_rng(
    devices: Any = None, enabled: bool = True, device_type: str = "cpu", **_: Any
) -> Iterator[None]:
    """Inside the block draw freely; afterwards the default generator is back where it was."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
