"""Dropout as functions: inverted dropout (zero entries at random, scale the rest by
1 / (1 - p)), whole-channel dropout, and alpha dropout (SELU's self-normalising variant)."""

from __future__ import annotations

import warnings
from typing import Any, TypeVar

import numpy as np

from autograd import Tensor, Value
from autograd.errors import DtypeError
from autograd.random import default_generator

from .in_place import maybe_in_place

N = TypeVar("N", Value, Tensor)


def check_dropout_p(p: Any) -> float:
    """``p`` as a float, or ValueError unless it is a probability."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating)) or not 0 <= p <= 1:
        raise ValueError(f"dropout probability p has to be between 0 and 1, got {p!r}")
    return float(p)


def dropout(
    input: N,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
) -> N:
    """Zero each entry of ``input`` with probability ``p`` and multiply the kept ones by
    1 / (1 - p), so the expected value is unchanged; ``p=1`` gives zeros.

    With ``training=False`` (or ``p=0``) ``input`` itself is returned. The mask is a constant of
    the graph: the gradient is the same mask times the scale. Works on Tensors and Values;
    draws from ``autograd.random.default_generator()``.
    """
    p = check_dropout_p(p)
    if not training or p == 0.0:
        return input
    if isinstance(input, Value):
        return input * (0.0 if p == 1.0 or default_generator().random() < p else 1.0 / (1.0 - p))
    if not isinstance(input, Tensor):
        raise TypeError(f"dropout: expected a Tensor or a Value, got {type(input).__name__}")
    _refuse_integers(input, p, "dropout")
    return maybe_in_place(input, inplace, "dropout", lambda x: _masked(x, p, x.shape))


def _refuse_integers(x: Tensor, p: float, op: str) -> None:
    """PyTorch's error for dropping out of an integer or bool tensor with 0 < p < 1 (the
    scaled entries would be cut to integers); p=1 gives zeros of its dtype, as there."""
    if p < 1.0 and x.dtype.kind not in "fc":
        raise DtypeError(
            f"{op}: expected a floating tensor, got dtype {x.dtype} (PyTorch: result type "
            f"Float can't be cast to the desired output type); convert with .float()"
        )


def _masked(x: Tensor, p: float, shape: tuple) -> Tensor:
    """``x`` times a kept-or-zeroed mask of ``shape`` (broadcast over ``x``), scaled by
    1 / (1 - p)."""
    if p == 1.0:
        return x * np.zeros(shape, dtype=x.dtype)
    return x * (_keep(shape, p) * (1.0 / (1.0 - p))).astype(x.dtype)


def _keep(shape: tuple, p: float) -> np.ndarray:
    """A random mask of ``shape``: each entry True (kept) with probability 1 - p."""
    return default_generator().random(shape) >= p


# -SELU(-inf) = scale * alpha: the value alpha dropout gives a dropped entry before rescaling
_SELU_SATURATION = 1.7580993408473766


def _alpha_masked(x: Tensor, p: float, shape: tuple) -> Tensor:
    """``a * (x * m + s * (1 - m)) + b``, m a kept-or-dropped mask of ``shape`` (broadcast
    over x), s = -SELU(-inf), a and b keeping mean 0 and variance 1 (Klambauer et al. 2017)."""
    if p == 1.0:
        return x * np.zeros(shape, dtype=x.dtype)
    keep = _keep(shape, p)
    s = _SELU_SATURATION
    a = 1.0 / np.sqrt((s * s * p + 1.0) * (1.0 - p))
    return x * (keep * a).astype(x.dtype) + (s * a * (keep - 1.0 + p)).astype(x.dtype)


def _check_alpha(x: Any, p: float, op: str) -> float:
    p = check_dropout_p(p)
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    return p


def alpha_dropout(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """Alpha dropout (for SELU networks): each entry is set, with probability ``p``, to SELU's
    negative saturation value -1.7581..., then all are scaled and shifted by an affine map
    that keeps zero mean and unit variance. Note ``training=False`` by default, as PyTorch's;
    ``p=1`` gives zeros."""
    p = _check_alpha(input, p, "alpha_dropout")
    if not training or p == 0.0 or input._data.size == 0:
        return input
    _refuse_integers(input, p, "alpha_dropout")
    return maybe_in_place(input, inplace, "alpha_dropout", lambda x: _alpha_masked(x, p, x.shape))


def feature_alpha_dropout(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """Alpha dropout of whole channels: each (index along axis 0, index along axis 1) slice of
    ``input`` (N, C, *) is dropped together (see ``alpha_dropout``)."""
    op = "feature_alpha_dropout"
    p = _check_alpha(input, p, op)
    if not training or p == 0.0 or input._data.size == 0:
        return input
    if input.ndim < 2 and p < 1.0:
        raise ValueError(
            f"{op}: feature dropout requires at least 2 dimensions in the input, got shape "
            f"{tuple(input.shape)}"
        )
    _refuse_integers(input, p, op)
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    return maybe_in_place(input, inplace, op, lambda x: _alpha_masked(x, p, shape))


def _channel_dropout(x: Tensor, p: float, training: bool, inplace: bool, spatial: int) -> Tensor:
    """Zero whole channels: each (sample, channel) of ``x`` (N, C, *S) or (C, *S), with
    ``spatial`` dims in S, is kept or zeroed together.

    Other ranks as PyTorch reads them: dropout1d refuses them; dropout2d and dropout3d warn
    that they are deprecated and then mask along the first two axes (dropout2d: a 3-d input is
    (N, C, L), a 2-d one (N, C), so entries drop one by one) or, unless the input is 5-d, the
    first axis alone (dropout3d reads it as unbatched)."""
    op = f"dropout{spatial}d"
    p = check_dropout_p(p)
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    ranks = (spatial + 1, spatial + 2)
    batched = x.ndim == spatial + 2
    if x.ndim not in ranks:
        if spatial == 1 or x.ndim < 2 - (spatial == 3):
            raise ValueError(
                f"{op}: expected a {ranks[0]}-d (unbatched) or {ranks[1]}-d (batched) input, "
                f"got shape {tuple(x.shape)}"
            )
        warnings.warn(
            f"{op}: a {x.ndim}-d input is deprecated in PyTorch (an error in a future "
            f"release); it is read as {'(N, C, *)' if spatial == 2 else '(C, *)'}, as "
            f"PyTorch does: use dropout for entry-wise dropout",
            UserWarning,
            stacklevel=3,
        )
    if not training or p == 0.0:
        return x
    _refuse_integers(x, p, op)
    kept = 2 if batched else 1
    if spatial == 2:
        if x.ndim == 3:
            # PyTorch's historical reading of 3-d input to dropout2d: (N, C, L), not (C, H, W)
            warnings.warn(
                "dropout2d: a 3-d input is read as (N, C, L) and whole (sample, channel) rows "
                "are dropped (PyTorch's behaviour); use dropout1d for that, or add a batch dim",
                UserWarning,
                stacklevel=3,
            )
        kept = 2
    shape = tuple(x.shape[:kept]) + (1,) * (x.ndim - kept)
    return maybe_in_place(x, inplace, op, lambda t: _masked(t, p, shape))


def dropout1d(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
) -> Tensor:
    """Channel dropout for (N, C, L) or (C, L): whole channels zeroed with probability ``p``."""
    return _channel_dropout(input, p, training, inplace, 1)


def dropout2d(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
) -> Tensor:
    """Channel dropout for (N, C, H, W) or (C, H, W): whole feature maps zeroed."""
    return _channel_dropout(input, p, training, inplace, 2)


def dropout3d(
    input: Tensor,  # noqa: A002 (PyTorch's name)
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
) -> Tensor:
    """Channel dropout for (N, C, D, H, W) or (C, D, H, W): whole volumes zeroed."""
    return _channel_dropout(input, p, training, inplace, 3)
