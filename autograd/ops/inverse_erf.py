"""The inverses of erf and of the normal distribution function on float64 arrays: erfinv and
ndtri (numpy has neither).

A starting point from Winitzki's closed-form approximation of erfinv (relative error about
2e-3) is refined:
  * for |x| <= 0.5, by three Halley steps on erf(y) = x (cubic convergence);
  * in the tails, where y solves erfc(y) = q with q = 1 - |x| (exact there) or q = 2p for
    ndtri, by four Newton steps on log erfc(y) = log q written as log erfcx(y) - y^2 = log q,
    which neither underflows (q down to the smallest subnormal) nor loses precision as
    erf(y) approaches 1.
"""

from __future__ import annotations

import math

import numpy as np

from .special import erf, erfcx

_SQRT_PI = math.sqrt(math.pi)
_WINITZKI_A = 0.147
_SQRT2 = math.sqrt(2.0)


def _winitzki(log_one_minus_x2: np.ndarray) -> np.ndarray:
    """Approximate |erfinv(x)| from log(1 - x^2)."""
    b = 2.0 / (math.pi * _WINITZKI_A) + 0.5 * log_one_minus_x2
    return np.sqrt(np.sqrt(b * b - log_one_minus_x2 / _WINITZKI_A) - b)


def _erfinv_center(x: np.ndarray) -> np.ndarray:
    """erfinv(x) for |x| <= 0.5."""
    y = np.copysign(_winitzki(np.log1p(-x * x)), x)
    for _ in range(3):
        u = (erf(y) - x) * (0.5 * _SQRT_PI) * np.exp(y * y)  # f / f'
        y = y - u / (1.0 + y * u)  # Halley: f'' / f' = -2y
    return y


def erfcinv_tail(q: np.ndarray) -> np.ndarray:
    """The y > 0 with erfc(y) = q, for 0 < q <= 0.5."""
    log_q = np.log(q)
    y = _winitzki(log_q + np.log(2.0 - q))
    for _ in range(4):
        e = erfcx(y)
        g = np.log(e) - y * y - log_q
        y = y + g * (0.5 * _SQRT_PI) * e  # g' = -2 / (sqrt(pi) erfcx(y))
    return y


def erfinv(x: np.ndarray) -> np.ndarray:
    """The inverse error function on [-1, 1] (+-inf at +-1, nan outside), elementwise."""
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    a = np.abs(x)
    center = a <= 0.5
    out[center] = _erfinv_center(x[center])
    tail = (a > 0.5) & (a < 1.0)
    out[tail] = np.copysign(erfcinv_tail(1.0 - a[tail]), x[tail])
    edge = a == 1.0
    out[edge] = np.copysign(np.inf, x[edge])
    return out


def ndtri(p: np.ndarray) -> np.ndarray:
    """The quantile function of the standard normal distribution on [0, 1] (-inf at 0, inf
    at 1, nan outside), elementwise."""
    p = np.asarray(p, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    lower = (p > 0) & (p < 0.25)
    out[lower] = -_SQRT2 * erfcinv_tail(2.0 * p[lower])
    upper = (p > 0.75) & (p < 1)
    out[upper] = _SQRT2 * erfcinv_tail(2.0 * (1.0 - p[upper]))
    center = (p >= 0.25) & (p <= 0.75)
    out[center] = _SQRT2 * _erfinv_center(2.0 * p[center] - 1.0)
    out[p == 0] = -np.inf
    out[p == 1] = np.inf
    return out
