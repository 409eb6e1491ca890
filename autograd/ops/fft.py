"""Discrete Fourier transforms as ops (numpy's pocketfft computes them), and the crop or
zero-pad that sizes their input.

Each transform is linear, so its gradient is its adjoint (PyTorch's complex convention,
complex_grads.py, makes the gradient of any real-linear op the adjoint of that op on
(real, imaginary) pairs):

- a complex-to-complex transform with normalization ``norm`` has the inverse transform with
  the dual normalization as its adjoint ("backward" and "forward" swap, "ortho" stays):
  sum_k conj(e^{-2 pi i jk/n}) g_k is n times the inverse transform of g;
- ``rfftn`` is ``fftn`` of real data with the last axis cut to n//2 + 1 entries: its adjoint
  pads g back to n entries, takes the adjoint of fftn, and keeps the real part;
- ``irfftn`` reads each entry k of the last axis in 0 < k < n/2 twice (as itself and as the
  conjugate it stands for): its adjoint is ``rfftn`` with the dual normalization, doubled
  there;
- the crop or zero-pad to the transform's length has the zero-pad or crop back to the
  original length as its adjoint.

Backward rules call the same ops on nodes under ``create_graph``, so higher derivatives hold.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ..function import Context, Function
from ..node import Node

Norm = Literal["backward", "forward", "ortho"]
DUAL_NORM: dict[str, Norm] = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def resized(x: np.ndarray, axes: tuple[int, ...], lengths: tuple[int, ...]) -> np.ndarray:
    """``x`` cropped or zero-padded at the end of each of ``axes`` to ``lengths``."""
    if all(x.shape[a] == n for a, n in zip(axes, lengths)):
        return x
    shape = list(x.shape)
    for a, n in zip(axes, lengths):
        shape[a] = n
    out = np.zeros(shape, dtype=x.dtype)
    common = tuple(
        slice(0, min(x.shape[a], shape[a])) if a in axes else slice(None) for a in range(x.ndim)
    )
    out[common] = x[common]
    return out


class Resize(Function):
    """Crop or zero-pad the end of some axes; the gradient is resized back."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, axes: tuple, lengths: tuple) -> Any:
        ctx.before = tuple(x.shape[a] for a in axes)
        return resized(x, axes, lengths)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        axes = ctx.inputs[1]
        if isinstance(g, Node):
            return Resize.apply(g, axes, ctx.before), None, None
        return resized(g, axes, ctx.before), None, None


def _complex_dtype(x: np.ndarray) -> np.dtype:
    return np.result_type(x.dtype, np.complex64)


class FftC2C(Function):
    """``fftn`` (or ``ifftn`` when ``inverse``) over ``axes``, real input taken as complex."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, axes: tuple, norm: Norm, inverse: bool) -> Any:
        if not axes:  # (no transform: the input as complex, a copy)
            return x.astype(_complex_dtype(x))
        transform = np.fft.ifftn if inverse else np.fft.fftn
        return np.asarray(transform(x, axes=axes, norm=norm), dtype=_complex_dtype(x))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        _, axes, norm, inverse = ctx.inputs
        return c2c(g, axes, DUAL_NORM[norm], not inverse), None, None, None


def c2c(x: Any, axes: tuple, norm: Norm, inverse: bool) -> Any:
    """``FftC2C`` on a node (recorded) or on raw data."""
    if isinstance(x, Node):
        return FftC2C.apply(x, axes, norm, inverse)
    return FftC2C.forward(Context(), x, axes, norm, inverse)


class FftR2C(Function):
    """``rfftn`` over ``axes`` of real data: the last axis keeps n//2 + 1 entries."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, axes: tuple, norm: Norm) -> Any:
        ctx.n = x.shape[axes[-1]]
        return np.fft.rfftn(x, axes=axes, norm=norm)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        _, axes, norm = ctx.inputs
        last = axes[-1:]
        full = (
            Resize.apply(g, last, (ctx.n,)) if isinstance(g, Node) else resized(g, last, (ctx.n,))
        )
        return c2c(full, axes, DUAL_NORM[norm], True).real, None, None


def r2c(x: Any, axes: tuple, norm: Norm) -> Any:
    """``FftR2C`` on a node (recorded) or on raw data."""
    if isinstance(x, Node):
        return FftR2C.apply(x, axes, norm)
    return FftR2C.forward(Context(), x, axes, norm)


class FftC2R(Function):
    """``irfftn`` over ``axes`` to a last axis of ``n`` entries, the input's last axis
    holding n//2 + 1 (the Hermitian half of the spectrum)."""

    _complex_grads = True

    @staticmethod
    def forward(ctx: Context, x: Any, axes: tuple, n: int, norm: Norm) -> Any:
        ctx.real_input = x.dtype.kind != "c"
        lengths = [x.shape[a] for a in axes[:-1]] + [n]
        out = np.fft.irfftn(x, s=lengths, axes=axes, norm=norm)
        return np.asarray(out, dtype=np.finfo(x.dtype).dtype)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        _, axes, n, norm = ctx.inputs
        # entries 0 < k < n/2 of the last axis stand for two entries of the full spectrum
        twice = np.full(n // 2 + 1, 2.0)
        twice[0] = 1.0
        if n % 2 == 0:
            twice[-1] = 1.0
        shape = [1] * g.ndim
        shape[axes[-1]] = n // 2 + 1
        weights = twice.reshape(shape).astype(g.dtype)
        gx = r2c(g, axes, DUAL_NORM[norm]) * weights
        # (real input, real output: no complex data in sight of complex_grads, so the real
        # part is taken here)
        return gx.real if ctx.real_input else gx, None, None, None
