"""More of torch.Tensor's elementwise methods: the inverse hyperbolic functions, angle
conversions, nan-ignoring extrema (``fmax``/``fmin``), ``float_power``, ``ldexp``, ``frexp``,
``nextafter``, ``heaviside``, integer ``gcd``/``lcm``, the ``bitwise_*`` family and the
predicates ``isposinf``/``isneginf``/``isreal``.

Each composes recorded ops (``ops/elementwise.py``), so differentiable ones have gradients of
any order; those torch does not differentiate (heaviside, gcd, predicates) return constants.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from . import return_types
from .function import unary_op
from .grad_mode import is_grad_enabled
from .node import Node
from .ops import complex_parts
from .ops import elementwise as ew
from .promotion import result_type

if TYPE_CHECKING:
    from .tensor import Tensor

_DEG = math.pi / 180.0


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Node) else x


def _tensor(x: Any) -> Any:
    from .tensor import Tensor

    return x if isinstance(x, Tensor) else Tensor(x)


def _integer_only(op: str, *xs: Any) -> None:
    for x in xs:
        dt = np.asarray(_raw(x)).dtype
        if dt.kind not in "iub":
            raise TypeError(f"{op}: only integer tensors are supported, got {dt}")


def _promoted_integers(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """Both operands as arrays of their promoted integer dtype (bool counts as integer)."""
    rt = result_type(a, b)
    rt = np.dtype(np.int64) if rt.kind == "b" else rt
    return np.asarray(a).astype(rt, copy=False), np.asarray(b).astype(rt, copy=False)


def _truncating_division(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b rounded toward zero, as C's integer division (b nonzero; wraps on overflow)."""
    with np.errstate(over="ignore"):
        q = a // b
        return q + ((q < 0) & (q * b != a))


def _wrapping_gcd(a: Any, b: Any) -> np.ndarray:
    """Euclid's algorithm on |a| and |b| with C's remainder (the dividend's sign), in the
    dtype's wrapping arithmetic: PyTorch's gcd, which for the dtype's minimum (|min| wraps to
    min) can be negative."""
    a, b = np.broadcast_arrays(*_promoted_integers(a, b))
    with np.errstate(over="ignore"):
        a, b = np.abs(a), np.abs(b)
    while (a != 0).any():
        live = a != 0
        r = np.fmod(b, np.where(live, a, 1))
        a, b = np.where(live, r, a), np.where(live, a, b)
    return b


def _bits_only(op: str, *xs: Any) -> None:
    for x in xs:
        dt = np.asarray(_raw(x)).dtype
        if dt.kind not in "iub":
            raise TypeError(f"{op}: only bool and integer tensors are supported, got {dt}")


def _constant(values: Any) -> Tensor:
    from .tensor import Tensor

    return Tensor(np.asarray(values))


