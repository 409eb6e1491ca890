"""The exception types PyTorch raises where this library used to raise a Python one.

PyTorch raises IndexError for a dim out of range, RuntimeError for shapes that do not fit an
op (broadcasting, matmul, cat, view/reshape, expand...) and RuntimeError("ZeroDivisionError")
for an integer division by zero. Code ported from PyTorch catches those; code written for
this library caught ValueError (ZeroDivisionError). Each class here is both, so either
``except`` clause catches it.
"""

from __future__ import annotations


class DimError(ValueError, IndexError):
    """A dim argument out of range for the tensor (PyTorch: IndexError)."""


class ShapeError(ValueError, RuntimeError):
    """Shapes that do not fit the op, or a dim given twice (PyTorch: RuntimeError); the
    message names the op and the shapes."""


class IntegerDivisionByZero(ZeroDivisionError, RuntimeError):
    """An integer tensor divided by zero (``//``, ``%``, fmod, div with a rounding mode):
    PyTorch's RuntimeError "ZeroDivisionError"."""


class DtypeError(TypeError, RuntimeError):
    """A tensor of a dtype the op does not take (mean of integers, an integer tensor asked to
    require grad...): PyTorch's RuntimeError."""


class DtypeNotImplemented(TypeError, NotImplementedError):
    """An op with no kernel for the tensor's dtype (frac or rand_like of integers): PyTorch's
    NotImplementedError ('"frac_cpu" not implemented for 'Long'')."""


class NegativeIntegerPower(ValueError, RuntimeError):
    """An integer raised to a negative integer power (PyTorch: RuntimeError)."""


class ScalarOverflow(OverflowError, RuntimeError):
    """A Python number written into a tensor (``t[i] = v``, ``fill_``) that its dtype cannot
    hold: PyTorch's RuntimeError ("value cannot be converted to type int8_t without
    overflow")."""
