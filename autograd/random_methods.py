"""torch.Tensor's random methods: the in-place fills ``bernoulli_``, ``random_``,
``exponential_``, ``log_normal_``, ``cauchy_`` and ``geometric_`` (beside ``uniform_`` and
``normal_`` in tensor.py), and the method forms of ``bernoulli`` and ``multinomial``.

Each fill draws from the library's generator (or ``generator=``) and writes with the in-place
rules of ``inplace.py``: self is returned, its version goes up, and a leaf that requires grad
is refused outside ``no_grad()``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .random import resolve_generator

if TYPE_CHECKING:
    from .tensor import Tensor


def _floating_only(t: Any, op: str, what: str) -> None:
    if t.dtype.kind != "f":
        raise RuntimeError(
            f"{op}: {what} is a continuous probability distribution; the tensor's dtype must "
            f"be a floating point one, got {t.dtype}"
        )


def _positive(value: Any, op: str, name: str) -> float:
    if not float(value) > 0:
        raise RuntimeError(f"{op} expects {name} > 0.0, but found {name}={value}")
    return float(value)


def _default_upper(dtype: np.dtype) -> int:
    """random_()'s exclusive upper bound: every integer the dtype holds exactly."""
    if dtype.kind == "b":
        return 2
    if dtype.kind == "f":
        return 2 ** (np.finfo(dtype).nmant + 1) + 1
    return int(np.iinfo(dtype).max) + 1


class RandomMethods:
    """Mixed into Tensor."""

    __slots__ = ()

    if TYPE_CHECKING:

        @property
        def dtype(self) -> np.dtype: ...
        @property
        def shape(self) -> tuple: ...

        def _inplace(self, compute: Any, op: str) -> Tensor: ...

    def _fill(
        self, draw: Callable[[np.random.Generator, tuple], Any], generator: Any, op: str
    ) -> Any:
        from .tensor import _full_as

        rng = resolve_generator(generator, op)
        return self._inplace(lambda t: _full_as(t, draw(rng, tuple(t.shape))), op)

    def bernoulli(self, p: Any = None, *, generator: Any = None) -> Tensor:
        """0/1 draws with probability ``self`` (or ``p`` for every entry), in self's dtype."""
        from .creation import bernoulli

        return bernoulli(self, p, generator=generator)

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 0/1 draws that are 1 with probability ``p`` (a number, or a tensor of
        probabilities broadcast to self's shape)."""
        probs = np.asarray(p._data if hasattr(p, "data") else p, dtype=np.float64)
        if not np.all((probs >= 0) & (probs <= 1)):
            shown = p if probs.ndim == 0 else "a tensor with entries outside [0, 1]"
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={shown}")
        return self._fill(lambda rng, shape: rng.random(shape) < probs, generator, "bernoulli_")

    def multinomial(
        self, num_samples: int, replacement: bool = False, *, generator: Any = None
    ) -> Tensor:
        """Category indices drawn from each row of self's weights (see ``autograd.multinomial``)."""
        from .creation import multinomial

        return multinomial(self, num_samples, replacement, generator=generator)

    def random_(self, *bounds: Any, generator: Any = None, **named: Any) -> Tensor:
        """Fill with integers drawn uniformly from [from, to): ``random_(to)``,
        ``random_(from, to)``, or ``random_()`` for [0, the largest integer the dtype holds
        exactly]."""
        lo, hi = _random_bounds(bounds, named, self.dtype)
        kind = np.uint64 if self.dtype == np.uint64 else np.int64
        return self._fill(
            lambda rng, shape: rng.integers(lo, hi, shape, dtype=kind), generator, "random_"
        )

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with draws from the exponential distribution of rate ``lambd``."""
        _floating_only(self, "exponential_", "the exponential distribution")
        scale = 1.0 / _positive(lambd, "exponential_", "lambda")
        return self._fill(lambda rng, s: rng.exponential(scale, s), generator, "exponential_")

    def log_normal_(self, mean: float = 1.0, std: float = 2.0, *, generator: Any = None) -> Tensor:
        """Fill with exp(N(mean, std^2)) draws."""
        _floating_only(self, "log_normal_", "the log-normal distribution")
        sigma = _positive(std, "log_normal_", "std")
        return self._fill(lambda rng, s: rng.lognormal(mean, sigma, s), generator, "log_normal_")

    def cauchy_(self, median: float = 0.0, sigma: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with draws from the Cauchy distribution at ``median`` with scale ``sigma``."""
        _floating_only(self, "cauchy_", "the Cauchy distribution")
        scale = _positive(sigma, "cauchy_", "sigma")
        return self._fill(
            lambda rng, s: median + scale * rng.standard_cauchy(s), generator, "cauchy_"
        )

    def geometric_(self, p: float, *, generator: Any = None) -> Tensor:
        """Fill with the number of Bernoulli(p) trials up to and including the first success
        (1, 2, ...)."""
        if not 0 < float(p) < 1:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
        return self._fill(lambda rng, s: rng.geometric(float(p), s), generator, "geometric_")


def _int_bound(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"random_: '{name}' must be an int, got {type(value).__name__}")
    return int(value)


def _random_bounds(bounds: tuple, named: dict, dtype: np.dtype) -> tuple[int, int]:
    """(from, to) of ``random_``'s arguments: (to), (from, to) or (), also as keywords."""
    unknown = set(named) - {"from", "to"}
    if unknown or len(bounds) > 2:
        raise TypeError(f"random_: takes (to), (from, to) or no bounds, got extra {unknown}")
    if len(bounds) == 1 and "to" not in named and "from" not in named:
        lo, hi = 0, bounds[0]
    else:
        given = dict(zip(("from", "to"), bounds)) | named
        lo, hi = given.get("from", 0), given.get("to")
    lo = _int_bound(lo, "from")
    hi = _default_upper(dtype) if hi is None else _int_bound(hi, "to")
    if lo >= hi:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={lo} >= to={hi}"
        )
    if dtype.kind in "iub":
        info = np.iinfo(dtype) if dtype.kind != "b" else None
        low, high = (0, 1) if info is None else (int(info.min), int(info.max))
        if lo < low:
            raise RuntimeError(f"random_: from is out of bounds for {dtype}")
        if hi - 1 > high:
            raise RuntimeError(f"random_: to - 1 is out of bounds for {dtype}")
    return lo, hi
