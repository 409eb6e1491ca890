"""What a distribution's parameters and samples must satisfy (PyTorch's
``torch.distributions.constraints``, the few the distributions here use).

``check(value)`` gives a bool array: True where ``value`` satisfies the constraint (one entry
per batch element; ``simplex`` and ``real_vector`` reduce the last axis)."""

from __future__ import annotations

from typing import Any

import numpy as np


def _data(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "data", x))


class Constraint:
    """A set of values: ``check`` says, element by element, which values lie in it."""

    is_discrete = False
    event_dim = 0

    def check(self, value: Any) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__[1:]}()"


class _Real(Constraint):
    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        return v == v  # not NaN


class _RealVector(Constraint):
    event_dim = 1

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        return np.all(v == v, axis=-1)

    def __repr__(self) -> str:
        return "IndependentConstraint(Real(), 1)"


class _GreaterThan(Constraint):
    def __init__(self, lower_bound: Any) -> None:
        self.lower_bound = lower_bound

    def check(self, value: Any) -> np.ndarray:
        return _data(self.lower_bound) < _data(value)

    def __repr__(self) -> str:
        return f"GreaterThan(lower_bound={self.lower_bound})"


class _LessThan(Constraint):
    def __init__(self, upper_bound: Any) -> None:
        self.upper_bound = upper_bound

    def check(self, value: Any) -> np.ndarray:
        return _data(value) < _data(self.upper_bound)

    def __repr__(self) -> str:
        return f"LessThan(upper_bound={self.upper_bound})"


class _Interval(Constraint):
    """``lower_bound <= value <= upper_bound``."""

    def __init__(self, lower_bound: Any, upper_bound: Any) -> None:
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        return (_data(self.lower_bound) <= v) & (v <= _data(self.upper_bound))

    def __repr__(self) -> str:
        return f"Interval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _HalfOpenInterval(_Interval):
    """``lower_bound <= value < upper_bound``."""

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        return (_data(self.lower_bound) <= v) & (v < _data(self.upper_bound))

    def __repr__(self) -> str:
        return f"HalfOpenInterval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _IntegerInterval(_Interval):
    is_discrete = True

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        return (v % 1 == 0) & super().check(value)

    def __repr__(self) -> str:
        return f"IntegerInterval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _Boolean(Constraint):
    is_discrete = True

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        return (v == 0) | (v == 1)


class _Simplex(Constraint):
    event_dim = 1

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        return np.all(v >= 0, axis=-1) & (np.abs(v.sum(-1) - 1) < 1e-6)


class _GreaterThanEq(_GreaterThan):
    def check(self, value: Any) -> np.ndarray:
        return _data(self.lower_bound) <= _data(value)

    def __repr__(self) -> str:
        return f"GreaterThanEq(lower_bound={self.lower_bound})"


class _IntegerGreaterThan(_GreaterThanEq):
    """Integers ``>= lower_bound``."""

    is_discrete = True

    def check(self, value: Any) -> np.ndarray:
        return (_data(value) % 1 == 0) & super().check(value)

    def __repr__(self) -> str:
        return f"IntegerGreaterThan(lower_bound={self.lower_bound})"


class _OneHot(Constraint):
    is_discrete = True
    event_dim = 1

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        return np.all((v == 0) | (v == 1), axis=-1) & (v.sum(-1) == 1)


class _PositiveDefinite(Constraint):
    """Symmetric matrices with positive eigenvalues."""

    event_dim = 2

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        symmetric = np.all(np.isclose(v, np.swapaxes(v, -1, -2), atol=1e-6), axis=(-2, -1))
        with np.errstate(invalid="ignore"):
            eig = np.linalg.eigvalsh(np.where(np.isfinite(v), v, 0.0))
        return symmetric & np.all(eig > 0, axis=-1) & np.all(np.isfinite(v), axis=(-2, -1))


class _LowerCholesky(Constraint):
    """Lower-triangular matrices with a positive diagonal."""

    event_dim = 2

    def check(self, value: Any) -> np.ndarray:
        v = _data(value)
        lower = np.all(np.triu(v, 1) == 0, axis=(-2, -1))
        return lower & np.all(np.diagonal(v, axis1=-2, axis2=-1) > 0, axis=-1)


class _Independent(Constraint):
    """``base_constraint`` on each element, reduced over the ``reinterpreted_batch_ndims``
    rightmost dims."""

    def __init__(self, base_constraint: Constraint, reinterpreted_batch_ndims: int) -> None:
        self.base_constraint = base_constraint
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims

    @property
    def is_discrete(self) -> bool:  # type: ignore[override]
        return self.base_constraint.is_discrete

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        return self.base_constraint.event_dim + self.reinterpreted_batch_ndims

    def check(self, value: Any) -> np.ndarray:
        ok = np.asarray(self.base_constraint.check(value))
        n = self.reinterpreted_batch_ndims
        return np.asarray(ok.reshape(ok.shape[: ok.ndim - n] + (-1,)).all(-1)) if n else ok

    def __repr__(self) -> str:
        return f"IndependentConstraint({self.base_constraint!r}, {self.reinterpreted_batch_ndims})"


real = _Real()
real_vector = _RealVector()
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
nonnegative_integer = _IntegerGreaterThan(0)
positive_integer = _IntegerGreaterThan(1)
one_hot = _OneHot()
positive_definite = _PositiveDefinite()
lower_cholesky = _LowerCholesky()
greater_than_eq = _GreaterThanEq
independent = _Independent
boolean = _Boolean()
simplex = _Simplex()
unit_interval = _Interval(0.0, 1.0)
greater_than = _GreaterThan
less_than = _LessThan
interval = _Interval
half_open_interval = _HalfOpenInterval
integer_interval = _IntegerInterval
