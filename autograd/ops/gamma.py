"""The gamma family on whole float64 arrays: lgamma, digamma, the Hurwitz zeta function and
polygamma (numpy has none of them).

  * lgamma: Stirling's series (eight Bernoulli terms) for x >= 12; in [1.5, 2.5] the Taylor
    series about 2, lgamma(2 + t) = (1 - gamma) t + sum_k (-1)^k (zeta(k) - 1) t^k / k, which
    keeps relative precision at the zeros 1 and 2; other x < 12 are moved into [1.5, 2.5] by
    lgamma(x) = lgamma(x + 1) - log x (the logs of the factors taken once, as a product);
    negative x by reflection lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x).
  * digamma: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic
    series ln x - 1/(2x) - sum B_2k / (2k x^2k); negative x by reflection
    psi(x) = psi(1 - x) - pi / tan(pi * frac(x)) (frac(x) keeps tan's argument exact).
  * zeta(s, q) = sum_k (q + k)^-s by Euler-Maclaurin: the terms summed directly until
    q + N >= 10 + s, then the integral, half the last term and twelve Bernoulli corrections.
  * polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 1, digamma for n = 0.
Edge values follow the limits: lgamma is +inf at the poles (0, -1, ...) and at +-inf; digamma
is -+inf at +-0 and nan at the other poles and at -inf; polygamma(n >= 1) is (-1)^(n+1) inf at
the poles.
"""

from __future__ import annotations

import math

import numpy as np

# Bernoulli numbers B_2, B_4, ..., B_24
_BERNOULLI = (
    1 / 6,
    -1 / 30,
    1 / 42,
    -1 / 30,
    5 / 66,
    -691 / 2730,
    7 / 6,
    -3617 / 510,
    43867 / 798,
    -174611 / 330,
    854513 / 138,
    -236364091 / 2730,
)
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_STIRLING_FROM = 12.0
_PSI_FROM = 10.0
_EULER_GAMMA = 0.5772156649015329
_TAYLOR_TERMS = 30