class ElementwiseMethods:
    """Mixed into Tensor."""

    __slots__ = ()

    if TYPE_CHECKING:
        data: np.ndarray
        _data: np.ndarray
        requires_grad: bool

        @property
        def dtype(self) -> np.dtype: ...
        def abs(self) -> Tensor: ...
        def sign(self) -> Tensor: ...
        def double(self) -> Tensor: ...
        def to(self, *a: Any, **k: Any) -> Tensor: ...
        def _inplace(self, compute: Any, op: str) -> Tensor: ...
        def __mul__(self, other: Any) -> Tensor: ...
        def __pow__(self, other: Any) -> Tensor: ...

    asinh = arcsinh = unary_op(ew.Asinh)
    acosh = arccosh = unary_op(ew.Acosh)
    atanh = arctanh = unary_op(ew.Atanh)

    def absolute(self) -> Tensor:
        """|x| (``abs``)."""
        return self.abs()

    def sgn(self) -> Tensor:
        """The sign (-1, 0 or 1; x / |x| for complex numbers)."""
        if self.dtype.kind == "c":
            if self.requires_grad and is_grad_enabled():
                raise NotImplementedError(
                    "sgn: gradients of complex sgn are not supported; compute it as "
                    "z / z.abs() for a gradient"
                )
            d = self._data
            with np.errstate(invalid="ignore", divide="ignore"):
                return _constant(np.where(d == 0, 0, d / np.abs(d)).astype(d.dtype))
        return self.sign()

    def positive(self) -> Tensor:
        """Self (``+x``); an error for a bool tensor, as torch."""
        if self.dtype.kind == "b":
            raise RuntimeError("positive: the `+` operator on a bool tensor is not supported")
        return self  # type: ignore[return-value]

    def hardshrink(self, lambd: float = 0.5) -> Tensor:
        """0 where -lambd <= x <= lambd, else x (so nan stays nan, as torch's)."""
        d = self._data
        return ew.Where.apply(~((d >= -lambd) & (d <= lambd)), self, 0.0)

    def angle(self) -> Tensor:
        """The argument of each entry: 0 for non-negative reals, pi for negative ones (nan
        stays nan); its gradient for real input is 0."""
        x = self._data
        if x.dtype.kind == "c":
            return complex_parts.Angle.apply(self)
        out = np.where(np.isnan(x), x, np.where(x < 0, math.pi, 0.0))  # (nan stays nan)
        from .dtypes import get_default_dtype

        dt = x.dtype if x.dtype.kind == "f" else get_default_dtype()
        if not getattr(self, "requires_grad", False):
            return _constant(out.astype(dt))
        # in the graph with a zero gradient, as torch (a selection that never picks self)
        return ew.Where.apply(np.zeros(x.shape, dtype=bool), self, out.astype(dt))

    def apply_(self, callable: Any) -> Tensor:  # noqa: A002 (torch's name)
        """Replace each entry x by ``callable(x)`` (a Python function of a number), in place;
        refused on a tensor that requires grad, as torch."""
        return _apply_python(self, callable, None, "apply_")

    def map_(self, tensor: Any, callable: Any) -> Tensor:  # noqa: A002
        """Replace each entry x by ``callable(x, y)``, y the matching entry of ``tensor``
        (broadcast to self's shape), in place."""
        return _apply_python(self, callable, tensor, "map_")

    def deg2rad(self) -> Tensor:
        """Degrees to radians."""
        return _floating(self) * _DEG

    def rad2deg(self) -> Tensor:
        """Radians to degrees."""
        return _floating(self) * (1.0 / _DEG)

    def float_power(self, exponent: Any) -> Tensor:
        """self ** exponent computed in double precision (complex128 if either is complex)."""
        wide = np.complex128 if _is_complex(self, exponent) else np.float64
        base = self.to(wide)
        if isinstance(exponent, Node):
            return base ** exponent.to(wide)  # type: ignore[attr-defined]
        return base**exponent

    def float_power_(self, exponent: Any) -> Tensor:
        """``float_power`` in place: the tensor must already be float64 (or complex128)."""
        wide = np.complex128 if _is_complex(self, exponent) else np.float64
        if self.dtype != wide:
            raise RuntimeError(
                f"float_power_: the base given to float_power_ has dtype {self.dtype} but the "
                f"operation's result requires dtype {np.dtype(wide)}"
            )
        return self._inplace(lambda t: t.float_power(exponent), "float_power_")

    def fmax(self, other: Any) -> Tensor:
        """The elementwise maximum, ignoring nan (nan only where both are); at ties the
        gradient goes to self, as torch."""
        a, b = self._data, np.asarray(_raw(other))
        return ew.Where.apply((a >= b) | np.isnan(b), self, other)

    def fmin(self, other: Any) -> Tensor:
        """The elementwise minimum, ignoring nan (nan only where both are); at ties the
        gradient goes to self, as torch."""
        a, b = self._data, np.asarray(_raw(other))
        return ew.Where.apply((a <= b) | np.isnan(b), self, other)

    def heaviside(self, values: Any) -> Tensor:
        """0 where x < 0, ``values`` where x == 0, 1 where x > 0 (no gradient, as torch)."""
        v = np.asarray(_raw(values))
        if isinstance(values, Node) and v.dtype != self.dtype:
            raise RuntimeError(
                "heaviside is not yet implemented for tensors with different dtypes "
                f"({self.dtype} and {v.dtype})"
            )
        x = self._data
        return _constant(np.where(x == 0, v, (x > 0)).astype(result_type(x, v)))

    def ldexp(self, other: Any) -> Tensor:
        """self * 2 ** other (a floating result: self's dtype, the default one for an integer
        self); exact for integer exponents, as C's ldexp."""
        e = np.asarray(_raw(other))
        if e.dtype.kind not in "iub":
            return self * (2.0 ** _tensor(other))
        if self.dtype.kind in "fc":
            x: Any = self
        else:
            from .dtypes import get_default_dtype

            x = self.to(get_default_dtype())
        return ew.LdExp.apply(x, e)

    def frexp(self) -> Any:
        """(mantissa, exponent) with self = mantissa * 2 ** exponent, |mantissa| in [0.5, 1)
        (``return_types.frexp``; exponent int32; the mantissa is differentiable)."""
        if self.dtype.kind != "f":
            raise RuntimeError(f"frexp: only supports floating-point dtypes, got {self.dtype}")
        _, exponent = np.frexp(self._data)
        scale = np.ldexp(np.ones((), self.dtype), -exponent)
        return return_types.frexp(self * _constant(scale), _constant(exponent.astype(np.int32)))

    def nextafter(self, other: Any) -> Tensor:
        """The next float after self towards ``other`` (in their promoted dtype); gradient 1
        with respect to self where the two differ, else 0 (0 for other), as torch."""
        rt = result_type(self._data, _raw(other))
        if rt.kind != "f":
            raise RuntimeError(f"nextafter: only supports floating-point dtypes, got {rt}")
        x = self if self.dtype == rt else self.to(rt)
        y: Any
        if isinstance(other, Node):
            o: Any = other
            y = o if o.dtype == rt else o.to(rt)
        else:
            y = np.asarray(_raw(other)).astype(rt, copy=False)
        return ew.NextAfter.apply(x, y)

    def gcd(self, other: Any) -> Tensor:
        """The greatest common divisor, elementwise (integer tensors; gcd(0, 0) = 0). As
        torch, in the integer type's wrapping arithmetic: where an operand is the type's
        minimum (whose absolute value wraps to itself) the result may be negative."""
        _integer_only("gcd", self, other)
        return _constant(_wrapping_gcd(self._data, _raw(other)))

    def lcm(self, other: Any) -> Tensor:
        """The least common multiple, elementwise (integer tensors): |a / gcd(a, b) * b| in
        the integer type's wrapping arithmetic, as torch (0 where gcd is 0)."""
        _integer_only("lcm", self, other)
        a, b = np.broadcast_arrays(*_promoted_integers(self._data, _raw(other)))
        g = _wrapping_gcd(a, b)
        with np.errstate(over="ignore"):
            q = _truncating_division(a, np.where(g == 0, 1, g))
            return _constant(np.where(g == 0, 0, np.abs(q * b)).astype(a.dtype, copy=False))

    def bitwise_and(self, other: Any) -> Tensor:
        """self & other (bool and integer tensors)."""
        return _bitwise(self, other, np.bitwise_and, "bitwise_and")

    def bitwise_or(self, other: Any) -> Tensor:
        """self | other (bool and integer tensors)."""
        return _bitwise(self, other, np.bitwise_or, "bitwise_or")

    def bitwise_xor(self, other: Any) -> Tensor:
        """self ^ other (bool and integer tensors)."""
        return _bitwise(self, other, np.bitwise_xor, "bitwise_xor")

    def bitwise_not(self) -> Tensor:
        """~self (bool and integer tensors)."""
        _bits_only("bitwise_not", self)
        return _constant(np.invert(self._data))

    def bitwise_left_shift(self, other: Any) -> Tensor:
        """self << other (integer tensors)."""
        _integer_only("bitwise_left_shift", self, other)
        return _bitwise(self, other, np.left_shift, "bitwise_left_shift")

    def bitwise_right_shift(self, other: Any) -> Tensor:
        """self >> other (integer tensors; arithmetic shift for signed ones)."""
        _integer_only("bitwise_right_shift", self, other)
        return _bitwise(self, other, np.right_shift, "bitwise_right_shift")

    def isposinf(self) -> Tensor:
        """True where the entry is +inf."""
        return _constant(np.isposinf(self._data) if self.dtype.kind == "f" else _false(self))

    def isneginf(self) -> Tensor:
        """True where the entry is -inf."""
        return _constant(np.isneginf(self._data) if self.dtype.kind == "f" else _false(self))

    def isreal(self) -> Tensor:
        """True where the imaginary part is 0 (everywhere, for a real tensor)."""
        if self.dtype.kind == "c":
            return _constant(self._data.imag == 0)
        return _constant(np.ones(self._data.shape, dtype=bool))


