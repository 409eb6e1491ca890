"""A complex tensor's parts as ops: ``real``, ``imag``, ``conj``, ``angle``, ``view_as_real``,
``view_as_complex``, ``complex(real, imag)`` and ``polar(abs, angle)``.

Gradients follow PyTorch's convention (complex_grads.py): a real loss L of z = x + iy has
gradient dL/dx + i dL/dy. So ``real`` passes g back as a complex gradient g + 0i, ``imag``
as 0 + ig, ``conj`` as conj(g); ``view_as_real`` gathers the last axis's pairs back into
complex numbers and ``view_as_complex`` splits them again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import DtypeError, ShapeError
from ..function import Context, Function
from ..node import Node
from ..promotion import _COMPLEX_OF
from .elementwise import cos, sin

_REAL_OF = {v: k for k, v in _COMPLEX_OF.items() if k != np.float16}


def _as_complex(g: Any, dtype: np.dtype) -> Any:
    """A real gradient ``g`` (raw or a node) as the complex ``dtype`` (imaginary parts 0)."""
    if isinstance(g, Node):
        return Complex.apply(g, np.zeros(g._data.shape, g._data.dtype))
    return np.asarray(g).astype(dtype)


class Real(Function):
    """The real parts of a complex tensor."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        ctx.dtype = z.dtype
        return np.real(z)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return _as_complex(g, ctx.dtype)


class Imag(Function):
    """The imaginary parts of a complex tensor; gradient i g."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        return np.imag(z)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        if isinstance(g, Node):
            return Complex.apply(np.zeros(g._data.shape, g._data.dtype), g)
        return g * np.asarray(1j, dtype=_COMPLEX_OF[g.dtype])


class Conj(Function):
    """The complex conjugate; gradient conj(g)."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        return np.conj(z)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return Conj.apply(g) if isinstance(g, Node) else np.conj(g)


class Angle(Function):
    """The argument of complex entries, atan2(y, x); gradient g * i z / |z|^2 (0 at z = 0,
    as PyTorch)."""

    _complex_grads = "first"

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        with np.errstate(invalid="ignore", divide="ignore"):
            ctx.saved_tensors = (np.where(z == 0, 0, 1j * z / (z * np.conj(z))).astype(z.dtype),)
        return np.angle(z)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (d,) = ctx.saved_tensors
        return g * d


class ViewAsReal(Function):
    """A complex tensor as real pairs (real, imaginary) along a new last axis of size 2."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, z: Any) -> Any:
        if z.dtype.kind != "c":
            raise DtypeError(f"view_as_real is only supported for complex tensors (got {z.dtype})")
        return np.stack([z.real, z.imag], axis=-1)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        if isinstance(g, Node):
            return ViewAsComplex.apply(g)
        return g[..., 0] + 1j * g[..., 1]


class ViewAsComplex(Function):
    """Real pairs along a last axis of size 2 as complex numbers (float32 gives complex64,
    float64 complex128)."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        if x.dtype not in _COMPLEX_OF or x.dtype == np.float16:
            raise DtypeError(
                f"view_as_complex is only supported for float and double tensors, but got a "
                f"tensor of scalar type: {x.dtype}"
            )
        if x.ndim == 0 or x.shape[-1] != 2:
            raise ShapeError(
                f"view_as_complex: Tensor must have a last dimension of size 2 (got shape "
                f"{x.shape})"
            )
        out = np.empty(x.shape[:-1], dtype=_COMPLEX_OF[x.dtype])
        out.real = x[..., 0]
        out.imag = x[..., 1]
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        if isinstance(g, Node):
            return ViewAsReal.apply(g)
        g = np.asarray(g)
        if g.dtype.kind != "c":  # a real gradient: zero imaginary parts
            return np.stack([g, np.zeros_like(g)], axis=-1)
        return np.stack([g.real, g.imag], axis=-1)


def _complex_result(op: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """An empty complex array for ``op`` combining two real inputs of one float dtype,
    broadcast together (else a DtypeError or ShapeError naming ``op``)."""
    if a.dtype != b.dtype:
        raise DtypeError(
            f"{op}: expected both inputs to have the same dtype, but got {a.dtype} and {b.dtype}"
        )
    if a.dtype not in _COMPLEX_OF or a.dtype == np.float16:
        raise DtypeError(f"{op}: expected both inputs to be float or double, but got {a.dtype}")
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ShapeError(
            f"{op}: shapes {a.shape} and {b.shape} cannot be broadcast together"
        ) from None
    return np.empty(shape, dtype=_COMPLEX_OF[a.dtype])


def _parts(g: Any) -> tuple:
    """The real and imaginary parts of a gradient (raw or a node; a real one has imaginary
    parts 0)."""
    if isinstance(g, Node):
        if g._data.dtype.kind != "c":
            return g, None
        return Real.apply(g), Imag.apply(g)  # type: ignore[attr-defined]
    g = np.asarray(g)
    return (np.real(g), np.imag(g)) if g.dtype.kind == "c" else (g, None)


class Complex(Function):
    """``real + i imag`` from two real tensors of one floating dtype (broadcast together)."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, real: Any, imag: Any) -> Any:
        re, im = np.asarray(real), np.asarray(imag)
        out = _complex_result("complex", re, im)
        out.real = re
        out.imag = im
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            return Real.apply(g), Imag.apply(g)  # type: ignore[attr-defined]
        g = np.asarray(g)
        return np.real(g), np.imag(g)


class Polar(Function):
    """``abs * (cos(angle) + i sin(angle))`` from two real tensors of one floating dtype
    (broadcast together). With z = x + iy and the gradient g = dL/dx + i dL/dy:
    dL/d abs = Re(g) cos(angle) + Im(g) sin(angle) and
    dL/d angle = abs (Im(g) cos(angle) - Re(g) sin(angle)).

    These are the derivatives everywhere; PyTorch (whose result is undefined for a negative
    ``abs``) computes dL/d abs as Re(conj(g) z / |z|), which is 0 where ``abs`` is 0 and the
    negation where it is negative."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, abs: Any, angle: Any) -> Any:  # noqa: A002
        r, t = np.asarray(abs), np.asarray(angle)
        out = _complex_result("polar", r, t)
        ctx.saved_tensors = (abs, angle)
        out.real = r * np.cos(t)
        out.imag = r * np.sin(t)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        r, t = ctx.saved_tensors
        gx, gy = _parts(g)
        c, s = cos(t), sin(t)
        if gy is None:  # a real gradient: dL/dy = 0
            return gx * c, -(r * gx * s)
        return gx * c + gy * s, r * (gy * c - gx * s)
