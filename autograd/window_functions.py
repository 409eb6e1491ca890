"""PyTorch's window functions for spectral analysis: ``hann_window``, ``hamming_window``,
``blackman_window``, ``bartlett_window`` and ``kaiser_window``.

Each takes ``window_length`` and ``periodic=True`` (a window of length N + 1 with its last
entry dropped, as ``stft`` wants; ``periodic=False`` gives the symmetric one), then
``dtype`` (a floating one; the default dtype when None), ``device`` and ``requires_grad``.
A window of length 1 is ``[1.]``, of length 0 empty. The formulas are PyTorch's documented
ones, with n = 0 .. N - 1 over the (possibly lengthened) window of length N:

- hann: 0.5 - 0.5 cos(2 pi n / (N - 1))
- hamming: alpha - beta cos(2 pi n / (N - 1)), alpha = 0.54, beta = 0.46 by default
- blackman: 0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))
- bartlett: 1 - |2 n / (N - 1) - 1|
- kaiser: I0(beta sqrt(1 - (2 n / (N - 1) - 1)^2)) / I0(beta), beta = 12 by default
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .creation import tensor
from .devices import check_device
from .dtypes import get_default_dtype
from .tensor import Tensor


def _window(
    op: str,
    window_length: int,
    periodic: bool,
    formula: Callable[[np.ndarray, int], np.ndarray],
    dtype: Any,
    device: Any,
    requires_grad: bool,
) -> Tensor:
    """The window ``formula(n, N)`` for ``op``, checked and lengthened when periodic."""
    check_device(device, op)
    if isinstance(window_length, bool) or not isinstance(window_length, (int, np.integer)):
        raise TypeError(f"{op}: window_length must be an int, got {type(window_length).__name__}")
    if window_length < 0:
        raise RuntimeError(
            f"{op} requires non-negative window_length, got window_length={window_length}"
        )
    dt = np.dtype(get_default_dtype() if dtype is None else dtype)
    if dt.kind != "f":
        raise RuntimeError(f"{op} expects floating point dtypes, got: {dt}")
    if window_length <= 1:
        values = np.ones(window_length)
    else:
        size = window_length + 1 if periodic else window_length
        values = formula(np.arange(size, dtype=np.float64), size)[:window_length]
    return tensor(values.astype(dt), requires_grad=requires_grad)


def hann_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    pin_memory: bool = False,
    requires_grad: bool = False,
) -> Tensor:
    """The Hann window, 0.5 - 0.5 cos(2 pi n / (N - 1))."""
    return _window(
        "hann_window",
        window_length,
        periodic,
        lambda n, size: 0.5 - 0.5 * np.cos(2 * np.pi * n / (size - 1)),
        dtype,
        device,
        requires_grad,
    )


def hamming_window(
    window_length: int,
    periodic: bool = True,
    alpha: float = 0.54,
    beta: float = 0.46,
    *,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    pin_memory: bool = False,
    requires_grad: bool = False,
) -> Tensor:
    """The Hamming window, alpha - beta cos(2 pi n / (N - 1))."""
    return _window(
        "hamming_window",
        window_length,
        periodic,
        lambda n, size: alpha - beta * np.cos(2 * np.pi * n / (size - 1)),
        dtype,
        device,
        requires_grad,
    )


def blackman_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    pin_memory: bool = False,
    requires_grad: bool = False,
) -> Tensor:
    """The Blackman window, 0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))."""

    def formula(n: np.ndarray, size: int) -> np.ndarray:
        phase = 2 * np.pi * n / (size - 1)
        return 0.42 - 0.5 * np.cos(phase) + 0.08 * np.cos(2 * phase)

    return _window(
        "blackman_window", window_length, periodic, formula, dtype, device, requires_grad
    )


def bartlett_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    pin_memory: bool = False,
    requires_grad: bool = False,
) -> Tensor:
    """The Bartlett (triangular) window, 1 - |2 n / (N - 1) - 1|."""
    return _window(
        "bartlett_window",
        window_length,
        periodic,
        lambda n, size: 1 - np.abs(2 * n / (size - 1) - 1),
        dtype,
        device,
        requires_grad,
    )


def kaiser_window(
    window_length: int,
    periodic: bool = True,
    beta: float = 12.0,
    *,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    pin_memory: bool = False,
    requires_grad: bool = False,
) -> Tensor:
    """The Kaiser window, I0(beta sqrt(1 - (2 n / (N - 1) - 1)^2)) / I0(beta)."""

    def formula(n: np.ndarray, size: int) -> np.ndarray:
        ratio = 2 * n / (size - 1) - 1
        return np.i0(beta * np.sqrt(np.clip(1 - ratio**2, 0, None))) / np.i0(beta)

    return _window("kaiser_window", window_length, periodic, formula, dtype, device, requires_grad)


__all__ = ["bartlett_window", "blackman_window", "hamming_window", "hann_window", "kaiser_window"]
