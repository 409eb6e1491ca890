"""``fractional_max_pool2d`` / ``fractional_max_pool3d``: Graham's fractional max pooling, as
PyTorch computes it.

Along each spatial axis of n inputs, the o windows of k samples start at
s_i = int((i + u) alpha) - int(u alpha) for i < o - 1 and s_{o-1} = n - k, with
alpha = (n - k) / (o - 1) (in the input's dtype) and u one pseudo-random sample in [0, 1)
per batch entry, channel and axis (``_random_samples`` of shape (N, C, d), drawn uniformly
when not given; entry 0 is for the width in 2d, entries 0, 1, 2 for time, height, width in
3d). Each output is its window's largest entry (the first of equal ones, the last nan if
there is one), whose flat position in its plane is the index; the gradient goes to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, rand
from autograd.errors import DimError, DtypeNotImplemented, ShapeError

_AXES = {2: ("height", "width"), 3: ("time", "height", "width")}
# the entry of a plane's random sample each spatial axis's windows use
_SAMPLE_ENTRY = {2: (1, 0), 3: (0, 1, 2)}
# the order in which PyTorch checks that the windows fit (the first misfit is reported)
_SIZE_CHECK_ORDER = {2: (0, 1), 3: (0, 2, 1)}


def _sizes(value: Any, d: int, name: str, op: str) -> tuple[int, ...]:
    """A single int or d ints as d ints."""
    items = value if isinstance(value, (tuple, list)) else (value,) * d
    if len(items) != d or not all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items
    ):
        raise TypeError(f"{op}: {name} must either be a single Int or tuple of Ints, got {value!r}")
    return tuple(int(v) for v in items)


def _ratios(value: Any, d: int) -> tuple[float, ...]:
    items = value if isinstance(value, (tuple, list)) else (value,) * d
    if len(items) != d:
        raise TypeError(f"output_ratio must be a single number or {d} numbers, got {value!r}")
    return tuple(float(r) for r in items)


def _window_starts(samples: np.ndarray, n: int, o: int, k: int) -> np.ndarray:
    """The o window starts along an axis of n inputs for each sample in ``samples`` (P,):
    (P, o), computed in the samples' dtype as PyTorch does."""
    starts = np.empty((samples.size, o), dtype=np.int64)
    if o > 1:
        kind = samples.dtype.type
        alpha = kind(n - k) / kind(o - 1)
        steps = np.arange(o - 1, dtype=samples.dtype)[None, :] + samples[:, None]
        first = np.trunc(samples * alpha).astype(np.int64)
        starts[:, :-1] = np.trunc(steps * alpha).astype(np.int64) - first[:, None]
    if o > 0:
        starts[:, -1] = n - k
    return starts


def _argmax_positions(planes: np.ndarray, samples: np.ndarray, kernel: tuple, out: tuple) -> Any:
    """For planes (P, *spatial) and samples (P, d): each output's flat position in its plane,
    (P, *out)."""
    d = len(kernel)
    spatial = planes.shape[1:]
    strides = [int(np.prod(spatial[a + 1 :])) for a in range(d)]
    flat: np.ndarray = np.zeros((planes.shape[0],) + (1,) * (2 * d), dtype=np.int64)
    for a, (n, o, k) in enumerate(zip(spatial, out, kernel, strict=True)):
        positions = _window_starts(samples[:, a], n, o, k)[:, :, None] + np.arange(k)
        shape = [positions.shape[0]] + [1] * (2 * d)
        shape[1 + a], shape[1 + d + a] = o, k
        flat = flat + positions.reshape(shape) * strides[a]
    count, size, window = planes.shape[0], int(np.prod(out)), int(np.prod(kernel))
    flat = np.broadcast_to(flat, (count, *out, *kernel)).reshape(count, size, window)
    values = np.take_along_axis(
        planes.reshape(count, 1, int(np.prod(spatial))), flat.reshape(count, 1, size * window), 2
    ).reshape(flat.shape)
    nan = np.isnan(values)
    last_nan = nan.shape[-1] - 1 - np.argmax(nan[..., ::-1], axis=-1)
    choice = np.where(nan.any(axis=-1), last_nan, np.argmax(values, axis=-1))
    chosen = np.take_along_axis(flat, choice[..., None], axis=-1)
    return chosen.reshape(count, *out)


