"""Weight initialisers with PyTorch's names, arguments and formulas.

Each fills ``tensor.data`` in place (keeping its dtype), records nothing in the graph, and
returns the tensor. A plain ndarray is filled in place too. Random draws come from
``generator`` (an ``autograd.Generator``, or any ``numpy.random.Generator``) or else the
library's default generator, so ``autograd.manual_seed`` makes them repeatable.

Fans, for a weight of shape (out, in, *kernel): fan_in = in * prod(kernel),
fan_out = out * prod(kernel).

- Xavier/Glorot: std = gain * sqrt(2 / (fan_in + fan_out)).
- Kaiming/He (He et al., "Delving Deep into Rectifiers", the PReLU paper in the notes):
  std = gain / sqrt(fan) with gain = sqrt(2 / (1 + a^2)) for a (leaky) ReLU of negative
  slope ``a``; fan is fan_in (preserves forward variance) or fan_out (backward variance).
- The uniform variants draw from U(-bound, bound) with bound = sqrt(3) * std, which has
  that standard deviation.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.inplace import bump_version
from autograd.random import resolve_generator

_LINEAR_LIKE = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended scale of the weights' standard deviation for ``nonlinearity``.

    linear/conv/sigmoid: 1; tanh: 5/3; relu: sqrt(2); leaky_relu: sqrt(2 / (1 + slope^2))
    with ``param`` the negative slope (default 0.01); selu: 3/4.
    """
    if nonlinearity in _LINEAR_LIKE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, bool) or not isinstance(param, (int, float)):
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        else:
            slope = float(param)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def _array(tensor: Any, op: str, floating: bool = True) -> np.ndarray:
    arr = tensor._data if isinstance(tensor, Tensor) else tensor
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"{op}: expected a Tensor or ndarray, got {type(tensor).__name__}")
    if floating and arr.dtype.kind != "f":
        raise TypeError(f"{op}: needs a floating-point tensor, got dtype {arr.dtype}")
    return arr


