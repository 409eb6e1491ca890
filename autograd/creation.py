"""Making Tensors, with PyTorch's names, arguments, defaults and result dtypes.

- From data: ``tensor`` (always a copy), ``as_tensor`` (shares when it can), ``from_numpy``
  (always shares the array's memory).
- Filled: ``zeros ones full empty eye arange linspace logspace`` and the ``*_like`` forms.
- Random: ``rand randn randint randperm normal bernoulli multinomial`` and ``rand_like
  randn_like randint_like``. Each takes ``generator=`` (an ``autograd.Generator``) and
  otherwise draws from the default generator, so ``autograd.manual_seed`` repeats them. The
  numbers are not PyTorch's for the same seed; their distributions are.

Sizes are given as separate ints, ``zeros(2, 3)``, or one sequence, ``zeros((2, 3))`` (or
``size=``). Floating results take the default dtype (``get_default_dtype()``) unless ``dtype=``
says otherwise. ``device=`` accepts None, 'cpu' or ``autograd.device('cpu')``; any other
device is an error. Every result is a new leaf; ``requires_grad=True`` needs a floating dtype.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np

from .devices import check_device
from .dtypes import get_default_dtype
from .errors import DtypeNotImplemented
from .fused_multiply_add import fma
from .memory_format import check_memory_format, preserve_format
from .node import Node
from .ops.elementwise import Unrelated
from .random import resolve_generator
from .scalar_conversion import checked_scalar
from .tensor import Tensor, as_array

_NUMERIC_KINDS = "biufc"


# --- argument handling ---
def _dtype(dtype: Any, op: str) -> np.dtype | None:
    if dtype is None:
        return None
    try:
        dt = np.dtype(dtype)
    except TypeError as e:
        raise TypeError(
            f"{op}(): dtype must be a dtype such as autograd.float32, got {dtype!r}"
        ) from e
    if dt.kind not in _NUMERIC_KINDS:
        raise TypeError(f"{op}(): dtype must be numeric (bool, int, float or complex), got {dt}")
    return dt


def _int(x: Any, op: str, name: str) -> int:
    """An integer argument: ints, numpy integers and one-element integer Tensors."""
    raw = x._data if isinstance(x, Node) else None
    if isinstance(raw, np.ndarray) and raw.size == 1 and raw.dtype.kind in "iu":
        return int(raw.item())
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError(f"{op}(): argument '{name}' must be an int, not {type(x).__name__}")
    return int(x)


def _number(x: Any, op: str, name: str) -> Any:
    """A scalar argument as a Python number (one-element Tensors and arrays included)."""
    if isinstance(x, (Node, np.ndarray, np.generic)):
        arr = np.asarray(x._data if isinstance(x, Node) else x)
        if arr.size != 1:
            raise ValueError(
                f"{op}(): argument '{name}' must be a number or a one-element tensor, got shape "
                f"{arr.shape}"
            )
        return arr.item()
    if not isinstance(x, numbers.Number):
        raise TypeError(f"{op}(): argument '{name}' must be a number, not {type(x).__name__}")
    return x


def _size(args: tuple, size: Any, op: str) -> tuple[int, ...]:
    """The shape from ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(size=(2, 3))``."""
    if size is not None:
        if args:
            raise TypeError(f"{op}(): size given both positionally and as size=")
        args = (size,)
    if len(args) == 1 and not isinstance(args[0], (numbers.Integral, Node)):
        seq = args[0]
        if not isinstance(seq, (tuple, list)):
            raise TypeError(
                f"{op}(): argument 'size' must be a sequence of ints, not {type(seq).__name__}"
            )
        args = tuple(seq)
    shape = tuple(_int(s, op, "size") for s in args)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"{op}(): dimension sizes must be non-negative, got size {list(shape)}")
    return shape


def _wrap(arr: np.ndarray, requires_grad: bool, device: Any, op: str) -> Tensor:
    """A new leaf Tensor holding ``arr`` itself (no copy)."""
    check_device(device, op)
    t = Tensor(np.empty(0, dtype=arr.dtype), requires_grad=requires_grad)
    t.data = arr
    return t


def _floating(dtype: Any, op: str, complex_ok: bool = False) -> np.dtype:
    """The dtype of a floating result: ``dtype`` (which must be floating, or complex when
    ``complex_ok``) or the default."""
    dt = _dtype(dtype, op)
    if dt is None:
        return get_default_dtype()
    if dt.kind != "f" and not (complex_ok and dt.kind == "c"):
        raise DtypeNotImplemented(
            f"{op}(): needs a floating dtype (a sample of a real distribution), got {dt}"
        )
    return dt


def _input_array(input: Any, op: str) -> np.ndarray:  # noqa: A002
    if isinstance(input, Node):
        return input._data
    if isinstance(input, np.ndarray):
        return input
    raise TypeError(f"{op}(): argument 'input' must be a Tensor, not {type(input).__name__}")


def _fill_dtype(value: Any) -> np.dtype:
    """PyTorch's dtype for a Python scalar: bool, int64, the default float, or complex."""
    if isinstance(value, (bool, np.bool_)):
        return np.dtype(bool)
    if isinstance(value, numbers.Integral):
        return np.dtype(np.int64)
    if isinstance(value, numbers.Real):
        return get_default_dtype()
    return np.dtype(np.complex128 if get_default_dtype() == np.float64 else np.complex64)


