"""``autograd.fft``: PyTorch's ``torch.fft``, differentiable (autograd/ops/fft.py holds the
transforms and their adjoints).

Arguments and results as PyTorch's: ``n``/``s`` crop or zero-pad the input along the
transformed dims (``-1`` in ``s`` keeps a dim's length), ``dim`` picks them, ``norm`` is
"backward" (the default: no scaling forward, 1/n inverse), "forward" (1/n forward) or "ortho"
(1/sqrt(n) both ways). Integer and bool input is taken as the default float dtype; float32
gives complex64 and float64 complex128 (and back for the real-output transforms).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .dtypes import get_default_dtype, torch_name
from .errors import DtypeError, ShapeError
from .ops import fft as ops
from .ops.complex_parts import Conj
from .ops.reductions import normalize_axis
from .tensor import Tensor

__all__ = [
    "fft",
    "fft2",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "ifft",
    "ifft2",
    "ifftn",
    "ifftshift",
    "ihfft",
    "irfft",
    "irfft2",
    "irfftn",
    "rfft",
    "rfft2",
    "rfftfreq",
]

_Dims = int | Sequence[int] | None


def _input(x: Any, op: str, real: bool = False) -> Tensor:
    """``x`` as a floating or complex Tensor (integers and bools as the default float
    dtype); ``real``: complex input refused."""
    t = x if isinstance(x, Tensor) else Tensor(x)
    kind = t.dtype.kind
    if kind in "biu":
        return Tensor(t._data.astype(get_default_dtype()))
    if t.dtype == np.float16:
        raise DtypeError(f"{op}: Unsupported dtype Half (float16 has no FFT on the CPU)")
    if real and kind == "c":
        raise DtypeError(f"{op} expects a real input tensor, but got {torch_name(t.dtype)}")
    if kind not in "fc":
        raise DtypeError(f"{op}: expected a numeric tensor, got dtype {t.dtype}")
    return t


def _norm(norm: str | None) -> ops.Norm:
    if norm is None:
        return "backward"
    if norm not in ops.DUAL_NORM:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return ops.DUAL_NORM[ops.DUAL_NORM[norm]]  # (norm itself, as the Literal type)


def _points(n: int) -> int:
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return n


def _dims_and_sizes(t: Tensor, s: Sequence[int] | None, dim: _Dims, op: str) -> tuple:
    """The transformed dims (non-negative, unique) and their lengths, as PyTorch reads ``s``
    and ``dim``: both given, they pair up; ``s`` alone covers the last len(s) dims; ``dim``
    alone keeps those dims' lengths; neither, every dim."""
    ndim = t.ndim
    if isinstance(dim, (int, np.integer)):
        dim = (int(dim),)
    if s is not None:
        s = tuple(s)
        if dim is None:
            if len(s) > ndim:
                raise ShapeError(
                    f"{op}: Got shape with {len(s)} values but input tensor only has {ndim} "
                    "dimensions."
                )
            dim = tuple(range(ndim - len(s), ndim))
        elif len(dim) != len(s):
            raise ShapeError(f"{op}: When given, dim and shape arguments must have the same length")
    dims = tuple(range(ndim)) if dim is None else tuple(normalize_axis(d, ndim, op) for d in dim)
    if len(set(dims)) != len(dims):
        raise ShapeError(f"{op}: FFT dims must be unique (got {tuple(dim or ())})")
    if s is None:
        sizes = tuple(t.shape[d] for d in dims)
    else:
        sizes = tuple(t.shape[d] if n == -1 else n for d, n in zip(dims, s))
    for n in sizes:
        _points(n)
    return dims, sizes


def _sized(t: Tensor, dims: tuple, sizes: tuple) -> Tensor:
    """``t`` cropped or zero-padded to ``sizes`` along ``dims`` (a recorded op)."""
    if all(t.shape[d] == n for d, n in zip(dims, sizes)):
        return t
    return ops.Resize.apply(t, dims, sizes)


