"""``autograd.testing.assert_close``: torch.testing.assert_close's checks and messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..node import Node

# torch's default (rtol, atol) by dtype; integers and bools compare exactly
_DEFAULT_TOLERANCES = {
    np.dtype(np.float16): (1e-3, 1e-5),
    np.dtype(np.float32): (1.3e-6, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-7),
    np.dtype(np.complex64): (1.3e-6, 1e-5),
    np.dtype(np.complex128): (1e-7, 1e-7),
}


def _tolerances(*dtypes: np.dtype) -> tuple[float, float]:
    pairs = [_DEFAULT_TOLERANCES.get(np.dtype(d), (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _fail(msg: str | Callable[[str], str] | None, generated: str) -> None:
    if msg is None:
        raise AssertionError(generated)
    raise AssertionError(msg(generated) if callable(msg) else msg)


def _is_tensor_like(x: Any) -> bool:
    return isinstance(x, (Node, np.ndarray))


def assert_close(
    actual: Any,
    expected: Any,
    *,
    allow_subclasses: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    check_layout: bool = True,
    check_stride: bool = False,
    msg: str | Callable[[str], str] | None = None,
) -> None:
    """Raise AssertionError unless ``actual`` and ``expected`` are close:
    ``|actual - expected| <= atol + rtol * |expected|`` elementwise, with the same shape (and
    dtype, with ``check_dtype``). Tensors, ndarrays, numbers, and sequences or mappings of
    them (compared item by item). Without ``rtol``/``atol`` (give both or neither), torch's
    defaults for the dtypes: float32 1.3e-6 / 1e-5, float64 1e-7 / 1e-7, float16 1e-3 /
    1e-5, exact for integers and bools. NaNs are equal only with ``equal_nan``."""
    if (rtol is None) != (atol is None):
        raise ValueError(
            f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
            f"{'rtol' if rtol is None else 'atol'}."
        )
    _compare(actual, expected, rtol, atol, equal_nan, check_dtype, msg, ())


def _where(path: tuple) -> str:
    return "".join(f"[{p!r}]" for p in path)


def _compare(
    actual: Any,
    expected: Any,
    rtol: float | None,
    atol: float | None,
    equal_nan: bool,
    check_dtype: bool,
    msg: Any,
    path: tuple,
) -> None:
    at = f" at item {_where(path)}" if path else ""
    if _is_tensor_like(actual) or _is_tensor_like(expected):
        if type(actual) is not type(expected) and not (
            isinstance(actual, Node) and isinstance(expected, Node)
        ):
            _fail(
                msg,
                f"Type mismatch{at}: expected {type(expected).__name__}, "
                f"got {type(actual).__name__}.",
            )
        a = np.asarray(actual._data if isinstance(actual, Node) else actual)
        e = np.asarray(expected._data if isinstance(expected, Node) else expected)
        _compare_arrays(a, e, rtol, atol, equal_nan, check_dtype, msg, at, "Tensor-likes")
        return
    if isinstance(actual, (bool, int, float, complex, np.generic)) and isinstance(
        expected, (bool, int, float, complex, np.generic)
    ):
        if check_dtype and type(actual) is not type(expected):
            _fail(
                msg,
                f"The values for attribute 'dtype' do not match{at}: "
                f"{type(actual).__name__} != {type(expected).__name__}.",
            )
        a, e = np.asarray(actual), np.asarray(expected)
        _compare_arrays(a, e, rtol, atol, equal_nan, False, msg, at, "Scalars")
        return
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        if set(actual) != set(expected):
            _fail(msg, f"The keys of the mappings do not match{at}: {set(actual) ^ set(expected)}")
        for k in expected:
            _compare(actual[k], expected[k], rtol, atol, equal_nan, check_dtype, msg, (*path, k))
        return
    if (
        isinstance(actual, Sequence)
        and isinstance(expected, Sequence)
        and not isinstance(actual, str)
        and not isinstance(expected, str)
    ):
        if len(actual) != len(expected):
            _fail(
                msg,
                f"The length of the sequences mismatch{at}: {len(actual)} != {len(expected)}",
            )
        for i, (x, y) in enumerate(zip(actual, expected)):
            _compare(x, y, rtol, atol, equal_nan, check_dtype, msg, (*path, i))
        return
    if actual is None and expected is None:
        return
    if actual != expected:
        _fail(msg, f"Objects are not equal{at}: {actual!r} != {expected!r}")


def _compare_arrays(
    a: np.ndarray,
    e: np.ndarray,
    rtol: float | None,
    atol: float | None,
    equal_nan: bool,
    check_dtype: bool,
    msg: Any,
    at: str,
    what: str,
) -> None:
    if a.shape != e.shape:
        _fail(msg, f"The values for attribute 'shape' do not match{at}: {a.shape} != {e.shape}.")
    if check_dtype and a.dtype != e.dtype:
        _fail(msg, f"The values for attribute 'dtype' do not match{at}: {a.dtype} != {e.dtype}.")
    if rtol is None or atol is None:
        rtol, atol = _tolerances(a.dtype, e.dtype)
    kind = np.result_type(a, e).kind
    dt = np.complex128 if kind == "c" else np.float64
    a64, e64 = a.astype(dt), e.astype(dt)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a64 - e64)
        ref = np.abs(e64)
        # equal entries (exact for integers, and infinities of the same sign) are close
        close = (a == e) | (np.isfinite(diff) & (diff <= atol + rtol * ref))
        if equal_nan and kind in "fc":
            close |= np.isnan(a64) & np.isnan(e64)
    if close.all():
        return
    bad = ~close
    total = close.size
    n_bad = int(bad.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(ref == 0, np.where(diff == 0, 0.0, np.inf), diff / ref)
    abs_d = np.where(np.isnan(diff), np.inf, diff) * bad
    rel_d = np.where(np.isnan(rel), np.inf, rel) * bad
    if a.ndim == 0:
        generated = (
            f"{what} are not close{at}!\n\n"
            f"Absolute difference: {float(diff)} (up to {atol} allowed)\n"
            f"Relative difference: {float(rel)} (up to {rtol} allowed)"
        )
    else:
        i_abs = np.unravel_index(int(np.argmax(abs_d)), a.shape)
        i_rel = np.unravel_index(int(np.argmax(rel_d)), a.shape)
        generated = (
            f"{what} are not close{at}!\n\n"
            f"Mismatched elements: {n_bad} / {total} ({100 * n_bad / total:.1f}%)\n"
            f"Greatest absolute difference: {float(diff[i_abs])} at index "
            f"{tuple(int(i) for i in i_abs)} (up to {atol} allowed)\n"
            f"Greatest relative difference: {float(rel[i_rel])} at index "
            f"{tuple(int(i) for i in i_rel)} (up to {rtol} allowed)"
        )
    _fail(msg, generated)
