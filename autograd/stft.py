"""``stft``: PyTorch's short-time Fourier transform, as a composition of differentiable ops
(pad, sliding windows, a product with the window, an FFT), so gradients (complex ones
included) come from those ops.

X[w, m] = sum_k window[k] input[m hop + k] exp(-2 pi i w k / n_fft) over frames of n_fft
samples, ``hop_length`` apart. ``center=True`` pads the input by n_fft // 2 on both sides
(``pad_mode``) so that frame m is centred at m * hop_length; a window shorter than n_fft is
zero-padded on both sides to n_fft; ``align_to_window=True`` (with ``center=False``) starts
frame m where its window, rather than its n_fft samples, starts. ``normalized`` multiplies
by n_fft ** -0.5; ``onesided`` (the default for a real input and window) keeps the
n_fft // 2 + 1 non-negative frequencies. ``return_complex`` must be given for real inputs;
``False`` returns (real, imaginary) pairs along a new last axis, with PyTorch's deprecation
warning. The result is (B?, N, T): frequencies, then frames.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import fft
from .errors import DtypeError, ShapeError
from .functions import cat, view_as_real
from .tensor import Tensor

_RECTANGULAR = (
    "A window was not provided. A rectangular window will be applied,which is known to cause "
    "spectral leakage. Other windows such as torch.hann_window or torch.hamming_window are "
    "recommended to reduce spectral leakage.To suppress this warning and use a rectangular "
    "window, explicitly set `window=torch.ones(n_fft, device=<device>)`."
)
_REAL_PAIRS = (
    "stft with return_complex=False is deprecated. In a future pytorch release, stft will "
    "return complex tensors for all inputs, and return_complex=False will raise an error.\n"
    "Note: you can still call torch.view_as_real on the complex output to recover the old "
    "return format."
)


# torch's padding modes and numpy's names for them
_PAD_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad_last_axis(
    x: Tensor, left: int, right: int, mode: str = "constant", op: str = "stft"
) -> Tensor:
    """``x`` extended along its last axis by ``left`` and ``right`` samples: zeros
    ('constant'), the mirror image without the edge ('reflect'), the edge ('replicate') or
    the other end ('circular'); ``op`` names the caller in errors."""
    if mode not in _PAD_MODES:
        raise NotImplementedError(
            f"{op}: unrecognised padding mode {mode!r} (expected one of {', '.join(_PAD_MODES)})"
        )
    if not (left or right):
        return x
    n = x.shape[-1]
    if mode == "constant":
        parts = [Tensor(np.zeros((*x.shape[:-1], k), dtype=x.dtype)) for k in (left, right)]
        return cat([parts[0], x, parts[1]], dim=-1)
    if mode == "reflect" and max(left, right) >= n:
        raise ShapeError(
            f"{op}: reflect padding ({left}, {right}) must be smaller than the signal's length {n}"
        )
    if mode == "circular" and max(left, right) > n:
        raise ShapeError(
            f"{op}: circular padding ({left}, {right}) can be at most the signal's length {n} "
            "(it would wrap around more than once)"
        )
    if n == 0:
        raise ShapeError(f"{op}: cannot pad an empty signal in mode {mode!r}")
    positions = np.pad(np.arange(n), (left, right), mode=_PAD_MODES[mode])  # type: ignore[call-overload]
    return x[..., positions]  # each sample's gradient collects its copies'


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"stft: expected {name} > 0, but got {name}={value!r}")
    return int(value)


def padded_window(
    window: Any,
    win_length: int,
    n_fft: int,
    like: Tensor,
    op: str = "stft",
    missing: str = _RECTANGULAR,
) -> Tensor:
    """The window (ones when None, with the warning ``missing``) zero-padded on both sides to
    ``n_fft``; ``op`` names the caller in errors."""
    if window is None:
        warnings.warn(missing, UserWarning, stacklevel=3)
        dtype = like.dtype if like.dtype.kind == "f" else np.real(np.zeros(0, like.dtype)).dtype
        window = Tensor(np.ones(win_length, dtype=dtype))
    if not isinstance(window, Tensor):
        raise TypeError(f"{op}: window must be a Tensor, got {type(window).__name__}")
    if window.ndim != 1 or window.shape[0] != win_length:
        raise ShapeError(
            f"{op}: expected a 1D window tensor of size equal to win_length={win_length}, but "
            f"got window with size {list(window.shape)}"
        )
    left = (n_fft - win_length) // 2
    return pad_last_axis(window, left, n_fft - win_length - left, op=op)


def stft(
    input: Any,  # noqa: A002
    n_fft: int,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: Any = None,
    center: bool = True,
    pad_mode: str = "reflect",
    normalized: bool = False,
    onesided: bool | None = None,
    return_complex: bool | None = None,
    align_to_window: bool | None = None,
) -> Tensor:
    """The short-time Fourier transform of a signal (L,) or a batch of them (B, L): complex
    (B?, N, T), or (B?, N, T, 2) real pairs when ``return_complex=False``."""
    x = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
    if x.ndim not in (1, 2):
        raise ShapeError(f"stft: expected a 1D or 2D tensor, but got shape {list(x.shape)}")
    if x.dtype.kind not in "fc":
        raise DtypeError(f"stft: expected a floating or complex input, but got {x.dtype}")
    n_fft = _positive("n_fft", n_fft)
    hop = _positive("hop_length", n_fft // 4 if hop_length is None else hop_length)
    win_length = _positive("win_length", n_fft if win_length is None else win_length)
    if win_length > n_fft:
        raise ValueError(f"stft: expected 0 < win_length <= n_fft, but got win_length={win_length}")
    if align_to_window is not None and center:
        raise ValueError("stft: align_to_window should only be set when center = false")
    is_complex = x.dtype.kind == "c" or (window is not None and window.dtype.kind == "c")
    if return_complex is None:
        if not is_complex:
            raise RuntimeError(
                "stft requires the return_complex parameter be given for real inputs, and will "
                "further require that return_complex=True in a future PyTorch release."
            )
        return_complex = True
    if onesided is None:
        onesided = not is_complex
    elif onesided and is_complex:
        raise ValueError("stft: cannot have onesided output if window or input is complex")
    w = padded_window(window, win_length, n_fft, x)

    batched = x.ndim == 2
    signal = x if batched else x.unsqueeze(0)
    if center:
        signal = pad_last_axis(signal, n_fft // 2, n_fft // 2, pad_mode)
    elif align_to_window:
        left = (n_fft - win_length) // 2
        signal = pad_last_axis(signal, left, n_fft - win_length - left)
    length = signal.shape[-1]
    if n_fft > length:
        raise ValueError(
            f"stft: expected 0 < n_fft <= {length} (the padded input's length), but got "
            f"n_fft={n_fft}"
        )
    frames = signal.unfold(-1, n_fft, hop) * w  # (B, T, n_fft)
    spectrum = fft.rfft(frames, dim=-1) if onesided else fft.fft(frames, dim=-1)
    if normalized:
        spectrum = spectrum * (n_fft**-0.5)
    out = spectrum.transpose(-1, -2)  # (B, N, T)
    if not batched:
        out = out.squeeze(0)
    if not return_complex:
        warnings.warn(_REAL_PAIRS, UserWarning, stacklevel=2)
        return view_as_real(out)
    return out


__all__ = ["stft"]