def _c2c(x: Any, s: Any, dim: _Dims, norm: str | None, inverse: bool, op: str) -> Tensor:
    t = _input(x, op)
    dims, sizes = _dims_and_sizes(t, s, dim, op)
    return ops.FftC2C.apply(_sized(t, dims, sizes), dims, _norm(norm), inverse)


def _r2c(x: Any, s: Any, dim: _Dims, norm: str | None, op: str) -> Tensor:
    t = _input(x, op, real=True)
    dims, sizes = _dims_and_sizes(t, s, dim, op)
    if not dims:
        raise ShapeError(f"{op}: must transform at least one axis")
    return ops.FftR2C.apply(_sized(t, dims, sizes), dims, _norm(norm))


def _c2r(x: Any, s: Any, dim: _Dims, norm: str | None, op: str) -> Tensor:
    t = _input(x, op)
    dims, sizes = _dims_and_sizes(t, s, dim, op)
    if not dims:
        raise ShapeError(f"{op}: must transform at least one axis")
    last = dims[-1]
    n = 2 * (t.shape[last] - 1) if s is None or s[-1] == -1 else sizes[-1]
    _points(n)
    half = sizes[:-1] + (n // 2 + 1,)
    return ops.FftC2R.apply(_sized(t, dims, half), dims, n, _norm(norm))


def _one(n: int | None) -> Sequence[int] | None:
    return None if n is None else (n,)


def fft(input: Any, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The one-dimensional discrete Fourier transform along ``dim`` (complex result)."""
    return _c2c(input, _one(n), dim, norm, False, "fft")


def ifft(input: Any, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The inverse of ``fft``."""
    return _c2c(input, _one(n), dim, norm, True, "ifft")


def fft2(
    input: Any,  # noqa: A002
    s: Sequence[int] | None = None,
    dim: Sequence[int] = (-2, -1),
    norm: str | None = None,
) -> Tensor:
    """The two-dimensional discrete Fourier transform over ``dim``."""
    return _c2c(input, s, dim, norm, False, "fft2")


def ifft2(
    input: Any,  # noqa: A002
    s: Sequence[int] | None = None,
    dim: Sequence[int] = (-2, -1),
    norm: str | None = None,
) -> Tensor:
    """The inverse of ``fft2``."""
    return _c2c(input, s, dim, norm, True, "ifft2")


def fftn(
    input: Any,  # noqa: A002
    s: Sequence[int] | None = None,
    dim: _Dims = None,
    norm: str | None = None,
) -> Tensor:
    """The N-dimensional discrete Fourier transform over ``dim`` (every dim by default)."""
    return _c2c(input, s, dim, norm, False, "fftn")


def ifftn(
    input: Any,  # noqa: A002
    s: Sequence[int] | None = None,
    dim: _Dims = None,
    norm: str | None = None,
) -> Tensor:
    """The inverse of ``fftn``."""
    return _c2c(input, s, dim, norm, True, "ifftn")


def rfft(input: Any, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """``fft`` of real input, keeping the n//2 + 1 non-negative frequencies."""
    return _r2c(input, _one(n), dim, norm, "rfft")


def irfft(input: Any, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The inverse of ``rfft``: a real signal of length ``n`` (2 * (m - 1) by default, for m
    input frequencies) from the non-negative half of a Hermitian spectrum."""
    return _c2r(input, _one(n), dim, norm, "irfft")


def rfft2(
    input: Any,  # noqa: A002
    s: Sequence[int] | None = None,
    dim: Sequence[int] = (-2, -1),
    norm: str | None = None,
) -> Tensor:
    """``fft2`` of real input, the last dim keeping its non-negative frequencies."""
    return _r2c(input, s, dim, norm, "rfft2")


def irfft2(
    input: Any,  # noqa: A002
    s: Sequence[int] | None = None,
    dim: Sequence[int] = (-2, -1),
    norm: str | None = None,
) -> Tensor:
    """The inverse of ``rfft2``."""
    return _c2r(input, s, dim, norm, "irfft2")


def rfftn(
    input: Any,  # noqa: A002
    s: Sequence[int] | None = None,
    dim: _Dims = None,
    norm: str | None = None,
) -> Tensor:
    """``fftn`` of real input, the last transformed dim keeping its non-negative
    frequencies."""
    return _r2c(input, s, dim, norm, "rfftn")


def irfftn(
    input: Any,  # noqa: A002
    s: Sequence[int] | None = None,
    dim: _Dims = None,
    norm: str | None = None,
) -> Tensor:
    """The inverse of ``rfftn``."""
    return _c2r(input, s, dim, norm, "irfftn")


def hfft(input: Any, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The real spectrum of a signal whose one-sided half (Hermitian-symmetric) is given:
    ``irfft`` of the conjugate with the forward transform's scaling ("backward" = none)."""
    t = _input(input, "hfft")
    if t.dtype.kind == "c":
        t = Conj.apply(t)
    return _c2r(t, _one(n), dim, ops.DUAL_NORM[_norm(norm)], "hfft")


def ihfft(input: Any, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:  # noqa: A002
    """The inverse of ``hfft``: the conjugate of ``rfft`` with the inverse transform's
    scaling ("backward" = 1/n)."""
    return Conj.apply(_r2c(input, _one(n), dim, ops.DUAL_NORM[_norm(norm)], "ihfft"))


def _shift(input: Any, dim: _Dims, sign: int, op: str) -> Tensor:  # noqa: A002
    t = input if isinstance(input, Tensor) else Tensor(input)
    if dim is None:
        dims: tuple[int, ...] = tuple(range(t.ndim))
    elif isinstance(dim, (int, np.integer)):
        dims = (int(dim),)
    else:
        dims = tuple(dim)
    if not dims:  # (a 0-d input, or dim=()): torch's roll refuses empty shifts
        raise ShapeError(f"{op}: `shifts` required (there is no dimension to shift)")
    shifts = tuple(sign * (t.shape[d] // 2) for d in dims)
    return t.roll(shifts, dims)


def fftshift(input: Any, dim: _Dims = None) -> Tensor:  # noqa: A002
    """Move the zero frequency to the centre of ``dim`` (every dim by default): a roll by
    n // 2."""
    return _shift(input, dim, 1, "fftshift")


def ifftshift(input: Any, dim: _Dims = None) -> Tensor:  # noqa: A002
    """The inverse of ``fftshift``: a roll by -(n // 2)."""
    return _shift(input, dim, -1, "ifftshift")


def _frequencies(
    positions: np.ndarray, n: int, d: float, dtype: Any, requires_grad: bool, device: Any
) -> Tensor:
    from .devices import check_device

    check_device(device, "fftfreq")
    out_dtype = np.dtype(get_default_dtype() if dtype is None else dtype)
    if out_dtype.kind not in "fc":
        raise DtypeError(f"fftfreq: dtype must be floating or complex, got {out_dtype}")
    with np.errstate(divide="ignore", invalid="ignore"):  # (n * d == 0: inf or nan, as torch)
        values = positions.astype(out_dtype) / out_dtype.type(n * d)
    return Tensor(values, requires_grad=requires_grad)


def fftfreq(
    n: int,
    d: float = 1.0,
    *,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The sample frequencies of an ``fft`` of length ``n`` with sample spacing ``d``:
    [0, 1, ..., (n - 1) // 2, -(n // 2), ..., -1] / (d * n)."""
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    k = np.arange(n)
    positions = np.where(k < (n + 1) // 2, k, k - n)
    return _frequencies(positions, n, d, dtype, requires_grad, device)


def rfftfreq(
    n: int,
    d: float = 1.0,
    *,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The sample frequencies of an ``rfft`` of length ``n`` with sample spacing ``d``:
    [0, 1, ..., n // 2] / (d * n)."""
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    return _frequencies(np.arange(n // 2 + 1), n, d, dtype, requires_grad, device)