def _checked_samples(samples: Any, x: Tensor, d: int) -> np.ndarray:
    """The (N, C, d) samples for the batched input x: given (checked as PyTorch does) or
    drawn uniformly in [0, 1)."""
    batch, channels = x.shape[:2]
    if samples is None:
        return rand(batch, channels, d, dtype=x.dtype).numpy()
    s = samples if isinstance(samples, Tensor) else Tensor(np.asarray(samples))
    if s.ndim != 3:
        raise ShapeError(f"Expect _random_samples to have 3 dimensions, got {s.ndim}")
    if s.shape[2] != d:
        raise ShapeError(f"Expect _random_samples.size(2) equals to {d}; got {s.shape[2]}.")
    if s.shape[0] < batch:
        raise ShapeError("Expect _random_samples.size(0) no less then input batch size.")
    if s.shape[1] != channels:
        raise ShapeError("Expect _random_samples.size(1) equals to input channel size.")
    if s.dtype != x.dtype:
        raise ShapeError("Expect _random_samples to have the same dtype as input")
    values = s.detach().numpy()[:batch]
    if not np.all(np.abs(values) < 2**31):  # nan too: the window starts are int casts
        raise ShapeError(
            f"fractional_max_pool{d}d(): _random_samples must be finite numbers of magnitude "
            "below 2**31 (they are meant to lie in [0, 1))"
        )
    return values


def _fractional_max_pool(
    d: int,
    input: Any,  # noqa: A002
    kernel_size: Any,
    output_size: Any,
    output_ratio: Any,
    _random_samples: Any,
) -> tuple[Tensor, Tensor]:
    """(values, indices) of d-dimensional fractional max pooling (see the module doc)."""
    op = f"fractional_max_pool{d}d"
    x = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
    kernel = _sizes(kernel_size, d, "kernel_size", op)
    if output_size is None and output_ratio is None:
        raise ValueError(f"{op} requires specifying either an output_size or an output_ratio")
    if x.ndim not in (d + 1, d + 2):
        error = DimError if x.ndim < d + 1 and _random_samples is None else ShapeError
        raise error(f"{op}(): Expected {d + 1}D or {d + 2}D tensor, but got: {list(x.shape)}")
    if output_size is None:
        sizes = zip(x.shape[-d:], _ratios(output_ratio, d), strict=True)
        output_size = tuple(int(n * r) for n, r in sizes)
    out = _sizes(output_size, d, "output_size", op)
    if x.dtype.kind != "f":
        raise DtypeNotImplemented(f'"{op}" not implemented for {x.dtype}')
    batched = x if x.ndim == d + 2 else x.unsqueeze(0)
    for i, n in enumerate(x.shape[x.ndim - d - 1 :]):
        if n == 0:
            raise ShapeError(
                f"{op}(): Expected input to have non-zero size for non-batch dimensions, but "
                f"got {list(x.shape)} with dimension {x.ndim - d - 1 + i} being empty."
            )
    if min(kernel) <= 0 or min(out) < 0:
        raise ShapeError(
            f"{op}(): expected a positive kernel_size and a non-negative output_size, got "
            f"kernel_size={kernel} and output_size={out}"
        )
    for a in _SIZE_CHECK_ORDER[d]:
        n, o, k, axis = x.shape[a - d], out[a], kernel[a], _AXES[d][a]
        # PyTorch's 3d form also refuses windows that would reach exactly the last entry
        if o + k - 1 > n or (d == 3 and o + k - 1 == n):
            name = op if d == 2 else f"{op}_out"
            raise ShapeError(f"{name}(): pool {axis} {k} too large relative to input {axis} {n}")
    samples = _checked_samples(_random_samples, batched, d)
    batch, channels = batched.shape[:2]
    planes = batched.detach().numpy().reshape(batch * channels, *batched.shape[2:])
    order = list(_SAMPLE_ENTRY[d])
    positions = _argmax_positions(planes, samples.reshape(-1, d)[:, order], kernel, out)
    indices = Tensor(positions.reshape(batch, channels, *out))
    values = batched.flatten(2).gather(2, indices.flatten(2)).reshape(batch, channels, *out)
    if x.ndim == d + 1:
        return values.squeeze(0), indices.squeeze(0)
    return values, indices


def fractional_max_pool2d_with_indices(
    input: Any,  # noqa: A002
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> tuple[Tensor, Tensor]:
    """(values, indices) of 2d fractional max pooling of (N?, C, H, W) input."""
    return _fractional_max_pool(2, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool2d(
    input: Any,  # noqa: A002
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> Any:
    """2d fractional max pooling of (N?, C, H, W) input to ``output_size`` (or the input's
    size times ``output_ratio``) with kh x kw windows at pseudo-random steps; with
    ``return_indices`` also each maximum's flat position in its H x W plane."""
    values, indices = _fractional_max_pool(
        2, input, kernel_size, output_size, output_ratio, _random_samples
    )
    return (values, indices) if return_indices else values


def fractional_max_pool3d_with_indices(
    input: Any,  # noqa: A002
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> tuple[Tensor, Tensor]:
    """(values, indices) of 3d fractional max pooling of (N?, C, T, H, W) input."""
    return _fractional_max_pool(3, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool3d(
    input: Any,  # noqa: A002
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> Any:
    """3d fractional max pooling of (N?, C, T, H, W) input (see ``fractional_max_pool2d``);
    the indices are flat positions in each T x H x W volume."""
    values, indices = _fractional_max_pool(
        3, input, kernel_size, output_size, output_ratio, _random_samples
    )
    return (values, indices) if return_indices else values