def _f64(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def lgamma(x: np.ndarray) -> np.ndarray:
    """log |Gamma(x)|, elementwise."""
    x = _f64(x)
    out = np.full(x.shape, np.nan)
    pos = x > 0
    out[pos] = _lgamma_positive(x[pos])
    pole = (x <= 0) & (x == np.floor(x))  # 0, -1, ... and -inf
    out[pole] = np.inf
    neg = (x < 0) & ~pole
    v = x[neg]
    r = np.abs(v - np.round(v))  # sin(pi x) from the exact distance to the nearest integer
    out[neg] = np.log(np.pi / np.sin(np.pi * r)) - _lgamma_positive(1.0 - v)
    return out


def _lgamma_positive(x: np.ndarray) -> np.ndarray:
    out = np.empty(x.shape)
    big = x >= _STIRLING_FROM
    v = x[big]
    inv2 = 1.0 / (v * v)
    series = np.zeros_like(v)
    for k in range(8, 0, -1):  # sum B_2k / (2k (2k - 1) x^(2k - 1)), Horner in 1/x^2
        series = series * inv2 + _BERNOULLI[k - 1] / (2 * k * (2 * k - 1))
    with np.errstate(over="ignore", invalid="ignore"):
        stirling = (v - 0.5) * np.log(v) - v + _HALF_LOG_2PI + series / v
    out[big] = np.where(np.isinf(v), np.inf, stirling)
    small = ~big
    y = x[small].copy()
    up = np.ones_like(y)  # lgamma(x) = lgamma(x + m) - log(x (x + 1) ... (x + m - 1))
    down = np.ones_like(y)  # lgamma(x) = lgamma(x - m) + log((x - 1) ... (x - m))
    for _ in range(11):
        low, high = y < 1.5, y > 2.5
        if not (low.any() or high.any()):
            break
        up[low] *= y[low]
        y[low] += 1.0
        y[high] -= 1.0
        down[high] *= y[high]
    out[small] = _lgamma_near_two(y - 2.0) + np.log(down) - np.log(up)
    return out


def _lgamma_near_two(t: np.ndarray) -> np.ndarray:
    """lgamma(2 + t) for |t| <= 0.5."""
    acc = np.zeros_like(t)
    for k in range(_TAYLOR_TERMS + 1, 1, -1):
        acc = acc * t + _ZETA_MINUS_ONE[k] * (-1.0) ** k / k
    return t * (1.0 - _EULER_GAMMA) + t * t * acc


def _digamma_positive(x: np.ndarray) -> np.ndarray:
    """digamma(x) for x > 0 (inf gives inf)."""
    x = x.copy()
    acc = np.zeros_like(x)
    for _ in range(int(_PSI_FROM)):
        small = x < _PSI_FROM
        if not small.any():
            break
        acc[small] -= 1.0 / x[small]
        x[small] += 1.0
    inv2 = 1.0 / (x * x)
    series = np.zeros_like(x)
    for k in range(len(_BERNOULLI) - 4, 0, -1):
        series = series * inv2 + _BERNOULLI[k - 1] / (2 * k)
    with np.errstate(invalid="ignore"):
        return acc + np.log(x) - 0.5 / x - series * inv2


def digamma(x: np.ndarray) -> np.ndarray:
    """The logarithmic derivative of Gamma, elementwise."""
    x = _f64(x)
    out = np.full(x.shape, np.nan)
    pos = x > 0
    out[pos] = _digamma_positive(x[pos])
    zero = x == 0
    out[zero] = np.copysign(np.inf, -x[zero])
    neg = (x < 0) & (x != np.floor(x)) & np.isfinite(x)
    v = x[neg]
    frac = v - np.trunc(v)
    out[neg] = _digamma_positive(1.0 - v) - np.pi / np.tan(np.pi * frac)
    return out


def zeta(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The Hurwitz zeta function sum_{k >= 0} (q + k)^-s, elementwise (broadcasting): inf at
    s == 1 and at q a non-positive integer, nan for s < 1 and for q < 0 with s not an
    integer."""
    s, q = np.broadcast_arrays(_f64(s), _f64(q))
    out = np.full(s.shape, np.nan)
    pole = (s == 1) | ((s > 1) & (q <= 0) & (q == np.floor(q)))
    out[pole] = np.inf
    ok = (s > 1) & ~pole & ((q > 0) | (s == np.floor(s))) & np.isfinite(q) & np.isfinite(s)
    positive = ok & (q > 0)
    out[positive] = _zeta_euler_maclaurin(s[positive], q[positive])
    negative = ok & (q < 0)
    if negative.any():
        out[negative] = _zeta_negative_q(s[negative], q[negative])
    return out


def _zeta_negative_q(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """zeta(s, q) for q = -n - f < 0 (n >= 0 an integer, 0 < f < 1) and integer s, from
    arguments in (0, inf) only: the terms (q + k)^-s for k <= n are (-1)^s (f + j)^-s for
    j = n - k, summing to (-1)^s (zeta(s, f) - zeta(s, n + 1 + f)), and the rest is
    zeta(s, 1 - f). (Walking q up to positive values would take |q| steps.)"""
    n = np.floor(-q)
    f = -q - n  # (exact: -q and n are within 1 of each other)
    sign = np.where(s % 2 == 0, 1.0, -1.0)
    near, far, rest = (_zeta_euler_maclaurin(s, a) for a in (f, n + 1 + f, 1 - f))
    return (sign * near + rest) - sign * far  # (the two O(1) sums first: far may be tiny)


def _zeta_euler_maclaurin(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    total = np.zeros_like(s)
    w = q.copy()
    target = 10.0 + s
    with np.errstate(over="ignore", divide="ignore"):
        todo = w < target
        while todo.any():
            total[todo] += w[todo] ** -s[todo]
            w[todo] += 1.0
            todo = w < target
        total += w ** (1.0 - s) / (s - 1.0) + 0.5 * w**-s
        # sum_j B_2j / (2j)! * s (s + 1) ... (s + 2j - 2) * w^(-s - 2j + 1)
        power = w**-s / w  # w^(-s-1)
        rising = s.copy()  # s (s + 1) ... (s + 2j - 2)
        factorial = 2.0
        inv_w2 = 1.0 / (w * w)
        for j in range(1, len(_BERNOULLI) + 1):
            total += _BERNOULLI[j - 1] / factorial * rising * power
            rising = rising * (s + 2 * j - 1) * (s + 2 * j)
            factorial *= (2 * j + 1) * (2 * j + 2)
            power = power * inv_w2
    return total


def polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """The n-th derivative of digamma, elementwise (n >= 0)."""
    x = _f64(x)
    if n == 0:
        return digamma(x)
    with np.errstate(over="ignore", invalid="ignore"):
        return (
            (-1.0) ** (n + 1) * math.gamma(n + 1) * zeta(np.full(x.shape, n + 1.0), x)
            if n < 171
            else _polygamma_huge_n(n, x)
        )


def _polygamma_huge_n(n: int, x: np.ndarray) -> np.ndarray:
    """n! overflows float64 beyond n = 170: the product in logarithms, sign kept apart."""
    z = zeta(np.full(x.shape, n + 1.0), x)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        mag = np.exp(math.lgamma(n + 1) + np.log(np.abs(z)))
        return (-1.0) ** (n + 1) * np.sign(z) * mag


# zeta(k) - 1 = zeta(k, 2), for the Taylor series of lgamma about 2
_ZETA_MINUS_ONE = {
    k: float(zeta(np.array(float(k)), np.array(2.0))) for k in range(2, _TAYLOR_TERMS + 2)
}