def _apply_python(t: Any, fn: Any, other: Any, op: str) -> Any:
    from . import inplace

    if t.requires_grad:
        raise RuntimeError(
            f"Can't call {op}() on a Tensor that requires grad. Use t.detach().{op}() instead."
        )
    x = t._data
    if other is None:
        values = [fn(v) for v in x.reshape(-1).tolist()]
    else:
        y = np.broadcast_to(np.asarray(_raw(other)), x.shape)
        values = [fn(a, b) for a, b in zip(x.reshape(-1).tolist(), y.reshape(-1).tolist())]
    inplace.write(t, np.asarray(values, dtype=x.dtype).reshape(x.shape), op)
    return t


def _floating(t: Any) -> Any:
    """Integer and bool tensors as the default float dtype (torch converts before the maths)."""
    from .dtypes import get_default_dtype

    return t if t.dtype.kind in "fc" else t.to(get_default_dtype())


def _is_complex(*xs: Any) -> bool:
    return any(np.asarray(_raw(x)).dtype.kind == "c" for x in xs)


def _false(t: Any) -> np.ndarray:
    return np.zeros(t._data.shape, dtype=bool)


def _bitwise(t: Any, other: Any, fn: Any, op: str) -> Tensor:
    from .promotion import common_operands

    _bits_only(op, t, other)
    return _constant(fn(*common_operands(t._data, _raw(other))))