def _calculate_fan_in_and_fan_out(tensor: Any) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel)."""
    shape = _array(tensor, "fan computation", floating=False).shape
    if len(shape) < 2:
        raise ValueError(
            f"fan in and fan out can not be computed for a tensor with fewer than 2 dimensions "
            f"(shape {shape})"
        )
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor: Any, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode {mode!r} not supported, please use one of 'fan_in', 'fan_out'")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Any, values: np.ndarray, op: str, floating: bool = True) -> Any:
    arr = _array(tensor, op, floating)
    np.copyto(arr, values, casting="unsafe")
    _written(tensor)
    return tensor


def _written(tensor: Any) -> None:
    """Count the in-place write, so that a graph that saved the old values refuses to
    backpropagate through them (as PyTorch's version counter does)."""
    if isinstance(tensor, Tensor):
        bump_version(tensor)


def _rng(generator: np.random.Generator | None, op: str) -> np.random.Generator:
    return resolve_generator(generator, op)


def uniform_(
    tensor: Any, a: float = 0.0, b: float = 1.0, generator: np.random.Generator | None = None
) -> Any:
    """Fill with draws from U(a, b)."""
    if a > b:
        raise ValueError(f"uniform_: expected a <= b, got a={a}, b={b}")
    shape = _array(tensor, "uniform_").shape
    return _fill(tensor, _rng(generator, "uniform_").uniform(a, b, size=shape), "uniform_")


def normal_(
    tensor: Any, mean: float = 0.0, std: float = 1.0, generator: np.random.Generator | None = None
) -> Any:
    """Fill with draws from N(mean, std^2)."""
    if std < 0:
        raise ValueError(f"normal_: std must be >= 0, got {std}")
    shape = _array(tensor, "normal_").shape
    return _fill(tensor, _rng(generator, "normal_").normal(mean, std, size=shape), "normal_")


def constant_(tensor: Any, val: float) -> Any:
    """Fill with ``val``."""
    _array(tensor, "constant_", floating=False).fill(val)
    _written(tensor)
    return tensor


def ones_(tensor: Any) -> Any:
    """Fill with 1."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Any) -> Any:
    """Fill with 0."""
    return constant_(tensor, 0.0)


def xavier_uniform_(
    tensor: Any, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Any:
    """Glorot uniform: U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(
    tensor: Any, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Any:
    """Glorot normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _kaiming_std(tensor: Any, a: float, mode: str, nonlinearity: str) -> float:
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Any,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Any:
    """He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan); ``a`` is the negative
    slope of the leaky ReLU that follows (``nonlinearity='leaky_relu'``)."""
    if _array(tensor, "kaiming_uniform_").size == 0:
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Any,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Any:
    """He normal: N(0, std^2), std = gain / sqrt(fan) (sqrt(2 / fan_in) for ReLU)."""
    if _array(tensor, "kaiming_normal_").size == 0:
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def trunc_normal_(
    tensor: Any,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: np.random.Generator | None = None,
) -> Any:
    """Fill with draws from N(mean, std^2) truncated to [a, b] (bounds in the values' units,
    not in standard deviations, as PyTorch's). Exact for any bounds: normal draws outside
    [a, b] are redrawn when [a, b] holds a good part of the mass, else uniform draws on
    [a, b] are kept with probability density / peak density. Warns, as PyTorch, when the
    mean is more than 2 std from [a, b]."""
    if std < 0 or a >= b:
        raise ValueError(f"trunc_normal_: expected std >= 0 and a < b, got std={std}, [{a}, {b}]")
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    shape = _array(tensor, "trunc_normal_").shape
    rng = _rng(generator, "trunc_normal_")
    if std == 0:
        return _fill(tensor, np.full(shape, min(max(mean, a), b)), "trunc_normal_")
    # the chance that one normal draw lands inside: Phi(b') - Phi(a')
    inside = (
        math.erf((b - mean) / std / math.sqrt(2)) - math.erf((a - mean) / std / math.sqrt(2))
    ) / 2
    peak = min(max(mean, a), b)  # where the density on [a, b] is highest
    n = math.prod(shape)
    kept = np.empty(0)
    while kept.size < n:  # rejection: redraw what was refused
        want = n - kept.size
        if inside > 0.3:
            draws = rng.normal(mean, std, size=int(want / inside * 1.1) + 16)
            draws = draws[(draws >= a) & (draws <= b)]
        else:
            draws = rng.uniform(a, b, size=want + 16)
            log_ratio = -0.5 * (((draws - mean) / std) ** 2 - ((peak - mean) / std) ** 2)
            draws = draws[np.log(rng.random(draws.size)) <= log_ratio]
        kept = np.concatenate([kept, draws])
    return _fill(tensor, kept[:n].reshape(shape), "trunc_normal_")


def orthogonal_(
    tensor: Any, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Any:
    """Fill with a (semi-)orthogonal matrix times ``gain`` (Saxe et al. 2013): the Q factor of
    a Gaussian matrix, signs fixed by R's diagonal; dims after the first are flattened."""
    arr = _array(tensor, "orthogonal_")
    if arr.ndim < 2:
        raise ValueError(f"orthogonal_: needs a tensor with 2 or more dims, got shape {arr.shape}")
    if arr.size == 0:
        return tensor
    rows = arr.shape[0]
    cols = arr.size // rows
    flat = _rng(generator, "orthogonal_").normal(size=(rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))  # a unique, uniformly distributed Q
    if rows < cols:
        q = q.T
    return _fill(tensor, (gain * q).reshape(arr.shape), "orthogonal_")


def eye_(tensor: Any) -> Any:
    """Fill a 2-d tensor with the identity (ones on the diagonal of a non-square one)."""
    arr = _array(tensor, "eye_", floating=False)
    if arr.ndim != 2:
        raise ValueError(f"eye_: needs a 2-d tensor, got shape {arr.shape}")
    return _fill(tensor, np.eye(*arr.shape), "eye_", floating=False)


def dirac_(tensor: Any, groups: int = 1) -> Any:
    """Fill a convolution weight (3-5 dims) so that the convolution is the identity: a 1 at the
    kernel's centre from each input channel to the matching output channel (per group)."""
    arr = _array(tensor, "dirac_", floating=False)
    if arr.ndim not in (3, 4, 5):
        raise ValueError(f"dirac_: needs a 3, 4 or 5-d tensor, got shape {arr.shape}")
    if arr.shape[0] % groups != 0:
        raise ValueError(f"dirac_: dim 0 ({arr.shape[0]}) must be divisible by groups ({groups})")
    per_group = arr.shape[0] // groups
    centre = tuple(k // 2 for k in arr.shape[2:])
    values = np.zeros(arr.shape)
    for g in range(groups):
        for d in range(min(per_group, arr.shape[1])):
            values[(g * per_group + d, d) + centre] = 1
    return _fill(tensor, values, "dirac_", floating=False)


def sparse_(
    tensor: Any, sparsity: float, std: float = 0.01, generator: np.random.Generator | None = None
) -> Any:
    """Fill a 2-d tensor with N(0, std^2) draws, then zero ``ceil(sparsity * rows)`` random
    entries of every column (Martens 2010)."""
    arr = _array(tensor, "sparse_")
    if arr.ndim != 2:
        raise ValueError(f"sparse_: needs a 2-d tensor, got shape {arr.shape}")
    rows, cols = arr.shape
    rng = _rng(generator, "sparse_")
    values = rng.normal(0.0, std, size=(rows, cols))
    zeros = math.ceil(sparsity * rows)
    for c in range(cols):
        values[rng.permutation(rows)[:zeros], c] = 0
    return _fill(tensor, values, "sparse_")


def _deprecated(fill: Any) -> Any:
    """PyTorch's old name of ``fill`` (without the trailing underscore): the same, with a
    FutureWarning naming the new one."""
    old, new = fill.__name__[:-1], fill.__name__

    def deprecated_init(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(
            f"`nn.init.{old}` is now deprecated in favor of `nn.init.{new}`.",
            FutureWarning,
            stacklevel=2,
        )
        return fill(*args, **kwargs)

    deprecated_init.__name__ = old
    deprecated_init.__doc__ = f"Deprecated: use ``nn.init.{new}``."
    return deprecated_init


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
