"""``istft``: PyTorch's inverse short-time Fourier transform, composed of differentiable ops
(an inverse FFT per frame, a product with the window, overlap-add, a division by the
window's overlap-added square), so gradients to the spectrum and the window are those ops'.

With frames x_m = ifft(X[:, m]) (irfft for a real signal), the least-squares estimate of the
signal is y[n] = sum_m w[n - m hop] x_m[n - m hop] / sum_m w[n - m hop]**2, the Griffin-Lim
estimate. ``center=True`` drops the n_fft // 2 samples that ``stft`` padded on the left (and
as many on the right unless ``length`` is given); ``length`` trims, or pads with zeros and
PyTorch's warning. Where the window envelope (the denominator) falls below 1e-11 the
signal cannot be recovered (the NOLA condition fails) and istft raises.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import fft
from .errors import ShapeError
from .functions import cat
from .ops.windows import AddWindows
from .stft import padded_window
from .tensor import Tensor

_RECTANGULAR = (
    "A window was not provided. A rectangular window will be applied.Please provide the same "
    "window used by stft to make the inversion lossless.To suppress this warning and use a "
    "rectangular window, explicitly set `window=torch.ones(n_fft, device=<device>)`."
)
_PADDED = (
    "The length of signal is shorter than the length parameter. Result is being padded with "
    "zeros in the tail. Please check your center and hop_length settings."
)
# the smallest envelope value taken as nonzero
_NOLA_TOLERANCE = 1e-11


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"istft: {name} must be an int, got {type(value).__name__}")
    return int(value)


def _check_frequencies(n_freq: int, n_fft: int, onesided: bool) -> None:
    want, what = (n_fft // 2 + 1, "n_fft / 2 + 1") if onesided else (n_fft, "n_fft")
    if n_freq != want:
        raise ShapeError(
            "istft: expected the frequency dimension (3rd to the last) of the input tensor to "
            f"match {what} when onesided={onesided}, but got {n_freq}"
        )


def _overlap_add(frames: Tensor, hop: int) -> Tensor:
    """Frames (B, T, n_fft) added up at ``hop`` apart: (B, n_fft + (T - 1) hop)."""
    batch, count, n_fft = frames.shape
    return AddWindows.apply(frames, (batch, n_fft + (count - 1) * hop), 1, n_fft, hop)


def istft(
    input: Any,  # noqa: A002
    n_fft: int,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: Any = None,
    center: bool = True,
    normalized: bool = False,
    onesided: bool | None = None,
    length: int | None = None,
    return_complex: bool = False,
) -> Tensor:
    """The signal (B?, length) whose ``stft`` (with the same arguments) is the complex
    spectrum ``input`` (B?, N, T): the least-squares estimate from overlapping frames."""
    x = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
    if x.dtype.kind != "c":
        raise RuntimeError(
            "istft requires a complex-valued input tensor matching the output from stft with "
            "return_complex=True."
        )
    if x.ndim < 2:
        raise IndexError(
            f"istft: expected a complex tensor (B?, N, T) of 2 or 3 dims, got shape {list(x.shape)}"
        )
    if x.ndim > 3:
        raise ShapeError(
            f"istft: expected a complex tensor (B?, N, T) of 2 or 3 dims, got shape {list(x.shape)}"
        )
    n_fft = _int("n_fft", n_fft)
    hop = n_fft // 4 if hop_length is None else _int("hop_length", hop_length)
    win_length = n_fft if win_length is None else _int("win_length", win_length)
    if not 0 < win_length <= n_fft:
        raise RuntimeError(
            f"istft: expected 0 < win_length <= n_fft, but got win_length={win_length}, "
            f"n_fft={n_fft}"
        )
    if not 0 < hop <= win_length:
        raise RuntimeError(
            f"istft: expected 0 < hop_length <= win_length, but got hop_length={hop}, "
            f"win_length={win_length}"
        )
    if x.numel() == 0:
        raise RuntimeError(f"istft: input tensor cannot be empty (shape {list(x.shape)})")
    spectrum = x if x.ndim == 3 else x.unsqueeze(0)
    n_freq = spectrum.shape[-2]
    if onesided is None:
        onesided = n_freq != n_fft
    _check_frequencies(n_freq, n_fft, bool(onesided))
    if return_complex and onesided:
        raise RuntimeError("istft: Cannot have onesided output if window or input is complex")
    if not return_complex and isinstance(window, Tensor) and window.dtype.kind == "c":
        raise RuntimeError("istft: Complex windows are incompatible with return_complex=False")
    w = padded_window(window, win_length, n_fft, x, "istft", _RECTANGULAR)

    columns = spectrum.transpose(-1, -2)  # (B, T, N): one spectrum per frame
    norm = "ortho" if normalized else "backward"
    if return_complex:
        frames = fft.ifft(columns, n_fft, -1, norm)
    else:  # a real signal: the non-negative frequencies determine it
        frames = fft.irfft(columns[..., : n_fft // 2 + 1], n_fft, -1, norm)
    signal = _overlap_add(frames * w, hop)
    count = spectrum.shape[-1]
    envelope = _overlap_add((w * w).expand(1, count, n_fft), hop)

    full = signal.shape[-1]
    start = n_fft // 2 if center else 0
    if length is not None:
        end = start + _int("length", length)
    else:
        end = -(n_fft // 2) if center else full
    signal, envelope = signal[:, start:end], envelope[:, start:end]
    if envelope.numel() == 0:
        raise RuntimeError(
            f"istft: window overlap add min: the signal to return is empty (start {start}, "
            f"end {end} of {full} samples)"
        )
    lowest = float(np.abs(envelope.data).min())
    if lowest < _NOLA_TOLERANCE:
        raise RuntimeError(
            f"istft: window overlap add min: {lowest:g}, below {_NOLA_TOLERANCE:g}: the "
            "overlapping windows do not cover every sample (the NOLA condition fails), so the "
            "signal cannot be recovered there. Use a window and hop_length whose squared "
            "windows, added up hop_length apart, are nonzero everywhere"
        )
    signal = signal / envelope
    if length is not None and end > full:
        warnings.warn(_PADDED, UserWarning, stacklevel=2)
        tail = Tensor(np.zeros((signal.shape[0], end - full), dtype=signal.dtype))
        signal = cat([signal, tail], dim=-1)
    return signal if x.ndim == 3 else signal.squeeze(0)


__all__ = ["istft"]
