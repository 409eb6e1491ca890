"""``fma(a, b, c)``: a * b + c rounded once, as a fused multiply-add instruction computes it.

PyTorch's CPU kernels are compiled for FMA-capable processors, and the compiler fuses a
multiply followed by an add into one instruction, so some of its results (linspace's points,
grid_sample's source coordinates) are the once-rounded a * b + c. numpy has no fused
multiply-add; here it is computed without it, exactly (Boldo and Melquiond's emulation with
rounding to odd):

- float64: Dekker's exact product (Veltkamp's split of each factor into halves whose products
  are exact) gives a * b = p + e, Knuth's two-sum gives p + c = s + t; then s + (t + e),
  where t + e is rounded to odd (to the neighbour with an odd last bit when inexact) before
  the last, correctly rounded addition.
- float32: a * b + c is exact as p + t in float64 (the product of two float32 values is
  exact there), rounded to odd in float64, then to float32.

Operands so large that the split overflows, and non-finite results, fall back to a * b + c;
results in the subnormal range can be off by their last bit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

_SPLIT = 134217729.0  # 2**27 + 1: Veltkamp's constant for float64's 53-bit significand
_SAFE = 2.0**996  # beyond this the split's multiplication could overflow


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x = hi + lo with hi and lo each of at most 26 significant bits."""
    scaled = _SPLIT * x
    hi = scaled - (scaled - x)
    return hi, x - hi


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(p, e) with p = fl(a * b) and p + e = a * b exactly."""
    p = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, e


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(s, t) with s = fl(a + b) and s + t = a + b exactly."""
    s = a + b
    bb = s - a
    t = (a - (s - bb)) + (b - bb)
    return s, t


def _round_to_odd(s: np.ndarray, t: np.ndarray) -> np.ndarray:
    """s + t (s = fl(s + t)) rounded to odd: s itself when exact or odd, else the neighbour
    of s towards t, whose last bit is odd."""
    even = (s.view(np.int64) & 1) == 0
    move = even & (t != 0) & np.isfinite(s)
    if not move.any():
        return s
    return np.where(move, np.nextafter(s, np.where(t > 0, np.inf, -np.inf)), s)


def fma(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> np.ndarray:
    """a * b + c rounded once, in the floating type of the broadcast operands (float64 for
    integers); the operands broadcast as numpy's arithmetic does."""
    dt = np.result_type(a, b, c)
    if dt.kind != "f":
        dt = np.dtype(np.float64)
    if dt.itemsize > 8:  # long double: no float64 trick applies; its own rounding
        return np.asarray(np.asarray(a, dt) * np.asarray(b, dt) + np.asarray(c, dt))
    x, y, z = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, c)))
    with np.errstate(all="ignore"):
        if dt.itemsize < 8:  # the float64 product of narrower floats is exact
            s, t = _two_sum(x * y, z)
            out = _round_to_odd(s, t).astype(dt)
        else:
            p, e = _two_product(x, y)
            s, t = _two_sum(z, p)
            u, v = _two_sum(t, e)
            out = np.asarray(s + _round_to_odd(u, v))
        plain = ~np.isfinite(out) | (np.abs(x) > _SAFE) | (np.abs(y) > _SAFE)
        if plain.any():
            out = np.where(plain, (x * y + z).astype(dt), out)
    return np.asarray(out).astype(dt, copy=False)
