"""Line searches along a direction d from x0, shared by LBFGS and ConjugateGradient.

Both take ``evaluate(t) -> (loss, flat_grad)`` at x0 + t * d, the loss and gradient at
t = 0, the slope there (``grad @ d``, negative for a descent direction) and a first step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ._params import Param, add_flat, gather_flat_data, set_flat_data

Evaluate = Callable[[float], tuple[float, np.ndarray]]


def along(
    params: Sequence[Param],
    direction: np.ndarray,
    loss_and_grad: Callable[[], tuple[float, np.ndarray]],
) -> Evaluate:
    """``evaluate(t)``: ``loss_and_grad()`` at x0 + t * direction, where x0 is where the
    parameters are now; they are put back at x0 afterwards."""
    x0 = gather_flat_data(params)

    def evaluate(t: float) -> tuple[float, np.ndarray]:
        add_flat(params, t, direction)
        try:
            return loss_and_grad()
        finally:
            set_flat_data(params, x0)

    return evaluate


@dataclass
class LineSearchResult:
    """Where a line search stopped: step t, loss and gradient there, evaluations used."""

    step: float
    loss: float
    grad: np.ndarray
    evaluations: int


@dataclass
class _Point:
    """One evaluated point on the line: step, loss, gradient, slope along d."""

    t: float
    f: float
    g: np.ndarray
    slope: float


def cubic_minimizer(a: _Point, b: _Point, bounds: tuple[float, float] | None = None) -> float:
    """Minimizer of the cubic matching loss and slope at a and b, clipped to ``bounds``
    (default: the interval between them); the midpoint if the cubic has no minimum."""
    lo, hi = bounds if bounds is not None else (min(a.t, b.t), max(a.t, b.t))
    if a.t == b.t:
        return min(max(a.t, lo), hi)
    d1 = a.slope + b.slope - 3 * (a.f - b.f) / (a.t - b.t)
    disc = d1 * d1 - a.slope * b.slope
    if disc < 0:
        return (lo + hi) / 2
    d2 = math.sqrt(disc)
    left, right = (a, b) if a.t <= b.t else (b, a)
    denom = right.slope - left.slope + 2 * d2
    if denom == 0:
        return (lo + hi) / 2
    t = right.t - (right.t - left.t) * (right.slope + d2 - d1) / denom
    return min(max(t, lo), hi)


def strong_wolfe(
    evaluate: Evaluate,
    direction: np.ndarray,
    step: float,
    loss: float,
    grad: np.ndarray,
    slope: float,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> LineSearchResult:
    """A step satisfying the strong Wolfe conditions (PyTorch's LBFGS line search).

    Sufficient decrease ``f(t) <= f(0) + c1 * t * f'(0)`` and curvature
    ``|f'(t)| <= c2 * |f'(0)|``: first bracket such a step (extrapolating by cubic
    interpolation), then zoom in on the bracket. Stops after ``max_ls`` extra evaluations or
    when the bracket is shorter than ``tolerance_change`` (in max-norm of the change).
    """
    d_norm = float(np.max(np.abs(direction)))
    origin = _Point(0.0, loss, grad, slope)

    def at(t: float) -> _Point:
        f, g = evaluate(t)
        return _Point(t, f, g, float(g @ direction))

    def armijo_fails(p: _Point) -> bool:
        return p.f > loss + c1 * p.t * slope

    def curvature_holds(p: _Point) -> bool:
        return abs(p.slope) <= -c2 * slope

    # Bracketing: grow the step until an interval must contain an acceptable one.
    prev, cur = origin, at(step)
    evaluations, extra = 1, 0
    bracket: list[_Point] | None = None
    done = False
    while extra < max_ls:
        if armijo_fails(cur) or (extra > 1 and cur.f >= prev.f):
            bracket = [prev, cur]
            break
        if curvature_holds(cur):
            bracket, done = [cur], True
            break
        if cur.slope >= 0:
            bracket = [prev, cur]
            break
        bounds = (cur.t + 0.01 * (cur.t - prev.t), cur.t * 10)
        prev, cur = cur, at(cubic_minimizer(prev, cur, bounds))
        evaluations += 1
        extra += 1
    if bracket is None:
        bracket = [origin, cur]

    # Zoom: shrink the bracket [low, high] (low = the lower loss) around an acceptable step.
    low, high = (0, 1) if bracket[0].f <= bracket[-1].f else (1, 0)
    insufficient_progress = False
    while not done and extra < max_ls:
        a, b = bracket[0].t, bracket[1].t
        if abs(b - a) * d_norm < tolerance_change:
            break
        t = cubic_minimizer(bracket[0], bracket[1])
        left, right = min(a, b), max(a, b)
        margin = 0.1 * (right - left)
        if min(right - t, t - left) < margin:
            # Too close to an end: after two such tries (or outside), move in by the margin.
            if insufficient_progress or t >= right or t <= left:
                t = right - margin if abs(t - right) < abs(t - left) else left + margin
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False
        cur = at(t)
        evaluations += 1
        extra += 1
        if armijo_fails(cur) or cur.f >= bracket[low].f:
            bracket[high] = cur
            low, high = (0, 1) if bracket[0].f <= bracket[1].f else (1, 0)
        else:
            if curvature_holds(cur):
                done = True
            elif cur.slope * (bracket[high].t - bracket[low].t) >= 0:
                bracket[high] = bracket[low]
            bracket[low] = cur
    best = bracket[low]
    return LineSearchResult(best.t, best.f, best.g, evaluations)


def armijo(
    evaluate: Evaluate,
    step: float,
    loss: float,
    grad: np.ndarray,
    slope: float,
    c1: float = 1e-4,
    shrink: float = 0.5,
    max_evals: int = 50,
) -> LineSearchResult:
    """Backtracking: halve (``shrink``) the step until ``f(t) <= f(0) + c1 * t * f'(0)``.

    If no step is accepted within ``max_evals`` evaluations, returns step 0 (no move) with
    the starting loss and gradient.
    """
    t = step
    for evaluations in range(1, max_evals + 1):
        f, g = evaluate(t)
        if f <= loss + c1 * t * slope:
            return LineSearchResult(t, f, g, evaluations)
        t *= shrink
    return LineSearchResult(0.0, loss, grad, max_evals)
