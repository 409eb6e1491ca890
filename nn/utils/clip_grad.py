"""Gradient clipping: rescale gradients by their total norm, or clamp each entry."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Tensor, Value


def _with_grads(parameters: Any) -> list[Any]:
    """The parameters (one, or an iterable) that have a gradient."""
    if isinstance(parameters, (Tensor, Value)):
        parameters = [parameters]
    return [p for p in parameters if isinstance(p, Value) or p.grad is not None]


def _grad_data(p: Any) -> Any:
    return p.grad if isinstance(p, Value) else p.grad._data


def _scale_grad(p: Any, factor: float) -> None:
    if isinstance(p, Value):
        p.grad = p.grad * factor
    else:
        g = p.grad._data
        with np.errstate(invalid="ignore"):  # inf * 0 -> nan, as PyTorch gives
            g *= np.asarray(factor, dtype=g.dtype)


def clip_grad_norm_(
    parameters: Iterable[Any] | Any,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> Any:
    """Scale all gradients together so that their total norm is at most ``max_norm``.

    The total norm is the ``norm_type``-norm (``inf`` allowed) of all gradient entries seen
    as one vector; gradients are multiplied by ``min(1, max_norm / (total + 1e-6))`` in
    place (by nan when the norm is nan, as in PyTorch). Returns the total norm before
    clipping (a 0-d Tensor, as PyTorch; a float when every parameter is a Value).
    With ``error_if_nonfinite=True`` a nan or inf total norm raises
    RuntimeError.
    """
    params = _with_grads(parameters)
    if max_norm < 0:
        raise ValueError(f"max_norm must be >= 0, got {max_norm!r}")
    if not params:
        return _norm_result(0.0, params)
    norm_type = float(norm_type)
    # magnitudes first: a complex gradient's entries count by their modulus, as in PyTorch
    flats = [np.abs(np.asarray(_grad_data(p))).astype(np.float64).reshape(-1) for p in params]
    if math.isinf(norm_type):
        total = float(max(f.max(initial=0.0) for f in flats))
    else:
        total = float(sum(np.sum(f**norm_type) for f in flats) ** (1.0 / norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"the total norm of order {norm_type} of the gradients is non-finite ({total}), "
            "so it cannot be clipped; pass error_if_nonfinite=False to skip this check"
        )
    coef = max_norm / (total + 1e-6)
    if coef < 1.0 or math.isnan(coef):  # a nan norm makes every gradient nan, as in PyTorch
        for p in params:
            _scale_grad(p, coef)
    return _norm_result(total, params)


def _norm_result(total: float, params: list[Any]) -> Any:
    tensors = [p for p in params if isinstance(p, Tensor)]
    if not tensors and params:
        return total
    # a real number: complex gradients give their real precision's norm, as in PyTorch
    dtype = np.finfo(tensors[0]._data.dtype).dtype if tensors else np.float32
    return Tensor(np.asarray(total, dtype=dtype))


def clip_grad_value_(parameters: Iterable[Any] | Any, clip_value: float) -> None:
    """Clamp every gradient entry into ``[-clip_value, clip_value]`` in place."""
    if clip_value < 0:
        raise ValueError(f"clip_value must be >= 0, got {clip_value!r}")
    params = _with_grads(parameters)
    if any(not isinstance(p, Value) and p.grad._data.dtype.kind == "c" for p in params):
        # (checked before any gradient is clipped)
        raise NotImplementedError(
            "clip_grad_value_: clamp is not supported for complex gradients (as in PyTorch)"
        )
    for p in params:
        if isinstance(p, Value):
            p.grad = min(max(p.grad, -clip_value), clip_value)
        else:
            np.clip(p.grad._data, -clip_value, clip_value, out=p.grad._data)