# --- from data ---
def tensor(
    data: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    pin_memory: bool = False,
) -> Tensor:
    """A new leaf Tensor holding a copy of ``data`` (numbers, nested lists, ndarrays, Tensors).

    dtype when not given: an ndarray's or Tensor's own; else bool, int64, the default float,
    or complex, from the Python values.
    """
    dt = _dtype(dtype, "tensor")
    check_device(device, "tensor")
    if pin_memory:
        raise RuntimeError(
            "tensor(): pin_memory=True needs an accelerator; this library is CPU only"
        )
    if isinstance(data, str) or (
        isinstance(data, np.ndarray) and data.dtype.kind not in _NUMERIC_KINDS
    ):
        raise TypeError(f"tensor(): cannot make a numeric tensor from {type(data).__name__} data")
    if isinstance(data, (list, tuple)):
        data = _unwrap(data)
    try:
        # lists infer their dtype here (the Tensor class's own rule for lists is torch.Tensor's)
        t = Tensor(as_array(data, dt) if isinstance(data, (list, tuple)) else data, dtype=dt)
    except ValueError as e:
        raise ValueError(
            f"tensor(): data is not a rectangular array of numbers (nested lists of unequal "
            f"lengths?): {e}"
        ) from e
    if (
        dt is None
        and t._data.dtype.kind == "c"
        and not isinstance(data, (np.ndarray, np.generic, Node))
    ):
        t.data = t._data.astype(_fill_dtype(1j))
    if requires_grad:
        t.requires_grad_(True)
    return t


def _unwrap(data: Any) -> Any:
    """Nested lists with the Tensors in them replaced by their arrays."""
    if isinstance(data, Node):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_unwrap(x) for x in data]
    return data


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A Tensor sharing ``ndarray``'s memory: writes to either show in the other."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy(): expected np.ndarray (got {type(ndarray).__name__})")
    if ndarray.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(
            f"from_numpy(): can't convert np.ndarray of type {ndarray.dtype}; only bool, "
            "integer, floating and complex arrays are supported"
        )
    if not ndarray.dtype.isnative:
        raise ValueError(
            "from_numpy(): the array's byte order differs from the machine's; convert it with "
            "arr.astype(arr.dtype.newbyteorder('='))"
        )
    return _wrap(ndarray, False, None, "from_numpy")


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a Tensor without copying when it can: a Tensor of the requested dtype is
    returned itself; an ndarray of that dtype is shared (``from_numpy``); otherwise a copy."""
    dt = _dtype(dtype, "as_tensor")
    check_device(device, "as_tensor")
    if isinstance(data, Tensor):
        if dt is None or dt == data.dtype:
            return data
        if hasattr(data, "to"):
            return data.to(dt)  # differentiable cast, as torch
        return Tensor(data._data.astype(dt))
    if isinstance(data, np.ndarray) and data.dtype.kind in _NUMERIC_KINDS:
        if dt is not None and dt != data.dtype:
            data = data.astype(dt)
        return from_numpy(
            data if data.dtype.isnative else data.astype(data.dtype.newbyteorder("="))
        )
    return tensor(data, dtype=dt)


# --- filled ---
def zeros(
    *sizes: Any,
    size: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A Tensor of zeros (default float dtype)."""
    shape = _size(sizes, size, "zeros")
    dt = _dtype(dtype, "zeros") or get_default_dtype()
    return _wrap(np.zeros(shape, dtype=dt), requires_grad, device, "zeros")


