"""torch's module-level forms of neural-network functions (``torch.conv2d``,
``torch.celu_``, ``torch.dropout(x, p, train)``, ``torch.embedding(weight, indices)`` ...):
``nn.functional``'s ops under torch's names and argument orders.

``nn`` builds on this package, so each function imports ``nn.functional`` when called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .node import Node


def _functional() -> Any:
    import nn.functional

    return nn.functional


def _same(name: str, target: str | None = None) -> Callable[..., Any]:
    """``torch.name`` with the arguments of ``F.target`` (``F.name`` by default)."""
    target = target or name

    def fn(*args: Any, **kwargs: Any) -> Any:
        return getattr(_functional(), target)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``nn.functional.{target}`` (torch's module-level ``torch.{name}``)."
    return fn


_SAME = (
    "celu threshold rrelu hardshrink conv1d conv2d conv3d conv_transpose1d conv_transpose2d "
    "conv_transpose3d bilinear pdist pixel_shuffle pixel_unshuffle channel_shuffle "
    "cosine_similarity pairwise_distance group_norm max_pool1d max_pool2d max_pool3d avg_pool1d "
    "adaptive_avg_pool1d celu_ threshold_ rrelu_ selu_ max_pool1d_with_indices"
).split()
for _name in _SAME:
    globals()[_name] = _same(_name)


def adaptive_max_pool1d(input: Any, output_size: Any) -> Any:  # noqa: A002
    """(values, indices) of ``nn.functional.adaptive_max_pool1d`` (torch's form returns both)."""
    return _functional().adaptive_max_pool1d(input, output_size, return_indices=True)


def layer_norm(
    input: Any,  # noqa: A002
    normalized_shape: Any,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
    cudnn_enable: bool = True,
) -> Any:
    """``nn.functional.layer_norm`` (``cudnn_enable`` has no effect)."""
    return _functional().layer_norm(input, normalized_shape, weight, bias, eps)


def dropout(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    """``nn.functional.dropout(input, p, training=train)``."""
    return _functional().dropout(input, p, training=train)


def dropout_(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    """``dropout`` written into ``input``."""
    return _functional().dropout(input, p, training=train, inplace=True)


def alpha_dropout(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    """``nn.functional.alpha_dropout(input, p, training=train)``."""
    return _functional().alpha_dropout(input, p, training=train)


def alpha_dropout_(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    """``alpha_dropout`` written into ``input``."""
    return _functional().alpha_dropout(input, p, training=train, inplace=True)


def feature_alpha_dropout(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    """``nn.functional.feature_alpha_dropout(input, p, training=train)``."""
    return _functional().feature_alpha_dropout(input, p, training=train)


def embedding(
    weight: Any,
    indices: Any,
    padding_idx: int = -1,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Any:
    """The rows of ``weight`` at ``indices`` (note torch's order: weight first); the row
    ``padding_idx`` gets no gradient. As torch's low-level op (unlike
    ``nn.functional.embedding``), a negative ``padding_idx`` (or one past the rows) is not
    counted from the end: it names no row."""
    rows = np.shape(weight._data if isinstance(weight, Node) else weight)[0]
    pad = padding_idx if 0 <= padding_idx < rows else None
    return _functional().embedding(
        indices, weight, pad, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse
    )


__all__ = [
    *_SAME,
    "adaptive_max_pool1d",
    "layer_norm",
    "dropout",
    "dropout_",
    "alpha_dropout",
    "alpha_dropout_",
    "feature_alpha_dropout",
    "embedding",
]