def ones(
    *sizes: Any,
    size: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A Tensor of ones (default float dtype)."""
    shape = _size(sizes, size, "ones")
    dt = _dtype(dtype, "ones") or get_default_dtype()
    return _wrap(np.ones(shape, dtype=dt), requires_grad, device, "ones")


def empty(
    *sizes: Any,
    size: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """A Tensor whose values are whatever the memory held (default float dtype).
    ``memory_format`` is checked as PyTorch's (``channels_last`` needs 4 dims; a new tensor
    has no format to preserve) and leaves the values' layout C-ordered."""
    shape = _size(sizes, size, "empty")
    check_memory_format(memory_format, "empty", len(shape))
    if memory_format is preserve_format:
        raise RuntimeError("empty: unsupported memory format preserve_format")
    dt = _dtype(dtype, "empty") or get_default_dtype()
    return _wrap(np.empty(shape, dtype=dt), requires_grad, device, "empty")


def full(
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A Tensor filled with ``fill_value``; its dtype follows the value (bool, int64, default
    float, complex) unless ``dtype`` is given."""
    shape = _size((size,), None, "full")
    value = _number(fill_value, "full", "fill_value")
    dt = _dtype(dtype, "full") or _fill_dtype(value)
    value = checked_scalar(value, np.dtype(dt), "full")
    return _wrap(np.full(shape, value, dtype=dt), requires_grad, device, "full")


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """An n x m matrix (n x n by default) with ones on the diagonal."""
    n = _int(n, "eye", "n")
    m = n if m is None else _int(m, "eye", "m")
    if n < 0 or m < 0:
        raise RuntimeError(f"eye(): n and m must be greater or equal to 0, got n={n}, m={m}")
    dt = _dtype(dtype, "eye") or get_default_dtype()
    return _wrap(np.eye(n, m, dtype=dt), requires_grad, device, "eye")


def arange(
    start: Any = None,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Values from ``start`` (default 0) up to but excluding ``end``, ``step`` apart.

    ``arange(end)``, ``arange(start, end)``, ``arange(start, end, step)``, or by keyword.
    int64 when all three are integers, else the default float dtype. With an integer
    ``dtype`` the three are truncated to integers first (PyTorch's rule).
    """
    if start is None and end is None:
        raise TypeError("arange() missing required argument 'end'")
    if end is None:
        start, end = 0, start
    elif start is None:
        start = 0
    nums = [_number(v, "arange", k) for v, k in ((start, "start"), (end, "end"), (step, "step"))]
    if any(isinstance(v, complex) for v in nums):
        raise TypeError("arange(): complex arguments are not supported")
    if any(not math.isfinite(v) for v in nums):
        raise RuntimeError(f"arange(): unsupported range: {nums[0]} -> {nums[1]} step {nums[2]}")
    dt = _dtype(dtype, "arange")
    if dt is None:
        integral = all(isinstance(v, numbers.Integral) for v in nums)
        dt = np.dtype(np.int64) if integral else get_default_dtype()
    if dt.kind in "iub":
        nums = [int(v) for v in nums]
    lo, hi, st = nums
    if st == 0:
        raise RuntimeError("arange(): step must be nonzero")
    if (hi - lo) * st < 0:
        raise RuntimeError(
            f"arange(): upper bound and lower bound inconsistent with step sign "
            f"(start={lo}, end={hi}, step={st})"
        )
    if all(isinstance(v, int) for v in nums):
        arr = np.arange(lo, hi, st, dtype=np.int64).astype(dt, copy=False)
    else:
        n = math.ceil((hi - lo) / st)
        arr = (lo + np.arange(n, dtype=np.float64) * st).astype(dt)
    return _wrap(arr, requires_grad, device, "arange")


def _linspace_values(
    start: float, end: float, steps: int, dt: np.dtype, fused: bool = True
) -> np.ndarray:
    """PyTorch's linspace: the first half counted up from ``start``, the second half down
    from ``end`` (so both ends are exact), computed in the result's floating type; with
    ``fused``, each point's multiply-add is rounded once, as PyTorch's compiled linspace
    kernel fuses it (its logspace does not), so the points agree to the last bit."""
    work = dt if dt.kind == "f" else np.dtype(np.float64)
    if dt.kind in "iu":  # the ends are converted to the integer type first (truncated)
        start, end = math.trunc(start), math.trunc(end)
    s, e = work.type(start), work.type(end)
    if steps == 1:
        return np.array([s], dtype=work)
    step = (e - s) / work.type(steps - 1)
    idx = np.arange(steps)
    half = steps // 2
    out = np.empty(steps, dtype=work)
    up, down = idx[:half].astype(work), (steps - idx[half:] - 1).astype(work)
    if fused and work.itemsize in (4, 8):
        out[:half] = fma(step, up, s)
        out[half:] = fma(-step, down, e)
    else:  # rounded after each operation (PyTorch's half precision and logspace)
        out[:half] = s + step * up
        out[half:] = e - step * down
    return out


def _steps(steps: Any, op: str) -> int:
    n = _int(steps, op, "steps")
    if n < 0:
        raise RuntimeError(f"{op}(): number of steps must be non-negative, got {n}")
    return n


def linspace(
    start: Any,
    end: Any,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive (default float
    dtype, even for integer ends)."""
    n = _steps(steps, "linspace")
    lo, hi = _number(start, "linspace", "start"), _number(end, "linspace", "end")
    dt = _dtype(dtype, "linspace") or get_default_dtype()
    arr = _linspace_values(lo, hi, n, dt).astype(dt, copy=False)
    return _wrap(arr, requires_grad, device, "linspace")


def logspace(
    start: Any,
    end: Any,
    steps: int,
    base: float = 10.0,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``base ** linspace(start, end, steps)`` (default float dtype)."""
    n = _steps(steps, "logspace")
    lo, hi = _number(start, "logspace", "start"), _number(end, "logspace", "end")
    b = _number(base, "logspace", "base")
    dt = _dtype(dtype, "logspace") or get_default_dtype()
    exps = _linspace_values(lo, hi, n, dt, fused=False)
    with np.errstate(over="ignore"):
        arr = np.power(exps.dtype.type(b), exps).astype(dt)
    return _wrap(arr, requires_grad, device, "logspace")


def _like(input: Any, dtype: Any, op: str) -> tuple[tuple, np.dtype]:  # noqa: A002
    arr = _input_array(input, op)
    return arr.shape, _dtype(dtype, op) or arr.dtype


def zeros_like(
    input: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,  # noqa: A002,
    memory_format: Any = None,
) -> Tensor:
    """Zeros of ``input``'s shape and dtype (unless ``dtype`` is given)."""
    shape, dt = _like(input, dtype, "zeros_like")
    check_memory_format(memory_format, "zeros_like", len(shape))
    return _wrap(np.zeros(shape, dtype=dt), requires_grad, device, "zeros_like")


def ones_like(
    input: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,  # noqa: A002,
    memory_format: Any = None,
) -> Tensor:
    """Ones of ``input``'s shape and dtype (unless ``dtype`` is given)."""
    shape, dt = _like(input, dtype, "ones_like")
    check_memory_format(memory_format, "ones_like", len(shape))
    return _wrap(np.ones(shape, dtype=dt), requires_grad, device, "ones_like")


def empty_like(
    input: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,  # noqa: A002,
    memory_format: Any = None,
) -> Tensor:
    """An uninitialised Tensor of ``input``'s shape and dtype (unless ``dtype`` is given)."""
    shape, dt = _like(input, dtype, "empty_like")
    check_memory_format(memory_format, "empty_like", len(shape))
    return _wrap(np.empty(shape, dtype=dt), requires_grad, device, "empty_like")


def full_like(
    input: Any,  # noqa: A002
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """``fill_value`` in ``input``'s shape and dtype (an int tensor truncates 2.7 to 2)."""
    shape, dt = _like(input, dtype, "full_like")
    check_memory_format(memory_format, "full_like", len(shape))
    value = checked_scalar(_number(fill_value, "full_like", "fill_value"), dt, "full_like")
    if dt.kind in "iu" and isinstance(value, float):
        value = math.trunc(value)  # (2.7 into an integer dtype is 2)
    arr = np.full(shape, value, dtype=dt)
    return _wrap(arr, requires_grad, device, "full_like")


# --- random ---
def _uniform(rng: np.random.Generator, shape: tuple, dt: np.dtype) -> np.ndarray:
    if dt.kind == "c":  # real and imaginary parts each uniform on [0, 1), as torch
        return _uniform(rng, shape + (2,), np.finfo(dt).dtype).view(dt).reshape(shape)
    if dt in (np.float32, np.float64):
        return rng.random(shape, dtype=dt)
    return rng.random(shape).astype(dt)


def _standard_normal(rng: np.random.Generator, shape: tuple, dt: np.dtype) -> np.ndarray:
    if dt.kind == "c":  # unit variance: real and imaginary parts each of variance 1/2, as torch
        pairs = _standard_normal(rng, shape + (2,), np.finfo(dt).dtype)
        pairs *= np.sqrt(0.5).astype(pairs.dtype)
        return pairs.view(dt).reshape(shape)
    if dt in (np.float32, np.float64):
        return rng.standard_normal(shape, dtype=dt)
    return rng.standard_normal(shape).astype(dt)


def rand(
    *sizes: Any,
    size: Any = None,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of the uniform distribution on [0, 1) (default float dtype; for a complex
    dtype, real and imaginary parts each)."""
    shape = _size(sizes, size, "rand")
    dt = _floating(dtype, "rand", complex_ok=True)
    rng = resolve_generator(generator, "rand")
    return _wrap(_uniform(rng, shape, dt), requires_grad, device, "rand")


def randn(
    *sizes: Any,
    size: Any = None,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of the standard normal distribution (default float dtype; for a complex dtype,
    of unit variance: real and imaginary parts each of variance 1/2)."""
    shape = _size(sizes, size, "randn")
    dt = _floating(dtype, "randn", complex_ok=True)
    rng = resolve_generator(generator, "randn")
    return _wrap(_standard_normal(rng, shape, dt), requires_grad, device, "randn")


def _integers(rng: np.random.Generator, low: int, high: int, shape: tuple, op: str) -> np.ndarray:
    if low >= high:
        raise RuntimeError(
            f"{op}(): expects 'low' to be less than 'high', but got low={low} >= high={high}"
        )
    return rng.integers(low, high, size=shape, dtype=np.int64)


def _low_high(args: list, low: Any, high: Any, op: str) -> tuple[int, int]:
    """PyTorch's overloads: (high) or (low, high), positionally or by keyword."""
    if len(args) > 2:
        raise TypeError(f"{op}(): too many positional arguments")
    if len(args) == 2:
        if low is not None or high is not None:
            raise TypeError(f"{op}(): low/high given both positionally and by keyword")
        low, high = args
    elif len(args) == 1:
        if high is None:
            high = args[0]
        elif low is None:
            low = args[0]
        else:
            raise TypeError(f"{op}(): low/high given both positionally and by keyword")
    if high is None:
        raise TypeError(f"{op}() missing required argument 'high'")
    low = 0 if low is None else _int(low, op, "low")
    return low, _int(high, op, "high")


def randint(
    *args: Any,
    low: Any = None,
    high: Any = None,
    size: Any = None,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high) (low defaults to 0), int64 unless
    ``dtype`` says otherwise: ``randint(high, size)`` or ``randint(low, high, size)``."""
    pos = list(args)
    if size is None:
        if not pos:
            raise TypeError("randint() missing required argument 'size'")
        size = pos.pop()
    if isinstance(size, numbers.Integral):
        raise TypeError(
            f"randint(): argument 'size' must be a tuple of ints, not int (got {size}); "
            "write randint(high, (n,)) or randint(low, high, (n,))"
        )
    shape = _size((), size, "randint")
    lo, hi = _low_high(pos, low, high, "randint")
    dt = _dtype(dtype, "randint") or np.dtype(np.int64)
    rng = resolve_generator(generator, "randint")
    arr = _integers(rng, lo, hi, shape, "randint").astype(dt, copy=False)
    return _wrap(arr, requires_grad, device, "randint")


def randperm(
    n: int,
    *,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random permutation of 0 .. n-1 (int64 unless ``dtype`` says otherwise)."""
    n = _int(n, "randperm", "n")
    if n < 0:
        raise RuntimeError(f"randperm(): n must be non-negative, got {n}")
    dt = _dtype(dtype, "randperm") or np.dtype(np.int64)
    rng = resolve_generator(generator, "randperm")
    arr = rng.permutation(n).astype(dt, copy=False)
    return _wrap(arr, requires_grad, device, "randperm")


def rand_like(
    input: Any,  # noqa: A002
    *,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """``rand`` in ``input``'s shape and (floating or complex) dtype."""
    shape, dt = _like(input, dtype, "rand_like")
    check_memory_format(memory_format, "rand_like", len(shape))
    dt = _floating(dt, "rand_like", complex_ok=True)
    rng = resolve_generator(generator, "rand_like")
    return _wrap(_uniform(rng, shape, dt), requires_grad, device, "rand_like")


def randn_like(
    input: Any,  # noqa: A002
    *,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """``randn`` in ``input``'s shape and (floating or complex) dtype."""
    shape, dt = _like(input, dtype, "randn_like")
    check_memory_format(memory_format, "randn_like", len(shape))
    dt = _floating(dt, "randn_like", complex_ok=True)
    rng = resolve_generator(generator, "randn_like")
    return _wrap(_standard_normal(rng, shape, dt), requires_grad, device, "randn_like")


def randint_like(
    input: Any,  # noqa: A002
    *args: Any,
    low: Any = None,
    high: Any = None,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """``randint`` in ``input``'s shape and dtype: ``randint_like(input, high)`` or
    ``randint_like(input, low, high)``."""
    shape, dt = _like(input, dtype, "randint_like")
    check_memory_format(memory_format, "randint_like", len(shape))
    lo, hi = _low_high(list(args), low, high, "randint_like")
    rng = resolve_generator(generator, "randint_like")
    arr = _integers(rng, lo, hi, shape, "randint_like").astype(dt, copy=False)
    return _wrap(arr, requires_grad, device, "randint_like")


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of N(mean, std^2), PyTorch's overloads:

    - ``normal(mean_tensor, std_tensor)``, ``normal(mean_tensor, std=1.0)``,
      ``normal(mean=0.0, std=std_tensor)``: one sample per element of the broadcast shape,
      in the tensors' floating dtype;
    - ``normal(mean, std, size)`` with numbers: ``size`` samples (default float dtype).

    The result is a new leaf: no gradient flows back to ``mean`` or ``std`` (PyTorch gives
    them zero gradients).
    """
    rng = resolve_generator(generator, "normal")
    is_tensor = [isinstance(x, (Node, np.ndarray)) for x in (mean, std)]
    if any(is_tensor):
        if size is not None:
            raise TypeError(
                "normal(): size= is only for number mean and std (tensors give the shape)"
            )
        arrs = [np.asarray(x._data if isinstance(x, Node) else x) for x in (mean, std)]
        dt = _dtype(dtype, "normal") or np.result_type(
            *[a.dtype for a, t in zip(arrs, is_tensor) if t]
        )
        if dt.kind != "f":
            raise TypeError(f"normal(): mean and std must be floating tensors, got {dt}")
        m, s = arrs
        if s.size and not np.all(s >= 0):
            raise RuntimeError("normal(): expects all elements of std >= 0.0")
        shape = np.broadcast_shapes(m.shape, s.shape)
        arr = (m + s * rng.standard_normal(shape)).astype(dt)
        return _wrap(arr, requires_grad, device, "normal")
    if size is None:
        raise TypeError(
            "normal(): with a number mean and std, give the size: normal(mean, std, size)"
        )
    shape = _size((), size, "normal")
    m, s = _number(mean, "normal", "mean"), _number(std, "normal", "std")
    if not s >= 0:
        raise RuntimeError(f"normal(): expects std >= 0.0, but found std {s}")
    dt = _floating(dtype, "normal")
    arr = (m + s * _standard_normal(rng, shape, np.dtype(np.float64))).astype(dt)
    return _wrap(arr, requires_grad, device, "normal")


def bernoulli(input: Any, p: Any = None, *, generator: Any = None) -> Tensor:  # noqa: A002
    """1 with probability ``input`` (elementwise; or ``p`` for every element), else 0, in
    ``input``'s shape and floating dtype. When ``input`` requires grad so does the result,
    with gradient 0 (as torch)."""
    probs = _input_array(input, "bernoulli")
    if probs.dtype.kind != "f":
        raise TypeError(
            f"bernoulli(): input must be a floating tensor of probabilities, got {probs.dtype}"
        )
    if p is not None:
        probs = np.full(probs.shape, _number(p, "bernoulli", "p"), dtype=np.float64)
    if not np.all((probs >= 0) & (probs <= 1)):
        raise RuntimeError("bernoulli(): every probability must be in [0, 1]")
    rng = resolve_generator(generator, "bernoulli")
    arr = (rng.random(probs.shape) < probs).astype(_input_array(input, "bernoulli").dtype)
    if isinstance(input, Tensor) and input.requires_grad:
        return Unrelated.apply(input, arr)  # in the graph, gradient 0 (as torch)
    return _wrap(arr, False, None, "bernoulli")


def poisson(input: Any, generator: Any = None) -> Tensor:  # noqa: A002
    """A Poisson-distributed count for each rate in ``input`` (non-negative), in ``input``'s
    floating dtype; no gradient."""
    rates = _input_array(input, "poisson")
    if rates.dtype.kind != "f":
        raise TypeError(f"poisson(): input must be a floating tensor of rates, got {rates.dtype}")
    if np.any(rates < 0) or np.any(np.isnan(rates)):
        raise RuntimeError("poisson(): invalid Poisson rate, expected rate to be non-negative")
    rng = resolve_generator(generator, "poisson")
    arr = rng.poisson(rates.astype(np.float64)).astype(rates.dtype)
    return _wrap(arr, False, None, "poisson")


def multinomial(
    input: Any,  # noqa: A002
    num_samples: int,
    replacement: bool = False,
    *,
    generator: Any = None,
) -> Tensor:
    """Indices of categories drawn from each row of ``input`` (1-d: one distribution; 2-d:
    one per row), with probabilities proportional to the row's non-negative weights. Without
    replacement an index appears at most once per row. int64, shape (num_samples,) or
    (rows, num_samples)."""
    w = _input_array(input, "multinomial")
    if w.dtype.kind != "f":
        raise TypeError(f"multinomial(): only supports floating-point weights, got {w.dtype}")
    if w.ndim not in (1, 2):
        raise RuntimeError(f"multinomial(): input must be 1 or 2 dim, got shape {w.shape}")
    n = _int(num_samples, "multinomial", "num_samples")
    if n <= 0:
        raise RuntimeError(f"multinomial(): cannot sample num_samples={n} <= 0 samples")
    rows = w.reshape(-1, w.shape[-1]).astype(np.float64) + 0.0  # (-0.0 weights become 0.0)
    categories = rows.shape[1]
    if not replacement and n > categories:
        raise RuntimeError(
            f"multinomial(): cannot sample {n} > {categories} (categories) samples without "
            "replacement"
        )
    if not np.all(np.isfinite(rows)) or np.any(rows < 0):
        raise RuntimeError(
            "multinomial(): probability tensor contains either inf, nan or element < 0"
        )
    if np.any(rows.sum(axis=1) <= 0):
        raise RuntimeError("multinomial(): invalid distribution (sum of probabilities <= 0)")
    rng = resolve_generator(generator, "multinomial")
    if replacement:
        out = np.empty((rows.shape[0], n), dtype=np.int64)
        u = rng.random((rows.shape[0], n))
        for r, row in enumerate(rows):
            cdf = np.cumsum(row)
            cdf /= cdf[-1]  # the last non-zero category ends at exactly 1
            out[r] = np.searchsorted(cdf, u[r], side="right")
    else:
        # Exponential races: category i finishes at E_i / w_i; the first n to finish are a
        # draw without replacement, in order (zero weights finish never, so come last).
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = rng.standard_exponential(rows.shape) / rows
        out = np.argsort(keys, axis=1, kind="stable")[:, :n].astype(np.int64)
    return _wrap(out.reshape(w.shape[:-1] + (n,)), False, None, "multinomial")


def binomial(count: Any, prob: Any, generator: Any = None) -> Tensor:
    """The number of successes in ``count`` Bernoulli(``prob``) trials, elementwise (the two
    broadcast), in ``count``'s floating dtype; no gradient."""
    n = _input_array(count, "binomial")
    p = _input_array(prob, "binomial")
    if n.dtype.kind != "f" or p.dtype.kind != "f":
        raise TypeError(
            f"binomial(): only supports floating-point dtypes for count and prob, got "
            f"{n.dtype} and {p.dtype}"
        )
    if np.any(n < 0) or np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise RuntimeError("binomial(): expected count >= 0 and prob in [0, 1]")
    rng = resolve_generator(generator, "binomial")
    draws = rng.binomial(np.floor(n).astype(np.int64), p.astype(np.float64))
    return _wrap(np.asarray(draws, dtype=np.result_type(n.dtype, p.dtype)), False, None, "binomial")


def inclusive_range(
    start: Any = 0,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``torch.range`` (deprecated there): ``start, start + step, ...`` up to and including
    ``end``, in the default float dtype (or ``dtype``). Use ``arange``, which stops before
    ``end``."""
    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its "
        "behavior is inconsistent with Python's range builtin. Instead, use torch.arange, "
        "which produces values in [start, end).",
        UserWarning,
        stacklevel=2,
    )
    if end is None:
        start, end = 0, start
    lo, hi, s = (
        _number(v, "range", k) for v, k in ((start, "start"), (end, "end"), (step, "step"))
    )
    if s == 0:
        raise RuntimeError("range(): step must be nonzero")
    if (hi - lo) * s < 0:
        raise RuntimeError("range(): upper bound and larger bound inconsistent with step sign")
    count = int(math.floor((hi - lo) / s)) + 1
    dt = _dtype(dtype, "range") or get_default_dtype()
    values = lo + s * np.arange(count, dtype=np.float64)
    return _wrap(values.astype(dt), requires_grad, device, "range")


def asarray(
    obj: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    copy: bool | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """``obj`` as a Tensor, sharing memory with a Tensor or ndarray when it can (``copy=True``
    always copies; ``copy=False`` refuses a copy)."""
    dt = _dtype(dtype, "asarray")
    shares = isinstance(obj, (Tensor, np.ndarray)) and (dt is None or dt == obj.dtype)
    if copy is False and not shares:
        raise ValueError("asarray(): copy=False, but the data cannot be shared")
    if copy:
        data = obj._data if isinstance(obj, Tensor) else obj
        t = tensor(data, dtype=dt, device=device)
    else:
        t = as_tensor(obj, dtype=dt, device=device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def vander(x: Any, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """The Vandermonde matrix of the 1-d ``x``: columns x^(N-1), ..., x^1, x^0 (increasing
    powers when ``increasing``); N defaults to len(x). Integer and bool x give int64 (as
    torch); differentiable."""
    v = x if isinstance(x, Tensor) else Tensor(x)
    if v.ndim != 1:
        raise RuntimeError(f"vander(): x must be a one-dimensional tensor, got {v.ndim}-d")
    n = v.shape[0] if N is None else int(N)
    if n < 0:
        raise RuntimeError(f"vander(): N must be non-negative, got {n}")
    if v.dtype.kind in "biu":  # integer powers in int64, as torch
        v = v.long()
    from .functions import stack

    # (x^0 is 1 for every x, inf and nan included: a constant column, as torch's)
    ones = Tensor(np.ones(v.shape, v.dtype))
    powers = [v**k if k else ones for k in range(n)]
    if not increasing:
        powers.reverse()
    if not powers:
        return Tensor(np.zeros((v.shape[0], 0), dtype=v.dtype))
    return stack(powers, 1)
